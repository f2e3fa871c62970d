/**
 * `npm run dev:cosmos`: Switchboard on Cosmos DB without a cloud account. Starts the in-process
 * Cosmos DB stand-in (@vercel/cosmosdb-server) on 127.0.0.1, creates the database and containers
 * as the deployment would, imports the demo directory, then starts the bot against it. The
 * stand-in keeps its data in memory: every run starts again from the directory file.
 *
 * Settings (environment): PORT (bot, default 3978), COSMOS_PORT (stand-in, default 8081),
 * DIRECTORY_FILE (default data/demo-directory.json), COSMOS_DATABASE (default switchboard), and
 * every other Switchboard setting. The stand-in's bundled certificate is self-signed (and expired
 * in 2021): it is trusted for Switchboard's own Cosmos DB clients only, never process-wide.
 * Ctrl+C stops both.
 */
import type { Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import createCosmosServer from '@vercel/cosmosdb-server';
import { ConfigError, describeConfig, loadConfig, SETTINGS, TRUST_LOCAL_CERTIFICATE_SETTING } from '../src/config';
import { DirectoryFileError } from '../src/directory/directory-file';
import { runDirectoryCli, type CliIo } from '../src/directory/cosmos/directory-cli';
import { PROJECT_ROOT } from '../src/project-path';
import { startServer, type RunningServer } from '../src/server';
import path from 'node:path';

export const DEFAULT_COSMOS_PORT = 8081;
const STAND_IN_HOST = '127.0.0.1';
/** Any base64 string: the stand-in checks no signatures. Printed, because it guards nothing. */
export const STAND_IN_KEY = Buffer.from('switchboard dev:cosmos stand-in key').toString('base64');

type Env = Readonly<Record<string, string | undefined>>;

export class DevCosmosError extends Error {
  override name = 'DevCosmosError';
}

export interface DevCosmosOptions {
  /** The environment to read settings from (PORT, COSMOS_PORT, DIRECTORY_FILE, ...). */
  readonly env?: Env;
  /** Progress lines. */
  readonly io?: CliIo;
}

export interface RunningDevCosmos {
  /** The bot's base URL; its messaging endpoint is `${url}/api/messages`. */
  readonly url: string;
  /** The stand-in's endpoint, for `npm run directory` while it runs. */
  readonly cosmosEndpoint: string;
  readonly cosmosKey: string;
  readonly bot: RunningServer;
  /** Stops the bot (turns in flight finish), then the stand-in. */
  close(): Promise<void>;
}

function portSetting(env: Env, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n > 65535) throw new ConfigError([`${name} must be a port number from 0 to 65535 (got "${raw}")`]);
  return n;
}

async function listen(server: Server, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new DevCosmosError(`The Cosmos DB stand-in cannot listen on ${STAND_IN_HOST}:${port}: the port is busy (is npm run dev:cosmos or an emulator already running?). Stop it or set COSMOS_PORT to another port.`)
          : new DevCosmosError(`The Cosmos DB stand-in cannot listen on ${STAND_IN_HOST}:${port}: ${error.message}`),
      );
    };
    server.once('error', onError);
    server.listen(port, STAND_IN_HOST, () => {
      server.off('error', onError);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

async function stopStandIn(server: Server): Promise<void> {
  if (!server.listening) return;
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** Starts the stand-in, fills it and starts the bot on it. Rejects with the cause in full. */
export async function startDevCosmos(options: DevCosmosOptions = {}): Promise<RunningDevCosmos> {
  const env = options.env ?? process.env;
  const io = options.io ?? { out: (line) => console.log(line), err: (line) => console.error(line) };
  const cosmosPort = portSetting(env, 'COSMOS_PORT', DEFAULT_COSMOS_PORT);
  const directoryFile = path.resolve(PROJECT_ROOT, env.DIRECTORY_FILE?.trim() || SETTINGS.find((s) => s.name === 'DIRECTORY_FILE')!.default!);

  const standIn = createCosmosServer({ keepAlive: true }) as Server;
  const port = await listen(standIn, cosmosPort);
  const endpoint = `https://${STAND_IN_HOST}:${port}/`;
  try {
    const cosmosEnv: Env = {
      ...env,
      COSMOS_ENDPOINT: endpoint,
      COSMOS_KEY: STAND_IN_KEY,
      AZURE_CLIENT_ID: undefined,
      [TRUST_LOCAL_CERTIFICATE_SETTING]: 'true',
    };
    io.out(`Cosmos DB stand-in listening on ${endpoint} (in memory: data is lost when it stops)`);

    // The same commands a newcomer would type: init, then import, through the directory CLI.
    const collected: string[] = [];
    const cliIo: CliIo = { out: (line) => io.out(`  ${line}`), err: (line) => collected.push(line) };
    for (const args of [['init', '--trust-local-certificate'], ['import', directoryFile, '--trust-local-certificate']]) {
      const code = await runDirectoryCli(args, { env: cosmosEnv }, cliIo);
      if (code !== 0) throw new DevCosmosError(`npm run directory -- ${args.join(' ')} failed against the stand-in at ${endpoint}:\n${collected.join('\n')}`);
    }

    // No tokens locally: unauthenticated development on loopback, asked for by name as npm start does.
    const config = loadConfig({ LOG_LEVEL: 'warn', ...cosmosEnv, DIRECTORY: 'cosmos', INSECURE_UNAUTHENTICATED_LOOPBACK: 'true' });
    let bot: RunningServer;
    try {
      bot = await startServer(config);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
        throw new DevCosmosError(`Port ${config.port} is busy (is Switchboard already running, e.g. npm start?). Stop it or set PORT to another port.`);
      }
      throw error;
    }
    io.out(`Switchboard listening on ${bot.url}/api/messages (${describeConfig(config)})`);
    let closing: Promise<void> | undefined;
    return {
      url: bot.url,
      cosmosEndpoint: endpoint,
      cosmosKey: STAND_IN_KEY,
      bot,
      close() {
        closing ??= (async () => {
          try {
            await bot.close();
          } finally {
            await stopStandIn(standIn);
          }
        })();
        return closing;
      },
    };
  } catch (error) {
    await stopStandIn(standIn);
    throw error;
  }
}

/** Every line of what went wrong, and no stack trace for the failures an operator fixes. */
export function describeStartFailure(error: unknown): string {
  if (error instanceof ConfigError || error instanceof DevCosmosError || error instanceof DirectoryFileError) return error.message;
  if (!(error instanceof Error)) return `Could not start: ${String(error)}`;
  const causes: string[] = [];
  for (let cause: unknown = error.cause; cause instanceof Error && causes.length < 5; cause = cause.cause) causes.push(`  caused by: ${cause.message}`);
  return [`Switchboard could not start on the Cosmos DB stand-in: ${error.message}`, ...causes].join('\n');
}

async function main(): Promise<void> {
  let running: RunningDevCosmos | undefined;
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await running?.close();
    process.exit(code);
  };
  process.once('SIGINT', () => void stop(0));
  process.once('SIGTERM', () => void stop(0));
  try {
    running = await startDevCosmos();
    console.log('');
    console.log(`  Talk to Switchboard at ${running.url}/api/messages (try the curl example in the README).`);
    console.log(`  While it runs: COSMOS_ENDPOINT=${running.cosmosEndpoint} COSMOS_KEY=${running.cosmosKey} npm run directory -- export backup.json --trust-local-certificate`);
    console.log('  Press Ctrl+C to stop.');
    console.log('');
  } catch (error) {
    process.stderr.write(`${describeStartFailure(error)}\n`);
    await stop(1);
  }
}

if (require.main === module) void main();
