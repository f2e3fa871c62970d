import type { Account } from '../../src/domain/accounts';
import { breadcrumb, breadcrumbText, parentWithinScope, scopeRootIds, scopeRootOn } from '../../src/domain/navigation';
import { admin, ALEX } from '../support/directories';

type Step = Pick<Account, 'id' | 'name'>;
const step = (id: string, name = id.toUpperCase()): Step => ({ id, name });

// partner > reseller > sub-reseller > customer
const partner = step('partner', 'Northwind Voice');
const reseller = step('reseller', 'Tailspin Networks');
const subReseller = step('sub-reseller', 'Wingtip IT Services');
const customer = step('customer', 'Kestrel Print Ltd');
const PATH: Step[] = [partner, reseller, subReseller, customer];

describe('scopeRootIds', () => {
  it('lists the accounts the admin holds a membership on, in directory order', () => {
    const a = admin(ALEX, [
      ['contoso', ['AccountOwner']],
      ['hartley', ['SubscriptionContributor']],
      ['northwind', ['ServiceViewer']],
    ]);
    expect(scopeRootIds(a)).toEqual(['contoso', 'hartley', 'northwind']);
  });

  it('lists an account once even when it appears in several memberships', () => {
    const a = admin(ALEX, [
      ['contoso', ['AccountOwner']],
      ['hartley', ['ServiceViewer']],
      ['contoso', ['SubscriptionOwner']],
    ]);
    expect(scopeRootIds(a)).toEqual(['contoso', 'hartley']);
  });

  it('is empty for an admin without memberships', () => {
    expect(scopeRootIds(admin(ALEX, []))).toEqual([]);
  });
});

describe('scopeRootOn', () => {
  const twoLevels = admin(ALEX, [
    ['sub-reseller', ['AccountOwner']],
    ['reseller', ['ServiceViewer']],
  ]);

  it('keeps the preferred root when it is a membership on the path', () => {
    expect(scopeRootOn(twoLevels, PATH, 'sub-reseller')).toBe('sub-reseller');
    expect(scopeRootOn(twoLevels, PATH, 'reseller')).toBe('reseller');
  });

  it('otherwise picks the highest membership on the path (the widest view)', () => {
    // Membership order lists sub-reseller first, but reseller is higher on the path.
    expect(scopeRootOn(twoLevels, PATH)).toBe('reseller');
  });

  it('ignores a preferred root that is not on the path', () => {
    const a = admin(ALEX, [
      ['reseller', ['AccountOwner']],
      ['elsewhere', ['AccountOwner']],
    ]);
    expect(scopeRootOn(a, PATH, 'elsewhere')).toBe('reseller');
  });

  it('ignores a preferred root the admin holds no membership on', () => {
    expect(scopeRootOn(twoLevels, PATH, 'partner')).toBe('reseller');
    expect(scopeRootOn(twoLevels, PATH, 'customer')).toBe('reseller');
  });

  it('ignores an empty preferred root', () => {
    expect(scopeRootOn(twoLevels, PATH, '')).toBe('reseller');
  });

  it('finds the membership when it is the account itself', () => {
    const own = admin(ALEX, [['customer', ['AccountOwner']]]);
    expect(scopeRootOn(own, PATH)).toBe('customer');
  });

  it('is undefined outside every scope', () => {
    const below = admin(ALEX, [['customer', ['AccountOwner']]]);
    expect(scopeRootOn(below, [partner, reseller])).toBeUndefined();
    expect(scopeRootOn(below, [partner, reseller], 'customer')).toBeUndefined();
    expect(scopeRootOn(admin(ALEX, [['other', ['AccountOwner']]]), PATH)).toBeUndefined();
  });

  it('is undefined for an empty path', () => {
    expect(scopeRootOn(twoLevels, [], 'reseller')).toBeUndefined();
  });
});

describe('breadcrumb', () => {
  it('runs from the scope root down to the current account', () => {
    expect(breadcrumb(PATH, 'reseller')).toEqual([reseller, subReseller, customer]);
  });

  it('is the whole path when the scope root is the tree root', () => {
    expect(breadcrumb(PATH, 'partner')).toEqual(PATH);
  });

  it('is just the account when it is the scope root', () => {
    expect(breadcrumb(PATH, 'customer')).toEqual([customer]);
  });

  it('shows only the account when the scope root is not on the path, never the accounts above it', () => {
    expect(breadcrumb(PATH, 'nowhere')).toEqual([customer]);
    expect(breadcrumb([], 'nowhere')).toEqual([]);
  });

  it('keeps the caller\'s objects and does not change the path', () => {
    const copy = [...PATH];
    const crumbs = breadcrumb(PATH, 'reseller');
    expect(crumbs[0]).toBe(reseller);
    expect(PATH).toEqual(copy);
  });
});

describe('parentWithinScope', () => {
  it('is the account one step up inside the scope', () => {
    expect(parentWithinScope(PATH, 'partner')).toBe(subReseller);
    expect(parentWithinScope(PATH, 'reseller')).toBe(subReseller);
    expect(parentWithinScope([partner, reseller, subReseller], 'reseller')).toBe(reseller);
  });

  it('is undefined at the scope root, even when the tree goes higher', () => {
    expect(parentWithinScope(PATH, 'customer')).toBeUndefined();
    expect(parentWithinScope([partner, reseller], 'reseller')).toBeUndefined();
    expect(parentWithinScope([partner], 'partner')).toBeUndefined();
  });

  it('going up repeatedly stops at the scope root and never above it', () => {
    let path = PATH;
    const visited: string[] = [];
    for (let parent = parentWithinScope(path, 'reseller'); parent; parent = parentWithinScope(path, 'reseller')) {
      visited.push(parent.id);
      path = path.slice(0, path.indexOf(parent) + 1);
    }
    expect(visited).toEqual(['sub-reseller', 'reseller']);
  });

  it('is undefined for an empty path', () => {
    expect(parentWithinScope([], 'partner')).toBeUndefined();
  });
});

describe('breadcrumbText', () => {
  it('joins the names with " > "', () => {
    expect(breadcrumbText(breadcrumb(PATH, 'reseller'))).toBe('Tailspin Networks > Wingtip IT Services > Kestrel Print Ltd');
  });

  it('is the name alone for a single step, and empty for none', () => {
    expect(breadcrumbText([partner])).toBe('Northwind Voice');
    expect(breadcrumbText([])).toBe('');
  });

  it('keeps names as they are written', () => {
    expect(breadcrumbText([{ name: 'Hartley & Co Solicitors LLP' }, { name: "St Anne's Primary School" }])).toBe(
      "Hartley & Co Solicitors LLP > St Anne's Primary School",
    );
  });
});
