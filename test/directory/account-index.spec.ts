import fc from 'fast-check';
import type { Account } from '../../src/domain/accounts';
import { accountOfRecord, type AccountRecord, type DirectoryDocument } from '../../src/domain/directory-document';
import { AccountIndex } from '../../src/directory/embedded/account-index';

// The index keeps no object per account (they are built when asked for): what it builds must be
// what the file said (accountOfRecord, the domain's reading of a record), every time, and a
// replaced account must stay replaced.

const subscription = fc.record(
  {
    sku: fc.constantFrom('C2TU1', 'T2TU1', 'C2TUT', 'sku with spaces', ''),
    quantity: fc.oneof(fc.nat(), fc.constant(999_999_999), fc.constant(2 ** 40)),
    assigned: fc.nat(),
    startedAt: fc.constantFrom('2026-11-01', '2026-12-01'),
  },
  { requiredKeys: ['sku', 'quantity', 'assigned'] },
).map((sub) => ({ ...sub })); // plain objects, as JSON.parse makes them

/** A tree where each account's parent comes earlier in the list (so there are no cycles). */
const documents = fc
  .array(
    fc.record({
      name: fc.string({ maxLength: 12 }),
      parent: fc.nat(),
      kind: fc.option(fc.constantFrom('partner', 'reseller', 'customer', 'internal'), { nil: undefined }),
      brand: fc.option(fc.string({ maxLength: 6 }).map((name) => ({ name })), { nil: undefined }),
      enabledOffers: fc.option(fc.array(fc.constantFrom('C2TU1', 'T2TU1'), { maxLength: 2 }), { nil: undefined }),
      subscriptions: fc.option(fc.array(subscription, { maxLength: 3 }), { nil: undefined }),
      version: fc.option(fc.constantFrom('1', '2', '17'), { nil: undefined }),
    }),
    { minLength: 1, maxLength: 30 },
  )
  .map((rows): DirectoryDocument => ({
    offers: [],
    admins: [],
    accounts: rows.map((row, i): AccountRecord => ({
      id: `a${i}`,
      name: row.name,
      parentId: i === 0 || row.parent % 4 === 0 ? null : `a${row.parent % i}`,
      ...(row.kind ? { kind: row.kind } : {}),
      ...(row.brand ? { brand: row.brand } : {}),
      ...(row.enabledOffers ? { enabledOffers: row.enabledOffers } : {}),
      ...(row.subscriptions ? { subscriptions: row.subscriptions } : {}),
      ...(row.version ? { version: row.version } : {}),
    })),
  }));

describe('AccountIndex builds accounts on demand', () => {
  it('gives back each account exactly as the file describes it, in get, path and all', () => {
    fc.assert(
      fc.property(documents, (doc) => {
        const index = new AccountIndex(doc);
        const byId = new Map(doc.accounts.map((r) => [r.id, accountOfRecord(r)]));
        for (const record of doc.accounts) {
          expect(index.get(record.id)).toStrictEqual(byId.get(record.id));
          const path = index.path(record.id)!;
          expect(path[path.length - 1]).toStrictEqual(byId.get(record.id));
          expect(index.pathRefs(record.id)).toStrictEqual(path.map(({ id, name, kind }) => ({ id, name, kind })));
          for (let i = 1; i < path.length; i++) expect(path[i]!.parentId).toBe(path[i - 1]!.id);
        }
        expect([...index.all()]).toStrictEqual([...byId.values()]);
      }),
    );
  });

  it('keeps a replaced account, and lists its trials with everyone else’s in document order', () => {
    fc.assert(
      fc.property(documents, fc.array(fc.tuple(fc.nat(), fc.array(subscription, { maxLength: 2 })), { maxLength: 5 }), (doc, changes) => {
        const index = new AccountIndex(doc);
        const expected = new Map(doc.accounts.map((r) => [r.id, accountOfRecord(r)]));
        for (const [at, subscriptions] of changes) {
          const before = index.get(`a${at % doc.accounts.length}`)!;
          const after: Account = { ...before, subscriptions, version: String(Number(before.version) + 1) };
          index.replaceAccount(after);
          expected.set(after.id, after);
        }
        for (const [id, account] of expected) expect(index.get(id)).toStrictEqual(account);
        const trials = [...expected.values()].flatMap((a) => a.subscriptions.filter((s) => s.startedAt !== undefined).map((subscription) => ({ accountId: a.id, subscription })));
        expect([...index.datedSubscriptions()]).toStrictEqual(trials);
      }),
    );
  });

  it('hands out a new object each time, so a caller changing one cannot change the directory', () => {
    const doc: DirectoryDocument = { offers: [], admins: [], accounts: [{ id: 'p', name: 'P', parentId: null, subscriptions: [{ sku: 'C2TU1', quantity: 3, assigned: 1 }] }] };
    const index = new AccountIndex(doc);
    const first = index.get('p')!;
    (first.subscriptions[0] as { quantity: number }).quantity = 99;
    expect(index.get('p')!.subscriptions[0]!.quantity).toBe(3);
  });

  it('refuses a replacement that would change the name, kind or parent the tree was indexed on', () => {
    const doc: DirectoryDocument = { offers: [], admins: [], accounts: [{ id: 'p', name: 'P', parentId: null }, { id: 'c', name: 'C', parentId: 'p' }] };
    const index = new AccountIndex(doc);
    const c = index.get('c')!;
    expect(() => index.replaceAccount({ ...c, name: 'Renamed' })).toThrow(/name, kind or parent/);
    expect(() => index.replaceAccount({ ...c, kind: 'reseller' })).toThrow(/name, kind or parent/);
    expect(() => index.replaceAccount({ ...c, parentId: null })).toThrow(/name, kind or parent/);
    expect(index.get('c')).toStrictEqual(c);
  });
});
