import { containersOf, type CosmosContainers } from '../../src/directory/cosmos/containers';
import { createCosmosClient } from '../../src/directory/cosmos/cosmos-client';
import { CosmosDirectory, type DirectoryLog } from '../../src/directory/cosmos/cosmos-directory';
import { adminKey } from '../../src/domain/admins';
import { ADMIN_PARTITION, adminDocId, type AdminDoc } from '../../src/directory/cosmos/documents';
import { setCosmosTestOptions } from '../../src/directory/cosmos/open-cosmos';
import { readDirectoryFile } from '../../src/directory/directory-file';
import { DirectoryUnavailableError } from '../../src/domain/errors';
import { BotClient, textOf } from '../support/bot-client';
import { cosmosDirectoryWith, FaultInjector, STAND_IN_KEY, useCosmosStandIn } from '../support/cosmos-server';
import { ALEX, DEMO_FILE, MEGAN, TENANT } from '../support/directories';
import { startLoggedServer } from '../support/logged-server';

/**
 * The admin roster is held in memory and refreshed by a query. While that query fails (point
 * reads still answering), no instance may go on authorizing from a roster older than its bound:
 * a removed admin loses access within the bound, the instance says so (/readyz, the log), and
 * service comes back by itself once a refresh succeeds.
 */
const alex = { tenantId: TENANT, aadObjectId: ALEX };
const megan = { tenantId: TENANT, aadObjectId: MEGAN };

const suite = useCosmosStandIn();
const { clients } = suite;

/** A database holding the demo directory, and containers of a client of its own (no faults) to edit it with. */
async function demoDatabase(): Promise<{ database: string; editor: CosmosContainers }> {
  const { database, client } = await cosmosDirectoryWith(suite.standIn, readDirectoryFile(DEMO_FILE));
  clients.push(client);
  return { database, editor: containersOf(client.database(database)) };
}

/** Marks an admin removed, as an import that no longer has them does. */
async function removeAdmin(editor: CosmosContainers, caller: { tenantId: string; aadObjectId: string }): Promise<void> {
  const id = adminDocId(adminKey(caller));
  const { resource } = await editor.lookups.item(id, ADMIN_PARTITION).read<AdminDoc & Record<string, unknown>>();
  if (!resource) throw new Error(`no admin document ${id}`);
  const kept = Object.fromEntries(Object.entries(resource).filter(([k]) => !k.startsWith('_')));
  await editor.lookups.items.upsert({ ...kept, removed: true });
}

/** Every query fails from now on (the roster refresh among them); point reads and writes still work. */
function failQueries(faults: FaultInjector): void {
  faults.inject('query', { kind: 'status', status: 503 }, 1_000_000);
}

function recordingLog(): DirectoryLog & { lines: { level: string; fields: object; message: string }[] } {
  const lines: { level: string; fields: object; message: string }[] = [];
  return {
    lines,
    warn: (fields, message) => void lines.push({ level: 'warn', fields, message }),
    info: (fields, message) => void lines.push({ level: 'info', fields, message }),
  };
}

