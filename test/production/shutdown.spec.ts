import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { cardsOf, textOf } from '../support/bot-client';
import { startChildServer, type ChildServer } from '../support/child-server';
import { ALEX, DEMO_FILE, tempDir } from '../support/directories';
import { startChannelAuthority, type ChannelAuthority } from '../support/jwt';
import { SERVICE_URL, startLoggedServer, teamsActivity } from '../support/logged-server';

/**
 * Graceful shutdown: on SIGTERM (or close()) the server stops accepting, finishes the turns in
 * flight, flushes its stores and exits 0. A turn is held in flight deterministically by making
 * the bot wait for its token signing keys, which the test serves and can hold back.
 */
const alex = { aadObjectId: ALEX };
const APP_ID = randomUUID();

function authEnv(authority: ChannelAuthority): Record<string, string> {
  return {
    MicrosoftAppId: APP_ID,
    MicrosoftAppType: 'SingleTenant',
    MicrosoftAppTenantId: randomUUID(),
    MicrosoftAppPassword: `pw-${randomUUID()}`,
    ToBotFromChannelOpenIdMetadataUrl: authority.metadataUrl,
    ToBotFromChannelTokenIssuer: authority.issuer,
  };
}

interface Outcome {
  readonly status?: number;
  readonly body?: string;
  readonly error?: string;
}

/** One POST on a connection of its own (no keep-alive), so the only outcomes are an answer or a refused/reset connection. */
function postOnce(url: string, body: unknown, headers: Record<string, string> = {}, timeoutMs = 15_000): Promise<Outcome> {
  const data = JSON.stringify(body);
  return new Promise((resolve) => {
    const req = http.request(
      `${url}/api/messages`,
      { method: 'POST', agent: false, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data), ...headers } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode!, body: text }));
        res.on('error', (e: NodeJS.ErrnoException) => resolve({ status: res.statusCode!, error: e.code ?? e.message }));
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error('client timeout')));
    req.on('error', (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message }));
    req.end(data);
  });
}

function exitOf(child: ChildServer, ms: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; afterMs: number }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    if (child.process.exitCode !== null || child.process.signalCode !== null) {
      resolve({ code: child.process.exitCode, signal: child.process.signalCode, afterMs: 0 });
      return;
    }
    const timer = setTimeout(() => reject(new Error(`the server did not exit within ${ms} ms`)), ms);
    child.process.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, afterMs: Date.now() - started });
    });
  });
}

