import { buildDocuments } from '../../src/directory/cosmos/build-documents';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { generateDirectory, writeSynthetic } from '../../bench/synthetic';
import { CosmosDirectory } from '../../src/directory/cosmos/cosmos-directory';
import { containersOf } from '../../src/directory/cosmos/containers';
import { createCosmosClient } from '../../src/directory/cosmos/cosmos-client';
import { runDirectoryCli } from '../../src/directory/cosmos/directory-cli';
import { CATALOG_ID } from '../../src/directory/cosmos/documents';
import { pointRead } from '../../src/directory/cosmos/point-read';
import type { DirectoryDocument } from '../../src/domain/directory-document';
import { projectPath } from '../../src/project-path';
import { entry } from '../contract/directory-contract';
import { FaultInjector, OutageProxy, RequestCounter, STAND_IN_KEY, useCosmosStandIn } from '../support/cosmos-server';
import { tempDir, writeDirectory } from '../support/directories';

/**
 * A 2,000-account import through the directory CLI against the stand-in: a re-import writes
 * nothing, an import killed midway carries on when run again and ends with the same directory as
 * a clean import, a changed file writes only what changed, and every request keeps to the CLI's
 * own deadline.
 */
const suite = useCosmosStandIn();
jest.setTimeout(90_000);

const synthetic = generateDirectory({ accounts: 2000, maxDepth: 6, wideChildren: 150, admins: 60, partners: 4, benchAdmins: 5, seed: 20261202 });
const FILE = writeSynthetic(synthetic, tempDir());
const built = buildDocuments(synthetic.doc);
/** Accounts, their search keys and locators, and the admins: what a first import writes. */
const DOCUMENTS = 2 * synthetic.doc.accounts.length + built.searchKeys.length + synthetic.doc.admins.length;

let databases = 0;
const WRITES = / docs (batch|upsert|create|replace|delete|patch) /;

interface Run {
  code: number;
  out: string[];
  err: string[];
  /** Requests that write (batches, upserts, replaces, deletes). */
  writes: number;
  requests: number;
}

async function cli(args: string[], database: string, extra: { endpoint?: string; counter?: RequestCounter; faults?: FaultInjector; onLine?: (line: string) => void } = {}): Promise<Run> {
  const counter = extra.counter ?? new RequestCounter();
  counter.reset();
  const out: string[] = [];
  const err: string[] = [];
  const env = { COSMOS_ENDPOINT: extra.endpoint ?? suite.standIn.endpoint, COSMOS_DATABASE: database, COSMOS_KEY: STAND_IN_KEY };
  const plugins = [counter.plugin, ...(extra.faults ? [extra.faults.plugin] : [])];
  const code = await runDirectoryCli(args, { env, connection: suite.standIn.options({ plugins }) }, {
    out: (l) => {
      out.push(l);
      extra.onLine?.(l);
    },
    err: (l) => err.push(l),
  });
  return { code, out, err, requests: counter.count, writes: counter.requests.filter((r) => WRITES.test(r)).length };
}

async function freshDatabase(): Promise<string> {
  const database = `import-${++databases}`;
  expect((await cli(['init'], database)).code).toBe(0);
  return database;
}

async function exported(database: string): Promise<string> {
  const file = path.join(tempDir(), 'export.json');
  expect(await cli(['export', file], database)).toMatchObject({ code: 0, err: [] });
  return readFileSync(file, 'utf8');
}

const written = (run: Run): number => Number(/Import complete: ([\d,]+) documents written/.exec(run.out.join('\n'))?.[1]?.replace(/,/g, '') ?? NaN);

/** What a clean import of the file exports: the reference every other route must reach. */
let cleanExport: string;
beforeAll(async () => {
  const database = await freshDatabase();
  const first = await cli(['import', FILE], database);
  expect(first).toMatchObject({ code: 0, err: [] });
  expect(written(first)).toBe(DOCUMENTS);
  cleanExport = await exported(database);
});

