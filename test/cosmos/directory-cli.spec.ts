import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CosmosDirectory } from '../../src/directory/cosmos/cosmos-directory';
import { containersOf } from '../../src/directory/cosmos/containers';
import { runDirectoryCli } from '../../src/directory/cosmos/directory-cli';
import { readDirectoryFile, DirectoryFileError } from '../../src/directory/directory-file';
import { EmbeddedDirectory } from '../../src/directory/embedded/embedded-directory';
import type { DirectoryDocument } from '../../src/domain/directory-document';
import { entry, subs } from '../contract/directory-contract';
import { createCosmosClient } from '../../src/directory/cosmos/cosmos-client';
import { DEMO_FILE, tempDir, wideDirectory, writeDirectory } from '../support/directories';
import { STAND_IN_KEY, startCosmosStandIn, type CosmosStandIn } from '../support/cosmos-server';

/** `npm run directory -- import|export|init`, run in-process against the stand-in. */
let standIn: CosmosStandIn;
beforeAll(async () => {
  standIn = await startCosmosStandIn();
});
afterAll(() => standIn.close());

let databaseCount = 0;
/** Runs the CLI with its own database; returns the exit code and what it printed. */
async function cli(args: string[], database: string): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const env = { COSMOS_ENDPOINT: standIn.endpoint, COSMOS_DATABASE: database, COSMOS_KEY: STAND_IN_KEY };
  const code = await runDirectoryCli(args, { env, connection: standIn.options() }, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}
const freshDatabase = async (): Promise<string> => {
  const database = `cli-${++databaseCount}`;
  expect((await cli(['init'], database)).code).toBe(0);
  return database;
};
const exported = async (database: string): Promise<{ doc: DirectoryDocument; text: string }> => {
  const file = path.join(tempDir(), 'export.json');
  const result = await cli(['export', file], database);
  expect(result).toMatchObject({ code: 0, err: [] });
  return { doc: readDirectoryFile(file), text: readFileSync(file, 'utf8') };
};
/** What the embedded directory holds for the same file: the reference for "the same directory". */
const embeddedDocument = async (file: string): Promise<DirectoryDocument> => (await EmbeddedDirectory.open({ seedFile: file })).toDocument();

