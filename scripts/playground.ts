/**
 * `npm run playground`: Switchboard on its embedded demo directory plus the Microsoft 365 Agents
 * Playground (a Teams-like web client), offline, so anyone can chat with the bot in a browser
 * without a Microsoft account. Ctrl+C stops both.
 *
 * Settings (environment): PORT (bot, default 3978), PLAYGROUND_PORT (default 56150), and every
 * other Switchboard setting (DATA_DIR, DIRECTORY_FILE, ...). The mocked tenant and users come
 * from .m365agentsplayground.yml at the repository root (committed with Alex Wilber, who owns the
 * demo partner "Northwind Voice"); the greeting says who its current user is and what they
 * administer in the directory loaded (playground-greeting.ts).
 *
 * The e2e test starts the Playground with `startPlayground` below.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, describeConfig, loadConfig } from '../src/config';
import { projectPath } from '../src/project-path';
import { startServer, type RunningServer } from '../src/server';
import { describePlaygroundUser, playgroundUser } from './playground-greeting';

export const DEFAULT_PLAYGROUND_PORT = 56150;
export const PLAYGROUND_CONFIG_FILE = projectPath('.m365agentsplayground.yml');
export const PLAYGROUND_LOG_FILE = projectPath('devTools', 'm365agentsplayground.log');

/** How long the Playground may take to say it is listening. */
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 5_000;

export interface PlaygroundOptions {
  /** The bot's messaging endpoint, e.g. http://127.0.0.1:3978/api/messages. */
  readonly appEndpoint: string;
  /** Port to serve the web client on. If it is busy the Playground picks another; `port` tells which. */
  readonly port: number;
  /** The .m365agentsplayground.yml giving the tenant, the current user and the other users. */
  readonly configFile?: string;
  /** Where the Playground writes its log (the only place it explains a silent exit). */
  readonly logFile?: string;
  /** Called with each line the Playground prints. */
  readonly onOutput?: (line: string) => void;
}

export interface RunningPlayground {
  readonly url: string;
  readonly port: number;
  readonly process: ChildProcess;
  readonly logFile: string;
  /** Resolves when the Playground process has exited, however it ended. */
  readonly exited: Promise<number | null>;
  stop(): Promise<void>;
}

export class PlaygroundError extends Error {
  override name = 'PlaygroundError';
}

/** The environment that keeps the Playground offline: no browser launch, no telemetry. */
export function offlinePlaygroundEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return {
    ...base,
    TEAMSAPPTESTER_BROWSER: 'none',
    APPLICATION_INSIGHTS_NO_STATSBEAT: 'true',
  };
}

export function playgroundCli(): string {
  return path.join(path.dirname(require.resolve('@microsoft/m365agentsplayground/package.json')), 'cli.js');
}

function logTail(file: string, lines = 20): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log written)';
  }
}

/**
 * Starts the Agents Playground as a child process pointed at a running bot and resolves once it
 * is listening. Rejects (with the tail of its log) if it exits or stays silent.
 */
