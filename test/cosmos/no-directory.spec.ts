import { AdminAccess } from '../../src/app/access';
import { createContainers } from '../../src/directory/cosmos/containers';
import { CosmosDirectory, type DirectoryLog } from '../../src/directory/cosmos/cosmos-directory';
import { importDirectory } from '../../src/directory/cosmos/directory-transfer';
import { readDirectoryFile } from '../../src/directory/directory-file';
import { AccountNotFoundError, DirectoryUnavailableError } from '../../src/domain/errors';
import { setCosmosTestOptions } from '../../src/directory/cosmos/open-cosmos';
import { BotClient, textOf } from '../support/bot-client';
import { createDatabase, STAND_IN_KEY, useCosmosStandIn } from '../support/cosmos-server';
import { ALEX, DEMO_FILE, TENANT } from '../support/directories';
import { startLoggedServer } from '../support/logged-server';

/**
 * A directory that is not there (the database emptied or recreated under a running app, or
 * never imported) is an outage, not a wrong name: lookups answer "directory unavailable" and
 * log why, while a real missing account in a directory that is there still reads as not found.
 */
const suite = useCosmosStandIn();
const { clients, directories } = suite;

const alex = { tenantId: TENANT, aadObjectId: ALEX };

function recordingLog(): DirectoryLog & { lines: { level: string; fields: object; message: string }[] } {
  const lines: { level: string; fields: object; message: string }[] = [];
  return { lines, warn: (fields, message) => lines.push({ level: 'warn', fields, message }), info: (fields, message) => lines.push({ level: 'info', fields, message }) };
}

/** A running directory over the demo, with its admins loaded; `empty()` recreates the database under it. */
async function running(): Promise<{ directory: CosmosDirectory; log: ReturnType<typeof recordingLog>; empty: () => Promise<void>; refill: () => Promise<void> }> {
  const { client, containers, database } = await createDatabase(suite.standIn);
  clients.push(client);
  await importDirectory(containers, readDirectoryFile(DEMO_FILE), () => undefined);
  const log = recordingLog();
  const directory = new CosmosDirectory(containers, {}, { log });
  directories.push(directory);
  await directory.warmUp();
  return {
    directory,
    log,
    async empty() {
      await client.database(database).delete();
      await createContainers(client, database);
    },
    async refill() {
      await importDirectory(containers, readDirectoryFile(DEMO_FILE), () => undefined);
    },
  };
}

describe('a directory that is not there', () => {
  it('still says not found for a missing account while the directory is there', async () => {
    const { directory } = await running();
    expect(await directory.getPath('no-such-account')).toBeUndefined();
    await expect(new AdminAccess(directory).authorizeOpen((await directory.getAdmin(alex))!, 'no-such-account')).rejects.toBeInstanceOf(AccountNotFoundError);

    // Emptied under the running app: the same lookups are an outage now.
    const { directory: emptied, empty, log } = await running();
    await empty();
    for (const lookup of [() => emptied.getPath('acme-dental'), () => emptied.getAccount('acme-dental'), () => emptied.getSummary('no-such-account')]) {
      await expect(lookup()).rejects.toMatchObject({ constructor: DirectoryUnavailableError, reason: 'no directory imported' });
    }
    expect(log.lines.filter((l) => l.level === 'warn').map((l) => l.message)).toEqual([expect.stringContaining('no directory')]);
  });

  it('answers a turn with "directory unavailable", not "account not found", and recovers after an import', async () => {
    const { directory, empty, refill, log } = await running();
    const access = new AdminAccess(directory);
    const atKestrel = { accountId: 'kestrel-print', scopeRootId: 'northwind' };
    expect((await access.here(alex, { accountId: 'acme-dental', scopeRootId: 'northwind' })).account.id).toBe('acme-dental');
    await empty();
    // An account this instance has not read yet (one it has stays in its cache for accountTtlMs).
    await expect(access.here(alex, atKestrel)).rejects.toBeInstanceOf(DirectoryUnavailableError);
    await expect(directory.search('acme', { withinRootIds: ['northwind'], limit: 5 })).rejects.toBeInstanceOf(DirectoryUnavailableError);
    await expect(directory.ping()).rejects.toMatchObject({ reason: 'no directory imported' });

    await refill();
    expect((await access.here(alex, atKestrel)).account.id).toBe('kestrel-print');
    await expect(directory.ping()).resolves.toBeUndefined();
    // The start-up's own line about loading the roots aside.
    expect(log.lines.filter((l) => !l.message.startsWith('account roots')).map((l) => l.level)).toEqual(['warn', 'info']);
  });

  it('over HTTP: the "directory unavailable" card, /readyz and the log say why', async () => {
    const { client, containers, database } = await createDatabase(suite.standIn);
    clients.push(client);
    await importDirectory(containers, readDirectoryFile(DEMO_FILE), () => undefined);
    setCosmosTestOptions(suite.standIn.options());
    const logged = await startLoggedServer({ DIRECTORY: 'cosmos', COSMOS_ENDPOINT: suite.standIn.endpoint, COSMOS_KEY: STAND_IN_KEY, COSMOS_DATABASE: database });
    const bot = BotClient.attach(logged.server);
    const say = async (text: string): Promise<string> => textOf((await bot.say({ aadObjectId: ALEX }, text))[0]!);
    try {
      expect(await say('where am i')).toContain('Account id: northwind');
      expect(await say('open no-such-account')).not.toContain('The directory is unavailable');
      await client.database(database).delete();
      await createContainers(client, database);

      expect(await say('open kestrel-print')).toContain('The directory is unavailable');
      const ready = await fetch(`${logged.url}/readyz`);
      expect({ status: ready.status, body: await ready.json() }).toEqual({ status: 503, body: { status: 'directory unavailable', reason: 'no directory imported' } });
      expect(logged.records().filter((r) => r.level === 40 && String(r.msg).includes('no directory'))).toHaveLength(1);
    } finally {
      setCosmosTestOptions(undefined);
      await bot.close();
    }
  });
});
