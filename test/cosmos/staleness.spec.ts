import { DEFAULT_NAVIGATOR_OPTIONS, Navigator } from '../../src/app/navigator';
import type { TreeView } from '../../src/app/views';
import { loadConfig } from '../../src/config';
import { buildDocuments } from '../../src/directory/cosmos/build-documents';
import { containersOf, type CosmosContainers } from '../../src/directory/cosmos/containers';
import { createCosmosClient } from '../../src/directory/cosmos/cosmos-client';
import { CosmosDirectory, type CosmosDirectoryOptions } from '../../src/directory/cosmos/cosmos-directory';
import { importDirectory } from '../../src/directory/cosmos/directory-transfer';
import { CATALOG_ID } from '../../src/directory/cosmos/documents';
import { setCosmosTestOptions } from '../../src/directory/cosmos/open-cosmos';
import { readDirectoryFile } from '../../src/directory/directory-file';
import type { AccountRecord, DirectoryDocument } from '../../src/domain/directory-document';
import { InvalidActionError } from '../../src/domain/errors';
import type { Position } from '../../src/domain/navigation';
import { DEFAULT_PORTAL_TEMPLATES } from '../../src/domain/portals';
import { startServer } from '../../src/server';
import { BotClient, textOf } from '../support/bot-client';
import { cosmosDirectoryWith, FaultInjector, STAND_IN_KEY, useCosmosStandIn } from '../support/cosmos-server';
import { ALEX, DEMO_FILE, MEGAN, TENANT, wideDirectory } from '../support/directories';

/**
 * Every view of one account agrees with the others across instances, within the bound that
 * docs/cosmos.md ("Caches") states: the instance under test keeps the production cache lifetimes
 * (account documents 30 s, tree data and catalogue 5 min), and an import made elsewhere reaches
 * all of its views at once, when it next checks the catalogue (importCheckMs). The check is run
 * by hand where the test says so, and by the directory's own timer otherwise.
 */
const suite = useCosmosStandIn();
const { clients, directories } = suite;
const alex = { tenantId: TENANT, aadObjectId: ALEX };
const demo = (): DirectoryDocument => readDirectoryFile(DEMO_FILE);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The demo with one account renamed. */
function renamed(doc: DirectoryDocument, id: string, name: string): DirectoryDocument {
  return { ...doc, accounts: doc.accounts.map((a) => (a.id === id ? { ...a, name } : a)) };
}

function withChild(doc: DirectoryDocument, child: AccountRecord): DirectoryDocument {
  return { ...doc, accounts: [...doc.accounts, child] };
}

const NEW_CHILD: AccountRecord = { id: 'aardvark-audio', name: 'Aardvark Audio', parentId: 'northwind', kind: 'customer' };

interface Instance {
  readonly directory: CosmosDirectory;
  readonly navigator: Navigator;
  readonly containers: CosmosContainers;
  /** Imports `doc` with the real import code, as an operator would from another machine. */
  reimport(doc: DirectoryDocument): Promise<void>;
}

/** An instance over a fresh database holding `doc`, warmed up as the server does it. */
async function instance(doc: DirectoryDocument, options: Partial<CosmosDirectoryOptions> = {}): Promise<Instance> {
  // No timer check unless a test asks for one: it would make the "before the check" steps race it.
  const opened = await cosmosDirectoryWith(suite.standIn, doc, { importCheckMs: 3_600_000, ...options });
  clients.push(opened.client);
  directories.push(opened.directory);
  await opened.directory.warmUp();
  return {
    directory: opened.directory,
    navigator: navigatorOver(opened.directory),
    containers: opened.containers,
    reimport: async (next) => {
      await importDirectory(opened.containers, next, () => undefined);
    },
  };
}

/** Another instance on the same database (its own caches). */
async function otherInstance(on: Instance): Promise<Navigator> {
  const directory = new CosmosDirectory(on.containers);
  directories.push(directory);
  await directory.warmUp();
  return navigatorOver(directory);
}

function navigatorOver(directory: CosmosDirectory): Navigator {
  return new Navigator(directory, { ...DEFAULT_NAVIGATOR_OPTIONS, portals: DEFAULT_PORTAL_TEMPLATES });
}

async function positionAt(navigator: Navigator, accountId: string): Promise<Position> {
  return (await navigator.open(alex, undefined, accountId)).position;
}

/** What an admin sees of tailspin from each view: its own card, a descendant's breadcrumb, its parent's listing, a search. */
async function namesOfTailspin(navigator: Navigator): Promise<Record<string, string | undefined>> {
  const own = await navigator.open(alex, undefined, 'tailspin');
  const below = await navigator.open(alex, undefined, 'kestrel-print');
  const listing = await navigator.children(alex, below.position, 'northwind');
  const found = await navigator.find(alex, below.position, 'kestrel print');
  return {
    whereAmI: own.view.account.name,
    breadcrumb: below.view.breadcrumb.find((step) => step.id === 'tailspin')?.name,
    listing: listing.view.rows.find((row) => row.id === 'tailspin')?.name,
    search: found.view.results.find((r) => r.account.id === 'kestrel-print')?.breadcrumbText.split(' > ')[1],
  };
}

