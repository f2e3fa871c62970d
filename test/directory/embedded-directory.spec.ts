import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Subscription } from '../../src/domain/accounts';
import type { AuditEntry } from '../../src/domain/audit';
import type { DirectoryDocument } from '../../src/domain/directory-document';
import { AccountNotFoundError, InvalidActionError } from '../../src/domain/errors';
import { compareNames } from '../../src/domain/search';
import { DirectoryFileError } from '../../src/directory/directory-file';
import { EmbeddedDirectory, JOURNAL_FILE, SNAPSHOT_FILE } from '../../src/directory/embedded/embedded-directory';
import type { AccountSummary } from '../../src/domain/accounts';
import { ADELE, ALEX, DEMO_FILE, LYNNE, MEGAN, TENANT, tempDir, wideDirectory, writeDirectory } from '../support/directories';

const PRIYA_TENANT = '11111111-1111-1111-1111-111111111111';

let sequence = 0;
function entry(accountId: string, over: Partial<AuditEntry> = {}): AuditEntry {
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
const subs = (quantity: number, assigned = 5): Subscription[] => [{ sku: 'C2TU1', quantity, assigned }];

/** Directories opened by a test, closed after it (journals hold file handles). */
const opened: EmbeddedDirectory[] = [];
async function open(options: { seedFile: string; dataDir?: string }): Promise<EmbeddedDirectory> {
  const directory = await EmbeddedDirectory.open(options);
  opened.push(directory);
  return directory;
}
afterEach(async () => {
  await Promise.all(opened.splice(0).map((d) => d.close().catch(() => undefined)));
});

describe('EmbeddedDirectory over the demo file', () => {
  let dir: EmbeddedDirectory;
  beforeAll(async () => {
    dir = await EmbeddedDirectory.open({ seedFile: DEMO_FILE });
  });
  afterAll(() => dir.close());

  describe('getAdmin', () => {
    it('finds an admin by tenant and object id', async () => {
      const alex = await dir.getAdmin({ tenantId: TENANT, aadObjectId: ALEX });
      expect(alex?.name).toBe('Alex Wilber');
      expect(alex?.memberships).toEqual([{ accountId: 'northwind', roles: ['AccountOwner', 'SubscriptionContributor'] }]);
    });

    it('ignores the case of both ids', async () => {
      const lynne = await dir.getAdmin({ tenantId: TENANT.toUpperCase(), aadObjectId: LYNNE.toUpperCase() });
      expect(lynne?.name).toBe('Lynne Robbins');
      // Priya's object id is written in lower case in the file, in a tenant of her own.
      const priya = await dir.getAdmin({ tenantId: PRIYA_TENANT, aadObjectId: '5D2C8A41-7E3B-4F19-9A60-2B8E1C4D7F03' });
      expect(priya?.name).toBe('Priya Raman');
    });

    it('finds nobody for an unknown id or the right id in another tenant', async () => {
      expect(await dir.getAdmin({ tenantId: TENANT, aadObjectId: '00000000-0000-0000-0000-000000000099' })).toBeUndefined();
      expect(await dir.getAdmin({ tenantId: 'another-tenant', aadObjectId: ALEX })).toBeUndefined();
      expect(await dir.getAdmin({ tenantId: PRIYA_TENANT, aadObjectId: ALEX })).toBeUndefined();
      expect(await dir.getAdmin({ tenantId: TENANT, aadObjectId: '5d2c8a41-7e3b-4f19-9a60-2b8e1c4d7f03' })).toBeUndefined();
    });
  });

  describe('getAccount and getPath', () => {
    it('returns an account with defaults filled in', async () => {
      const account = await dir.getAccount('acme-dental');
      expect(account).toMatchObject({ id: 'acme-dental', name: 'Acme Dental Practice', parentId: 'northwind', kind: 'customer', version: '1', enabledOffers: [] });
      expect(account?.subscriptions).toEqual([
        { sku: 'C2TU1', quantity: 18, assigned: 18 },
        { sku: 'C2TPA1', quantity: 6, assigned: 4 },
      ]);
      expect(await dir.getAccount('nope')).toBeUndefined();
    });

    it('returns the path root first, ending with the account', async () => {
      const path = await dir.getPath('kestrel-print');
      expect(path?.map((a) => a.id)).toEqual(['northwind', 'tailspin', 'wingtip-it', 'kestrel-print']);
      expect((await dir.getPath('northwind'))?.map((a) => a.id)).toEqual(['northwind']);
    });

    it('returns undefined for an unknown id', async () => {
      expect(await dir.getPath('nope')).toBeUndefined();
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
      expect(await dir.getSummary('wingtip-it')).toEqual({
        id: 'wingtip-it',
        name: 'Wingtip IT Services',
        kind: 'reseller',
        parentId: 'tailspin',
        childCount: 4,
        descendantCount: 4,
      });
    });

    it('returns undefined for an unknown id', async () => {
      expect(await dir.getSummary('nope')).toBeUndefined();
    });
  });

  describe('listChildren', () => {
    it('pages children sorted by name', async () => {
      const first = await dir.listChildren('northwind', { pageSize: 5 });
      expect(first.items.map((s) => s.name)).toEqual([
        'Acme Dental Practice',
        'Bridgewater Logistics Ltd',
        'Castlegate Hotels Group',
        'Fabrikam Comms',
        'Greenline Recruitment',
      ]);
      expect(first).toMatchObject({ total: 15, offset: 0 });
      expect(first.previous).toBeUndefined();
      expect(first.next).toEqual(expect.any(String));

      const second = await dir.listChildren('northwind', { pageSize: 5, token: first.next! });
      expect(second).toMatchObject({ total: 15, offset: 5 });
      expect(second.previous).toEqual(expect.any(String));

      const last = await dir.listChildren('northwind', { pageSize: 5, token: second.next! });
      expect(last).toMatchObject({ total: 15, offset: 10 });
      expect(last.items).toHaveLength(5);
      expect(last.next).toBeUndefined();

      const back = await dir.listChildren('northwind', { pageSize: 5, token: last.previous! });
      expect(back).toEqual(second);
      const backAgain = await dir.listChildren('northwind', { pageSize: 5, token: back.previous! });
      expect(backAgain).toEqual(first);
    });

    it('gives summaries with counts', async () => {
      const page = await dir.listChildren('tailspin', { pageSize: 10 });
      const wingtip = page.items.find((s) => s.id === 'wingtip-it');
      expect(wingtip).toMatchObject({ childCount: 4, descendantCount: 4, kind: 'reseller', parentId: 'tailspin' });
      expect(page.items.map((s) => s.name).slice().sort(compareNames)).toEqual(page.items.map((s) => s.name));
    });

    it('returns everything in one page when it fits, with no tokens', async () => {
      const page = await dir.listChildren('wingtip-it', { pageSize: 10 });
      expect(page.items.map((s) => s.id)).toEqual(['brecon-valley-farms', 'dunmore-plumbing', 'kestrel-print', 'st-annes-primary']);
      expect(page).toMatchObject({ total: 4, offset: 0 });
      expect(page.next).toBeUndefined();
      expect(page.previous).toBeUndefined();
    });

    it('gives an empty page for an account without children', async () => {
      const page = await dir.listChildren('acme-dental', { pageSize: 10 });
      expect(page).toEqual({ items: [], total: 0, offset: 0 });
    });

    it.each(['garbage', 'o999999', 'o15', 'o-1', '', 'o1.5', '15'])('rejects the forged page token %j', async (token) => {
      await expect(dir.listChildren('northwind', { pageSize: 5, token })).rejects.toBeInstanceOf(InvalidActionError);
    });

    it('rejects a token of one list used on a shorter one', async () => {
      const first = await dir.listChildren('northwind', { pageSize: 5 });
      await expect(dir.listChildren('wingtip-it', { pageSize: 5, token: first.next! })).rejects.toBeInstanceOf(InvalidActionError);
    });
  });

  describe('search', () => {
    const names = (hits: { account: AccountSummary }[]): string[] => hits.map((h) => h.account.name);

    it('only finds accounts inside the given subtrees', async () => {
      const inTailspin = await dir.search('internal use', { withinRootIds: ['tailspin'], limit: 10 });
      expect(names(inTailspin)).toEqual(['Tailspin Networks - Internal Use']);
      const inContoso = await dir.search('internal use', { withinRootIds: ['contoso'], limit: 10 });
      expect(names(inContoso)).toEqual(['Contoso Telecom - Internal Use']);
    });

    it('ranks substring matches by depth, then name', async () => {
      const hits = await dir.search('internal use', { withinRootIds: ['northwind'], limit: 10 });
      expect(names(hits)).toEqual(['Northwind Voice - Internal Use', 'Fabrikam Comms - Internal Use', 'Tailspin Networks - Internal Use']);
    });

    it('searches several roots together', async () => {
      const hits = await dir.search('internal use', { withinRootIds: ['contoso', 'northwind'], limit: 10 });
      expect(names(hits)).toEqual([
        'Contoso Telecom - Internal Use',
        'Northwind Voice - Internal Use',
        'Fabrikam Comms - Internal Use',
        'Tailspin Networks - Internal Use',
      ]);
    });

    it('puts an exact match before prefix matches', async () => {
      const hits = await dir.search('TAILSPIN NETWORKS', { withinRootIds: ['northwind'], limit: 10 });
      expect(hits.map((h) => h.account.id)).toEqual(['tailspin', 'tailspin-internal']);
    });

    it('ignores case and accents', async () => {
      expect(names(await dir.search('ST ÄNNE', { withinRootIds: ['northwind'], limit: 10 }))).toEqual(["St Anne's Primary School"]);
    });

    it('respects the limit, keeping the best matches', async () => {
      const hits = await dir.search('internal use', { withinRootIds: ['northwind'], limit: 2 });
      expect(names(hits)).toEqual(['Northwind Voice - Internal Use', 'Fabrikam Comms - Internal Use']);
    });

    it('returns each hit with its summary and its path, root first', async () => {
      const [hit] = await dir.search('kestrel', { withinRootIds: ['wingtip-it'], limit: 5 });
      expect(hit?.account).toMatchObject({ id: 'kestrel-print', name: 'Kestrel Print Ltd', kind: 'customer', childCount: 0 });
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

    it('finds nothing for an empty query, no roots, or no match', async () => {
      expect(await dir.search('', { withinRootIds: ['northwind'], limit: 10 })).toEqual([]);
      expect(await dir.search('   ', { withinRootIds: ['northwind'], limit: 10 })).toEqual([]);
      expect(await dir.search('acme', { withinRootIds: [], limit: 10 })).toEqual([]);
      expect(await dir.search('zzzz', { withinRootIds: ['northwind'], limit: 10 })).toEqual([]);
      expect(await dir.search('acme', { withinRootIds: ['contoso'], limit: 10 })).toEqual([]);
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

describe('listChildren over 5,000 children', () => {
  const WIDTH = 5000;
  let dir: EmbeddedDirectory;
  beforeAll(async () => {
    dir = await EmbeddedDirectory.open({ seedFile: writeDirectory(wideDirectory(WIDTH)) });
  });
  afterAll(() => dir.close());

  it('visits every child once, in order, walking the next tokens', async () => {
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    let expectedOffset = 0;
    do {
      const page = await dir.listChildren('p', { pageSize: 25, ...(token ? { token } : {}) });
      expect(page.total).toBe(WIDTH + 1);
      expect(page.offset).toBe(expectedOffset);
      expect(page.items.length).toBeLessThanOrEqual(25);
      expectedOffset += page.items.length;
      seen.push(...page.items.map((s) => s.id));
      token = page.next;
      pages++;
    } while (token);
    expect(pages).toBe(Math.ceil((WIDTH + 1) / 25));
    expect(seen).toHaveLength(WIDTH + 1);
    expect(new Set(seen).size).toBe(WIDTH + 1);
    // The reseller sorts first ("AAA Reseller"), then the zero-padded customers.
    expect(seen).toEqual(['r', ...Array.from({ length: WIDTH }, (_, i) => `c-${i}`)]);
  });

  it('walks back with the previous tokens to the first page', async () => {
    let page = await dir.listChildren('p', { pageSize: 1000 });
    while (page.next) page = await dir.listChildren('p', { pageSize: 1000, token: page.next });
    expect(page.offset).toBe(5000);
    const offsets: number[] = [page.offset];
    while (page.previous) {
      page = await dir.listChildren('p', { pageSize: 1000, token: page.previous });
      offsets.push(page.offset);
    }
    expect(offsets).toEqual([5000, 4000, 3000, 2000, 1000, 0]);
  });

  it.each(['o999999', 'garbage', 'o5001', 'o1000000000'])('rejects the forged token %j', async (token) => {
    await expect(dir.listChildren('p', { pageSize: 25, token })).rejects.toBeInstanceOf(InvalidActionError);
  });

  it('accepts the last valid offset', async () => {
    const page = await dir.listChildren('p', { pageSize: 25, token: 'o5000' });
    expect(page.items.map((s) => s.id)).toEqual(['c-4999']);
    expect(page.next).toBeUndefined();
    expect(page).toMatchObject({ offset: 5000, total: 5001 });
    expect((await dir.listChildren('p', { pageSize: 25, token: page.previous! })).offset).toBe(4975);
  });

  it('counts the whole subtree', async () => {
    expect(await dir.getSummary('p')).toMatchObject({ childCount: WIDTH + 1, descendantCount: WIDTH + 3 });
  });
});

describe('applySubscriptionChange (in memory)', () => {
  let dir: EmbeddedDirectory;
  beforeEach(async () => {
    dir = await open({ seedFile: writeDirectory(wideDirectory(3)) });
  });

  it('applies a change and increments the version', async () => {
    const e = entry('c-0');
    const outcome = await dir.applySubscriptionChange({ accountId: 'c-0', expectedVersion: '1', subscriptions: subs(12), entry: e });
    expect(outcome.status).toBe('applied');
    if (outcome.status !== 'applied') return;
    expect(outcome.entry).toEqual(e);
    expect(outcome.account).toMatchObject({ id: 'c-0', version: '2', subscriptions: subs(12) });
    expect(await dir.getAccount('c-0')).toMatchObject({ version: '2', subscriptions: subs(12) });
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
    // Teams retries the same click: same action id, the version the review was based on (now stale).
    const retry = entry('c-0', { actionId: 'review-42', id: 'different-id' });
    const outcome = await dir.applySubscriptionChange({ accountId: 'c-0', expectedVersion: '1', subscriptions: subs(99), entry: retry });
    expect(outcome.status).toBe('replayed');
    if (outcome.status !== 'replayed') return;
    expect(outcome.entry).toEqual(original);
    expect(outcome.account).toMatchObject({ version: '2', subscriptions: subs(12) });
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
    const [a, b] = await Promise.all([
      dir.applySubscriptionChange({ accountId: 'c-0', expectedVersion: '1', subscriptions: subs(11), entry: entry('c-0') }),
      dir.applySubscriptionChange({ accountId: 'c-0', expectedVersion: '1', subscriptions: subs(22), entry: entry('c-0') }),
    ]);
    expect([a.status, b.status]).toEqual(['applied', 'conflict']);
    expect(await dir.getAccount('c-0')).toMatchObject({ version: '2', subscriptions: subs(11) });
  });

  it('applies a double click once', async () => {
    const e = entry('c-0');
    const change = { accountId: 'c-0', expectedVersion: '1', subscriptions: subs(11), entry: e };
    const [a, b] = await Promise.all([dir.applySubscriptionChange(change), dir.applySubscriptionChange(change)]);
    expect([a.status, b.status]).toEqual(['applied', 'replayed']);
    expect(await dir.getAccount('c-0')).toMatchObject({ version: '2' });
    expect(await dir.auditTrail('c-0', 10)).toEqual([e]);
  });

  it('rejects a change to an unknown account', async () => {
    await expect(
      dir.applySubscriptionChange({ accountId: 'ghost', expectedVersion: '1', subscriptions: subs(1), entry: entry('ghost') }),
    ).rejects.toBeInstanceOf(AccountNotFoundError);
    // and the write queue still works afterwards
    await expect(dir.applySubscriptionChange({ accountId: 'c-0', expectedVersion: '1', subscriptions: subs(11), entry: entry('c-0') })).resolves.toMatchObject({
      status: 'applied',
    });
  });

  it('does not write to the seed file without a data folder', async () => {
    const seed = writeDirectory(wideDirectory(3));
    const before = readFileSync(seed, 'utf8');
    const d = await open({ seedFile: seed });
    await d.applySubscriptionChange({ accountId: 'c-0', expectedVersion: '1', subscriptions: subs(12), entry: entry('c-0') });
    await d.close();
    expect(readFileSync(seed, 'utf8')).toBe(before);
    const again = await open({ seedFile: seed });
    expect(await again.getAccount('c-0')).toMatchObject({ version: '1', subscriptions: subs(10) });
  });

  describe('auditTrail', () => {
    it('lists an account\'s entries newest first, up to the limit', async () => {
      const e1 = entry('c-0');
      const e2 = entry('c-0');
      const e3 = entry('c-0');
      const other = entry('c-1');
      await dir.applySubscriptionChange({ accountId: 'c-0', expectedVersion: '1', subscriptions: subs(11), entry: e1 });
      await dir.applySubscriptionChange({ accountId: 'c-1', expectedVersion: '1', subscriptions: subs(11), entry: other });
      await dir.applySubscriptionChange({ accountId: 'c-0', expectedVersion: '2', subscriptions: subs(12), entry: e2 });
      await dir.applySubscriptionChange({ accountId: 'c-0', expectedVersion: '3', subscriptions: subs(13), entry: e3 });
      expect(await dir.auditTrail('c-0', 10)).toEqual([e3, e2, e1]);
      expect(await dir.auditTrail('c-0', 2)).toEqual([e3, e2]);
      expect(await dir.auditTrail('c-0', 1)).toEqual([e3]);
      expect(await dir.auditTrail('c-1', 10)).toEqual([other]);
    });

    it('is empty for an account without changes or an unknown one', async () => {
      expect(await dir.auditTrail('c-2', 10)).toEqual([]);
      expect(await dir.auditTrail('ghost', 10)).toEqual([]);
    });

    it('returns no entries for a limit of 0', async () => {
      await dir.applySubscriptionChange({ accountId: 'c-0', expectedVersion: '1', subscriptions: subs(11), entry: entry('c-0') });
      expect(await dir.auditTrail('c-0', 0)).toEqual([]);
      expect(await dir.auditTrail('c-0', -1)).toEqual([]);
    });
  });
});

describe('persistence in a data folder', () => {
  function setup(doc: DirectoryDocument = wideDirectory(3)): { seedFile: string; dataDir: string; journal: string; snapshot: string } {
    const seedFile = writeDirectory(doc);
    const dataDir = path.join(tempDir(), 'data');
    return { seedFile, dataDir, journal: path.join(dataDir, JOURNAL_FILE), snapshot: path.join(dataDir, SNAPSHOT_FILE) };
  }

  it('initialises the data folder from the seed', async () => {
    const s = setup();
    const dir = await open(s);
    expect(existsSync(s.snapshot)).toBe(true);
    expect(await dir.getAccount('c-0')).toMatchObject({ version: '1', subscriptions: subs(10) });
  });

  it('keeps a change across close and reopen', async () => {
    const s = setup();
    const first = await open(s);
    const e = entry('c-0');
    await first.applySubscriptionChange({ accountId: 'c-0', expectedVersion: '1', subscriptions: subs(12), entry: e });
    await first.close();

    const second = await open(s);
    expect(await second.getAccount('c-0')).toMatchObject({ version: '2', subscriptions: subs(12) });
    expect(await second.auditTrail('c-0', 10)).toEqual([e]);
  });

  it('makes a change durable in the journal before acknowledging it', async () => {
    const s = setup();
    const dir = await open(s);
    const e = entry('c-0');
    await dir.applySubscriptionChange({ accountId: 'c-0', expectedVersion: '1', subscriptions: subs(12), entry: e });
    const lines = readFileSync(s.journal, 'utf8').split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ accountId: 'c-0', subscriptions: subs(12), entry: e });
  });

  it('still recognises a replay after a restart', async () => {
    const s = setup();
    const first = await open(s);
    const e = entry('c-0', { actionId: 'review-7' });
    await first.applySubscriptionChange({ accountId: 'c-0', expectedVersion: '1', subscriptions: subs(12), entry: e });
    await first.close();

    const second = await open(s);
    const outcome = await second.applySubscriptionChange({ accountId: 'c-0', expectedVersion: '1', subscriptions: subs(50), entry: entry('c-0', { actionId: 'review-7' }) });
    expect(outcome).toMatchObject({ status: 'replayed', entry: e, account: { version: '2', subscriptions: subs(12) } });
    await second.close();

    // and again after the journal was folded into the snapshot
    const third = await open(s);
    const again = await third.applySubscriptionChange({ accountId: 'c-0', expectedVersion: '1', subscriptions: subs(50), entry: entry('c-0', { actionId: 'review-7' }) });
    expect(again).toMatchObject({ status: 'replayed', entry: e });
  });

  it('folds the journal into the snapshot on reopen', async () => {
    const s = setup();
    const first = await open(s);
    const e = entry('c-0');
    await first.applySubscriptionChange({ accountId: 'c-0', expectedVersion: '1', subscriptions: subs(12), entry: e });
    await first.close();
    expect(readFileSync(s.journal, 'utf8')).not.toBe('');

    const second = await open(s);
    expect(readFileSync(s.journal, 'utf8')).toBe('');
    const snapshot = JSON.parse(readFileSync(s.snapshot, 'utf8')) as DirectoryDocument;
    expect(snapshot.accounts.find((a) => a.id === 'c-0')).toMatchObject({ version: '2', subscriptions: subs(12) });
    expect(snapshot.audit).toEqual([e]);
    expect(await second.getAccount('c-0')).toMatchObject({ version: '2', subscriptions: subs(12) });
    await second.close();

    // the folded data survives a further restart, and versions go on from there
    const third = await open(s);
    expect(await third.getAccount('c-0')).toMatchObject({ version: '2', subscriptions: subs(12) });
    const next = await third.applySubscriptionChange({ accountId: 'c-0', expectedVersion: '2', subscriptions: subs(13), entry: entry('c-0') });
    expect(next).toMatchObject({ status: 'applied', account: { version: '3' } });
    await third.close();
    const fourth = await open(s);
    expect(await fourth.getAccount('c-0')).toMatchObject({ version: '3', subscriptions: subs(13) });
    expect((await fourth.auditTrail('c-0', 10)).map((x) => x.id)).toEqual([(next as { entry: AuditEntry }).entry.id, e.id]);
  });

  it('uses the seed only once: later edits to the seed do not replace the data', async () => {
    const s = setup();
    const first = await open(s);
    await first.applySubscriptionChange({ accountId: 'c-0', expectedVersion: '1', subscriptions: subs(12), entry: entry('c-0') });
    await first.close();
    writeFileSync(s.seedFile, JSON.stringify(wideDirectory(1)));
    const second = await open(s);
    expect(await second.getAccount('c-2')).toBeDefined();
    expect(await second.getAccount('c-0')).toMatchObject({ subscriptions: subs(12) });
  });

  it('drops a torn last journal line and keeps everything before it', async () => {
    const s = setup();
    const first = await open(s);
    const kept = entry('c-0');
    await first.applySubscriptionChange({ accountId: 'c-0', expectedVersion: '1', subscriptions: subs(12), entry: kept });
    await first.applySubscriptionChange({ accountId: 'c-1', expectedVersion: '1', subscriptions: subs(7), entry: entry('c-1') });
    await first.close();
    // A crash half-way through writing a third record: no newline at the end.
    const torn = JSON.stringify({ type: 'subscriptions', accountId: 'c-2', version: '2', subscriptions: subs(99), entry: entry('c-2') });
    appendFileSync(s.journal, torn.slice(0, Math.floor(torn.length / 2)));

    const second = await open(s);
    expect(await second.getAccount('c-0')).toMatchObject({ version: '2', subscriptions: subs(12) });
    expect(await second.getAccount('c-1')).toMatchObject({ version: '2', subscriptions: subs(7) });
    expect(await second.getAccount('c-2')).toMatchObject({ version: '1', subscriptions: subs(10) });
    expect(await second.auditTrail('c-0', 10)).toEqual([kept]);
    expect(await second.auditTrail('c-2', 10)).toEqual([]);
    expect(readFileSync(s.journal, 'utf8')).toBe('');

    // and new changes go on to be journaled cleanly
    await second.applySubscriptionChange({ accountId: 'c-2', expectedVersion: '1', subscriptions: subs(15), entry: entry('c-2') });
    await second.close();
    const third = await open(s);
    expect(await third.getAccount('c-2')).toMatchObject({ version: '2', subscriptions: subs(15) });
  });

  it('drops a torn line even when it is the only thing in the journal', async () => {
    const s = setup();
    const first = await open(s);
    await first.close();
    writeFileSync(s.journal, '{"type":"subscriptions","accountId":"c-0","vers');
    const second = await open(s);
    expect(await second.getAccount('c-0')).toMatchObject({ version: '1', subscriptions: subs(10) });
    expect(readFileSync(s.journal, 'utf8')).toBe('');

    // the next record starts on a clean line and is read back after a restart
    await second.applySubscriptionChange({ accountId: 'c-0', expectedVersion: '1', subscriptions: subs(11), entry: entry('c-0') });
    expect(readFileSync(s.journal, 'utf8').startsWith('{"type":"subscriptions"')).toBe(true);
    await second.close();
    const third = await open(s);
    expect(await third.getAccount('c-0')).toMatchObject({ version: '2', subscriptions: subs(11) });
  });

  it('refuses to open when a line in the middle of the journal is damaged', async () => {
    const s = setup();
    const first = await open(s);
    await first.applySubscriptionChange({ accountId: 'c-0', expectedVersion: '1', subscriptions: subs(12), entry: entry('c-0') });
    await first.applySubscriptionChange({ accountId: 'c-1', expectedVersion: '1', subscriptions: subs(7), entry: entry('c-1') });
    await first.close();
    const lines = readFileSync(s.journal, 'utf8').split('\n');
    expect(lines).toHaveLength(3); // two records and the empty rest after the last newline
    lines[0] = lines[0]!.slice(0, -7) + '\u0000\u0000'; // a damaged (not torn) first record
    writeFileSync(s.journal, lines.join('\n'));
    const journalBefore = readFileSync(s.journal, 'utf8');
    const snapshotBefore = readFileSync(s.snapshot, 'utf8');

    await expect(EmbeddedDirectory.open(s)).rejects.toThrow(/damaged/);
    // Nothing is lost or rewritten: the operator can restore from a backup.
    expect(readFileSync(s.journal, 'utf8')).toBe(journalBefore);
    expect(readFileSync(s.snapshot, 'utf8')).toBe(snapshotBefore);
  });

  it('refuses a bad seed file and leaves no snapshot behind', async () => {
    const s = setup();
    writeFileSync(s.seedFile, JSON.stringify({ offers: [], accounts: [{ id: 'x', name: 'X', parentId: 'ghost' }], admins: [] }));
    await expect(EmbeddedDirectory.open(s)).rejects.toBeInstanceOf(DirectoryFileError);
    expect(existsSync(s.snapshot)).toBe(false);
  });

  it('refuses a seed that is not JSON and leaves no snapshot behind', async () => {
    const s = setup();
    writeFileSync(s.seedFile, 'not json');
    await expect(EmbeddedDirectory.open(s)).rejects.toThrow(DirectoryFileError);
    expect(existsSync(s.snapshot)).toBe(false);
    // Once the seed is fixed, the folder initialises normally.
    writeFileSync(s.seedFile, JSON.stringify(wideDirectory(2)));
    const dir = await open(s);
    expect(await dir.getSummary('p')).toMatchObject({ childCount: 3 });
  });

  it('refuses a missing seed file', async () => {
    const s = setup();
    await expect(EmbeddedDirectory.open({ seedFile: path.join(tempDir(), 'missing.json'), dataDir: s.dataDir })).rejects.toThrow(/file not found/);
    expect(existsSync(s.snapshot)).toBe(false);
  });

  it('refuses a change that would make the snapshot invalid, so the data folder keeps opening', async () => {
    const s = setup();
    const first = await open(s);
    for (const subscriptions of [
      [{ sku: 'C2TU1', quantity: 1, assigned: 5 }],
      [{ sku: 'NOPE', quantity: 1, assigned: 0 }],
      [{ sku: 'C2TU1', quantity: 5, assigned: 0 }, { sku: 'C2TU1', quantity: 6, assigned: 0 }],
    ]) {
      await expect(first.applySubscriptionChange({ accountId: 'c-0', expectedVersion: '1', subscriptions, entry: entry('c-0') })).rejects.toBeInstanceOf(InvalidActionError);
    }
    await first.close();
    for (let restart = 0; restart < 2; restart++) {
      const again = await open(s);
      expect(await again.getAccount('c-0')).toMatchObject({ version: '1', subscriptions: subs(10) });
      await again.close();
    }
  });

  it('keeps admins and offers in the snapshot', async () => {
    const s = setup();
    const first = await open(s);
    await first.applySubscriptionChange({ accountId: 'c-0', expectedVersion: '1', subscriptions: subs(12), entry: entry('c-0') });
    await first.close();
    const second = await open(s);
    expect((await second.getAdmin({ tenantId: TENANT, aadObjectId: ALEX }))?.name).toBe('Alex Wilber');
    expect(await second.getAdmin({ tenantId: TENANT, aadObjectId: MEGAN })).toBeUndefined();
    expect((await second.listOffers()).map((o) => o.sku)).toEqual(['C2TU1', 'T2TU1', 'C2TUT']);
    expect(await second.getAdmin({ tenantId: TENANT, aadObjectId: ADELE })).toBeUndefined();
  });
});