describe('the admin roster while its refresh query fails', () => {
  it('authorizes from memory only within rosterMaxAgeMs of the last successful refresh, then refuses and recovers on its own', async () => {
    const { database, editor } = await demoDatabase();
    const faults = new FaultInjector();
    const client = createCosmosClient(suite.standIn.settings(database), suite.standIn.options({ plugins: [faults.plugin] }));
    clients.push(client);
    let clock = 1_000_000;
    const log = recordingLog();
    // The background refresh never fires during the test: refreshes are run by hand on the fake clock.
    const directory = new CosmosDirectory(containersOf(client.database(database)), { refreshMs: 3_600_000, rosterMaxAgeMs: 60_000 }, { now: () => clock, log });
    try {
      await directory.warmUp();
      expect(await directory.getAdmin(alex)).toBeDefined();

      failQueries(faults);
      await removeAdmin(editor, alex);
      clock += 30_000;
      await directory.refreshNow();
      // Within the bound the roster may lag: that is the staleness the setting allows.
      expect(await directory.getAdmin(megan)).toBeDefined();
      await expect(directory.ping()).resolves.toBeUndefined();
      expect(log.lines.filter((l) => l.level === 'warn')).toEqual([]);

      clock += 30_001;
      await expect(directory.getAdmin(alex)).rejects.toBeInstanceOf(DirectoryUnavailableError);
      await expect(directory.getAdmin(megan)).rejects.toBeInstanceOf(DirectoryUnavailableError);
      await expect(directory.ping()).rejects.toMatchObject({ code: 'unavailable', reason: 'admin roster stale' });
      await directory.refreshNow(); // still failing
      await expect(directory.getAdmin(alex)).rejects.toBeInstanceOf(DirectoryUnavailableError);
      const warnings = log.lines.filter((l) => l.level === 'warn');
      expect(warnings).toHaveLength(1); // once per stale period, not once per turn
      expect(warnings[0]!.message).toContain('admin roster');
      expect(warnings[0]!.fields).toMatchObject({ maxAgeMs: 60_000 });

      faults.reset();
      clock += 1;
      await directory.refreshNow();
      expect(await directory.getAdmin(alex)).toBeUndefined(); // removed, and now known to be
      expect(await directory.getAdmin(megan)).toBeDefined();
      await expect(directory.ping()).resolves.toBeUndefined();
      expect(log.lines.filter((l) => l.level === 'info' && l.message.includes('fresh again'))).toHaveLength(1);
    } finally {
      await directory.close();
    }
  });

  it('over HTTP: a removed admin is refused within COSMOS_ROSTER_MAX_AGE_MS, /readyz and the log say why, and access follows the directory again once refreshes succeed', async () => {
    // Long enough that one slow roster refresh on a loaded machine does not make the roster stale.
    const BOUND_MS = 2_500;
    const POLL_MS = 50;
    const { database, editor } = await demoDatabase();
    const faults = new FaultInjector();
    setCosmosTestOptions(suite.standIn.options({ plugins: [faults.plugin] }));
    const logged = await startLoggedServer({ DIRECTORY: 'cosmos', COSMOS_ENDPOINT: suite.standIn.endpoint, COSMOS_KEY: STAND_IN_KEY, COSMOS_DATABASE: database, COSMOS_ROSTER_MAX_AGE_MS: String(BOUND_MS) });
    const bot = BotClient.attach(logged.server);
    const say = async (text: string): Promise<string> => textOf((await bot.say(alex, text))[0]!);
    /**
     * Says "where am i" until `done` holds for the reply, for at most `withinMs`: the reply, and
     * when the last turn that did not satisfy `done` was sent (undefined when the first one did).
     */
    const pollUntil = async (done: (reply: string) => boolean, withinMs: number): Promise<{ reply: string; lastMissSentAt: number | undefined }> => {
      const giveUpAt = Date.now() + withinMs;
      let lastMissSentAt: number | undefined;
      for (;;) {
        const sentAt = Date.now();
        const reply = await say('where am i');
        if (done(reply)) return { reply, lastMissSentAt };
        lastMissSentAt = sentAt;
        if (Date.now() > giveUpAt) throw new Error(`still "${reply.slice(0, 80)}" after ${withinMs} ms`);
        await new Promise((r) => setTimeout(r, POLL_MS));
      }
    };
    const unavailable = (reply: string) => reply.includes('The directory is unavailable');
    try {
      // The first roster load may still be under way when the first turn arrives.
      expect((await pollUntil((reply) => !unavailable(reply), 4 * BOUND_MS)).reply).toContain('Account id: northwind');
      expect((await fetch(`${logged.url}/readyz`)).status).toBe(200);

      failQueries(faults);
      await removeAdmin(editor, alex);
      const removedAt = Date.now();
      const refused = await pollUntil(unavailable, 4 * BOUND_MS);
      // No turn sent later than the bound after the removal was still let in. (Asserting on the
      // send time of the last turn let in, not of the first refused one, keeps a slow turn on a
      // loaded machine from failing a bound that held.)
      expect((refused.lastMissSentAt ?? removedAt) - removedAt).toBeLessThanOrEqual(BOUND_MS);

      const ready = await fetch(`${logged.url}/readyz`);
      expect({ status: ready.status, body: await ready.json() }).toEqual({ status: 503, body: { status: 'directory unavailable', reason: 'admin roster stale' } });
      expect(await say('where am i')).toContain('The directory is unavailable');
      const stale = logged.records().filter((r) => r.level === 40 && String(r.msg).includes('admin roster'));
      expect(stale).toHaveLength(1);

      faults.reset();
      const back = await pollUntil((reply) => !unavailable(reply), 4 * BOUND_MS);
      expect(back.reply).toContain('not an administrator');
      expect((await fetch(`${logged.url}/readyz`)).status).toBe(200);
      expect(logged.records().filter((r) => r.level === 30 && String(r.msg).includes('fresh again'))).toHaveLength(1);
    } finally {
      setCosmosTestOptions(undefined);
      await bot.close();
    }
  }, 45_000);
});
