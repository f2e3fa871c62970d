import { checkDocument, defaultKind, type AccountRecord, type AdminRecord, type DirectoryDocument } from '../../src/domain/directory-document';
import type { Offer } from '../../src/domain/offers';
import type { Role } from '../../src/domain/roles';
import { admin, ALEX, MEGAN, OFFERS, TENANT } from '../support/directories';

const ACCOUNTS: AccountRecord[] = [
  { id: 'p', name: 'Partner', parentId: null, kind: 'partner', enabledOffers: ['C2TU1', 'T2TU1', 'C2TUT'] },
  { id: 'r', name: 'Reseller', parentId: 'p', kind: 'reseller', enabledOffers: ['C2TU1'] },
  { id: 'c1', name: 'Customer One', parentId: 'r', kind: 'customer', subscriptions: [{ sku: 'C2TU1', quantity: 10, assigned: 10 }] },
  { id: 'c2', name: 'Customer Two', parentId: 'p', subscriptions: [{ sku: 'C2TU1', quantity: 5, assigned: 0 }, { sku: 'T2TU1', quantity: 3, assigned: 1 }] },
  { id: 'i', name: 'Partner - Internal Use', parentId: 'p', kind: 'internal' },
];
const ADMINS: AdminRecord[] = [admin(ALEX, [['p', ['AccountOwner', 'SubscriptionContributor']]]), admin(MEGAN, [['r', ['ServiceViewer']], ['c1', ['SyncContributor']]])];

function doc(over: Partial<{ offers: Offer[]; accounts: AccountRecord[]; admins: AdminRecord[] }> = {}): DirectoryDocument {
  return { offers: over.offers ?? OFFERS, accounts: over.accounts ?? ACCOUNTS, admins: over.admins ?? ADMINS };
}
const withAccount = (i: number, patch: Partial<AccountRecord>): AccountRecord[] => ACCOUNTS.map((a, j) => (j === i ? { ...a, ...patch } : a));

