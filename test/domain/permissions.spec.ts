import type { Account, AccountKind } from '../../src/domain/accounts';
import type { Admin } from '../../src/domain/admins';
import {
  BASE_PORTAL_ROLES,
  BROWSE_ROLES,
  capabilitiesOn,
  CHANGE_SUBSCRIPTION_ROLES,
  CLIENT_PORTAL_ROLES,
  CUSTOMER_PORTAL_ROLES,
  isInScope,
  mayOpen,
  VIEW_SUBSCRIPTION_ROLES,
} from '../../src/domain/permissions';
import { ROLES, type Role } from '../../src/domain/roles';
import { admin, ALEX, MEGAN } from '../support/directories';

type Node = Pick<Account, 'id' | 'kind'>;
const node = (id: string, kind: AccountKind): Node => ({ id, kind });

// partner -> reseller -> customer, partner -> internal, partner -> direct customer
const partner = node('partner', 'partner');
const reseller = node('reseller', 'reseller');
const resellerCustomer = node('reseller-customer', 'customer');
const internal = node('internal', 'internal');
const directCustomer = node('direct-customer', 'customer');
const otherPartner = node('other-partner', 'partner');

const PARTNER: Node[] = [partner];
const RESELLER: Node[] = [partner, reseller];
const RESELLER_CUSTOMER: Node[] = [partner, reseller, resellerCustomer];
const INTERNAL: Node[] = [partner, internal];
const DIRECT_CUSTOMER: Node[] = [partner, directCustomer];
const OTHER_PARTNER: Node[] = [otherPartner];

const holding = (accountId: string, ...roles: Role[]): Admin => admin(ALEX, [[accountId, roles]]);

