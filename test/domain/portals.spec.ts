import type { Account, AccountKind } from '../../src/domain/accounts';
import { capabilitiesOn, type Capabilities } from '../../src/domain/permissions';
import {
  accountIdFromPortalUrl,
  DEFAULT_PORTAL_TEMPLATES,
  fillTemplate,
  portalLinks,
  type PortalTemplates,
} from '../../src/domain/portals';
import type { Role } from '../../src/domain/roles';
import { admin, ALEX } from '../support/directories';

const T = DEFAULT_PORTAL_TEMPLATES;
const WHITE_LABEL: PortalTemplates = {
  basePortal: 'https://portal.fabrikam.example/base/{accountId}',
  accountPortal: 'https://portal.fabrikam.example/acct/{accountId}/services?tab=users',
  customerPortal: 'https://customers.fabrikam.example/c/{accountId}/home',
};

const caps = (over: Partial<Capabilities>): Capabilities => ({
  roles: [],
  browse: true,
  accountPortal: false,
  customerPortal: false,
  viewSubscriptions: false,
  changeSubscriptions: false,
  viewOffers: false,
  changeOffers: false,
  ...over,
});
const account = (id: string, kind: AccountKind): Pick<Account, 'id' | 'kind'> => ({ id, kind });

describe('fillTemplate', () => {
  it('replaces every placeholder with the URL-encoded id', () => {
    expect(fillTemplate('https://x.example/{accountId}/y/{accountId}', 'a b/c')).toBe('https://x.example/a%20b%2Fc/y/a%20b%2Fc');
  });
});

