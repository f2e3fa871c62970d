import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { AuditEntry } from '../../src/domain/audit';
import type { DirectoryDocument } from '../../src/domain/directory-document';
import { InvalidActionError } from '../../src/domain/errors';
import { DirectoryFileError } from '../../src/directory/directory-file';
import { EmbeddedDirectory, JOURNAL_FILE, SNAPSHOT_FILE } from '../../src/directory/embedded/embedded-directory';
import { ADELE, ALEX, MEGAN, TENANT, tempDir, wideDirectory, writeDirectory } from '../support/directories';
import { entry, subs } from '../contract/directory-contract';

/**
 * What only the embedded directory does: offsets as page tokens, changes kept in memory when
 * there is no data folder, and the data folder itself (snapshot, journal, crash recovery, seed
 * handling). Everything a Directory must do is in test/contract/directory-contract.ts, which
 * test/contract/directory.embedded.spec.ts runs against this adapter with a data folder.
 */

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

describe('page tokens are offsets into the sorted children', () => {
  const WIDTH = 5000;
  let dir: EmbeddedDirectory;
  beforeAll(async () => {
    dir = await EmbeddedDirectory.open({ seedFile: writeDirectory(wideDirectory(WIDTH)) });
  });
  afterAll(() => dir.close());

  it.each(['o5001', 'o1000000000'])('rejects the offset %j past the last child', async (token) => {
    await expect(dir.listChildren('p', { pageSize: 25, token })).rejects.toBeInstanceOf(InvalidActionError);
  });

  it('accepts the last valid offset', async () => {
    const page = await dir.listChildren('p', { pageSize: 25, token: 'o5000' });
    expect(page.items.map((s) => s.id)).toEqual(['c-4999']);
    expect(page.next).toBeUndefined();
    expect(page).toMatchObject({ offset: 5000, total: 5001 });
    expect((await dir.listChildren('p', { pageSize: 25, token: page.previous! })).offset).toBe(4975);
  });
});

describe('without a data folder', () => {
  it('keeps changes in memory and never writes to the seed file', async () => {
    const seed = writeDirectory(wideDirectory(3));
    const before = readFileSync(seed, 'utf8');
    const d = await open({ seedFile: seed });
    await d.applySubscriptionChange({ accountId: 'c-0', expectedVersion: '1', subscriptions: subs(12), entry: entry('c-0') });
    expect(await d.getAccount('c-0')).toMatchObject({ version: '2', subscriptions: subs(12) });
    await d.close();
    expect(readFileSync(seed, 'utf8')).toBe(before);
    const again = await open({ seedFile: seed });
    expect(await again.getAccount('c-0')).toMatchObject({ version: '1', subscriptions: subs(10) });
  });

  it('applies simultaneous changes from the same version in the order they arrive', async () => {
    const dir = await open({ seedFile: writeDirectory(wideDirectory(3)) });
    const [a, b] = await Promise.all([
      dir.applySubscriptionChange({ accountId: 'c-0', expectedVersion: '1', subscriptions: subs(11), entry: entry('c-0') }),
      dir.applySubscriptionChange({ accountId: 'c-0', expectedVersion: '1', subscriptions: subs(22), entry: entry('c-0') }),
    ]);
    expect([a.status, b.status]).toEqual(['applied', 'conflict']);
    expect(await dir.getAccount('c-0')).toMatchObject({ version: '2', subscriptions: subs(11) });
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

  it('makes a change durable in the journal before acknowledging it', async () => {
    const s = setup();
    const dir = await open(s);
    const e = entry('c-0');
    await dir.applySubscriptionChange({ accountId: 'c-0', expectedVersion: '1', subscriptions: subs(12), entry: e });
    const lines = readFileSync(s.journal, 'utf8').split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ accountId: 'c-0', subscriptions: subs(12), entry: e });
  });

  it('still recognises a replay once the journal has been folded into the snapshot', async () => {
    const s = setup();
    const first = await open(s);
    const e = entry('c-0', { actionId: 'review-7' });
    await first.applySubscriptionChange({ accountId: 'c-0', expectedVersion: '1', subscriptions: subs(12), entry: e });
    await first.close();
    // The second start folds the journal into the snapshot; the third reads only the snapshot.
    await (await open(s)).close();
    expect(readFileSync(s.journal, 'utf8')).toBe('');

    const third = await open(s);
    const again = await third.applySubscriptionChange({ accountId: 'c-0', expectedVersion: '1', subscriptions: subs(50), entry: entry('c-0', { actionId: 'review-7' }) });
    expect(again).toMatchObject({ status: 'replayed', entry: e, account: { version: '2', subscriptions: subs(12) } });
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
