import fc from 'fast-check';
import type { AccountSummary, Subscription } from '../../src/domain/accounts';
import type { AuditEntry } from '../../src/domain/audit';
import type { DirectoryDocument } from '../../src/domain/directory-document';
import { AccountNotFoundError, InvalidActionError } from '../../src/domain/errors';
import { compareByNameThenId, compareNames } from '../../src/domain/name-order';
import { readDirectoryFile } from '../../src/directory/directory-file';
import type { Directory, Page } from '../../src/directory/port';
import { admin, ALEX, DEMO_FILE, LYNNE, OFFERS, TENANT, wideDirectory } from '../support/directories';

/**
 * The Directory contract: what every adapter must do, as the navigator and its users rely on it.
 * Each adapter's spec file calls describeDirectoryContract with a way to open it over a directory
 * document; the same expectations then hold for the embedded directory and for Cosmos DB.
 */
export interface DirectoryUnderTest {
  /** A directory holding `doc`, in a store of its own. */
  open(doc: DirectoryDocument): Promise<Directory>;
  /** The same store opened again, as after a restart: nothing in memory, the data kept. */
  reopen(directory: Directory): Promise<Directory>;
  /** Children of the wide partner: the Cosmos stand-in scans every item per query, so it gets fewer. */
  readonly wideWidth: number;
  /** Page size for walking the wide partner's children end to end. */
  readonly widePageSize: number;
}

const PRIYA_TENANT = '11111111-1111-1111-1111-111111111111';

let sequence = 0;
export function entry(accountId: string, over: Partial<AuditEntry> = {}): AuditEntry {
  sequence++;
  return {
    id: `audit-${sequence}`,
    accountId,
    at: new Date(Date.UTC(2025, 0, 1, 12, 0, sequence)).toISOString(),
    actor: { tenantId: TENANT, aadObjectId: ALEX, name: 'Alex Wilber' },
    actionId: `action-${sequence}`,
    lines: [{ sku: 'C2TU1', oldQuantity: 10, newQuantity: 12 }],
    monthlyDifferenceMinor: 800,
    currency: 'GBP',
    versionBefore: '1',
    ...over,
  };
}
export const subs = (quantity: number, assigned = 5): Subscription[] => [{ sku: 'C2TU1', quantity, assigned }];
const names = (hits: { account: AccountSummary }[]): string[] => hits.map((h) => h.account.name);