describe('portalLinks', () => {
  it('gives a client account\'s Services and Users page as its Account Portal', () => {
    const links = portalLinks(account('acme-dental', 'customer'), caps({ accountPortal: true }), T);
    expect(links).toEqual([
      { kind: 'account', title: 'Account Portal', description: 'Services and Users', url: 'https://admin.call2teams.com/accounts/acme-dental/services' },
    ]);
  });

  it('gives a partner\'s Administrators page as its Account Portal', () => {
    const links = portalLinks(account('northwind', 'partner'), caps({ accountPortal: true }), T);
    expect(links).toEqual([
      {
        kind: 'account',
        title: 'Account Portal',
        description: 'Administrators and subscriptions',
        url: 'https://admin.call2teams.com/accounts/northwind/administrators',
      },
    ]);
  });

  it('gives a reseller, a base level of its own, the Administrators page as its Account Portal and keeps its Customer Portal', () => {
    const links = portalLinks(account('fabrikam', 'reseller'), caps({ accountPortal: true, customerPortal: true }), T);
    expect(links.map((l) => [l.kind, l.description, l.url])).toEqual([
      ['account', 'Administrators and subscriptions', 'https://admin.call2teams.com/accounts/fabrikam/administrators'],
      ['customer', 'PBX and trunk connections, Teams users', 'https://admin.call2teams.com/customer/fabrikam'],
    ]);
  });

  it('lists the Account Portal first, then the Customer Portal', () => {
    const links = portalLinks(account('acme-dental', 'customer'), caps({ accountPortal: true, customerPortal: true }), T);
    expect(links.map((l) => l.kind)).toEqual(['account', 'customer']);
    expect(links[1]).toEqual({
      kind: 'customer',
      title: 'Customer Portal',
      description: 'PBX and trunk connections, Teams users',
      url: 'https://admin.call2teams.com/customer/acme-dental',
    });
  });

  it('gives only the Customer Portal when that is all the roles allow', () => {
    const links = portalLinks(account('acme-dental', 'customer'), caps({ customerPortal: true }), T);
    expect(links.map((l) => l.url)).toEqual(['https://admin.call2teams.com/customer/acme-dental']);
  });

  it('gives no links without portal capabilities', () => {
    expect(portalLinks(account('acme-dental', 'customer'), caps({ viewSubscriptions: true, changeSubscriptions: true }), T)).toEqual([]);
  });

  it.each<[Role, AccountKind, string[]]>([
    ['AccountOwner', 'customer', ['account', 'customer']],
    ['AccountOwner', 'internal', ['account', 'customer']],
    ['AccountOwner', 'reseller', ['account', 'customer']],
    ['ServiceViewer', 'customer', ['account', 'customer']],
    ['SyncContributor', 'customer', ['account']],
    ['SubscriptionViewer', 'customer', []],
    ['BrandContributor', 'customer', []],
  ])('with %s held above, a %s account gets links %j', (role, kind, expected) => {
    const a = admin(ALEX, [['root', [role]]]);
    const path = [account('root', 'partner'), account('x', kind)];
    expect(portalLinks(path[1]!, capabilitiesOn(a, path), T).map((l) => l.kind)).toEqual(expected);
  });

  it.each<[Role, string[]]>([
    ['AccountOwner', ['https://admin.call2teams.com/accounts/root/administrators']],
    ['SubscriptionViewer', ['https://admin.call2teams.com/accounts/root/administrators']],
    ['ServiceViewer', []],
  ])('with %s on a partner, its links are %j (never a Customer Portal)', (role, expected) => {
    const a = admin(ALEX, [['root', [role]]]);
    const path = [account('root', 'partner')];
    expect(portalLinks(path[0]!, capabilitiesOn(a, path), T).map((l) => l.url)).toEqual(expected);
  });

  it('URL-encodes the account id', () => {
    const links = portalLinks(account('a b&c?d#e', 'customer'), caps({ accountPortal: true, customerPortal: true }), T);
    expect(links.map((l) => l.url)).toEqual([
      'https://admin.call2teams.com/accounts/a%20b%26c%3Fd%23e/services',
      'https://admin.call2teams.com/customer/a%20b%26c%3Fd%23e',
    ]);
  });

  it('uses the configured templates', () => {
    const links = portalLinks(account('c1', 'customer'), caps({ accountPortal: true, customerPortal: true }), WHITE_LABEL);
    expect(links.map((l) => l.url)).toEqual([
      'https://portal.fabrikam.example/acct/c1/services?tab=users',
      'https://customers.fabrikam.example/c/c1/home',
    ]);
    expect(portalLinks(account('p1', 'partner'), caps({ accountPortal: true }), WHITE_LABEL)[0]!.url).toBe('https://portal.fabrikam.example/base/p1');
  });
});