const everywhere = (name: string) => ({ whereAmI: name, breadcrumb: name, listing: name, search: name });

/** A page's line "Showing first–last of total · page n of m" must be possible, whatever was cached. */
function expectPossible(tree: TreeView): void {
  expect(tree.lastIndex).toBeLessThanOrEqual(tree.total);
  expect(tree.lastIndex - tree.firstIndex + 1).toBe(tree.rows.length);
  expect(tree.pageNumber).toBeLessThanOrEqual(tree.pageCount);
  expect(tree.next !== undefined).toBe(tree.lastIndex < tree.total);
}

describe('a rename by import, seen through an instance with warm caches', () => {
  it('moves where-am-i, the breadcrumb, the listing and search to the new name together, at the next import check', async () => {
    const b = await instance(demo());
    expect(await namesOfTailspin(b.navigator)).toEqual(everywhere('Tailspin Networks'));

    await b.reimport(renamed(demo(), 'tailspin', 'Albatross Telecom'));
    // Before the check: the queries already see the import, the cached documents do not (the disagreement).
    const before = await namesOfTailspin(b.navigator);
    expect(before.listing).toBe('Albatross Telecom');
    expect(before.whereAmI).toBe('Tailspin Networks');

    await b.directory.checkForImport();
    expect(await namesOfTailspin(b.navigator)).toEqual(everywhere('Albatross Telecom'));
  });

  it('needs no hand: the directory checks by itself every importCheckMs, long before any cache expires', async () => {
    const b = await instance(demo(), { importCheckMs: 200 });
    expect(await namesOfTailspin(b.navigator)).toEqual(everywhere('Tailspin Networks'));
    await b.reimport(renamed(demo(), 'tailspin', 'Albatross Telecom'));
    // The caches live 30 s and 5 min: only the check can make every view agree within this wait.
    const deadline = Date.now() + 10_000;
    let seen = await namesOfTailspin(b.navigator);
    while (JSON.stringify(seen) !== JSON.stringify(everywhere('Albatross Telecom')) && Date.now() < deadline) {
      await sleep(100);
      seen = await namesOfTailspin(b.navigator);
    }
    expect(seen).toEqual(everywhere('Albatross Telecom'));
  });

  it('drops its caches too when a check fails, since nothing then proves them current', async () => {
    const seeded = await instance(demo());
    const faults = new FaultInjector();
    const client = createCosmosClient(suite.standIn.settings(seeded.containers.accounts.database.id), suite.standIn.options({ plugins: [faults.plugin] }));
    clients.push(client);
    const b = new CosmosDirectory(containersOf(client.database(seeded.containers.accounts.database.id)), { importCheckMs: 3_600_000 });
    directories.push(b);
    await b.warmUp();
    const navigator = navigatorOver(b);
    expect(await namesOfTailspin(navigator)).toEqual(everywhere('Tailspin Networks'));

    await seeded.reimport(renamed(demo(), 'tailspin', 'Albatross Telecom'));
    faults.inject('read', { kind: 'status', status: 503 }, 100, CATALOG_ID);
    await b.checkForImport();
    expect(faults.count('read')).toBeGreaterThan(0);
    faults.reset();
    expect(await namesOfTailspin(navigator)).toEqual(everywhere('Albatross Telecom'));
  });
});

describe('admins removed by an import', () => {
  it('lose their access at the import check that sees the import, not at the next 30 s roster refresh', async () => {
    const b = await instance(demo());
    const megan = { tenantId: TENANT, aadObjectId: MEGAN };
    expect(await b.directory.getAdmin(megan)).toMatchObject({ name: 'Megan Bowen' });
    const file = demo();
    await b.reimport({ ...file, admins: file.admins.filter((a) => a.aadObjectId !== MEGAN) });
    await b.directory.checkForImport();
    // The roster refresh the check asked for runs in the background; the 30 s one is far off.
    const deadline = Date.now() + 10_000;
    while ((await b.directory.getAdmin(megan)) !== undefined && Date.now() < deadline) await sleep(50);
    expect(await b.directory.getAdmin(megan)).toBeUndefined();
  });
});

