import { loadConfig } from '../../src/config';
import { containersOf, type CosmosContainers } from '../../src/directory/cosmos/containers';
import { createCosmosClient } from '../../src/directory/cosmos/cosmos-client';
import { CosmosDirectory, type CosmosDirectoryOptions } from '../../src/directory/cosmos/cosmos-directory';
import { setCosmosTestOptions } from '../../src/directory/cosmos/open-cosmos';
import type { Directory } from '../../src/directory/port';
import { DirectoryUnavailableError } from '../../src/domain/errors';
import { startServer } from '../../src/server';
import { CosmosStateStorage } from '../../src/directory/cosmos/cosmos-state-storage';
import { CallPolicy } from '../../src/directory/cosmos/resilience';
import { entry, subs } from '../contract/directory-contract';
import { BotClient, textOf } from '../support/bot-client';
import { cosmosDirectoryWith, FaultInjector, OutageProxy, STAND_IN_KEY, useCosmosStandIn } from '../support/cosmos-server';
import { ALEX, DEMO_FILE, TENANT, wideDirectory } from '../support/directories';
import { readDirectoryFile } from '../../src/directory/directory-file';

/** What the user sees when Cosmos DB misbehaves: a quick "unavailable", never a double write, recovery on its own. */
const ISSUE_LIMIT_MS = 5000;
const alex = { aadObjectId: ALEX };

const suite = useCosmosStandIn();
const { clients } = suite;

/** Resolves to the error `call` rejected with and how long it took. */
async function timed(call: () => Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const started = Date.now();
  try {
    await call();
  } catch (error) {
    return { error, ms: Date.now() - started };
  }
  throw new Error('expected the call to fail');
}

describe('when Cosmos DB cannot be reached', () => {
  let proxy: OutageProxy;
  /** Production deadlines, no caches and no fail-fast period: every call below has to try the server. */
  let eachOnItsOwn: CosmosDirectory;
  /** Production settings, a short fail-fast period; its state storage shares its call policy, as openCosmosStores does. */
  let shared: CosmosDirectory;
  let storage: CosmosStateStorage;
  const COOL_DOWN_MS = 600;

  beforeAll(async () => {
    const { database } = await cosmosDirectoryWith(suite.standIn, readDirectoryFile(DEMO_FILE));
    proxy = await OutageProxy.start(suite.standIn.port);
    const client = createCosmosClient(suite.standIn.settings(database, `https://127.0.0.1:${proxy.port}`), suite.standIn.options());
    clients.push(client);
    const containers = containersOf(client.database(database));
    const noCaches: Partial<CosmosDirectoryOptions> = { accountTtlMs: 0, treeTtlMs: 0, catalogTtlMs: 0, refreshMs: 0 };
    eachOnItsOwn = new CosmosDirectory(containers, { ...noCaches, coolDownMs: 0 });
    shared = new CosmosDirectory(containers, { ...noCaches, coolDownMs: COOL_DOWN_MS });
    storage = new CosmosStateStorage(containers.state, shared.calls);
  });
  afterAll(() => proxy.close());
  afterEach(async () => {
    proxy.set('pass');
    await new Promise((r) => setTimeout(r, COOL_DOWN_MS));
  });

  const calls: [string, (d: Directory) => Promise<unknown>][] = [
    ['getAdmin', (d) => d.getAdmin({ tenantId: TENANT, aadObjectId: '00000000-0000-0000-0000-000000000077' })],
    ['getAccount', (d) => d.getAccount('acme-dental')],
    ['getPath', (d) => d.getPath('kestrel-print')],
    ['getSummary', (d) => d.getSummary('tailspin')],
    ['listChildren', (d) => d.listChildren('northwind', { pageSize: 5 })],
    ['search', (d) => d.search('internal', { withinRootIds: ['northwind'], limit: 5 })],
    ['listOffers', (d) => d.listOffers()],
    ['applySubscriptionChange', (d) => d.applySubscriptionChange({ accountId: 'acme-dental', expectedVersion: '1', subscriptions: [], entry: entry('acme-dental') })],
    ['findChange', (d) => d.findChange('acme-dental', 'x')],
    ['auditTrail', (d) => d.auditTrail('acme-dental', 5)],
    ['ping', (d) => d.ping()],
  ];

  describe.each(['reset', 'hang'] as const)('because connections are %s', (mode) => {
    it(`makes every directory method reject with DirectoryUnavailableError within ${ISSUE_LIMIT_MS / 1000} s`, async () => {
      await eachOnItsOwn.getPath('kestrel-print'); // roots known, so each call goes straight to its own read
      proxy.set(mode);
      const outcomes = await Promise.all(calls.map(async ([name, call]) => ({ name, ...(await timed(() => call(eachOnItsOwn))) })));
      for (const { name, error, ms } of outcomes) {
        expect({ name, unavailable: error instanceof DirectoryUnavailableError, ms: ms < ISSUE_LIMIT_MS ? 'in time' : ms }).toEqual({ name, unavailable: true, ms: 'in time' });
      }
    });

    it('fails the next calls at once rather than making each turn wait again, then recovers by itself', async () => {
      proxy.set(mode);
      expect((await timed(() => storage.read(['some-state-key']))).error).toBeInstanceOf(DirectoryUnavailableError);
      const next = await timed(() => shared.getPath('tailspin'));
      expect(next.error).toBeInstanceOf(DirectoryUnavailableError);
      expect(next.ms).toBeLessThan(100);

      proxy.set('pass');
      await new Promise((r) => setTimeout(r, COOL_DOWN_MS));
      expect((await shared.getPath('tailspin'))?.map((a) => a.id)).toEqual(['northwind', 'tailspin']);
      await storage.write({ 'some-state-key': { ok: true } });
      expect(await storage.read(['some-state-key'])).toMatchObject({ 'some-state-key': { ok: true } });
    });
  });
});