describe('accountIdFromPortalUrl', () => {
  const templates: [keyof PortalTemplates][] = [['basePortal'], ['accountPortal'], ['customerPortal']];

  it.each(templates)('round-trips the default %s', (which) => {
    for (const id of ['acme-dental', 'Mixed.Case_id:7', 'a b/c&d', 'café']) {
      expect(accountIdFromPortalUrl(fillTemplate(T[which], id), T)).toBe(id);
    }
  });

  it.each([['basePortal'], ['customerPortal']] as [keyof PortalTemplates][])('round-trips a white-label %s', (which) => {
    expect(accountIdFromPortalUrl(fillTemplate(WHITE_LABEL[which], 'fab-1'), WHITE_LABEL)).toBe('fab-1');
  });

  it('reads the default URLs written out by hand', () => {
    expect(accountIdFromPortalUrl('https://admin.call2teams.com/accounts/northwind/administrators', T)).toBe('northwind');
    expect(accountIdFromPortalUrl('https://admin.call2teams.com/accounts/acme-dental/services', T)).toBe('acme-dental');
    expect(accountIdFromPortalUrl('https://admin.call2teams.com/customer/acme-dental', T)).toBe('acme-dental');
  });

  it('ignores a trailing slash', () => {
    expect(accountIdFromPortalUrl('https://admin.call2teams.com/customer/acme-dental/', T)).toBe('acme-dental');
    expect(accountIdFromPortalUrl('https://admin.call2teams.com/accounts/acme-dental/services/', T)).toBe('acme-dental');
    expect(accountIdFromPortalUrl('https://admin.call2teams.com/accounts/northwind/administrators//', T)).toBe('northwind');
  });

  it('ignores the query string and the fragment', () => {
    expect(accountIdFromPortalUrl('https://admin.call2teams.com/customer/acme-dental?tab=users', T)).toBe('acme-dental');
    expect(accountIdFromPortalUrl('https://admin.call2teams.com/customer/acme-dental#users', T)).toBe('acme-dental');
    expect(accountIdFromPortalUrl('https://admin.call2teams.com/accounts/acme-dental/services/?a=1&b=2#top', T)).toBe('acme-dental');
  });

  it('keeps the case of the id while matching the host case-insensitively', () => {
    expect(accountIdFromPortalUrl('HTTPS://Admin.Call2Teams.com/customer/Acme-Dental', T)).toBe('Acme-Dental');
  });

  it('gives undefined for a foreign host', () => {
    expect(accountIdFromPortalUrl('https://evil.example/customer/acme-dental', T)).toBeUndefined();
    expect(accountIdFromPortalUrl('https://admin.call2teams.com.evil.example/customer/acme-dental', T)).toBeUndefined();
    expect(accountIdFromPortalUrl('http://admin.call2teams.com/customer/acme-dental', T)).toBeUndefined();
  });

  it('gives undefined for extra path segments', () => {
    expect(accountIdFromPortalUrl('https://admin.call2teams.com/customer/acme-dental/extra', T)).toBeUndefined();
    expect(accountIdFromPortalUrl('https://admin.call2teams.com/customer/a/b', T)).toBeUndefined();
    expect(accountIdFromPortalUrl('https://admin.call2teams.com/accounts/a/b/services', T)).toBeUndefined();
    expect(accountIdFromPortalUrl('https://admin.call2teams.com/accounts/acme-dental/services/extra', T)).toBeUndefined();
    expect(accountIdFromPortalUrl('https://admin.call2teams.com/accounts/acme-dental', T)).toBeUndefined();
  });

  it('gives undefined when the id is missing', () => {
    expect(accountIdFromPortalUrl('https://admin.call2teams.com/customer/', T)).toBeUndefined();
    expect(accountIdFromPortalUrl('https://admin.call2teams.com/accounts//services', T)).toBeUndefined();
    expect(accountIdFromPortalUrl('https://admin.call2teams.com/accounts/administrators', T)).toBeUndefined();
  });

  it('gives undefined for text that is not a portal URL', () => {
    expect(accountIdFromPortalUrl('', T)).toBeUndefined();
    expect(accountIdFromPortalUrl('acme-dental', T)).toBeUndefined();
    expect(accountIdFromPortalUrl('https://admin.call2teams.com/', T)).toBeUndefined();
  });

  it('gives undefined for a malformed percent-encoding instead of throwing', () => {
    expect(accountIdFromPortalUrl('https://admin.call2teams.com/customer/%E0%A4%A', T)).toBeUndefined();
  });

  it('does not recognise default URLs under white-label templates', () => {
    expect(accountIdFromPortalUrl('https://admin.call2teams.com/customer/acme-dental', WHITE_LABEL)).toBeUndefined();
  });

  it('round-trips a template that carries the id (or anything else) in its query string', () => {
    const t = { ...T, basePortal: 'https://p.example/base?account={accountId}' };
    expect(accountIdFromPortalUrl(fillTemplate(t.basePortal, 'abc'), t)).toBe('abc');
    expect(accountIdFromPortalUrl('https://p.example/base?account=abc&tab=admins', t)).toBe('abc');
    expect(accountIdFromPortalUrl(fillTemplate(WHITE_LABEL.accountPortal, 'x-1'), WHITE_LABEL)).toBe('x-1');
    expect(accountIdFromPortalUrl('https://p.example/other?account=abc', t)).toBeUndefined();
  });
});