it('re-imports an unchanged file without writing anything, the catalogue included', async () => {
  const database = await freshDatabase();
  expect((await cli(['import', FILE], database)).code).toBe(0);
  const client = createCosmosClient(suite.standIn.settings(database), suite.standIn.options());
  suite.clients.push(client);
  const catalogBefore = await pointRead<{ _etag: string }>(containersOf(client.database(database)).lookups, CATALOG_ID, CATALOG_ID, AbortSignal.timeout(5000));

  const again = await cli(['import', FILE], database);
  expect(again.code).toBe(0);
  expect(again.writes).toBe(0);
  expect(again.out).toContain(`Import complete: the database already holds this directory (${DOCUMENTS.toLocaleString('en-GB')} documents unchanged); nothing written.`);
  const catalogAfter = await pointRead<{ _etag: string }>(containersOf(client.database(database)).lookups, CATALOG_ID, CATALOG_ID, AbortSignal.timeout(5000));
  expect(catalogAfter?._etag).toBe(catalogBefore?._etag);
  expect(await exported(database)).toBe(cleanExport);
});

it('carries on after the import process is killed midway, and ends with the directory a clean import gives', async () => {
  const entry = projectPath('dist', 'scripts', 'directory-cli.js');
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run npm run build (npm test does) before this test`);
  const database = await freshDatabase();
  // The child trusts the stand-in's certificate through the app's own setting.
  const child = spawn(process.execPath, ['--no-deprecation', entry, 'import', FILE], {
    env: { ...process.env, COSMOS_ENDPOINT: suite.standIn.endpoint, COSMOS_DATABASE: database, COSMOS_KEY: STAND_IN_KEY, COSMOS_TRUST_LOCAL_CERTIFICATE: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const killed = await new Promise<NodeJS.Signals | null>((resolve) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      // Killed as soon as the first accounts are written: the rest of the import never happens.
      if (/^ {2}accounts: [\d,]+ of /m.test(output) && child.exitCode === null) child.kill('SIGKILL');
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (_code, signal) => resolve(signal));
  });
  expect({ killed, output }).toMatchObject({ killed: 'SIGKILL' });
  const client = createCosmosClient(suite.standIn.settings(database), suite.standIn.options());
  suite.clients.push(client);
  // Interrupted before the catalogue: the app would report "no directory yet", not half of one.
  expect(await pointRead(containersOf(client.database(database)).lookups, CATALOG_ID, CATALOG_ID, AbortSignal.timeout(5000))).toBeUndefined();

  const resumed = await cli(['import', FILE], database);
  expect(resumed).toMatchObject({ code: 0, err: [] });
  const unchanged = Number(/^ {2}([\d,]+) documents already as the file has them/m.exec(resumed.out.join('\n'))?.[1]?.replace(/,/g, ''));
  expect(unchanged).toBeGreaterThanOrEqual(100);
  expect(written(resumed)).toBe(DOCUMENTS - unchanged);
  expect(await exported(database)).toBe(cleanExport);
});

it('writes only what a changed file changes, and puts back what was changed since the import', async () => {
  const database = await freshDatabase();
  expect((await cli(['import', FILE], database)).code).toBe(0);
  const doc = synthetic.doc;
  // A customer (no children) renamed, another removed, one admin gone. The removal changes the
  // counts its ancestors carry, and those are copied into every account of its tree.
  const leaves = doc.accounts.filter((a) => a.parentId !== null && !doc.accounts.some((c) => c.parentId === a.id) && !doc.admins.some((m) => m.memberships.some((x) => x.accountId === a.id)));
  const [renamed, removed] = [leaves[0]!, leaves[1]!];
  const changed: DirectoryDocument = {
    ...doc,
    accounts: doc.accounts.filter((a) => a.id !== removed.id).map((a) => (a.id === renamed.id ? { ...a, name: `${a.name} Renamed` } : a)),
    admins: doc.admins.slice(1),
  };
  const changedFile = writeDirectory(changed);

  // A subscription change made through the bot since the import: the file's quantities win.
  const client = createCosmosClient(suite.standIn.settings(database), suite.standIn.options());
  suite.clients.push(client);
  const cosmos = new CosmosDirectory(containersOf(client.database(database)));
  suite.directories.push(cosmos);
  const target = synthetic.plan.admins[0]!.reviewTargets[0]!;
  const account = await cosmos.getAccount(target.accountId);
  const subscriptions = account!.subscriptions.map((s) => (s.sku === target.sku ? { ...s, quantity: s.quantity + 1 } : s));
  expect(await cosmos.applySubscriptionChange({ accountId: target.accountId, expectedVersion: account!.version, subscriptions, entry: entry(target.accountId) })).toMatchObject({ status: 'applied' });

  const run = await cli(['import', changedFile], database);
  expect(run).toMatchObject({ code: 0, err: [] });
  // One account, its search keys and its locator deleted, one admin marked removed; rewritten: the
  // renamed account and its search keys, the one changed since, and the removed account's tree
  // (its counts changed) with the search keys of its accounts; nothing else.
  const keysOf = (docs: ReturnType<typeof buildDocuments>, ids: ReadonlySet<string>): number => docs.searchKeys.filter((k) => ids.has(k.accountId)).length;
  expect(run.out.join('\n')).toMatch(new RegExp(`Import complete: [\\d,]+ documents written, ${2 + keysOf(built, new Set([removed.id]))} removed, 1 marked removed`));
  const treeOf = (id: string): string => { let a = doc.accounts.find((x) => x.id === id)!; while (a.parentId) a = doc.accounts.find((x) => x.id === a.parentId)!; return a.id; };
  const removedTree = new Set(changed.accounts.filter((a) => treeOf(a.id) === treeOf(removed.id)).map((a) => a.id));
  expect(written(run)).toBeLessThanOrEqual(removedTree.size + keysOf(buildDocuments(changed), new Set([...removedTree, renamed.id])) + 2);
  expect(written(run)).toBeGreaterThanOrEqual(2);

  const reference = await freshDatabase();
  expect((await cli(['import', changedFile], reference)).code).toBe(0);
  const expected = JSON.parse(await exported(reference)) as DirectoryDocument;
  const actual = JSON.parse(await exported(database)) as DirectoryDocument;
  // The same directory; the change made through the bot stays in the audit trail, as history.
  expect({ ...actual, audit: [] }).toEqual({ ...expected, audit: [] });
  expect(actual.audit?.map((e) => e.accountId)).toEqual([target.accountId]);
});

it('keeps every request to its own deadline and retries transient failures, then says how to carry on', async () => {
  const database = await freshDatabase();
  // Throttling and a server error on the first writes: retried, and the import completes.
  const faults = new FaultInjector();
  faults.inject('batch', { kind: 'status', status: 503 }, 2);
  faults.inject('batch', { kind: 'throttled', retryAfterMs: 10 }, 2);
  const flaky = await cli(['import', FILE, '--retries', '3'], database, { faults });
  expect(flaky).toMatchObject({ code: 0, err: [] });
  expect(await exported(database)).toBe(cleanExport);

  // Cosmos DB stops answering once the import has started writing: each attempt is abandoned at
  // the request timeout, retried, and the import stops with the cause and what to do.
  const second = await freshDatabase();
  const proxy = await OutageProxy.start(suite.standIn.port);
  try {
    const onLine = (line: string): void => {
      if (line.includes('documents already as the file has them')) proxy.set('hang');
    };
    const hung = await cli(['import', FILE, '--request-timeout-ms', '1000', '--retries', '2'], second, { endpoint: `https://127.0.0.1:${proxy.port}`, onLine });
    expect(hung.code).toBe(1);
    // Writing, unless a loaded machine made the scan itself outlast the short timeout first.
    expect(hung.err.join('\n')).toMatch(/^import failed: (Writing accounts to|Reading what accounts) partition "[^"]+"( holds, page \d+)? failed \(tried 3 times\): .*1000 ms request timeout/);
    expect(hung.err.join('\n')).toContain('Run the same import again to carry on: what is already written is compared and skipped.');

    proxy.set('pass');
    const resumed = await cli(['import', FILE], second, { endpoint: `https://127.0.0.1:${proxy.port}` });
    expect(resumed).toMatchObject({ code: 0, err: [] });
  } finally {
    await proxy.close();
  }
  expect(await exported(second)).toBe(cleanExport);
});