async function waitFor(condition: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function collectOutput(child: ChildServer): { text: () => string } {
  let output = '';
  child.process.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.process.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  return { text: () => output };
}

/** The data folder after a stop: bot state parses, no temp file was left behind. */
function expectConsistentDataDir(dataDir: string): Record<string, any> {
  const leftovers = readdirSync(dataDir).filter((f) => f.endsWith('.tmp'));
  expect(leftovers).toEqual([]);
  const file = path.join(dataDir, 'bot-state.json');
  expect(existsSync(file)).toBe(true);
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, any>;
}

describe('close() in process', () => {
  it('refuses new work, finishes the turn in flight, then flushes its state', async () => {
    const authority = await startChannelAuthority();
    const bot = await startLoggedServer(authEnv(authority));
    try {
      const release = authority.holdKeys();
      const conversationId = `conv-${randomUUID()}`;
      const inFlight = postOnce(bot.url, teamsActivity(alex, conversationId, { type: 'message', text: 'open tailspin' }), {
        authorization: `Bearer ${authority.token(APP_ID, SERVICE_URL)}`,
      });
      await waitFor(() => authority.requests.some((r) => r.endsWith('/keys')), 5_000, 'the bot to ask for the signing keys');
      let closed = false;
      const closing = bot.close().then(() => (closed = true));
      // New connections are refused while the turn is in flight, and close() waits for it.
      expect((await postOnce(bot.url, teamsActivity(alex, `conv-${randomUUID()}`, { type: 'message', text: 'help' }))).error).toBe('ECONNREFUSED');
      expect(closed).toBe(false);
      release();
      const outcome = await inFlight;
      expect(outcome.status).toBe(200);
      expect(textOf(cardsOf(JSON.parse(outcome.body!))[0]!)).toContain('Tailspin');
      await closing;
      // The move made by the last turn reached the disk.
      const state = expectConsistentDataDir(bot.dataDir);
      const key = Object.keys(state).find((k) => k.includes(conversationId));
      expect(key).toBeDefined();
      expect(JSON.stringify(state[key!])).toContain('tailspin');
    } finally {
      await bot.close();
      await authority.close();
    }
  });
});

describe('SIGTERM to the compiled server', () => {
  it('with a turn in flight: stops accepting, finishes the turn, exits 0', async () => {
    const authority = await startChannelAuthority();
    const dataDir = tempDir();
    const child = await startChildServer({ HOST: '127.0.0.1', LOG_LEVEL: 'info', DIRECTORY_FILE: DEMO_FILE, DATA_DIR: dataDir, ...authEnv(authority) });
    const output = collectOutput(child);
    try {
      const release = authority.holdKeys();
      const conversationId = `conv-${randomUUID()}`;
      const inFlight = postOnce(child.url, teamsActivity(alex, conversationId, { type: 'message', text: 'open acme-dental' }), {
        authorization: `Bearer ${authority.token(APP_ID, SERVICE_URL)}`,
      });
      await waitFor(() => authority.requests.some((r) => r.endsWith('/keys')), 5_000, 'the bot to ask for the signing keys');
      child.process.kill('SIGTERM');
      await waitFor(() => output.text().includes('shutting down'), 5_000, 'the shutdown log line');
      // Draining: new connections are refused, the process is still there for the turn in flight.
      expect((await postOnce(child.url, teamsActivity(alex, `conv-${randomUUID()}`, { type: 'message', text: 'help' }))).error).toBe('ECONNREFUSED');
      expect(child.process.exitCode).toBeNull();
      release();
      const outcome = await inFlight;
      expect(outcome.status).toBe(200);
      expect(textOf(cardsOf(JSON.parse(outcome.body!))[0]!)).toContain('Acme Dental');
      const exit = await exitOf(child, 5_000);
      expect(exit).toMatchObject({ code: 0, signal: null });
      // Its log says so, in JSON.
      const lines = output.text().split('\n').filter(Boolean);
      expect(lines.map((l) => (isJson(l) ? JSON.parse(l).msg : l))).toEqual(expect.arrayContaining(['shutting down: finishing turns in flight', 'turn', 'stopped']));
      const state = expectConsistentDataDir(dataDir);
      expect(JSON.stringify(state[Object.keys(state).find((k) => k.includes(conversationId))!])).toContain('acme-dental');
    } finally {
      await child.kill('SIGKILL');
      await authority.close();
    }
  });

  it('under load: every request is answered 200 or refused cleanly with no effect, it exits 0 quickly, and what was answered was kept', async () => {
    const dataDir = tempDir();
    const env = { HOST: '127.0.0.1', LOG_LEVEL: 'info', DIRECTORY_FILE: DEMO_FILE, DATA_DIR: dataDir };
    const child = await startChildServer(env);
    const accounts = ['tailspin', 'acme-dental', 'bridgewater-logistics', 'northwind-internal'];
    const TOTAL = 240;
    const WORKERS = 24;
    const results: { conversationId: string; account: string; outcome: Outcome }[] = [];
    let next = 0;
    let killedAt = -1;
    let exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; afterMs: number }> | undefined;
    try {
      const worker = async () => {
        while (next < TOTAL) {
          const i = next++;
          const conversationId = `load-${i}-${randomUUID()}`;
          const account = accounts[i % accounts.length]!;
          const outcome = await postOnce(child.url, teamsActivity(alex, conversationId, { type: 'message', text: `open ${account}` }), {}, 10_000);
          results.push({ conversationId, account, outcome });
          if (results.length === 60 && killedAt < 0) {
            killedAt = results.length;
            child.process.kill('SIGTERM');
            exit = exitOf(child, 10_000);
          }
        }
      };
      await Promise.all(Array.from({ length: WORKERS }, worker));
      expect(killedAt).toBe(60);
      const stopped = await exit!;
      expect(stopped).toMatchObject({ code: 0, signal: null });
      expect(stopped.afterMs).toBeLessThan(5_000);

      // Every outcome is clean: a 200 with the bot's card, a 503 saying so, a refused connection,
      // or a connection reset before any byte of an answer (requests queued in the kernel or not
      // yet read when the listener closed: Node >= 19's server.close() destroys idle sockets).
      // None of the refused or reset requests may have had any effect: checked below.
      const kinds = new Map<string, number>();
      for (const { outcome } of results) {
        const kind = outcome.status ? `HTTP ${outcome.status}` : outcome.error!;
        kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
      }
      const clean = (o: Outcome) => (o.status === 200 && !o.error) || (o.status === 503 && !o.error) || (!o.status && (o.error === 'ECONNREFUSED' || o.error === 'ECONNRESET'));
      const unclean = results.filter(({ outcome }) => !clean(outcome));
      expect({ kinds: Object.fromEntries(kinds), unclean: unclean.slice(0, 5).map((u) => u.outcome) }).toEqual({ kinds: expect.anything(), unclean: [] });
      for (const { outcome } of results.filter((r) => r.outcome.status === 200)) expect(cardsOf(JSON.parse(outcome.body!))).toHaveLength(1);
      for (const { outcome } of results.filter((r) => r.outcome.status === 503)) expect(JSON.parse(outcome.body!)).toMatchObject({ error: 'ShuttingDown' });
      expect(results.filter((r) => r.outcome.status === 200).length).toBeGreaterThanOrEqual(60);

      // The data folder is consistent, and after a restart every answered move is still there
      // while every refused one left the admin where they were.
      const state = expectConsistentDataDir(dataDir);
      const answered = results.filter((r) => r.outcome.status === 200);
      for (const { conversationId, account } of answered) {
        const key = Object.keys(state).find((k) => k.includes(conversationId));
        expect({ conversationId, saved: key ? JSON.stringify(state[key]).includes(`"${account}"`) : false }).toEqual({ conversationId, saved: true });
      }
      const refused = results.filter((r) => r.outcome.status !== 200);
      for (const { conversationId } of refused) expect(Object.keys(state).filter((k) => k.includes(conversationId))).toEqual([]);

      const again = await startChildServer(env);
      try {
        for (const { conversationId, account } of answered.slice(0, 8)) {
          const reply = await postOnce(again.url, teamsActivity(alex, conversationId, { type: 'message', text: 'where am i' }));
          expect(textOf(cardsOf(JSON.parse(reply.body!))[0]!)).toContain(`Account id: ${account}`);
        }
      } finally {
        await again.kill('SIGKILL');
      }
    } finally {
      await child.kill('SIGKILL');
    }
  }, 60_000);
});

function isJson(line: string): boolean {
  try {
    JSON.parse(line);
    return true;
  } catch {
    return false;
  }
}