describe('the count of a page and its rows agree', () => {
  it('lists a child added by import with a count that includes it, and the account card then says the same', async () => {
    const b = await instance(demo());
    const at = await positionAt(b.navigator, 'northwind');
    expect((await b.navigator.whereAmI(alex, at)).view.childCount).toBe(15);
    const page = await b.navigator.children(alex, at);
    expect(page.view).toMatchObject({ total: 15, firstIndex: 1, lastIndex: 15 });

    await b.reimport(withChild(demo(), NEW_CHILD));
    // No check yet: the parent's cached count (15) is older than the rows (16), so it is read again.
    const after = await b.navigator.children(alex, at);
    expectPossible(after.view);
    expect(after.view).toMatchObject({ total: 16, firstIndex: 1, lastIndex: 16 });
    expect(after.view.rows.map((r) => r.id)).toContain('aardvark-audio');
    expect((await b.navigator.whereAmI(alex, at)).view.childCount).toBe(16);
  });

  it('never shows more rows than its total while an import is still writing (the child written, its parent not yet)', async () => {
    const b = await instance(demo());
    const at = await positionAt(b.navigator, 'northwind');
    await b.navigator.children(alex, at); // the parent's count (15) is cached
    const child = buildDocuments(withChild(demo(), NEW_CHILD)).accounts.find((a) => a.id === NEW_CHILD.id)!;
    await b.containers.accounts.items.upsert(child);

    const midImport = await b.navigator.children(alex, at);
    expectPossible(midImport.view);
    expect(midImport.view).toMatchObject({ total: 16, lastIndex: 16 });
  });

  it('ends the list where its rows end when a child was removed, and refuses a page that emptied out', async () => {
    const b = await instance(wideDirectory(20)); // 21 children: the reseller and 20 customers
    const at = await positionAt(b.navigator, 'p');
    const first = await b.navigator.children(alex, at);
    expect(first.view).toMatchObject({ total: 21, lastIndex: 20, pageCount: 2 });

    const wide = wideDirectory(20);
    await b.reimport({ ...wide, accounts: wide.accounts.filter((a) => a.id !== 'c-19') });
    // The only child of page 2 is gone: a specific message, never "Showing 21–20 of 20".
    await expect(b.navigator.children(alex, at, undefined, first.view.next)).rejects.toThrow('That page of the list no longer exists');

    const northwind = await instance(demo());
    const home = await positionAt(northwind.navigator, 'northwind');
    expect((await northwind.navigator.children(alex, home)).view).toMatchObject({ total: 15, lastIndex: 15 });
    const file = demo();
    await northwind.reimport({ ...file, accounts: file.accounts.filter((a) => a.id !== 'kingsway-motors') });
    // The cached count (15) says one more than the rows: the list ends where its rows do.
    const shorter = await northwind.navigator.children(alex, home);
    expectPossible(shorter.view);
    expect(shorter.view).toMatchObject({ total: 14, firstIndex: 1, lastIndex: 14 });
    expect((await northwind.navigator.whereAmI(alex, home)).view.childCount).toBe(14);
  });

  it('follows a page token made by an instance that has seen more children than this one', async () => {
    const b = await instance(wideDirectory(18)); // 19 children: one page, and its count cached here
    const at = await positionAt(b.navigator, 'p');
    expect((await b.navigator.children(alex, at)).view).toMatchObject({ total: 19, pageCount: 1 });

    await b.reimport(wideDirectory(30));
    const a = await otherInstance(b);
    const onA = await a.children(alex, await positionAt(a, 'p'));
    expect(onA.view).toMatchObject({ total: 31, lastIndex: 20 });

    const onB = await b.navigator.children(alex, at, undefined, onA.view.next);
    expectPossible(onB.view);
    expect(onB.view).toMatchObject({ total: 31, firstIndex: 21, lastIndex: 31, pageNumber: 2, pageCount: 2 });
  });

  it('still refuses a token past the end of the list as it is now', async () => {
    const b = await instance(wideDirectory(30));
    const at = await positionAt(b.navigator, 'p');
    const first = await b.navigator.children(alex, at);
    await b.reimport(wideDirectory(10));
    await expect(b.navigator.children(alex, at, undefined, first.view.next)).rejects.toBeInstanceOf(InvalidActionError);
  });
});

describe('over HTTP, the real server with a short COSMOS_IMPORT_CHECK_MS', () => {
  afterEach(() => setCosmosTestOptions(undefined));

  it('shows a rename made by an import on every card of the conversation within the check interval', async () => {
    const seeded = await instance(demo());
    setCosmosTestOptions(suite.standIn.options());
    const config = loadConfig({
      NODE_ENV: 'test',
      PORT: '0',
      LOG_LEVEL: 'silent',
      INSECURE_UNAUTHENTICATED_LOOPBACK: 'true',
      DIRECTORY: 'cosmos',
      COSMOS_ENDPOINT: suite.standIn.endpoint,
      COSMOS_KEY: STAND_IN_KEY,
      COSMOS_DATABASE: seeded.containers.accounts.database.id,
      COSMOS_IMPORT_CHECK_MS: '200',
    });
    const bot = BotClient.attach(await startServer(config));
    try {
      const person = { aadObjectId: ALEX };
      const cards = async (): Promise<string> => {
        const here = textOf((await bot.say(person, 'open kestrel-print'))[0]!);
        const found = (await bot.say(person, 'find kestrel')).map(textOf).join('\n');
        return `${here}\n${found}`;
      };
      expect(await cards()).toContain('Tailspin Networks');

      await seeded.reimport(renamed(demo(), 'tailspin', 'Albatross Telecom'));
      const deadline = Date.now() + 10_000;
      let text = await cards();
      while ((text.includes('Tailspin Networks') || !text.includes('Albatross Telecom')) && Date.now() < deadline) {
        await sleep(100);
        text = await cards();
      }
      expect(text).toContain('Albatross Telecom');
      expect(text).not.toContain('Tailspin Networks');
    } finally {
      await bot.close();
    }
  });
});