describe('capabilitiesOn', () => {
  it('throws on an empty path', () => {
    expect(() => capabilitiesOn(holding('partner', 'AccountOwner'), [])).toThrow(RangeError);
  });

  describe('inheritance along the path', () => {
    it('a role held on an account holds on every account below it', () => {
      const owner = holding('partner', 'AccountOwner', 'SubscriptionContributor');
      for (const path of [PARTNER, RESELLER, RESELLER_CUSTOMER, INTERNAL, DIRECT_CUSTOMER]) {
        const caps = capabilitiesOn(owner, path);
        expect(caps.roles).toEqual(['AccountOwner', 'SubscriptionContributor', 'SubscriptionViewer', 'ServiceContributor', 'ServiceViewer']);
        expect(caps.browse).toBe(true);
        expect(caps.viewSubscriptions).toBe(true);
      }
    });

    it('a membership below grants nothing above it', () => {
      const resellerOwner = holding('reseller', 'AccountOwner', 'SubscriptionOwner');
      const caps = capabilitiesOn(resellerOwner, PARTNER);
      expect(caps).toEqual({
        roles: [],
        browse: false,
        accountPortal: false,
        customerPortal: false,
        viewSubscriptions: false,
        changeSubscriptions: false,
        viewOffers: false,
        changeOffers: false,
      });
    });

    it('a membership on a sibling grants nothing on the other branch', () => {
      const caps = capabilitiesOn(holding('internal', 'AccountOwner', 'SubscriptionOwner'), DIRECT_CUSTOMER);
      expect(caps.roles).toEqual([]);
      expect(caps.browse).toBe(false);
    });

    it('a membership in another tree grants nothing', () => {
      const caps = capabilitiesOn(holding('partner', 'AccountOwner', 'SubscriptionOwner'), OTHER_PARTNER);
      expect(caps.roles).toEqual([]);
      expect(caps.accountPortal).toBe(false);
    });

    it('adds up the roles of every membership on the path, expanded by implication', () => {
      const two = admin(ALEX, [
        ['partner', ['ServiceViewer']],
        ['reseller', ['SubscriptionOwner']],
      ]);
      expect(capabilitiesOn(two, RESELLER_CUSTOMER).roles).toEqual([
        'SubscriptionOwner',
        'SubscriptionContributor',
        'SubscriptionViewer',
        'ServiceViewer',
      ]);
      // Above the reseller only the partner membership counts.
      expect(capabilitiesOn(two, PARTNER).roles).toEqual(['ServiceViewer']);
      expect(capabilitiesOn(two, DIRECT_CUSTOMER).roles).toEqual(['ServiceViewer']);
    });

    it('ignores memberships of other admins', () => {
      const megan = admin(MEGAN, [['partner', ['AccountOwner']]]);
      const alex = holding('reseller', 'ServiceViewer');
      expect(capabilitiesOn(alex, PARTNER).browse).toBe(false);
      expect(capabilitiesOn(megan, PARTNER).browse).toBe(true);
    });
  });

  describe('per role, on a client account below the membership', () => {
    // The role is held on the partner; the account looked at is a direct customer.
    const table: [Role, { browse: boolean; accountPortal: boolean; customerPortal: boolean; viewSubscriptions: boolean; changeSubscriptions: boolean }][] = [
      ['AccountOwner', { browse: true, accountPortal: true, customerPortal: true, viewSubscriptions: false, changeSubscriptions: false }],
      ['SubscriptionOwner', { browse: true, accountPortal: false, customerPortal: false, viewSubscriptions: true, changeSubscriptions: true }],
      ['SubscriptionContributor', { browse: true, accountPortal: false, customerPortal: false, viewSubscriptions: true, changeSubscriptions: true }],
      ['SubscriptionViewer', { browse: true, accountPortal: false, customerPortal: false, viewSubscriptions: true, changeSubscriptions: false }],
      ['ServiceContributor', { browse: true, accountPortal: true, customerPortal: true, viewSubscriptions: false, changeSubscriptions: false }],
      ['ServiceViewer', { browse: true, accountPortal: true, customerPortal: true, viewSubscriptions: false, changeSubscriptions: false }],
      ['BrandContributor', { browse: false, accountPortal: false, customerPortal: false, viewSubscriptions: false, changeSubscriptions: false }],
      ['SyncContributor', { browse: false, accountPortal: true, customerPortal: false, viewSubscriptions: false, changeSubscriptions: false }],
    ];

    it('covers every role', () => {
      expect(table.map(([r]) => r).sort()).toEqual([...ROLES].sort());
    });

    it.each(table)('%s', (role, expected) => {
      const { roles: _roles, viewOffers: _viewOffers, changeOffers: _changeOffers, ...caps } = capabilitiesOn(holding('partner', role), DIRECT_CUSTOMER);
      expect(caps).toEqual(expected);
    });
  });

  describe('per role, on the partner base account itself', () => {
    const table: [Role, { browse: boolean; accountPortal: boolean; customerPortal: boolean; viewSubscriptions: boolean; changeSubscriptions: boolean }][] = [
      ['AccountOwner', { browse: true, accountPortal: true, customerPortal: false, viewSubscriptions: false, changeSubscriptions: false }],
      ['SubscriptionOwner', { browse: true, accountPortal: true, customerPortal: false, viewSubscriptions: true, changeSubscriptions: false }],
      ['SubscriptionContributor', { browse: true, accountPortal: true, customerPortal: false, viewSubscriptions: true, changeSubscriptions: false }],
      ['SubscriptionViewer', { browse: true, accountPortal: true, customerPortal: false, viewSubscriptions: true, changeSubscriptions: false }],
      ['ServiceContributor', { browse: true, accountPortal: false, customerPortal: false, viewSubscriptions: false, changeSubscriptions: false }],
      ['ServiceViewer', { browse: true, accountPortal: false, customerPortal: false, viewSubscriptions: false, changeSubscriptions: false }],
      ['BrandContributor', { browse: false, accountPortal: false, customerPortal: false, viewSubscriptions: false, changeSubscriptions: false }],
      ['SyncContributor', { browse: false, accountPortal: false, customerPortal: false, viewSubscriptions: false, changeSubscriptions: false }],
    ];

    it.each(table)('%s', (role, expected) => {
      const { roles: _roles, viewOffers: _viewOffers, changeOffers: _changeOffers, ...caps } = capabilitiesOn(holding('partner', role), PARTNER);
      expect(caps).toEqual(expected);
    });
  });

  describe('agrees with the role constants', () => {
    it.each([...ROLES])('%s', (role) => {
      const onClient = capabilitiesOn(holding('partner', role), DIRECT_CUSTOMER);
      const onBase = capabilitiesOn(holding('partner', role), PARTNER);
      const held = onClient.roles;
      const any = (wanted: readonly Role[]): boolean => wanted.some((r) => held.includes(r));
      expect(onClient.browse).toBe(any(BROWSE_ROLES));
      expect(onClient.accountPortal).toBe(any(CLIENT_PORTAL_ROLES));
      expect(onBase.accountPortal).toBe(any(BASE_PORTAL_ROLES));
      expect(onClient.customerPortal).toBe(any(CUSTOMER_PORTAL_ROLES));
      expect(onClient.viewSubscriptions).toBe(any(VIEW_SUBSCRIPTION_ROLES));
      expect(onClient.changeSubscriptions).toBe(any(CHANGE_SUBSCRIPTION_ROLES));
    });
  });

  describe('changing subscriptions', () => {
    it('a customer\'s own admin with Subscription Contributor on the customer cannot change it', () => {
      const own = holding('direct-customer', 'AccountOwner', 'SubscriptionContributor');
      const caps = capabilitiesOn(own, DIRECT_CUSTOMER);
      expect(caps.viewSubscriptions).toBe(true);
      expect(caps.changeSubscriptions).toBe(false);
    });

    it('nor can its own Subscription Owner', () => {
      expect(capabilitiesOn(holding('direct-customer', 'SubscriptionOwner'), DIRECT_CUSTOMER).changeSubscriptions).toBe(false);
    });

    it('a Subscription Contributor on the partner can change a customer below it, at any depth', () => {
      const partnerAdmin = holding('partner', 'SubscriptionContributor');
      expect(capabilitiesOn(partnerAdmin, DIRECT_CUSTOMER).changeSubscriptions).toBe(true);
      expect(capabilitiesOn(partnerAdmin, RESELLER).changeSubscriptions).toBe(true);
      expect(capabilitiesOn(partnerAdmin, RESELLER_CUSTOMER).changeSubscriptions).toBe(true);
      expect(capabilitiesOn(partnerAdmin, INTERNAL).changeSubscriptions).toBe(true);
    });

    it('a reseller\'s admin can change the reseller\'s customers but not the reseller itself', () => {
      const resellerAdmin = holding('reseller', 'SubscriptionOwner');
      expect(capabilitiesOn(resellerAdmin, RESELLER_CUSTOMER).changeSubscriptions).toBe(true);
      expect(capabilitiesOn(resellerAdmin, RESELLER).changeSubscriptions).toBe(false);
    });

    it('nobody can change the subscriptions of a root account', () => {
      expect(capabilitiesOn(holding('partner', 'SubscriptionOwner'), PARTNER).changeSubscriptions).toBe(false);
    });

    it('a Subscription Viewer above cannot change anything', () => {
      expect(capabilitiesOn(holding('partner', 'SubscriptionViewer'), DIRECT_CUSTOMER).changeSubscriptions).toBe(false);
    });

    it('Account Owner above does not by itself allow a change', () => {
      expect(capabilitiesOn(holding('partner', 'AccountOwner'), DIRECT_CUSTOMER).changeSubscriptions).toBe(false);
    });

    it('the right above counts even when a weaker membership sits on the account itself', () => {
      const both = admin(ALEX, [
        ['partner', ['SubscriptionContributor']],
        ['direct-customer', ['ServiceViewer']],
      ]);
      expect(capabilitiesOn(both, DIRECT_CUSTOMER).changeSubscriptions).toBe(true);
    });
  });

  describe('portals', () => {
    it('offers the Customer Portal on client accounts of every kind, never on a partner', () => {
      const owner = holding('partner', 'AccountOwner');
      expect(capabilitiesOn(owner, DIRECT_CUSTOMER).customerPortal).toBe(true);
      expect(capabilitiesOn(owner, INTERNAL).customerPortal).toBe(true);
      expect(capabilitiesOn(owner, RESELLER).customerPortal).toBe(true);
      expect(capabilitiesOn(owner, PARTNER).customerPortal).toBe(false);
    });

    it('uses the base-account portal roles on a partner and the client roles elsewhere', () => {
      const viewer = holding('partner', 'SubscriptionViewer');
      expect(capabilitiesOn(viewer, PARTNER).accountPortal).toBe(true);
      expect(capabilitiesOn(viewer, DIRECT_CUSTOMER).accountPortal).toBe(false);
      const service = holding('partner', 'ServiceViewer');
      expect(capabilitiesOn(service, PARTNER).accountPortal).toBe(false);
      expect(capabilitiesOn(service, DIRECT_CUSTOMER).accountPortal).toBe(true);
    });
  });
});

