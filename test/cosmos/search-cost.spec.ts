import { containersOf } from '../../src/directory/cosmos/containers';
import { createCosmosClient } from '../../src/directory/cosmos/cosmos-client';
import { CosmosDirectory } from '../../src/directory/cosmos/cosmos-directory';
import type { DirectoryDocument } from '../../src/domain/directory-document';
import { DirectoryUnavailableError } from '../../src/domain/errors';
import { CosmosFaultProxy, searchQuery } from '../support/cosmos-fault-proxy';
import { cosmosDirectoryWith, RequestCounter, STAND_IN_KEY, useCosmosStandIn } from '../support/cosmos-server';
import { readDirectoryFile } from '../../src/directory/directory-file';
import { loadConfig } from '../../src/config';
import { setCosmosTestOptions } from '../../src/directory/cosmos/open-cosmos';
import { startServer } from '../../src/server';
import { BotClient, textOf } from '../support/bot-client';
import { ALEX, DEMO_FILE } from '../support/directories';

/**
 * Search on Cosmos DB costs a bounded number of requests whatever the tree's size (issue 12 §3):
 * one query per tree (2 requests with the query plan the SDK asks for; at most 3 per tree was
 * the bound asked for), and a slow search never takes navigation down with it.
 */
const suite = useCosmosStandIn();
const { clients, directories } = suite;

const ACCOUNTS = 1500;

/** Two trees: "big" with ACCOUNTS customers under a chain of resellers, three of them Zephyr; "small" with a few. */
function bigDirectory(): DirectoryDocument {
  const accounts: DirectoryDocument['accounts'][number][] = [{ id: 'big', name: 'Big Partner', parentId: null, kind: 'partner' }];
  let parent = 'big';
  for (let level = 1; level <= 6; level++) {
    accounts.push({ id: `r-${level}`, name: `Reseller ${level}`, parentId: parent, kind: 'reseller' });
    parent = `r-${level}`;
  }
  for (let i = 0; i < ACCOUNTS; i++) {
    // Spread over the chain, so matches sit at several depths.
    const zephyr = i % 700 === 5;
    accounts.push({ id: `c-${i}`, name: zephyr ? `Zephyr Dental ${i}` : `Customer ${String(i).padStart(4, '0')}`, parentId: i % 7 === 0 ? 'big' : `r-${1 + (i % 6)}`, kind: 'customer' });
  }
  accounts.push({ id: 'small', name: 'Small Partner', parentId: null, kind: 'partner' });
  accounts.push({ id: 's-1', name: 'Zephyr Small Dental', parentId: 'small', kind: 'customer' });
  accounts.push({ id: 's-2', name: 'Customer Small', parentId: 'small', kind: 'customer' });
  return { offers: [], accounts, admins: [] };
}

describe(`search requests, ${ACCOUNTS} accounts in one tree`, () => {
  const counter = new RequestCounter();
  let dir: CosmosDirectory;

  beforeAll(async () => {
    const seeded = await cosmosDirectoryWith(suite.standIn, bigDirectory());
    clients.push(seeded.client);
    // A request may take long on a loaded machine: one that timed out would be sent again and counted twice.
    const client = createCosmosClient(suite.standIn.settings(seeded.database), suite.standIn.options({ plugins: [counter.plugin], requestTimeoutMs: 30_000 }));
    clients.push(client);
    // The background refreshes and import checks are not part of any search: kept out of the count.
    // Deadlines a loaded machine cannot miss: this counts requests, the next suite times them.
    dir = new CosmosDirectory(containersOf(client.database(seeded.database)), { importCheckMs: 3_600_000, refreshMs: 3_600_000, rosterMaxAgeMs: 7_200_000, deadlineMs: 30_000, searchDeadlineMs: 30_000 });
    directories.push(dir);
    // Roots and catalogue in memory, as on a running instance.
    await dir.warmUp();
    await dir.search('reseller', { withinRootIds: ['big'], limit: 1 });
  }, 120_000);

  async function measured(query: string, withinRootIds: string[], limit = 10): Promise<{ ids: string[]; count: number; requests: readonly string[] }> {
    let ids: string[] = [];
    const { count, requests } = await counter.measure(async () => {
      ids = (await dir.search(query, { withinRootIds, limit })).map((h) => h.account.id);
    });
    return { ids, count, requests };
  }

  it('finds the few matches among many with one query (and its plan)', async () => {
    const prefix = await measured('zephyr', ['big']);
    // Shallowest first: c-1405 below r-2, c-705 below r-4, c-5 below r-6.
    expect(prefix.ids).toEqual(['c-1405', 'c-705', 'c-5']);
    // One query and the query plan the SDK asks for beside it.
    expect(prefix.requests.map((r) => r.split(' ').slice(0, 3).join(' '))).toEqual(['POST docs read', 'POST docs query']);

    const laterWord = await measured('dental', ['big']);
    expect(laterWord.ids).toEqual(['c-1405', 'c-705', 'c-5']);
    expect(laterWord.count).toBeLessThanOrEqual(2);
  });

  it('stops at the limit when nearly every account matches: fewer requests, not more', async () => {
    const many = await measured('customer', ['big'], 10);
    expect(many.ids).toHaveLength(10);
    // Shallowest first: the customers right below the partner.
    expect(many.ids.slice(0, 3)).toEqual(['c-0', 'c-7', 'c-14']);
    expect(many.count).toBeLessThanOrEqual(2);
  });

  it('finds nothing with one query and the check that a directory is there: 3 requests', async () => {
    const none = await measured('xylophone', ['big']);
    expect(none.ids).toEqual([]);
    expect(none.count).toBeLessThanOrEqual(3);
  });

  it('keeps a deep scope to itself, at the same cost', async () => {
    const deep = await measured('zephyr', ['r-3']);
    // c-1405, below r-2, is outside r-3; c-705 (below r-4) and c-5 (below r-6) are inside it.
    expect(deep.ids).toEqual(['c-705', 'c-5']);
    expect(deep.count).toBeLessThanOrEqual(2);
  });

  it('costs one query (and its plan) per tree when the scopes span two trees', async () => {
    const both = await measured('zephyr', ['big', 'small']);
    expect(both.ids).toEqual(['s-1', 'c-1405', 'c-705', 'c-5']);
    // Each tree's query and its plan, the two trees asked at once.
    expect(both.requests.map((r) => r.split(' ').slice(0, 3).join(' ')).sort()).toEqual(['POST docs query', 'POST docs query', 'POST docs read', 'POST docs read']);
  });
});