describe('directory import and export', () => {
  it('round-trips the demo directory: import then export gives the same directory', async () => {
    const database = await freshDatabase();
    const result = await cli(['import', DEMO_FILE], database);
    expect(result.code).toBe(0);
    expect(result.out).toContain('  accounts: 38 of 38');
    expect(result.out).toContain('Import complete: 233 documents written, 0 removed, 0 marked removed, 0 unchanged; catalogue written last.');

    const { doc, text } = await exported(database);
    expect(doc).toEqual(await embeddedDocument(DEMO_FILE));

    // and the exported file imports to the very same export again
    const file = path.join(tempDir(), 'again.json');
    writeFileSync(file, text);
    const second = await freshDatabase();
    expect((await cli(['import', file], second)).code).toBe(0);
    expect((await exported(second)).text).toBe(text);
  });

  it("exports changes applied since the import: each account's audit entries in applied order, accounts interleaved by time", async () => {
    const database = await freshDatabase();
    const seed = writeDirectory(wideDirectory(3));
    expect((await cli(['import', seed], database)).code).toBe(0);
    const client = createCosmosClient(standIn.settings(database), standIn.options());
    const cosmos = new CosmosDirectory(containersOf(client.database(database)));
    const embedded = await EmbeddedDirectory.open({ seedFile: seed });
    const changes = [
      { accountId: 'c-1', expectedVersion: '1', subscriptions: subs(11), entry: entry('c-1', { at: '2025-03-01T00:00:00.000Z' }) },
      { accountId: 'c-0', expectedVersion: '1', subscriptions: subs(12), entry: entry('c-0', { at: '2025-02-01T00:00:00.000Z' }) },
      { accountId: 'c-0', expectedVersion: '2', subscriptions: subs(13), entry: entry('c-0', { at: '2025-04-01T00:00:00.000Z' }) },
    ];
    for (const change of changes) {
      await cosmos.applySubscriptionChange(change);
      await embedded.applySubscriptionChange(change);
    }
    client.dispose();

    const { doc, text } = await exported(database);
    expect(doc.accounts).toEqual(embedded.toDocument().accounts);
    expect(doc.audit!.map((e) => e.id)).toEqual([changes[1]!, changes[0]!, changes[2]!].map((c) => c.entry.id));

    // re-imported elsewhere, the trail and the versions carry on
    const file = path.join(tempDir(), 'with-audit.json');
    writeFileSync(file, text);
    const second = await freshDatabase();
    expect((await cli(['import', file], second)).code).toBe(0);
    const client2 = createCosmosClient(standIn.settings(second), standIn.options());
    const moved = new CosmosDirectory(containersOf(client2.database(second)));
    expect((await moved.auditTrail('c-0', 10)).map((e) => e.id)).toEqual([changes[2]!.entry.id, changes[1]!.entry.id]);
    expect(await moved.applySubscriptionChange({ accountId: 'c-0', expectedVersion: '3', subscriptions: subs(14), entry: entry('c-0') })).toMatchObject({ status: 'applied' });
    expect((await moved.auditTrail('c-0', 1))[0]?.lines).toBeDefined();
    expect(await moved.findChange('c-0', changes[1]!.entry.actionId)).toEqual(changes[1]!.entry);
    client2.dispose();
  });

  it('is safe to run twice: the second import changes nothing', async () => {
    const database = await freshDatabase();
    expect((await cli(['import', DEMO_FILE], database)).code).toBe(0);
    const once = (await exported(database)).text;
    const again = await cli(['import', DEMO_FILE], database);
    expect(again.code).toBe(0);
    expect(again.out).toContain('Import complete: the database already holds this directory (233 documents unchanged); nothing written.');
    expect((await exported(database)).text).toBe(once);
  });

  it('refuses an invalid file with the loader\'s own messages, before writing anything', async () => {
    const database = await freshDatabase();
    const bad = writeDirectory({ ...wideDirectory(1), accounts: [...wideDirectory(1).accounts, { id: 'orphan', name: 'Orphan', parentId: 'missing' }] });
    const expected = (() => {
      try {
        readDirectoryFile(bad);
      } catch (error) {
        return (error as DirectoryFileError).message;
      }
      throw new Error('the file should be invalid');
    })();
    const result = await cli(['import', bad], database);
    expect(result).toMatchObject({ code: 1, out: [] });
    expect(result.err).toEqual([expected]);
    expect(expected).toContain('$.accounts[5].parentId: unknown parent account "missing"');
    const nothing = await cli(['export', path.join(tempDir(), 'x.json')], database);
    expect(nothing.code).toBe(1);
    expect(nothing.err.join('\n')).toContain('no directory has been imported');
  });

  it('says which containers are missing', async () => {
    const client = createCosmosClient(standIn.settings('half'), standIn.options());
    await client.databases.createIfNotExists({ id: 'half' });
    await client.database('half').containers.createIfNotExists({ id: 'accounts', partitionKey: { paths: ['/rootId'] } });
    client.dispose();
    const result = await cli(['import', DEMO_FILE], 'half');
    expect(result.code).toBe(1);
    expect(result.err.join('\n')).toContain('container "lookups" (partition key /pk) is missing from database "half"');
    expect(result.err.join('\n')).toContain('container "botState" (partition key /id) is missing');
    expect(result.err.join('\n')).not.toContain('"accounts"');
  });

  it('explains its usage and refuses bad settings', async () => {
    expect((await cli([], 'x')).code).toBe(2);
    expect((await cli(['import'], 'x')).err.join('\n')).toContain('Usage: npm run directory');
    expect((await cli(['frobnicate', 'a'], 'x')).code).toBe(2);
    const out: string[] = [];
    const err: string[] = [];
    const code = await runDirectoryCli(['import', DEMO_FILE], { env: { COSMOS_ENDPOINT: 'http://insecure:8081' } }, { out: (l) => out.push(l), err: (l) => err.push(l) });
    expect(code).toBe(2);
    expect(err.join('\n')).toContain('COSMOS_ENDPOINT must be an https:// URL');
    const remote = await runDirectoryCli(['init', '--trust-local-certificate'], { env: { COSMOS_ENDPOINT: 'https://prod.documents.azure.com:443/', COSMOS_KEY: STAND_IN_KEY } }, { out: (l) => out.push(l), err: (l) => err.push(l) });
    expect(remote).toBe(2);
    expect(err.join('\n')).toContain('--trust-local-certificate (COSMOS_TRUST_LOCAL_CERTIFICATE) is only for a local emulator on a loopback address, not prod.documents.azure.com');
    const badTimeout = await cli(['import', DEMO_FILE, '--request-timeout-ms', '5s'], 'x');
    expect(badTimeout).toMatchObject({ code: 2, err: ['--request-timeout-ms must be a whole number from 100 to 600000 (got "5s")'] });
    const unknown = await cli(['import', DEMO_FILE, '--fast'], 'x');
    expect(unknown.code).toBe(2);
    expect(unknown.err.join('\n')).toContain("Unknown option '--fast'");
  });
});