describe('checkDocument', () => {
  it('finds nothing wrong with a valid document', () => {
    expect(checkDocument(doc())).toEqual([]);
  });

  it('accepts empty lists', () => {
    expect(checkDocument({ offers: [], accounts: [], admins: [] })).toEqual([]);
  });

  it('accepts several roots (one per partner) and accounts listed after their children', () => {
    const accounts: AccountRecord[] = [
      { id: 'child', name: 'Child', parentId: 'late-root' },
      { id: 'late-root', name: 'Late Root', parentId: null },
      { id: 'other-root', name: 'Other Root', parentId: null, kind: 'partner' },
    ];
    expect(checkDocument(doc({ accounts, admins: [] }))).toEqual([]);
  });

  describe('offers', () => {
    it('reports a duplicate SKU at the second occurrence, naming the first', () => {
      const offers = [...OFFERS, { ...OFFERS[1]!, name: 'Again' }];
      expect(checkDocument(doc({ offers }))).toEqual([{ path: '$.offers[3].sku', message: expect.stringMatching(/duplicate SKU "T2TU1".*\$\.offers\[1\]/) }]);
    });

    it('reports an offer priced in another currency than the first', () => {
      const offers = [...OFFERS, { sku: 'EUR1', name: 'Euro', monthlyPrice: 1, currency: 'EUR', trial: false }];
      const issues = checkDocument(doc({ offers }));
      expect(issues).toEqual([{ path: '$.offers[3].currency', message: expect.stringContaining('EUR') }]);
      expect(issues[0]!.message).toContain('GBP');
    });
  });

  describe('accounts', () => {
    it('reports a duplicate account id at the second occurrence', () => {
      const accounts = [...ACCOUNTS, { id: 'c1', name: 'Impostor', parentId: 'p' }];
      expect(checkDocument(doc({ accounts }))).toEqual([{ path: '$.accounts[5].id', message: expect.stringMatching(/duplicate account id "c1".*\$\.accounts\[2\]/) }]);
    });

    it('reports an unknown parent', () => {
      expect(checkDocument(doc({ accounts: withAccount(2, { parentId: 'ghost' }) }))).toEqual([
        { path: '$.accounts[2].parentId', message: 'unknown parent account "ghost"' },
      ]);
    });

    it('reports a two-account cycle once', () => {
      const accounts: AccountRecord[] = [
        ...ACCOUNTS,
        { id: 'a', name: 'A', parentId: 'b' },
        { id: 'b', name: 'B', parentId: 'a' },
      ];
      const issues = checkDocument(doc({ accounts }));
      expect(issues).toHaveLength(1);
      expect(issues[0]).toEqual({ path: '$.accounts[5].parentId', message: expect.stringContaining('cycle') });
      expect(issues[0]!.message).toContain('a -> b -> a');
    });

    it('reports an account that is its own parent', () => {
      const accounts: AccountRecord[] = [...ACCOUNTS, { id: 'self', name: 'Self', parentId: 'self' }];
      expect(checkDocument(doc({ accounts }))).toEqual([{ path: '$.accounts[5].parentId', message: expect.stringContaining('self -> self') }]);
    });

    it('reports a cycle reached through a tail once, at the loop', () => {
      const accounts: AccountRecord[] = [
        { id: 'tail', name: 'Tail', parentId: 'x' },
        { id: 'x', name: 'X', parentId: 'y' },
        { id: 'y', name: 'Y', parentId: 'z' },
        { id: 'z', name: 'Z', parentId: 'x' },
      ];
      const issues = checkDocument(doc({ accounts, admins: [] }));
      expect(issues).toEqual([{ path: '$.accounts[1].parentId', message: expect.stringContaining('x -> y -> z -> x') }]);
    });

    it('reports a root that is not a partner', () => {
      expect(checkDocument(doc({ accounts: withAccount(0, { kind: 'reseller' }) }))).toEqual([
        { path: '$.accounts[0].kind', message: expect.stringContaining('root account must be a partner') },
      ]);
    });

    it('reports an unknown SKU among the enabled offers', () => {
      expect(checkDocument(doc({ accounts: withAccount(1, { enabledOffers: ['C2TU1', 'NOPE'] }) }))).toEqual([
        { path: '$.accounts[1].enabledOffers[1]', message: 'unknown SKU "NOPE"' },
      ]);
    });

    it('reports an unknown SKU in a subscription', () => {
      expect(checkDocument(doc({ accounts: withAccount(3, { subscriptions: [{ sku: 'C2TU1', quantity: 1, assigned: 0 }, { sku: 'GHOST', quantity: 1, assigned: 0 }] }) }))).toEqual([
        { path: '$.accounts[3].subscriptions[1].sku', message: 'unknown SKU "GHOST"' },
      ]);
    });

    it('reports a SKU subscribed twice on one account', () => {
      const subscriptions = [
        { sku: 'C2TU1', quantity: 5, assigned: 0 },
        { sku: 'C2TU1', quantity: 2, assigned: 0 },
      ];
      expect(checkDocument(doc({ accounts: withAccount(3, { subscriptions }) }))).toEqual([
        { path: '$.accounts[3].subscriptions[1].sku', message: expect.stringContaining('subscribed twice') },
      ]);
    });

    it('allows the same SKU on different accounts', () => {
      expect(checkDocument(doc())).toEqual([]);
      expect(ACCOUNTS[2]!.subscriptions![0]!.sku).toBe(ACCOUNTS[3]!.subscriptions![0]!.sku);
    });

    it('reports more licences assigned than the quantity', () => {
      expect(checkDocument(doc({ accounts: withAccount(2, { subscriptions: [{ sku: 'C2TU1', quantity: 10, assigned: 11 }] }) }))).toEqual([
        { path: '$.accounts[2].subscriptions[0].assigned', message: '11 licences assigned but the quantity is only 10' },
      ]);
    });
  });

  describe('admins', () => {
    it('reports a duplicate administrator, ignoring case in tenant and object id', () => {
      const twin: AdminRecord = { ...admin(ALEX.toUpperCase(), [['c2', ['ServiceViewer']]]), tenantId: TENANT.toUpperCase() };
      const issues = checkDocument(doc({ admins: [...ADMINS, twin] }));
      expect(issues).toEqual([{ path: '$.admins[2].aadObjectId', message: expect.stringMatching(/duplicate administrator.*\$\.admins\[0\]/) }]);
    });

    it('treats the same object id in another tenant as another administrator', () => {
      const other: AdminRecord = { ...admin(ALEX, [['c2', ['ServiceViewer']]]), tenantId: 'another-tenant' };
      expect(checkDocument(doc({ admins: [...ADMINS, other] }))).toEqual([]);
    });

    it('reports a membership on a missing account', () => {
      const admins = [ADMINS[0]!, admin(MEGAN, [['r', ['ServiceViewer']], ['gone', ['ServiceViewer']]])];
      expect(checkDocument(doc({ admins }))).toEqual([{ path: '$.admins[1].memberships[1].accountId', message: 'membership on missing account "gone"' }]);
    });

    it('reports an unknown role', () => {
      const admins = [admin(ALEX, [['p', ['AccountOwner', 'GlobalAdmin' as Role]]])];
      expect(checkDocument(doc({ admins }))).toEqual([{ path: '$.admins[0].memberships[0].roles[1]', message: 'unknown role "GlobalAdmin"' }]);
    });
  });

  it('reports every mistake at once, each with its own path', () => {
    const accounts: AccountRecord[] = [
      { id: 'p', name: 'Partner', parentId: null, enabledOffers: ['BAD'] },
      { id: 'p', name: 'Dup', parentId: 'p' },
      { id: 'c', name: 'C', parentId: 'nowhere', subscriptions: [{ sku: 'C2TU1', quantity: 1, assigned: 2 }] },
    ];
    const admins = [admin(ALEX, [['missing', ['Boss' as Role]]])];
    const issues = checkDocument({ offers: [...OFFERS, { ...OFFERS[0]!, currency: 'USD' }], accounts, admins });
    expect(issues.map((i) => i.path).sort()).toEqual(
      [
        '$.offers[3].sku',
        '$.offers[3].currency',
        '$.accounts[1].id',
        '$.accounts[0].enabledOffers[0]',
        '$.accounts[2].parentId',
        '$.accounts[2].subscriptions[0].assigned',
        '$.admins[0].memberships[0].accountId',
        '$.admins[0].memberships[0].roles[0]',
      ].sort(),
    );
    for (const issue of issues) expect(issue.message.length).toBeGreaterThan(0);
  });
});

describe('defaultKind', () => {
  it('makes roots partners and everything else customers when the kind is left out', () => {
    expect(defaultKind({ parentId: null })).toBe('partner');
    expect(defaultKind({ parentId: 'p' })).toBe('customer');
  });

  it('keeps a kind that is given', () => {
    expect(defaultKind({ parentId: 'p', kind: 'reseller' })).toBe('reseller');
    expect(defaultKind({ parentId: 'p', kind: 'internal' })).toBe('internal');
  });
});