describe('isInScope', () => {
  const resellerAdmin = holding('reseller', 'ServiceViewer');

  it('is true on the membership account and everything below it', () => {
    expect(isInScope(resellerAdmin, RESELLER)).toBe(true);
    expect(isInScope(resellerAdmin, RESELLER_CUSTOMER)).toBe(true);
  });

  it('is false above the membership, on siblings and in other trees', () => {
    expect(isInScope(resellerAdmin, PARTNER)).toBe(false);
    expect(isInScope(resellerAdmin, DIRECT_CUSTOMER)).toBe(false);
    expect(isInScope(resellerAdmin, OTHER_PARTNER)).toBe(false);
  });

  it('counts a membership whatever its roles, even Brand Contributor only', () => {
    const brand = holding('reseller', 'BrandContributor');
    expect(isInScope(brand, RESELLER_CUSTOMER)).toBe(true);
  });

  it('is false for an empty path', () => {
    expect(isInScope(resellerAdmin, [])).toBe(false);
  });

  it('holds with several memberships', () => {
    const two = admin(ALEX, [
      ['internal', ['ServiceViewer']],
      ['other-partner', ['ServiceViewer']],
    ]);
    expect(isInScope(two, INTERNAL)).toBe(true);
    expect(isInScope(two, OTHER_PARTNER)).toBe(true);
    expect(isInScope(two, DIRECT_CUSTOMER)).toBe(false);
  });
});