describe('when Cosmos DB throttles or fails a request', () => {
  let directory: CosmosDirectory;
  let containers: CosmosContainers;
  const faults = new FaultInjector();

  beforeEach(async () => {
    faults.reset();
    const opened = await cosmosDirectoryWith(suite.standIn, wideDirectory(3));
    clients.push(opened.client);
    const client = createCosmosClient(suite.standIn.settings(opened.database), suite.standIn.options({ plugins: [faults.plugin] }));
    clients.push(client);
    containers = containersOf(client.database(opened.database));
    directory = new CosmosDirectory(containers, { accountTtlMs: 0 });
  });

  it('retries 429s as the SDK does, honouring the retry-after', async () => {
    await directory.getAccount('c-0'); // learns the account's root
    faults.reset();
    faults.inject('read', { kind: 'throttled', retryAfterMs: 20 }, 2, '/docs/c-0');
    expect(await directory.getAccount('c-0')).toMatchObject({ id: 'c-0' });
    expect(faults.count('read')).toBe(3);
  });

  it('retries a read after a transient error', async () => {
    await directory.getAccount('c-0');
    faults.reset();
    faults.inject('read', { kind: 'status', status: 503 }, 1, '/docs/c-0');
    expect(await directory.getAccount('c-0')).toMatchObject({ id: 'c-0' });
    expect(faults.count('read')).toBe(2);
  });

  it('never resends a subscription change whose response was lost; the retry with its action id is a replay', async () => {
    const change = { accountId: 'c-0', expectedVersion: '1', subscriptions: subs(12), entry: entry('c-0', { actionId: 'review-lost' }) };
    faults.inject('batch', { kind: 'lost-response' });
    await expect(directory.applySubscriptionChange(change)).rejects.toBeInstanceOf(DirectoryUnavailableError);
    expect(faults.count('batch')).toBe(1);

    // It did land: the user (or Teams) tries again with the same action id and is told so.
    const again = await directory.applySubscriptionChange(change);
    expect(again).toMatchObject({ status: 'replayed', entry: change.entry, account: { version: '2', subscriptions: subs(12) } });
    expect(faults.count('batch')).toBe(1);
    expect(await directory.auditTrail('c-0', 10)).toEqual([change.entry]);
  });

  it('never resends a state write made with an eTag whose response was lost', async () => {
    const storage = new CosmosStateStorage(containers.state, new CallPolicy(4500, 0));
    await storage.write({ k: { n: 1 } });
    const read = (await storage.read(['k'])).k!;
    faults.reset();
    faults.inject('replace', { kind: 'lost-response' });
    await expect(storage.write({ k: { ...read, n: 2 } })).rejects.toBeInstanceOf(DirectoryUnavailableError);
    expect(faults.count('replace')).toBe(1);
    expect((await storage.read(['k'])).k).toMatchObject({ n: 2 });
  });
});

describe('the bot, over real HTTP, while Cosmos DB is down', () => {
  // A failed state read is answered by the Teams edge with the 'unavailable' card.
  it("shows the 'directory is unavailable' card quickly, then where the admin is once it is back", async () => {
    const { database } = await cosmosDirectoryWith(suite.standIn, readDirectoryFile(DEMO_FILE));
    const proxy = await OutageProxy.start(suite.standIn.port);
    setCosmosTestOptions(suite.standIn.options({ directory: { coolDownMs: 500 } }));
    const endpoint = `https://127.0.0.1:${proxy.port}`;
    const server = await startServer(loadConfig({ NODE_ENV: 'test', PORT: '0', LOG_LEVEL: 'silent', INSECURE_UNAUTHENTICATED_LOOPBACK: 'true', DIRECTORY: 'cosmos', COSMOS_ENDPOINT: endpoint, COSMOS_KEY: STAND_IN_KEY, COSMOS_DATABASE: database }));
    const bot = BotClient.attach(server);
    try {
      expect(textOf((await bot.say(alex, 'where am i'))[0]!)).toContain('Account id: northwind');

      proxy.set('hang');
      const started = Date.now();
      const [card] = await bot.say(alex, 'where am i');
      expect(textOf(card!)).toContain('The directory is unavailable');
      expect(Date.now() - started).toBeLessThan(ISSUE_LIMIT_MS + 1000);

      proxy.set('pass');
      await new Promise((r) => setTimeout(r, 600));
      expect(textOf((await bot.say(alex, 'where am i'))[0]!)).toContain('Account id: northwind');
    } finally {
      await bot.close();
      await proxy.close();
    }
  });
});
