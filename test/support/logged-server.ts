import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { createLog } from '../../src/log';
import { startServer, type RunningServer, type ServerOptions } from '../../src/server';
import { DEMO_FILE, TENANT, tempDir } from './directories';

/**
 * The real server started in-process with its pino log captured line by line, its data folder
 * known to the test, and a raw HTTP client that can send any header (Authorization included).
 */
export interface LoggedServer {
  readonly server: RunningServer;
  readonly url: string;
  readonly dataDir: string;
  /** Every log line written so far, as written (one JSON document a line). */
  readonly lines: string[];
  /** The lines parsed as JSON (throws if one is not JSON). */
  records(): Record<string, any>[];
  post(body: unknown, headers?: Record<string, string>): Promise<HttpReply>;
  close(): Promise<void>;
  /** The bot's state storage as written to disk (after close, or after its 200 ms flush). */
  stateOnDisk(): Record<string, unknown>;
}

export interface HttpReply {
  readonly status: number;
  readonly text: string;
  readonly body: any;
  readonly headers: Headers;
}

export async function startLoggedServer(env: Record<string, string> = {}, level: 'info' | 'debug' | 'trace' = 'info', options: Omit<ServerOptions, 'log'> = {}): Promise<LoggedServer> {
  const dataDir = tempDir();
  const config = loadConfig({ NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', DIRECTORY_FILE: DEMO_FILE, DATA_DIR: dataDir, LOG_LEVEL: level, ...(env.MicrosoftAppId ? {} : { INSECURE_UNAUTHENTICATED_LOOPBACK: 'true' }), ...env });
  const lines: string[] = [];
  let partial = '';
  const destination = {
    write(chunk: string) {
      partial += chunk;
      const parts = partial.split('\n');
      partial = parts.pop()!;
      lines.push(...parts.filter((l) => l.length > 0));
    },
  };
  const server = await startServer(config, { ...options, log: createLog(config.logLevel, destination) });
  return {
    server,
    url: server.url,
    dataDir,
    lines,
    records: () => lines.map((l) => JSON.parse(l) as Record<string, any>),
    post: (body, headers = {}) => postJson(`${server.url}/api/messages`, body, headers),
    close: () => server.close(),
    stateOnDisk() {
      const file = path.join(dataDir, 'bot-state.json');
      return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
    },
  };
}

export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<HttpReply> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, text, body: parsed, headers: response.headers };
}

export const SERVICE_URL = 'https://smba.trafficmanager.net/teams/';

/** A Teams activity from the given person, in the given conversation, asking for replies in the body. */
export function teamsActivity(
  person: { aadObjectId: string; tenantId?: string },
  conversationId: string,
  fields: Record<string, unknown>,
): Record<string, unknown> {
  const tenantId = person.tenantId ?? TENANT;
  return {
    id: randomUUID(),
    channelId: 'msteams',
    serviceUrl: SERVICE_URL,
    from: { id: `29:${person.aadObjectId}`, name: 'Test user', aadObjectId: person.aadObjectId },
    recipient: { id: '28:switchboard', name: 'Switchboard' },
    conversation: { id: conversationId, tenantId, conversationType: 'personal' },
    channelData: { tenant: { id: tenantId } },
    deliveryMode: 'expectReplies',
    ...fields,
  };
}

/** The keys of the state storage that mention a conversation or a user. */
export function stateKeysMentioning(state: Record<string, unknown>, needle: string): string[] {
  return Object.keys(state).filter((k) => k.includes(needle) || JSON.stringify(state[k]).includes(needle));
}
