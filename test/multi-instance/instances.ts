import { randomUUID } from 'node:crypto';
import { CosmosDirectory } from '../../src/directory/cosmos/cosmos-directory';
import { runDirectoryCli } from '../../src/directory/cosmos/directory-cli';
import type { DirectoryDocument } from '../../src/domain/directory-document';
import { BotClient } from '../support/bot-client';
import { startChildServer, type ChildServer } from '../support/child-server';
import { CosmosFaultProxy } from '../support/cosmos-fault-proxy';
import { createDatabase, STAND_IN_KEY, startCosmosStandIn, type CosmosStandIn } from '../support/cosmos-server';
import { writeDirectory } from '../support/directories';

/** Three processes starting at once on a loaded 2-core machine take 7 s each or more. */
const STARTUP_MS = 45_000;
const READY_MS = 20_000;

/** One bot process, and the fault proxy that is its only way to the stand-in. */
export interface Instance {
  readonly name: string;
  readonly server: ChildServer;
  readonly proxy: CosmosFaultProxy;
  /** A client in a conversation of its own; `inConversation` gives the same conversation on another instance. */
  readonly bot: BotClient;
  readonly url: string;
}

export interface Instances {
  readonly all: readonly Instance[];
  readonly standIn: CosmosStandIn;
  /**
   * The database as it is, read by the test past every cache (no proxy, no account cache):
   * the ground truth the instances' answers are checked against.
   */
  readonly truth: CosmosDirectory;
  /** Imports `doc` with the directory CLI, as an operator re-importing the directory file does. */
  reimport(doc: DirectoryDocument): Promise<void>;
  /** The same conversation on every instance. */
  conversation(): BotClient[];
}

async function importWithCli(standIn: CosmosStandIn, database: string, doc: DirectoryDocument): Promise<void> {
  const lines: string[] = [];
  const io = { out: (line: string) => void lines.push(line), err: (line: string) => void lines.push(line) };
  const env = { COSMOS_ENDPOINT: standIn.endpoint, COSMOS_KEY: STAND_IN_KEY, COSMOS_DATABASE: database };
  const code = await runDirectoryCli(['import', writeDirectory(doc)], { env, connection: standIn.options() }, io);
  if (code !== 0) throw new Error(`import failed (${code}):\n${lines.join('\n')}`);
}

/**
 * Waits until the instance's /readyz has answered 200 throughout `steadyMs`: as a load
 * balancer's health probe does, and past the start-up of a loaded machine, whose busy event loop
 * may delay the first roster refreshes long enough to make a just-started instance stale.
 */
async function untilSteadilyReady(instance: Instance, steadyMs: number, withinMs = READY_MS): Promise<void> {
  const giveUpAt = Date.now() + withinMs;
  let readySince: number | undefined;
  let last = '';
  while (Date.now() < giveUpAt) {
    const response = await fetch(`${instance.url}/readyz`);
    last = `${response.status} ${await response.text()}`;
    if (response.status !== 200) readySince = undefined;
    else if ((readySince ??= Date.now()) <= Date.now() - steadyMs) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`instance ${instance.name} was not steadily ready within ${withinMs} ms (last /readyz: ${last}):\n${instance.server.output()}`);
}

/**
 * `count` real server processes (the built server) on one Cosmos DB stand-in holding `doc`,
 * each through its own fault proxy, with `env` settings, each ready for `steadyMs` before the
 * first test. Started before the file's tests; every
 * process, proxy and client is stopped afterwards, whatever failed (a server that did start is
 * killed even when another did not).
 */
export function useInstances(count: number, doc: DirectoryDocument, env: Record<string, string>, steadyMs: number): Instances {
  const started: { all: Instance[]; standIn?: CosmosStandIn; truth?: CosmosDirectory; database?: string; proxies: CosmosFaultProxy[] } = { all: [], proxies: [] };

  beforeAll(async () => {
    const standIn = await startCosmosStandIn();
    started.standIn = standIn;
    const { client, containers, database } = await createDatabase(standIn);
    started.database = database;
    started.truth = new CosmosDirectory(containers, { accountTtlMs: 0, treeTtlMs: 0, catalogTtlMs: 0 }, { onClose: () => client.dispose() });
    await importWithCli(standIn, database, doc);
    const names = Array.from({ length: count }, (_, i) => String.fromCharCode(65 + i));
    for (const _ of names) started.proxies.push(await CosmosFaultProxy.start(standIn.port));
    const servers = await Promise.allSettled(
      started.proxies.map((proxy) =>
        startChildServer({
          DIRECTORY: 'cosmos',
          COSMOS_ENDPOINT: proxy.endpoint,
          COSMOS_KEY: STAND_IN_KEY,
          COSMOS_DATABASE: database,
          COSMOS_TRUST_LOCAL_CERTIFICATE: 'true',
          LOG_LEVEL: 'info',
          ...env,
        }, STARTUP_MS),
      ),
    );
    servers.forEach((outcome, i) => {
      if (outcome.status === 'fulfilled') {
        const server = outcome.value;
        started.all.push({ name: names[i]!, server, proxy: started.proxies[i]!, bot: BotClient.at(server.url), url: server.url });
      }
    });
    const failed = servers.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason;
    await Promise.all(started.all.map((i) => untilSteadilyReady(i, steadyMs)));
  }, STARTUP_MS + READY_MS + 30_000);

  afterAll(async () => {
    await Promise.all(started.all.map((i) => i.server.kill()));
    await Promise.all(started.proxies.map((p) => p.close()));
    await started.truth?.close();
    await started.standIn?.close();
  });

  return {
    get all() {
      return started.all;
    },
    get standIn() {
      return started.standIn!;
    },
    get truth() {
      return started.truth!;
    },
    reimport: (next) => importWithCli(started.standIn!, started.database!, next),
    conversation() {
      const id = `conv-${randomUUID()}`;
      return started.all.map((i) => i.bot.inConversation(id));
    },
  };
}
