import type { PluginConfig } from '@azure/cosmos';
import { containersOf } from '../../src/directory/cosmos/containers';
import { createCosmosClient } from '../../src/directory/cosmos/cosmos-client';
import { CosmosDirectory, type DirectoryLog } from '../../src/directory/cosmos/cosmos-directory';
import { setCosmosTestOptions } from '../../src/directory/cosmos/open-cosmos';
import { BotClient, textOf } from '../support/bot-client';
import { cosmosDirectoryWith, RequestCounter, STAND_IN_KEY, useCosmosStandIn } from '../support/cosmos-server';
import { ALEX, TENANT, wideDirectory } from '../support/directories';
import { startLoggedServer } from '../support/logged-server';

/**
 * Start-up loads every account's tree root (one locator per account) in the background, page by
 * page. A load that fails part-way resumes at the page where it stopped instead of from zero,
 * and nothing waits for it: the instance is ready and navigates (a root not loaded yet costs one
 * locator read) while the load is stalled.
 */
const CUSTOMERS = 3000;
/** The wide directory's partner, reseller and its two customers, besides the customers. */
const ACCOUNTS = CUSTOMERS + 4;
const PAGE = 500;
const alex = { tenantId: TENANT, aadObjectId: ALEX };

const suite = useCosmosStandIn();
let database: string;

beforeAll(async () => {
  const opened = await cosmosDirectoryWith(suite.standIn, wideDirectory(CUSTOMERS));
  suite.clients.push(opened.client);
  database = opened.database;
}, 120_000);

/**
 * Watches the pages of the locator load in the client's pipeline: counts the locators each page
 * brings, and fails every page from the `failFrom`-th on (503) until `heal()`.
 */
class LocatorPages {
  pages = 0;
  locators = 0;
  private failFrom = Infinity;
  readonly plugin: PluginConfig = {
    on: 'request',
    plugin: async (context, _diagnostics, next) => {
      const isPage =
        context.operationType === 'query' &&
        (context.path ?? '').includes('/colls/lookups/') &&
        String(context.body ?? '').includes('"locators"') &&
        !context.headers?.['x-ms-cosmos-is-query-plan-request'];
      if (!isPage) return next(context);
      if (this.pages + 1 >= this.failFrom) throw Object.assign(new Error('injected 503'), { code: 503, headers: {} });
      const response = await next(context);
      this.pages++;
      this.locators += (response.result as { Documents?: unknown[] } | undefined)?.Documents?.length ?? 0;
      return response;
    },
  };

  /** Pages from the `page`-th on fail (counting pages served so far, plus one). */
  failFromPage(page: number): void {
    this.failFrom = page;
  }

  heal(): void {
    this.failFrom = Infinity;
  }
}

function recordingLog(): DirectoryLog & { messages: string[] } {
  const messages: string[] = [];
  return { messages, warn: (_fields, message) => void messages.push(message), info: (_fields, message) => void messages.push(message) };
}

describe('warming up a directory of a few thousand accounts', () => {
  it('resumes a load that failed part-way at the page where it stopped, and answers meanwhile', async () => {
    const pages = new LocatorPages();
    const counter = new RequestCounter();
    const client = createCosmosClient(suite.standIn.settings(database), suite.standIn.options({ plugins: [pages.plugin, counter.plugin] }));
    suite.clients.push(client);
    const log = recordingLog();
    // The background refresh never fires during the test: refreshes are run by hand.
    const directory = new CosmosDirectory(containersOf(client.database(database)), { locatorPageSize: PAGE, refreshMs: 3_600_000, rosterMaxAgeMs: 3_600_000 }, { log });
    suite.directories.push(directory);

    pages.failFromPage(3);
    await directory.warmUp(); // settles, never throws
    expect([pages.pages, pages.locators]).toEqual([2, 2 * PAGE]);
    expect(log.messages.filter((m) => m.startsWith('loading account roots stopped part-way'))).toHaveLength(1);

    // Ready and navigating before the roots are loaded: the roster is, and a missing root is one locator read.
    await expect(directory.ping()).resolves.toBeUndefined();
    expect(await directory.getAdmin(alex)).toMatchObject({ name: 'Alex Wilber' });
    const unloaded = `c-${CUSTOMERS - 1}`;
    const firstOpen = await counter.measure(async () => expect((await directory.getPath(unloaded))?.map((a) => a.id)).toEqual(['p', unloaded]));
    expect(firstOpen.requests).toEqual([expect.stringContaining('/colls/lookups/docs/locator~'), expect.stringContaining(`/colls/accounts/docs/${unloaded}`)]);

    // Still failing: the next refresh loses nothing it had, and reads nothing twice.
    await directory.refreshNow();
    expect([pages.pages, pages.locators]).toEqual([2, 2 * PAGE]);
    expect(log.messages.filter((m) => m.startsWith('loading account roots stopped part-way'))).toHaveLength(1); // said once per run of failures

    // Healed: the load goes on from page 3, so every locator is read exactly once in all.
    pages.heal();
    await directory.refreshNow();
    expect(pages.pages).toBe(Math.ceil(ACCOUNTS / PAGE));
    expect(pages.locators).toBe(ACCOUNTS);
    expect(log.messages).toContain('account roots loaded');

    // Every root is in memory now: opening any account is one point read.
    const other = `c-${CUSTOMERS - 2}`;
    const open = await counter.measure(() => directory.getPath(other));
    expect(open.requests).toEqual([expect.stringContaining(`/colls/accounts/docs/${other}`)]);
  }, 60_000);

  it('over HTTP: /readyz is 200 and turns are answered while the load of the roots is stalled', async () => {
    const pages = new LocatorPages();
    pages.failFromPage(2);
    setCosmosTestOptions(suite.standIn.options({ plugins: [pages.plugin], directory: { locatorPageSize: PAGE } }));
    const logged = await startLoggedServer({ DIRECTORY: 'cosmos', COSMOS_ENDPOINT: suite.standIn.endpoint, COSMOS_KEY: STAND_IN_KEY, COSMOS_DATABASE: database });
    try {
      const bot = BotClient.attach(logged.server);
      // The load stopped after its first page (the start-up's own attempt has settled once its log line is there).
      const deadline = Date.now() + 30_000;
      while (!logged.records().some((r) => String(r.msg).startsWith('loading account roots stopped part-way'))) {
        if (Date.now() > deadline) throw new Error('the load of the roots never reported stopping');
        await new Promise((r) => setTimeout(r, 50));
      }
      expect([pages.pages, pages.locators]).toEqual([1, PAGE]);
      expect((await fetch(`${logged.url}/readyz`)).status).toBe(200);
      const reply = textOf((await bot.say(alex, `open c-${CUSTOMERS - 1}`))[0]!);
      expect(reply).toContain(`Customer ${String(CUSTOMERS - 1).padStart(5, '0')}`);
      expect(pages.pages).toBe(1);
    } finally {
      await logged.close();
      setCosmosTestOptions(undefined);
    }
  }, 60_000);
});
