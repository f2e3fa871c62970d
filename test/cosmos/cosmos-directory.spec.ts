import { CosmosDirectory } from '../../src/directory/cosmos/cosmos-directory';
import { importDirectory } from '../../src/directory/cosmos/directory-transfer';
import { readDirectoryFile } from '../../src/directory/directory-file';
import type { DirectoryDocument } from '../../src/domain/directory-document';
import { entry } from '../contract/directory-contract';
import { cosmosDirectoryWith, RequestCounter, useCosmosStandIn } from '../support/cosmos-server';
import { admin, DEMO_FILE, MEGAN, TENANT } from '../support/directories';
import { createCosmosClient } from '../../src/directory/cosmos/cosmos-client';
import { containersOf } from '../../src/directory/cosmos/containers';

/**
 * What the Cosmos DB adapter does beyond the shared contract: it keeps admins and account roots
 * in memory and must hear of a new import, and it answers the port's calls with few requests.
 */
const suite = useCosmosStandIn();
const { clients, directories } = suite;

const demo = (): DirectoryDocument => readDirectoryFile(DEMO_FILE);
const ZED = '00000000-0000-0000-0000-0000000000077';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a new import reaches a running directory', () => {
  const REFRESH_MS = 200;
  let directory: CosmosDirectory;
  let reimport: (doc: DirectoryDocument) => Promise<void>;
  beforeEach(async () => {
    const opened = await cosmosDirectoryWith(suite.standIn, demo(), { refreshMs: REFRESH_MS, accountTtlMs: 0 });
    clients.push(opened.client);
    directory = opened.directory;
    directories.push(directory);
    await directory.warmUp();
    reimport = async (doc) => {
      await importDirectory(opened.containers, doc, () => undefined);
    };
  });

  it('takes away the access of an admin the new file no longer has, within the refresh interval', async () => {
    expect(await directory.getAdmin({ tenantId: TENANT, aadObjectId: MEGAN })).toMatchObject({ name: 'Megan Bowen' });
    const without = demo();
    await reimport({ ...without, admins: without.admins.filter((a) => a.aadObjectId !== MEGAN) });
    await sleep(REFRESH_MS * 3);
    expect(await directory.getAdmin({ tenantId: TENANT, aadObjectId: MEGAN })).toBeUndefined();
  });

  it('lets in an admin the new file adds', async () => {
    expect(await directory.getAdmin({ tenantId: TENANT, aadObjectId: ZED })).toBeUndefined();
    const doc = demo();
    await reimport({ ...doc, admins: [...doc.admins, admin(ZED, [['contoso', ['ServiceViewer']]], 'Zed Zimmer')] });
    await sleep(REFRESH_MS * 3);
    expect(await directory.getAdmin({ tenantId: TENANT, aadObjectId: ZED })).toMatchObject({ name: 'Zed Zimmer' });
  });

  it('finds a subtree moved to another tree in its new place, and forgets a removed account', async () => {
    expect((await directory.getPath('kestrel-print'))?.map((a) => a.id)).toEqual(['northwind', 'tailspin', 'wingtip-it', 'kestrel-print']);
    expect(await directory.getAccount('kingsway-motors')).toBeDefined();
    const doc = demo();
    await reimport({
      ...doc,
      accounts: doc.accounts.filter((a) => a.id !== 'kingsway-motors').map((a) => (a.id === 'wingtip-it' ? { ...a, parentId: 'contoso' } : a)),
    });
    // Without waiting for a refresh: the old tree is asked first, is empty, and the locator says where to look.
    expect((await directory.getPath('kestrel-print'))?.map((a) => a.id)).toEqual(['contoso', 'wingtip-it', 'kestrel-print']);
    expect(await directory.getAccount('kingsway-motors')).toBeUndefined();
    const northwind = await directory.listChildren('northwind', { pageSize: 50 });
    expect(northwind.items.map((s) => s.id)).not.toContain('kingsway-motors');
    const tailspin = await directory.listChildren('tailspin', { pageSize: 50 });
    expect(tailspin.items.map((s) => s.id)).not.toContain('wingtip-it');
    expect(await directory.search('kestrel', { withinRootIds: ['northwind'], limit: 5 })).toEqual([]);
    expect((await directory.search('kestrel', { withinRootIds: ['contoso'], limit: 5 })).map((h) => h.account.id)).toEqual(['kestrel-print']);
  });
});

describe('requests per directory call', () => {
  let directory: CosmosDirectory;
  const counter = new RequestCounter();
  beforeAll(async () => {
    const { database } = await cosmosDirectoryWith(suite.standIn, demo());
    const client = createCosmosClient(suite.standIn.settings(database), suite.standIn.options({ plugins: [counter.plugin] }));
    clients.push(client);
    // No background import check: it is a request of its own, counted in whichever call it lands.
    directory = new CosmosDirectory(containersOf(client.database(database)), { accountTtlMs: 0, treeTtlMs: 0, importCheckMs: 3_600_000 });
    directories.push(directory);
    await directory.warmUp();
  });

  it('reads a path, an account or a summary with one point read', async () => {
    expect((await counter.measure(() => directory.getPath('kestrel-print'))).count).toBe(1);
    expect((await counter.measure(() => directory.getAccount('acme-dental'))).count).toBe(1);
    expect((await counter.measure(() => directory.getSummary('tailspin'))).count).toBe(1);
  });

  it('costs nothing for text that cannot be an account id', async () => {
    expect((await counter.measure(() => directory.getPath('Wingtip IT Services'))).count).toBe(0);
  });

  it('lists a page of children with one query (and its query plan) after reading the parent', async () => {
    const { count, requests } = await counter.measure(() => directory.listChildren('northwind', { pageSize: 5 }));
    expect(count).toBe(3);
    expect(requests.filter((r) => r.startsWith('GET'))).toHaveLength(1);
  });

  it('searches one tree with at most one query per ranking tier, and stops once it has enough', async () => {
    expect((await counter.measure(() => directory.search('internal use', { withinRootIds: ['northwind'], limit: 10 }))).count).toBeLessThanOrEqual(6);
    expect((await counter.measure(() => directory.search('tailspin networks', { withinRootIds: ['northwind'], limit: 1 }))).count).toBe(2);
  });

  it('applies a subscription change with two reads and one transactional batch', async () => {
    const { count, requests } = await counter.measure(() =>
      directory.applySubscriptionChange({ accountId: 'acme-dental', expectedVersion: '1', subscriptions: [{ sku: 'C2TU1', quantity: 20, assigned: 18 }], entry: entry('acme-dental') }),
    );
    expect(requests.filter((r) => r.includes('batch'))).toHaveLength(1);
    expect(count).toBeLessThanOrEqual(4); // account, audit entry, catalogue (once, then cached), batch
  });
});

describe('paths', () => {
  it("gives ancestors their tree data but not their subscriptions, so a change built on one is refused", async () => {
    const { directory, client } = await cosmosDirectoryWith(suite.standIn, demo());
    clients.push(client);
    directories.push(directory);
    const [, tailspin] = (await directory.getPath('kestrel-print'))!;
    expect(tailspin).toMatchObject({ id: 'tailspin', kind: 'reseller', subscriptions: [], version: '' });
    const outcome = await directory.applySubscriptionChange({ accountId: 'tailspin', expectedVersion: tailspin!.version, subscriptions: [], entry: entry('tailspin') });
    expect(outcome.status).toBe('conflict');
    expect(outcome.account).toEqual(await directory.getAccount('tailspin'));
  });
});