describe('mayOpen', () => {
  it('always lets an admin open their own membership account, whatever the role', () => {
    for (const role of ROLES) {
      expect(mayOpen(holding('reseller', role), RESELLER)).toBe(true);
    }
  });

  it('lets a browsing role open accounts at any depth below', () => {
    const viewer = holding('partner', 'SubscriptionViewer');
    expect(mayOpen(viewer, RESELLER)).toBe(true);
    expect(mayOpen(viewer, RESELLER_CUSTOMER)).toBe(true);
    expect(mayOpen(viewer, INTERNAL)).toBe(true);
  });

  it.each([...BROWSE_ROLES])('lets %s open a sub account', (role) => {
    expect(mayOpen(holding('partner', role), DIRECT_CUSTOMER)).toBe(true);
  });

  it('does not let a Brand Contributor-only admin open sub accounts', () => {
    const brand = holding('reseller', 'BrandContributor');
    expect(mayOpen(brand, RESELLER)).toBe(true);
    expect(mayOpen(brand, RESELLER_CUSTOMER)).toBe(false);
  });

  it('does not let a Sync Contributor-only admin open sub accounts', () => {
    expect(mayOpen(holding('partner', 'SyncContributor'), DIRECT_CUSTOMER)).toBe(false);
  });

  it('never opens anything above or beside the membership', () => {
    const resellerOwner = holding('reseller', 'AccountOwner', 'SubscriptionOwner');
    expect(mayOpen(resellerOwner, PARTNER)).toBe(false);
    expect(mayOpen(resellerOwner, DIRECT_CUSTOMER)).toBe(false);
    expect(mayOpen(resellerOwner, INTERNAL)).toBe(false);
    expect(mayOpen(resellerOwner, OTHER_PARTNER)).toBe(false);
  });

  it('opens a second membership below a Brand Contributor-only one', () => {
    const mixed = admin(ALEX, [
      ['partner', ['BrandContributor']],
      ['reseller-customer', ['ServiceViewer']],
    ]);
    expect(mayOpen(mixed, RESELLER)).toBe(false);
    expect(mayOpen(mixed, RESELLER_CUSTOMER)).toBe(true);
  });

  it('is false for an empty path', () => {
    expect(mayOpen(holding('partner', 'AccountOwner'), [])).toBe(false);
  });
});

describe('who may turn offers on or off: every role held at every position, on every kind of account', () => {
  // Positions of the membership relative to the account looked at.
  const cases: { account: string; path: Node[]; heldOn: string; where: string }[] = [
    { account: 'reseller', path: RESELLER, heldOn: 'partner', where: 'above' },
    { account: 'reseller', path: RESELLER, heldOn: 'reseller', where: 'on it' },
    { account: 'reseller', path: RESELLER, heldOn: 'reseller-customer', where: 'below' },
    { account: 'reseller', path: RESELLER, heldOn: 'other-partner', where: 'elsewhere' },
    { account: 'partner', path: PARTNER, heldOn: 'partner', where: 'on it' },
    { account: 'customer', path: RESELLER_CUSTOMER, heldOn: 'partner', where: 'above' },
    { account: 'customer', path: RESELLER_CUSTOMER, heldOn: 'reseller', where: 'above' },
    { account: 'customer', path: RESELLER_CUSTOMER, heldOn: 'reseller-customer', where: 'on it' },
    { account: 'internal', path: INTERNAL, heldOn: 'partner', where: 'above' },
  ];
  const rows = cases.flatMap((c) => ROLES.map((role) => [c.account, c.where, c.heldOn, role, c] as const));

  it.each(rows)('%s, %s (%s) holding %s', (_account, where, heldOn, role, c) => {
    const caps = capabilitiesOn(holding(heldOn, role), c.path);
    // Only a reseller, only from above it, only Subscription Owner or Contributor.
    const may = c.account === 'reseller' && where === 'above' && (role === 'SubscriptionOwner' || role === 'SubscriptionContributor');
    expect(caps.changeOffers).toBe(may);
    // Seeing them read-only takes what seeing subscriptions takes, held on or above the account.
    const sees = (where === 'above' || where === 'on it') && VIEW_SUBSCRIPTION_ROLES.includes(role);
    expect(caps.viewOffers).toBe(sees);
  });
});