export async function startPlayground(options: PlaygroundOptions): Promise<RunningPlayground> {
  const configFile = path.resolve(options.configFile ?? PLAYGROUND_CONFIG_FILE);
  const logFile = path.resolve(options.logFile ?? PLAYGROUND_LOG_FILE);
  if (!existsSync(configFile)) throw new PlaygroundError(`Agents Playground config not found: ${configFile}`);
  mkdirSync(path.dirname(logFile), { recursive: true });

  const args = [
    playgroundCli(),
    '--app-endpoint', options.appEndpoint,
    '--channel-id', 'msteams',
    '--port', String(options.port),
    '--disable-telemetry',
  ];
  const child = spawn(process.execPath, args, {
    cwd: path.dirname(configFile),
    env: {
      ...offlinePlaygroundEnv(),
      M365_AGENTS_PLAYGROUND_CONFIG_PATH: configFile,
      M365_AGENTS_PLAYGROUND_LOGFILE: logFile,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Never leave a Playground behind, even if the parent dies without cleaning up.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      process.removeListener('exit', killOnExit);
      resolve(code);
    });
    child.once('error', () => resolve(null));
  });

  const port = await new Promise<number>((resolve, reject) => {
    let settled = false;
    const settle = (fn: () => void) => {
      if (!settled) {
        settled = true;
        clearTimeout(timer);
        fn();
      }
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      settle(() => reject(new PlaygroundError(`The Agents Playground did not start within ${START_TIMEOUT_MS / 1000} s. Its log (${logFile}):\n${logTail(logFile)}`)));
    }, START_TIMEOUT_MS);
    const onLine = (line: string) => {
      options.onOutput?.(line);
      const listening = /Listening on (\d+)/.exec(line);
      if (listening) settle(() => resolve(Number(listening[1])));
    };
    for (const stream of [child.stdout, child.stderr]) {
      let buffered = '';
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => {
        buffered += chunk;
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        lines.forEach(onLine);
      });
    }
    child.once('error', (error) => settle(() => reject(new PlaygroundError(`Could not run the Agents Playground: ${error.message}`))));
    void exited.then((code) =>
      settle(() =>
        reject(new PlaygroundError(`The Agents Playground exited (code ${code}) before listening. Its log (${logFile}):\n${logTail(logFile)}`)),
      ),
    );
  });

  let stopping: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    process: child,
    logFile,
    exited,
    stop() {
      stopping ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
        await exited;
        clearTimeout(timer);
      })();
      return stopping;
    },
  };
}

function portSetting(name: string, fallback: number): number {
  const raw = process.env[name]?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 1 || n > 65535) throw new ConfigError([`${name} must be a port number from 1 to 65535 (got "${raw}")`]);
  return n;
}

async function main(): Promise<void> {
  let bot: RunningServer | undefined;
  let playground: RunningPlayground | undefined;
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await playground?.stop();
    await bot?.close();
    process.exit(code);
  };
  process.once('SIGINT', () => void stop(0));
  process.once('SIGTERM', () => void stop(0));

  try {
    // The Playground sends no tokens: this is unauthenticated local development on loopback, asked
    // for by name (the setting is refused in production and off loopback).
    const config = loadConfig({ LOG_LEVEL: 'warn', ...process.env, INSECURE_UNAUTHENTICATED_LOOPBACK: 'true' });
    const playgroundPort = portSetting('PLAYGROUND_PORT', DEFAULT_PLAYGROUND_PORT);
    try {
      bot = await startServer(config);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
        throw new PlaygroundError(`Port ${config.port} is busy (is Switchboard already running, e.g. npm start?). Stop it or set PORT to another port.`);
      }
      throw error;
    }
    console.log(`Switchboard listening on ${bot.url}/api/messages (${describeConfig(config)})`);

    playground = await startPlayground({ appEndpoint: `${bot.url}/api/messages`, port: playgroundPort });
    if (playground.port !== playgroundPort) console.log(`Port ${playgroundPort} was busy; the Playground took port ${playground.port}.`);
    const child = playground.process;
    void playground.exited.then((code) => {
      // Ctrl+C reaches the Playground too (same process group): that is a normal stop.
      if (stopping || child.signalCode === 'SIGINT' || child.signalCode === 'SIGTERM') return void stop(0);
      console.error(`The Agents Playground stopped (code ${code}). Its log (${playground?.logFile}):\n${logTail(playground?.logFile ?? PLAYGROUND_LOG_FILE)}`);
      void stop(1);
    });
    console.log('');
    console.log(`  Chat with Switchboard: open ${playground.url} in your browser.`);
    const user = playgroundUser(readFileSync(PLAYGROUND_CONFIG_FILE, 'utf8'));
    const greeting = await describePlaygroundUser(user, bot.directory, PLAYGROUND_CONFIG_FILE).catch((error: Error) => `Could not read who you are from the directory (${error.message}).`);
    console.log(`  ${greeting} Try: where am i, accounts, find ‹part of a name›, subscriptions, help.`);
    console.log(`  Playground log: ${playground.logFile}. Press Ctrl+C to stop.`);
    console.log('');
  } catch (error) {
    console.error(error instanceof ConfigError || error instanceof PlaygroundError ? error.message : `Could not start: ${(error as Error).stack ?? String(error)}`);
    await stop(1);
  }
}

if (require.main === module) void main();