describe('a slow search never takes navigation down', () => {
  let proxy: CosmosFaultProxy;
  let dir: CosmosDirectory;
  const SEARCH_DEADLINE_MS = 1000;

  beforeAll(async () => {
    const seeded = await cosmosDirectoryWith(suite.standIn, readDirectoryFile(DEMO_FILE));
    clients.push(seeded.client);
    proxy = await CosmosFaultProxy.start(suite.standIn.port);
    const client = createCosmosClient(suite.standIn.settings(seeded.database, proxy.endpoint), suite.standIn.options());
    clients.push(client);
    // No account cache: every navigation call below has to reach the service.
    dir = new CosmosDirectory(containersOf(client.database(seeded.database)), { accountTtlMs: 0, searchDeadlineMs: SEARCH_DEADLINE_MS, coolDownMs: 5000 });
    directories.push(dir);
    await dir.warmUp();
  });
  afterAll(() => proxy.close());

  it('answers the searcher "unavailable" within its deadline while navigation keeps answering', async () => {
    expect((await dir.search('kestrel', { withinRootIds: ['northwind'], limit: 5 })).map((h) => h.account.id)).toEqual(['kestrel-print']);
    proxy.delay(searchQuery, 20_000);

    const started = Date.now();
    await expect(dir.search('kestrel', { withinRootIds: ['northwind'], limit: 5 })).rejects.toBeInstanceOf(DirectoryUnavailableError);
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThanOrEqual(SEARCH_DEADLINE_MS - 50);
    expect(waited).toBeLessThan(SEARCH_DEADLINE_MS + 1500);

    // The same instance, right after: navigation reads and pages are not failed fast.
    const navStarted = Date.now();
    expect((await dir.getAccount('wingtip-it', { fresh: true }))?.name).toBe('Wingtip IT Services');
    expect((await dir.getPath('kestrel-print'))?.map((a) => a.id)).toEqual(['northwind', 'tailspin', 'wingtip-it', 'kestrel-print']);
    expect((await dir.listChildren('northwind', { pageSize: 5 })).items.length).toBe(5);
    expect(await dir.auditTrail('kestrel-print', 5)).toEqual(expect.any(Array));
    expect(Date.now() - navStarted).toBeLessThan(2000);

    // Searches themselves fail fast for a moment instead of each waiting out the deadline.
    const again = Date.now();
    await expect(dir.search('wingtip', { withinRootIds: ['northwind'], limit: 5 })).rejects.toBeInstanceOf(DirectoryUnavailableError);
    expect(Date.now() - again).toBeLessThan(200);
  }, 30_000);

  it('searches again by itself once the service answers searches', async () => {
    proxy.heal();
    // The fail-fast period (5 s) ends; the first search after it probes, and succeeds.
    await new Promise((r) => setTimeout(r, 5100));
    expect((await dir.search('kestrel', { withinRootIds: ['northwind'], limit: 5 })).map((h) => h.account.id)).toEqual(['kestrel-print']);
  }, 15_000);
});

describe('over HTTP: COSMOS_SEARCH_DEADLINE_MS, and a slow search beside navigation on one instance', () => {
  it('gives the searcher the "unavailable" card within the search deadline; the same admin opens and lists accounts meanwhile', async () => {
    const seeded = await cosmosDirectoryWith(suite.standIn, readDirectoryFile(DEMO_FILE));
    clients.push(seeded.client);
    const proxy = await CosmosFaultProxy.start(suite.standIn.port);
    // The stand-in's agent trusts the proxy too (it presents the stand-in's certificate).
    setCosmosTestOptions(suite.standIn.options());
    const server = await startServer(
      loadConfig({
        NODE_ENV: 'test', PORT: '0', LOG_LEVEL: 'silent', INSECURE_UNAUTHENTICATED_LOOPBACK: 'true',
        DIRECTORY: 'cosmos', COSMOS_ENDPOINT: proxy.endpoint, COSMOS_KEY: STAND_IN_KEY, COSMOS_DATABASE: seeded.database, COSMOS_SEARCH_DEADLINE_MS: '800',
      }),
    );
    const bot = BotClient.attach(server);
    const alex = { aadObjectId: ALEX };
    const say = async (text: string): Promise<string> => textOf((await bot.say(alex, text))[0]!);
    try {
      expect(await say('find kestrel')).toContain('Kestrel Print Ltd');
      proxy.delay(searchQuery, 20_000);
      const started = Date.now();
      expect(await say('find kestrel')).toContain('The directory is unavailable');
      expect(Date.now() - started).toBeLessThan(800 + 1500);
      expect(await say('open wingtip-it')).toContain('Account id: wingtip-it');
      expect(await say('accounts')).toContain('Kestrel Print Ltd');
      expect(await say('where am i')).toContain('Account id: wingtip-it');
    } finally {
      await bot.close();
      await proxy.close();
    }
  }, 30_000);
});