export function describeDirectoryContract(adapter: string, underTest: () => DirectoryUnderTest): void {
  const opened: Directory[] = [];
  async function open(doc: DirectoryDocument): Promise<Directory> {
    const directory = await underTest().open(doc);
    opened.push(directory);
    return directory;
  }
  async function reopen(directory: Directory): Promise<Directory> {
    const again = await underTest().reopen(directory);
    opened.push(again);
    return again;
  }
  afterAll(async () => {
    await Promise.all(opened.splice(0).map((d) => d.close().catch(() => undefined)));
  });

  describe(`Directory contract: ${adapter}, over the demo directory`, () => {
    let dir: Directory;
    beforeAll(async () => {
      dir = await open(readDirectoryFile(DEMO_FILE));
    });

    describe('getAdmin', () => {
      it('finds an admin by tenant and object id', async () => {
        const alex = await dir.getAdmin({ tenantId: TENANT, aadObjectId: ALEX });
        expect(alex?.name).toBe('Alex Wilber');
        expect(alex?.memberships).toEqual([{ accountId: 'northwind', roles: ['AccountOwner', 'SubscriptionContributor'] }]);
      });

      it('ignores the case of both ids', async () => {
        const lynne = await dir.getAdmin({ tenantId: TENANT.toUpperCase(), aadObjectId: LYNNE.toUpperCase() });
        expect(lynne?.name).toBe('Lynne Robbins');
        const priya = await dir.getAdmin({ tenantId: PRIYA_TENANT, aadObjectId: '5D2C8A41-7E3B-4F19-9A60-2B8E1C4D7F03' });
        expect(priya?.name).toBe('Priya Raman');
      });

      it('finds nobody for an unknown id or the right id in another tenant', async () => {
        expect(await dir.getAdmin({ tenantId: TENANT, aadObjectId: '00000000-0000-0000-0000-000000000099' })).toBeUndefined();
        expect(await dir.getAdmin({ tenantId: 'another-tenant', aadObjectId: ALEX })).toBeUndefined();
        expect(await dir.getAdmin({ tenantId: PRIYA_TENANT, aadObjectId: ALEX })).toBeUndefined();
        expect(await dir.getAdmin({ tenantId: `${TENANT}/x?y#z`, aadObjectId: ALEX })).toBeUndefined();
      });
    });

    describe('getAccount and getPath', () => {
      it('returns an account with defaults filled in', async () => {
        const account = await dir.getAccount('acme-dental');
        expect(account).toEqual({
          id: 'acme-dental',
          name: 'Acme Dental Practice',
          parentId: 'northwind',
          kind: 'customer',
          enabledOffers: [],
          version: '1',
          subscriptions: [
            { sku: 'C2TU1', quantity: 18, assigned: 18 },
            { sku: 'C2TPA1', quantity: 6, assigned: 4 },
          ],
        });
      });

      it('returns the path root first, ending with the account itself', async () => {
        const path = await dir.getPath('kestrel-print');
        expect(path?.map((a) => a.id)).toEqual(['northwind', 'tailspin', 'wingtip-it', 'kestrel-print']);
        expect(path?.[3]).toEqual(await dir.getAccount('kestrel-print'));
        expect((await dir.getPath('northwind'))?.map((a) => a.id)).toEqual(['northwind']);
      });

      it('gives each ancestor the tree data the breadcrumb, brand and offers come from', async () => {
        const path = (await dir.getPath('kestrel-print'))!;
        for (const ancestor of path.slice(0, -1)) {
          const { id, name, parentId, kind, brand, enabledOffers } = (await dir.getAccount(ancestor.id))!;
          expect(ancestor).toMatchObject({ id, name, parentId, kind, enabledOffers, ...(brand ? { brand } : {}) });
          expect(ancestor.brand).toEqual(brand);
        }
      });

      it('knows nothing of unknown ids, or of text that cannot be an id', async () => {
        for (const id of ['nope', 'Wingtip IT Services', '', 'a/b?c#d', 'x'.repeat(300), 'northwind ']) {
          expect(await dir.getPath(id)).toBeUndefined();
          expect(await dir.getAccount(id)).toBeUndefined();
        }
      });
    });

    describe('getSummary', () => {
      it.each([
        ['northwind', 15, 31],
        ['tailspin', 6, 10],
        ['wingtip-it', 4, 4],
        ['contoso', 5, 5],
        ['acme-dental', 0, 0],
      ])('%s has %i children and %i accounts below it', async (id, childCount, descendantCount) => {
        expect(await dir.getSummary(id)).toMatchObject({ id, childCount, descendantCount });
      });

      it('describes the row to draw', async () => {
        expect(await dir.getSummary('wingtip-it')).toEqual({ id: 'wingtip-it', name: 'Wingtip IT Services', kind: 'reseller', parentId: 'tailspin', childCount: 4, descendantCount: 4 });
      });

      it('returns undefined for an unknown id', async () => {
        expect(await dir.getSummary('nope')).toBeUndefined();
      });
    });

    describe('listChildren', () => {
      it('pages children sorted by name, forwards and back to the very same pages', async () => {
        const first = await dir.listChildren('northwind', { pageSize: 5 });
        expect(first.items.map((s) => s.name)).toEqual(['Acme Dental Practice', 'Bridgewater Logistics Ltd', 'Castlegate Hotels Group', 'Fabrikam Comms', 'Greenline Recruitment']);
        expect(first).toMatchObject({ total: 15, offset: 0 });
        expect(first.previous).toBeUndefined();

        const second = await dir.listChildren('northwind', { pageSize: 5, token: first.next! });
        expect(second).toMatchObject({ total: 15, offset: 5 });
        const last = await dir.listChildren('northwind', { pageSize: 5, token: second.next! });
        expect(last).toMatchObject({ total: 15, offset: 10 });
        expect(last.items).toHaveLength(5);
        expect(last.next).toBeUndefined();

        const all = [...first.items, ...second.items, ...last.items].map((s) => s.name);
        expect(all).toEqual([...all].sort(compareNames));
        expect(new Set(all).size).toBe(15);

        const back = await dir.listChildren('northwind', { pageSize: 5, token: last.previous! });
        expect(back).toEqual(second);
        expect(await dir.listChildren('northwind', { pageSize: 5, token: back.previous! })).toEqual(first);
      });

      it('goes back to a first page that overlaps the current one when the offset is not a whole page', async () => {
        const first = await dir.listChildren('northwind', { pageSize: 3 });
        const second = await dir.listChildren('northwind', { pageSize: 5, token: first.next! });
        expect(second.offset).toBe(3);
        const back = await dir.listChildren('northwind', { pageSize: 5, token: second.previous! });
        expect(back.offset).toBe(0);
        expect(back.items.map((s) => s.id)).toEqual([...first.items, ...second.items].slice(0, 5).map((s) => s.id));
      });

      it('gives summaries with counts', async () => {
        const page = await dir.listChildren('tailspin', { pageSize: 10 });
        expect(page.items.find((s) => s.id === 'wingtip-it')).toEqual({ id: 'wingtip-it', name: 'Wingtip IT Services', kind: 'reseller', parentId: 'tailspin', childCount: 4, descendantCount: 4 });
      });

      it('returns everything in one page when it fits, with no tokens', async () => {
        const page = await dir.listChildren('wingtip-it', { pageSize: 10 });
        expect(page.items.map((s) => s.id)).toEqual(['brecon-valley-farms', 'dunmore-plumbing', 'kestrel-print', 'st-annes-primary']);
        expect(page).toEqual({ items: page.items, total: 4, offset: 0 });
      });

      it('gives an empty page for an account without children, or an unknown one', async () => {
        expect(await dir.listChildren('acme-dental', { pageSize: 10 })).toEqual({ items: [], total: 0, offset: 0 });
        expect(await dir.listChildren('nope', { pageSize: 10 })).toEqual({ items: [], total: 0, offset: 0 });
      });

      it.each(['garbage', 'o999999', 'o15', 'o-1', '', 'o1.5', '15', 'eyJwIjoibm9ydGh3aW5kIiwibyI6NX0.AAAAAAAAAAAA'])('rejects the forged page token %j', async (token) => {
        await expect(dir.listChildren('northwind', { pageSize: 5, token })).rejects.toBeInstanceOf(InvalidActionError);
      });

      it('rejects an edited token', async () => {
        const { next } = await dir.listChildren('northwind', { pageSize: 5 });
        const edited = next!.slice(0, 3) + (next![3] === 'A' ? 'B' : 'A') + next!.slice(4);
        await expect(dir.listChildren('northwind', { pageSize: 5, token: edited })).rejects.toBeInstanceOf(InvalidActionError);
      });

      it('rejects a token of one list used on another', async () => {
        const first = await dir.listChildren('northwind', { pageSize: 5 });
        await expect(dir.listChildren('wingtip-it', { pageSize: 5, token: first.next! })).rejects.toBeInstanceOf(InvalidActionError);
      });
    });

    describe('search', () => {
      it('only finds accounts inside the given subtrees', async () => {
        expect(names(await dir.search('internal use', { withinRootIds: ['tailspin'], limit: 10 }))).toEqual(['Tailspin Networks - Internal Use']);
        expect(names(await dir.search('internal use', { withinRootIds: ['contoso'], limit: 10 }))).toEqual(['Contoso Telecom - Internal Use']);
      });

      it('ranks substring matches by depth, then name', async () => {
        const hits = await dir.search('internal use', { withinRootIds: ['northwind'], limit: 10 });
        expect(names(hits)).toEqual(['Northwind Voice - Internal Use', 'Fabrikam Comms - Internal Use', 'Tailspin Networks - Internal Use']);
      });

      it('searches several roots, in several trees, together', async () => {
        const hits = await dir.search('internal use', { withinRootIds: ['contoso', 'northwind'], limit: 10 });
        expect(names(hits)).toEqual(['Contoso Telecom - Internal Use', 'Northwind Voice - Internal Use', 'Fabrikam Comms - Internal Use', 'Tailspin Networks - Internal Use']);
      });

      it('does not repeat an account inside two of the given subtrees', async () => {
        const hits = await dir.search('internal use', { withinRootIds: ['northwind', 'tailspin'], limit: 10 });
        expect(names(hits)).toEqual(['Northwind Voice - Internal Use', 'Fabrikam Comms - Internal Use', 'Tailspin Networks - Internal Use']);
      });

      it('puts an exact match before prefix matches, and prefix before substring', async () => {
        expect((await dir.search('TAILSPIN NETWORKS', { withinRootIds: ['northwind'], limit: 10 })).map((h) => h.account.id)).toEqual(['tailspin', 'tailspin-internal']);
        const hits = await dir.search('contoso', { withinRootIds: ['contoso'], limit: 10 });
        expect(hits[0]?.account.id).toBe('contoso');
      });

      it('ignores case and accents', async () => {
        expect(names(await dir.search('ST ÄNNE', { withinRootIds: ['northwind'], limit: 10 }))).toEqual(["St Anne's Primary School"]);
      });

      it('respects the limit, keeping the best matches', async () => {
        expect(names(await dir.search('internal use', { withinRootIds: ['northwind'], limit: 2 }))).toEqual(['Northwind Voice - Internal Use', 'Fabrikam Comms - Internal Use']);
      });

      it('returns each hit with its summary and its path, root first', async () => {
        const [hit] = await dir.search('kestrel', { withinRootIds: ['wingtip-it'], limit: 5 });
        expect(hit?.account).toEqual({ id: 'kestrel-print', name: 'Kestrel Print Ltd', kind: 'customer', parentId: 'wingtip-it', childCount: 0, descendantCount: 0 });
        expect(hit?.path).toEqual([
          { id: 'northwind', name: 'Northwind Voice', kind: 'partner' },
          { id: 'tailspin', name: 'Tailspin Networks', kind: 'reseller' },
          { id: 'wingtip-it', name: 'Wingtip IT Services', kind: 'reseller' },
          { id: 'kestrel-print', name: 'Kestrel Print Ltd', kind: 'customer' },
        ]);
      });

      it('includes the scope root itself', async () => {
        expect(names(await dir.search('wingtip', { withinRootIds: ['wingtip-it'], limit: 5 }))).toEqual(['Wingtip IT Services']);
      });

      it('finds nothing for an empty query, no roots, unknown roots, a zero limit or no match', async () => {
        expect(await dir.search('', { withinRootIds: ['northwind'], limit: 10 })).toEqual([]);
        expect(await dir.search('   ', { withinRootIds: ['northwind'], limit: 10 })).toEqual([]);
        expect(await dir.search('acme', { withinRootIds: [], limit: 10 })).toEqual([]);
        expect(await dir.search('acme', { withinRootIds: ['nope'], limit: 10 })).toEqual([]);
        expect(await dir.search('acme', { withinRootIds: ['northwind'], limit: 0 })).toEqual([]);
        expect(await dir.search('zzzz', { withinRootIds: ['northwind'], limit: 10 })).toEqual([]);
        expect(await dir.search('acme', { withinRootIds: ['contoso'], limit: 10 })).toEqual([]);
      });

      it('treats query text literally', async () => {
        expect(await dir.search('%', { withinRootIds: ['northwind'], limit: 10 })).toEqual([]);
        expect(await dir.search('"); DROP', { withinRootIds: ['northwind'], limit: 10 })).toEqual([]);
        expect(names(await dir.search("anne's", { withinRootIds: ['northwind'], limit: 10 }))).toEqual(["St Anne's Primary School"]);
      });
    });

    it('lists the offers, as a copy', async () => {
      const offers = await dir.listOffers();
      expect(offers.map((o) => o.sku)).toEqual(['C2TU1', 'C2TU250', 'T2TU1', 'T2TU80', 'C2TUT', 'T2TUT', 'C2TPA1', 'BRESSEN']);
      offers.pop();
      expect(await dir.listOffers()).toHaveLength(8);
    });

    it('answers ping', async () => {
      await expect(dir.ping()).resolves.toBeUndefined();
    });
  });

  describe(`Directory contract: ${adapter}, search by word start in a deep tree with hostile names`, () => {
    // A chain 14 levels deep, each level a reseller whose name holds "acme" at a word start,
    // with a hostile-named customer beside each; a second branch of the same tree with the same
    // names, which a scope inside the first branch must never see.
    const HOSTILE = `Acme "'); DROP -- %_ \u0001\u0002 <b>x</b> ${'\u{1F4DE}'}`;
    const DEPTH = 14;
    function deepTree(): DirectoryDocument {
      const accounts: DirectoryDocument['accounts'][number][] = [{ id: 'top', name: 'Top Partner', parentId: null, kind: 'partner' }];
      for (const branch of ['a', 'b']) {
        let parent = 'top';
        for (let level = 1; level <= DEPTH; level++) {
          const id = `${branch}-${level}`;
          accounts.push({ id, name: `Level ${String(level).padStart(2, '0')} Acme Holdings`, parentId: parent, kind: 'reseller' });
          accounts.push({ id: `${id}-x`, name: HOSTILE, parentId: id, kind: 'customer' });
          parent = id;
        }
      }
      // One name holds the query at many words, sorting before the only other match.
      accounts.push({ id: 'many', name: 'Q zed zeda zedb zedc zedd zede zedf zedg zedh', parentId: 'top', kind: 'customer' });
      accounts.push({ id: 'other', name: 'R zedz', parentId: 'top', kind: 'customer' });
      return { offers: [], accounts, admins: [] };
    }
    let dir: Directory;
    beforeAll(async () => {
      dir = await open(deepTree());
    });

    it('finds only what is inside a deep scope, shallowest first, names exactly as stored', async () => {
      const hits = await dir.search('acme', { withinRootIds: ['a-9'], limit: 50 });
      // The hostile names start with "acme" (a prefix), the resellers have it at a later word.
      expect(hits.map((h) => h.account.id)).toEqual(['a-9-x', 'a-10-x', 'a-11-x', 'a-12-x', 'a-13-x', 'a-14-x', 'a-9', 'a-10', 'a-11', 'a-12', 'a-13', 'a-14']);
      expect(hits[0]!.account.name).toBe(HOSTILE);
      expect(hits[0]!.path.map((p) => p.id)).toEqual(['top', ...Array.from({ length: 9 }, (_, i) => `a-${i + 1}`), 'a-9-x']);
      expect(hits.every((h) => h.path.some((p) => p.id === 'a-9'))).toBe(true);
    });

    it('matches a hostile query only as literal text', async () => {
      expect((await dir.search(`acme "'); drop`, { withinRootIds: ['a-13'], limit: 10 })).map((h) => h.account.id)).toEqual(['a-13-x', 'a-14-x']);
      expect(await dir.search('); DROP', { withinRootIds: ['a-13'], limit: 10 })).toEqual([]);
      expect(await dir.search('%', { withinRootIds: ['top'], limit: 10 })).toEqual([]);
    });

    it('counts each control character in a name as a space, as the sort keys do, in both directories alike', async () => {
      // Folding is not repeated on stored names: a query with the same characters finds it...
      expect((await dir.search(`acme "'); drop -- %_ \u0001\u0002 <b>x`, { withinRootIds: ['a-13'], limit: 10 })).map((h) => h.account.id)).toEqual(['a-13-x', 'a-14-x']);
      // ...and one with a single space where the name has controls between spaces does not.
      expect(await dir.search(`acme "'); drop -- %_ <b>x`, { withinRootIds: ['a-13'], limit: 10 })).toEqual([]);
    });

    it('matches at the start of any word, never inside one', async () => {
      expect((await dir.search('holdings', { withinRootIds: ['b-14'], limit: 10 })).map((h) => h.account.id)).toEqual(['b-14']);
      expect((await dir.search('acme hold', { withinRootIds: ['b-13'], limit: 10 })).map((h) => h.account.id)).toEqual(['b-13', 'b-14']);
      expect(await dir.search('cme', { withinRootIds: ['top'], limit: 10 })).toEqual([]);
      expect(await dir.search('oldings', { withinRootIds: ['top'], limit: 10 })).toEqual([]);
    });

    it('finds each account once, however many of its words match', async () => {
      expect((await dir.search('zed', { withinRootIds: ['top'], limit: 2 })).map((h) => h.account.id)).toEqual(['many', 'other']);
      expect((await dir.search('zed', { withinRootIds: ['top'], limit: 10 })).map((h) => h.account.id)).toEqual(['many', 'other']);
    });

    it('keeps the best matches when the limit cuts, across both branches', async () => {
      // Numbers match by value: "Level 01" is level 1, and "1" starts "10".
      const hits = await dir.search('level 1', { withinRootIds: ['a-1', 'b-1'], limit: 3 });
      expect(hits.map((h) => h.account.id)).toEqual(['a-1', 'b-1', 'a-10']);
    });
  });

  describe(`Directory contract: ${adapter}, a partner with many children`, () => {
    let dir: Directory;
    let width: number;
    let pageSize: number;
    beforeAll(async () => {
      ({ wideWidth: width, widePageSize: pageSize } = underTest());
      dir = await open(wideDirectory(width));
    });

    it('visits every child once, in order, walking the next tokens', async () => {
      const seen: string[] = [];
      let page: Page<AccountSummary> | undefined;
      let pages = 0;
      do {
        page = await dir.listChildren('p', { pageSize, ...(page?.next ? { token: page.next } : {}) });
        expect(page).toMatchObject({ total: width + 1, offset: seen.length });
        expect(page.items.length).toBeLessThanOrEqual(pageSize);
        seen.push(...page.items.map((s) => s.id));
        pages++;
      } while (page.next);
      expect(pages).toBe(Math.ceil((width + 1) / pageSize));
      // The reseller sorts first ("AAA Reseller"), then the zero-padded customers.
      expect(seen).toEqual(['r', ...Array.from({ length: width }, (_, i) => `c-${i}`)]);
    });

    it('walks back with the previous tokens to the first page', async () => {
      let page = await dir.listChildren('p', { pageSize });
      const forward = [page.offset];
      while (page.next) {
        page = await dir.listChildren('p', { pageSize, token: page.next });
        forward.push(page.offset);
      }
      const backward = [page.offset];
      while (page.previous) {
        page = await dir.listChildren('p', { pageSize, token: page.previous });
        backward.push(page.offset);
      }
      expect(backward).toEqual([...forward].reverse());
      expect(page.items[0]?.id).toBe('r');
    });

    it('counts the whole subtree', async () => {
      expect(await dir.getSummary('p')).toMatchObject({ childCount: width + 1, descendantCount: width + 3 });
    });
  });

  describe(`Directory contract: ${adapter}, names in the order people read them`, () => {
    /** A partner whose customers are `names`, with ids c-0, c-1, … in the order given. */
    const siblings = (names: readonly string[]): DirectoryDocument => ({
      offers: OFFERS,
      accounts: [
        { id: 'p', name: 'Partner', parentId: null, kind: 'partner' },
        ...names.map((name, i) => ({ id: `c-${i}`, name, parentId: 'p', kind: 'customer' as const })),
      ],
      admins: [admin(ALEX, [['p', ['AccountOwner']]], 'Alex Wilber')],
    });
    /** Every child of `parentId`, walking the next tokens, then back again with the previous ones. */
    async function walk(dir: Directory, parentId: string, pageSize: number): Promise<{ forward: AccountSummary[]; backward: AccountSummary[] }> {
      let page = await dir.listChildren(parentId, { pageSize });
      const pages = [page];
      while (page.next) pages.push((page = await dir.listChildren(parentId, { pageSize, token: page.next })));
      const back = [page];
      while (page.previous) back.unshift((page = await dir.listChildren(parentId, { pageSize, token: page.previous })));
      for (const p of [...pages, ...back]) expect(p.total).toBe(pages.reduce((n, q) => n + q.items.length, 0));
      return { forward: pages.flatMap((p) => p.items), backward: back.flatMap((p) => p.items) };
    }

    it('sorts numbers by value, ignoring case, accents and leading zeros, ties broken by id, on every page', async () => {
      const dir = await open(
        siblings(['Acme Ltd 4211', 'Acme Ltd 457', 'acme ltd 46', 'Acme Ltd 1000000000000000000001', 'Acme Ltd 0457', 'Acme Ltd', 'Acme Ltd 99999999999999999999', 'Ácme Ltd 5', 'Acme Ltd 457 North', 'Acme 2 Ltd', 'Acme Ltd 4211b']),
      );
      const { forward, backward } = await walk(dir, 'p', 3);
      const expected = ['Acme 2 Ltd', 'Acme Ltd', 'Ácme Ltd 5', 'acme ltd 46', 'Acme Ltd 457', 'Acme Ltd 0457', 'Acme Ltd 457 North', 'Acme Ltd 4211', 'Acme Ltd 4211b', 'Acme Ltd 99999999999999999999', 'Acme Ltd 1000000000000000000001'];
      expect(forward.map((s) => s.name)).toEqual(expected);
      // "457" (c-1) and "0457" (c-4) are the same number: the id decides.
      expect(forward.slice(4, 6).map((s) => s.id)).toEqual(['c-1', 'c-4']);
      expect(backward).toEqual(forward);
    });

    it('ranks search matches of one tier and depth in the same order', async () => {
      const dir = await open(siblings(['Acme Ltd 4211', 'Acme Ltd 457', 'Acme Ltd 46']));
      expect(names(await dir.search('acme ltd', { withinRootIds: ['p'], limit: 10 }))).toEqual(['Acme Ltd 46', 'Acme Ltd 457', 'Acme Ltd 4211']);
    });

    it('pages any names with digits as the shared comparator sorts them, each child once', async () => {
      const word = fc.constantFrom('acme', 'Acme', 'ÁCME', 'ltd', 'unit', 'b', '', '-', '.');
      const number = fc.oneof(fc.nat({ max: 120 }).map(String), fc.bigInt({ min: 0n, max: 10n ** 25n }).map(String), fc.constantFrom('0', '007', '00', '1.5', '1.10'));
      const name = fc
        .array(fc.oneof(word, number), { minLength: 1, maxLength: 4 })
        .map((parts) => parts.join(' ').trim())
        .filter((n) => n.length > 0);
      await fc.assert(
        fc.asyncProperty(fc.array(name, { minLength: 1, maxLength: 14 }), fc.integer({ min: 1, max: 5 }), async (list, pageSize) => {
          const dir = await open(siblings(list));
          const { forward, backward } = await walk(dir, 'p', pageSize);
          const expected = list.map((n, i) => ({ id: `c-${i}`, name: n })).sort(compareByNameThenId);
          expect(forward.map((s) => s.id)).toEqual(expected.map((e) => e.id));
          expect(new Set(forward.map((s) => s.id)).size).toBe(list.length);
          expect(backward.map((s) => s.id)).toEqual(forward.map((s) => s.id));
        }),
        { numRuns: 12 },
      );
    });
  });

  describe(`Directory contract: ${adapter}, subscription changes`, () => {
    let dir: Directory;
    beforeEach(async () => {
      dir = await open(wideDirectory(3));
    });

    it('applies a change and increments the version, for every later read', async () => {
      const e = entry('c-0');
      const outcome = await dir.applySubscriptionChange({ accountId: 'c-0', expectedVersion: '1', subscriptions: subs(12), entry: e });
      expect(outcome).toEqual({ status: 'applied', entry: e, account: expect.objectContaining({ id: 'c-0', version: '2', subscriptions: subs(12) }) });
      expect(await dir.getAccount('c-0')).toMatchObject({ version: '2', subscriptions: subs(12) });
      expect((await dir.getPath('c-0'))?.at(-1)).toMatchObject({ version: '2', subscriptions: subs(12) });
    });

    it('leaves other accounts alone', async () => {
      await dir.applySubscriptionChange({ accountId: 'c-0', expectedVersion: '1', subscriptions: subs(12), entry: entry('c-0') });
      expect(await dir.getAccount('c-1')).toMatchObject({ version: '1', subscriptions: subs(10) });
    });

    it('keeps counting versions across changes', async () => {
      await dir.applySubscriptionChange({ accountId: 'c-0', expectedVersion: '1', subscriptions: subs(11), entry: entry('c-0') });
      await dir.applySubscriptionChange({ accountId: 'c-0', expectedVersion: '2', subscriptions: subs(12), entry: entry('c-0') });
      const third = await dir.applySubscriptionChange({ accountId: 'c-0', expectedVersion: '3', subscriptions: subs(13), entry: entry('c-0') });
      expect(third).toMatchObject({ status: 'applied', account: { version: '4', subscriptions: subs(13) } });
    });

    it('replays the same action id: the original entry back, nothing changed', async () => {
      const original = entry('c-0', { actionId: 'review-42' });
      await dir.applySubscriptionChange({ accountId: 'c-0', expectedVersion: '1', subscriptions: subs(12), entry: original });
      const retry = entry('c-0', { actionId: 'review-42', id: 'different-id' });
      const outcome = await dir.applySubscriptionChange({ accountId: 'c-0', expectedVersion: '1', subscriptions: subs(99), entry: retry });
      expect(outcome).toMatchObject({ status: 'replayed', entry: original, account: { version: '2', subscriptions: subs(12) } });
      expect(await dir.getAccount('c-0')).toMatchObject({ version: '2', subscriptions: subs(12) });
      expect(await dir.auditTrail('c-0', 10)).toEqual([original]);
    });

    it('reports a conflict for a stale version and changes nothing', async () => {
      await dir.applySubscriptionChange({ accountId: 'c-0', expectedVersion: '1', subscriptions: subs(12), entry: entry('c-0') });
      const outcome = await dir.applySubscriptionChange({ accountId: 'c-0', expectedVersion: '1', subscriptions: subs(20), entry: entry('c-0') });
      expect(outcome).toMatchObject({ status: 'conflict', account: { version: '2', subscriptions: subs(12) } });
      expect(await dir.getAccount('c-0')).toMatchObject({ version: '2', subscriptions: subs(12) });
      expect(await dir.auditTrail('c-0', 10)).toHaveLength(1);
    });

    it('reports a conflict for a version from the future', async () => {
      const outcome = await dir.applySubscriptionChange({ accountId: 'c-0', expectedVersion: '7', subscriptions: subs(20), entry: entry('c-0') });
      expect(outcome.status).toBe('conflict');
      expect(await dir.auditTrail('c-0', 10)).toEqual([]);
    });

    it('lets only one of two simultaneous changes from the same version through', async () => {
      const outcomes = await Promise.all([
        dir.applySubscriptionChange({ accountId: 'c-0', expectedVersion: '1', subscriptions: subs(11), entry: entry('c-0') }),
        dir.applySubscriptionChange({ accountId: 'c-0', expectedVersion: '1', subscriptions: subs(22), entry: entry('c-0') }),
      ]);
      expect(outcomes.map((o) => o.status).sort()).toEqual(['applied', 'conflict']);
      const winner = outcomes.find((o) => o.status === 'applied')!;
      expect(await dir.getAccount('c-0')).toEqual(winner.account);
      expect(await dir.auditTrail('c-0', 10)).toHaveLength(1);
    });

    it('applies a double click once', async () => {
      const e = entry('c-0');
      const change = { accountId: 'c-0', expectedVersion: '1', subscriptions: subs(11), entry: e };
      const outcomes = await Promise.all([dir.applySubscriptionChange(change), dir.applySubscriptionChange(change)]);
      expect(outcomes.map((o) => o.status).sort()).toEqual(['applied', 'replayed']);
      expect(outcomes.map((o) => ('entry' in o ? o.entry : undefined))).toEqual([e, e]);
      expect(await dir.getAccount('c-0')).toMatchObject({ version: '2' });
      expect(await dir.auditTrail('c-0', 10)).toEqual([e]);
    });

    it('rejects a change to an unknown account', async () => {
      await expect(dir.applySubscriptionChange({ accountId: 'ghost', expectedVersion: '1', subscriptions: subs(1), entry: entry('ghost') })).rejects.toBeInstanceOf(AccountNotFoundError);
      await expect(dir.applySubscriptionChange({ accountId: 'c-0', expectedVersion: '1', subscriptions: subs(11), entry: entry('c-0') })).resolves.toMatchObject({ status: 'applied' });
    });

    it('refuses a subscription list the directory file could not hold, and changes nothing', async () => {
      const bad = [{ sku: 'NOPE', quantity: 1, assigned: 0 }];
      await expect(dir.applySubscriptionChange({ accountId: 'c-0', expectedVersion: '1', subscriptions: bad, entry: entry('c-0') })).rejects.toBeInstanceOf(InvalidActionError);
      await expect(dir.applySubscriptionChange({ accountId: 'c-0', expectedVersion: '1', subscriptions: subs(3, 5), entry: entry('c-0') })).rejects.toBeInstanceOf(InvalidActionError);
      expect(await dir.getAccount('c-0')).toMatchObject({ version: '1', subscriptions: subs(10) });
      expect(await dir.auditTrail('c-0', 10)).toEqual([]);
    });

    it('finds an applied change by account and action id, and nothing else', async () => {
      const e = entry('c-0', { actionId: 'review-9' });
      await dir.applySubscriptionChange({ accountId: 'c-0', expectedVersion: '1', subscriptions: subs(12), entry: e });
      expect(await dir.findChange('c-0', 'review-9')).toEqual(e);
      expect(await dir.findChange('c-1', 'review-9')).toBeUndefined();
      expect(await dir.findChange('c-0', 'review-10')).toBeUndefined();
      expect(await dir.findChange('ghost', 'review-9')).toBeUndefined();
    });

    it('keeps changes, and recognises their replays, across a restart', async () => {
      const e = entry('c-0', { actionId: 'review-7' });
      await dir.applySubscriptionChange({ accountId: 'c-0', expectedVersion: '1', subscriptions: subs(12), entry: e });
      const again = await reopen(dir);
      expect(await again.getAccount('c-0')).toMatchObject({ version: '2', subscriptions: subs(12) });
      const replay = await again.applySubscriptionChange({ accountId: 'c-0', expectedVersion: '1', subscriptions: subs(50), entry: entry('c-0', { actionId: 'review-7' }) });
      expect(replay).toMatchObject({ status: 'replayed', entry: e, account: { version: '2', subscriptions: subs(12) } });
      expect(await again.applySubscriptionChange({ accountId: 'c-0', expectedVersion: '2', subscriptions: subs(13), entry: entry('c-0') })).toMatchObject({ status: 'applied', account: { version: '3' } });
    });

    describe('auditTrail', () => {
      it("lists an account's entries newest first, up to the limit", async () => {
        const [e1, e2, e3, other] = [entry('c-0'), entry('c-0'), entry('c-0'), entry('c-1')];
        await dir.applySubscriptionChange({ accountId: 'c-0', expectedVersion: '1', subscriptions: subs(11), entry: e1 });
        await dir.applySubscriptionChange({ accountId: 'c-1', expectedVersion: '1', subscriptions: subs(11), entry: other });
        await dir.applySubscriptionChange({ accountId: 'c-0', expectedVersion: '2', subscriptions: subs(12), entry: e2 });
        await dir.applySubscriptionChange({ accountId: 'c-0', expectedVersion: '3', subscriptions: subs(13), entry: e3 });
        expect(await dir.auditTrail('c-0', 10)).toEqual([e3, e2, e1]);
        expect(await dir.auditTrail('c-0', 2)).toEqual([e3, e2]);
        expect(await dir.auditTrail('c-1', 10)).toEqual([other]);
      });

      it('keeps the applied order even when the clock went backwards', async () => {
        const late = entry('c-0', { at: '2025-06-01T00:00:00.000Z' });
        const early = entry('c-0', { at: '2024-01-01T00:00:00.000Z' });
        await dir.applySubscriptionChange({ accountId: 'c-0', expectedVersion: '1', subscriptions: subs(11), entry: late });
        await dir.applySubscriptionChange({ accountId: 'c-0', expectedVersion: '2', subscriptions: subs(12), entry: early });
        expect(await dir.auditTrail('c-0', 10)).toEqual([early, late]);
      });

      it('is empty for an account without changes, an unknown one, or a limit of 0', async () => {
        await dir.applySubscriptionChange({ accountId: 'c-0', expectedVersion: '1', subscriptions: subs(11), entry: entry('c-0') });
        expect(await dir.auditTrail('c-2', 10)).toEqual([]);
        expect(await dir.auditTrail('ghost', 10)).toEqual([]);
        expect(await dir.auditTrail('c-0', 0)).toEqual([]);
        expect(await dir.auditTrail('c-0', -1)).toEqual([]);
      });
    });
  });

  describe(`Directory contract: ${adapter}, offer changes and who holds an offer`, () => {
    let dir: Directory;
    beforeEach(async () => {
      dir = await open(readDirectoryFile(DEMO_FILE));
    });
    const offerEntry = (accountId: string, over: Partial<AuditEntry> = {}): AuditEntry =>
      entry(accountId, { lines: [], offerLines: [{ sku: 'C2TUT', enabled: false }], monthlyDifferenceMinor: 0, ...over });
    const TAILSPIN = ['C2TU1', 'T2TU1', 'T2TU80', 'T2TUT', 'C2TPA1'];
    /** Fabrikam's offers but Trunk2Teams User, the one nobody below it holds. */
    const FABRIKAM_WITHOUT_T2TU1 = ['C2TU1', 'C2TU250', 'C2TUT', 'C2TPA1'];
    const bounds = { countUpTo: 100, sample: 3 };
    const holding = async (base: string, sku: string, b = bounds) => (await dir.offerHoldings(base, [sku], b))[0]!;

    it('applies an offer change with its audit entry and increments the version, for every later read', async () => {
      const e = offerEntry('fabrikam');
      const outcome = await dir.applyOfferChange({ accountId: 'fabrikam', expectedVersion: '1', enabledOffers: FABRIKAM_WITHOUT_T2TU1, entry: e });
      expect(outcome).toEqual({ status: 'applied', entry: e, account: expect.objectContaining({ id: 'fabrikam', version: '2', enabledOffers: FABRIKAM_WITHOUT_T2TU1 }) });
      expect(await dir.getAccount('fabrikam', { fresh: true })).toMatchObject({ version: '2', enabledOffers: FABRIKAM_WITHOUT_T2TU1, subscriptions: [{ sku: 'BRESSEN', quantity: 1, assigned: 1 }] });
      expect((await dir.getPath('fabrikam'))?.at(-1)).toMatchObject({ version: '2', enabledOffers: FABRIKAM_WITHOUT_T2TU1 });
      expect(await dir.findChange('fabrikam', e.actionId)).toEqual(e);
      expect(await dir.auditTrail('fabrikam', 10)).toEqual([e]);
    });

    it('replays the same action id, refuses a stale version, and lets one of two simultaneous changes through', async () => {
      const original = offerEntry('tailspin', { actionId: 'offers-1' });
      await dir.applyOfferChange({ accountId: 'tailspin', expectedVersion: '1', enabledOffers: [...TAILSPIN, 'C2TU250'], entry: original });
      const replay = await dir.applyOfferChange({ accountId: 'tailspin', expectedVersion: '1', enabledOffers: [], entry: offerEntry('tailspin', { actionId: 'offers-1' }) });
      expect(replay).toMatchObject({ status: 'replayed', entry: original, account: { version: '2', enabledOffers: [...TAILSPIN, 'C2TU250'] } });
      const stale = await dir.applyOfferChange({ accountId: 'tailspin', expectedVersion: '1', enabledOffers: [], entry: offerEntry('tailspin') });
      expect(stale).toMatchObject({ status: 'conflict', account: { version: '2' } });
      const both = await Promise.all([
        dir.applyOfferChange({ accountId: 'tailspin', expectedVersion: '2', enabledOffers: [...TAILSPIN, 'C2TU250', 'C2TUT'], entry: offerEntry('tailspin') }),
        dir.applyOfferChange({ accountId: 'tailspin', expectedVersion: '2', enabledOffers: [...TAILSPIN, 'C2TU250', 'BRESSEN'], entry: offerEntry('tailspin') }),
      ]);
      expect(both.map((o) => o.status).sort()).toEqual(['applied', 'conflict']);
      expect(await dir.getAccount('tailspin', { fresh: true })).toEqual(both.find((o) => o.status === 'applied')!.account);
      expect(await dir.auditTrail('tailspin', 10)).toHaveLength(2);
    });

    // A purchase below and the offer turned off above it are different documents: the adapter
    // checks, when it writes, that the offers still allow the change (docs/cosmos.md).
    const buyT2TU1 = async (accountId = 'sheldon-wealth') => {
      const account = (await dir.getAccount(accountId, { fresh: true }))!;
      return { accountId, expectedVersion: account.version, subscriptions: [...account.subscriptions, { sku: 'T2TU1', quantity: 2, assigned: 0 }], entry: entry(accountId) };
    };
    const turnOffT2TU1 = () => ({ accountId: 'fabrikam', expectedVersion: '1', enabledOffers: FABRIKAM_WITHOUT_T2TU1, entry: offerEntry('fabrikam', { offerLines: [{ sku: 'T2TU1', enabled: false }] }) });

    it('answers a purchase reviewed before the offer was turned off above it as a conflict, and buys nothing', async () => {
      const purchase = await buyT2TU1();
      expect(await dir.applyOfferChange(turnOffT2TU1())).toMatchObject({ status: 'applied' });
      expect(await dir.applySubscriptionChange(purchase)).toMatchObject({ status: 'conflict', account: { id: 'sheldon-wealth', version: '1' } });
      expect((await dir.getAccount('sheldon-wealth', { fresh: true }))?.subscriptions.map((s) => s.sku)).toEqual(['C2TU1']);
      expect(await dir.auditTrail('sheldon-wealth', 10)).toEqual([]);
      // What it already holds still changes, and without touching the base level's version.
      const held = (await dir.getAccount('sheldon-wealth', { fresh: true }))!.subscriptions[0]!;
      expect(await dir.applySubscriptionChange({ accountId: 'sheldon-wealth', expectedVersion: '1', subscriptions: [{ ...held, quantity: held.quantity + 1 }], entry: entry('sheldon-wealth') })).toMatchObject({ status: 'applied' });
      expect(await dir.getAccount('fabrikam', { fresh: true })).toMatchObject({ version: '2' });
    });

    it('answers turning off an offer that was bought below after the review as a conflict, and keeps it on', async () => {
      expect(await dir.applySubscriptionChange(await buyT2TU1())).toMatchObject({ status: 'applied' });
      expect(await dir.applyOfferChange(turnOffT2TU1())).toMatchObject({ status: 'conflict', account: { id: 'fabrikam' } });
      expect(await dir.getAccount('fabrikam', { fresh: true })).toMatchObject({ enabledOffers: ['C2TU1', 'C2TU250', 'T2TU1', 'C2TUT', 'C2TPA1'] });
      expect(await dir.auditTrail('fabrikam', 10)).toEqual([]);
      expect(await holding('fabrikam', 'T2TU1')).toMatchObject({ count: 1, first: [{ id: 'sheldon-wealth' }] });
    });

    it.each([
      ['the purchase sent first', false],
      ['the offer change sent first', true],
    ])('lets only one of a purchase and the offer turned off above it through when both land at once (%s)', async (_title, offerFirst) => {
      const purchase = dir.applySubscriptionChange.bind(dir, await buyT2TU1());
      const offer = dir.applyOfferChange.bind(dir, turnOffT2TU1());
      const [first, second] = offerFirst ? [offer, purchase] : [purchase, offer];
      const outcomes = await Promise.all([first(), second()]);
      expect(outcomes.map((o) => o.status).sort()).toEqual(['applied', 'conflict']);
      const offered = (await dir.getAccount('fabrikam', { fresh: true }))!.enabledOffers.includes('T2TU1');
      const bought = (await dir.getAccount('sheldon-wealth', { fresh: true }))!.subscriptions.some((s) => s.sku === 'T2TU1');
      // Never bought while turned off: either the purchase went through and the offer stayed, or neither holds it.
      expect({ offered, bought }).toEqual(offered ? { offered: true, bought: true } : { offered: false, bought: false });
    });

    it('refuses an offer list the directory file could not hold, and changes nothing', async () => {
      await expect(dir.applyOfferChange({ accountId: 'tailspin', expectedVersion: '1', enabledOffers: ['NOPE'], entry: offerEntry('tailspin') })).rejects.toBeInstanceOf(InvalidActionError);
      await expect(dir.applyOfferChange({ accountId: 'ghost', expectedVersion: '1', enabledOffers: [], entry: offerEntry('ghost') })).rejects.toBeInstanceOf(AccountNotFoundError);
      expect(await dir.getAccount('tailspin', { fresh: true })).toMatchObject({ version: '1', enabledOffers: TAILSPIN });
      expect(await dir.auditTrail('tailspin', 10)).toEqual([]);
    });

    it('keeps an offer change, and recognises its replay, across a restart', async () => {
      const e = offerEntry('wingtip-it', { actionId: 'offers-7' });
      await dir.applyOfferChange({ accountId: 'wingtip-it', expectedVersion: '1', enabledOffers: ['T2TU1', 'T2TU80', 'T2TUT', 'C2TPA1'], entry: e });
      const again = await reopen(dir);
      expect(await again.getAccount('wingtip-it')).toMatchObject({ version: '2', enabledOffers: ['T2TU1', 'T2TU80', 'T2TUT', 'C2TPA1'] });
      expect(await again.applyOfferChange({ accountId: 'wingtip-it', expectedVersion: '1', enabledOffers: [], entry: offerEntry('wingtip-it', { actionId: 'offers-7' }) })).toMatchObject({ status: 'replayed', entry: e });
      expect((await again.offerHoldings('tailspin', ['T2TU80'], bounds))[0]!.first.map((h) => h.id)).toEqual(['ashdown-freight', 'wingtip-it']);
    });

    it('counts the accounts anywhere below a base level that hold an offer, nearest first, a reseller that enables it included', async () => {
      expect(await holding('fabrikam', 'C2TU1', { countUpTo: 100, sample: 10 })).toEqual({
        sku: 'C2TU1',
        count: 5,
        more: false,
        first: [
          { id: 'fabrikam-internal', name: 'Fabrikam Comms - Internal Use', kind: 'internal' },
          { id: 'fenwick-architects', name: 'Fenwick Architects', kind: 'customer' },
          { id: 'harrow-lane-pharmacy', name: 'Harrow Lane Pharmacy', kind: 'customer' },
          { id: 'northgate-insurance', name: 'Northgate Insurance Brokers', kind: 'customer' },
          { id: 'sheldon-wealth', name: 'Sheldon Wealth Management', kind: 'customer' },
        ],
      });
      // Wingtip (a reseller below Tailspin) enables T2TUT, and Dunmore below Wingtip holds it.
      expect((await holding('tailspin', 'T2TUT')).first.map((h) => h.id)).toEqual(['cobalt-software', 'wingtip-it', 'dunmore-plumbing']);
      // The base level's own subscriptions come from above it: Fabrikam's BRESSEN is not held below it.
      expect(await holding('fabrikam', 'BRESSEN')).toEqual({ sku: 'BRESSEN', count: 0, more: false, first: [] });
      expect(await dir.offerHoldings('tailspin', ['C2TU1', 'BRESSEN'], bounds)).toEqual([
        { sku: 'C2TU1', count: 1, more: false, first: [{ id: 'mercer-bell-opticians', name: 'Mercer & Bell Opticians', kind: 'customer' }] },
        { sku: 'BRESSEN', count: 0, more: false, first: [] },
      ]);
      expect(await holding('ghost', 'C2TU1')).toEqual({ sku: 'C2TU1', count: 0, more: false, first: [] });
    });

    it('counts who buys from a base level: accounts whose nearest base level above is it, a reseller below included, its own accounts not', async () => {
      expect(await dir.buyerCount('northwind')).toBe(15);
      expect(await dir.buyerCount('tailspin')).toBe(6);
      expect(await dir.buyerCount('wingtip-it')).toBe(4);
      expect(await dir.buyerCount('fabrikam')).toBe(6);
      expect(await dir.buyerCount('ghost')).toBe(0);
      expect(await (await reopen(dir)).buyerCount('tailspin')).toBe(6);
    });

    it('names the nearest holders as they are after each change, not as first counted', async () => {
      const nearest = async () => (await holding('fabrikam', 'C2TU1', { countUpTo: 100, sample: 5 })).first.map((h) => h.id);
      expect(await nearest()).toEqual(['fabrikam-internal', 'fenwick-architects', 'harrow-lane-pharmacy', 'northgate-insurance', 'sheldon-wealth']);
      // Pemberton (before Sheldon by name) buys it, then Harrow gives it up: the card follows.
      const pemberton = (await dir.getAccount('pemberton-care', { fresh: true }))!;
      const bought = { accountId: 'pemberton-care', expectedVersion: pemberton.version, subscriptions: [...pemberton.subscriptions, { sku: 'C2TU1', quantity: 2, assigned: 0 }], entry: entry('pemberton-care') };
      expect(await dir.applySubscriptionChange(bought)).toMatchObject({ status: 'applied' });
      expect(await nearest()).toEqual(['fabrikam-internal', 'fenwick-architects', 'harrow-lane-pharmacy', 'northgate-insurance', 'pemberton-care']);
      const harrow = (await dir.getAccount('harrow-lane-pharmacy', { fresh: true }))!;
      const gaveUp = { accountId: 'harrow-lane-pharmacy', expectedVersion: harrow.version, subscriptions: harrow.subscriptions.filter((s) => s.sku !== 'C2TU1'), entry: entry('harrow-lane-pharmacy') };
      expect(await dir.applySubscriptionChange(gaveUp)).toMatchObject({ status: 'applied' });
      expect(await nearest()).toEqual(['fabrikam-internal', 'fenwick-architects', 'northgate-insurance', 'pemberton-care', 'sheldon-wealth']);
      expect((await holding('fabrikam', 'C2TU1')).count).toBe(5);
    });

    it('stops counting at its bound and says there are more', async () => {
      const bounded = await holding('northwind', 'C2TU1', { countUpTo: 4, sample: 2 });
      expect(bounded).toMatchObject({ count: 4, more: true });
      expect(bounded.first).toHaveLength(2);
    });

    // Both ways: counts first read after the changes, and counts read before them (then kept up to date).
    it.each([
      ['follows subscription and offer changes below', false],
      ['follows changes below a base level whose counts were already read', true],
    ])('%s', async (_title, readFirst) => {
      if (readFirst) {
        expect(await holding('tailspin', 'C2TU1')).toMatchObject({ count: 1 });
        expect(await holding('wingtip-it', 'C2TPA1')).toMatchObject({ count: 1 });
        expect((await holding('tailspin', 'T2TUT')).first.map((h) => h.id)).toEqual(['cobalt-software', 'wingtip-it', 'dunmore-plumbing']);
      }
      await dir.applySubscriptionChange({ accountId: 'mercer-bell-opticians', expectedVersion: '1', subscriptions: [], entry: entry('mercer-bell-opticians') });
      expect(await holding('tailspin', 'C2TU1')).toMatchObject({ count: 0, first: [] });
      await dir.applySubscriptionChange({ accountId: 'kestrel-print', expectedVersion: '1', subscriptions: [{ sku: 'T2TU1', quantity: 7, assigned: 7 }, { sku: 'C2TPA1', quantity: 2, assigned: 0 }], entry: entry('kestrel-print') });
      expect((await holding('wingtip-it', 'C2TPA1')).first.map((h) => h.id)).toEqual(['kestrel-print', 'st-annes-primary']);
      await dir.applySubscriptionChange({ accountId: 'dunmore-plumbing', expectedVersion: '1', subscriptions: [], entry: entry('dunmore-plumbing') });
      expect((await holding('tailspin', 'T2TUT')).first.map((h) => h.id)).toEqual(['cobalt-software', 'wingtip-it']);
      await dir.applyOfferChange({ accountId: 'wingtip-it', expectedVersion: '1', enabledOffers: ['T2TU1', 'C2TPA1'], entry: offerEntry('wingtip-it') });
      expect((await holding('tailspin', 'T2TUT')).first.map((h) => h.id)).toEqual(['cobalt-software']);
    });
  });
}
