import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createLog, terminalDestination, type Terminal } from '../../src/log';
import { projectPath } from '../../src/project-path';
import { ALEX, DEMO_FILE, TENANT, tempDir } from '../support/directories';

/**
 * A person running the bot in a terminal reads one short line per record (one per turn);
 * anything else (a pipe, a file, App Service, production) gets the JSON lines that tools parse.
 */
function fakeTerminal(isTTY: boolean): Terminal & { readonly written: string[] } {
  const written: string[] = [];
  return { isTTY, written, write: (text: string) => written.push(text) };
}

const TURN = { correlationId: 'corr-1', activityType: 'message', tenantId: TENANT, userId: ALEX, verb: 'open', latencyMs: 3.2 };

describe('log lines in a terminal', () => {
  it('prints a turn as one readable line that leads with what happened', () => {
    const terminal = fakeTerminal(true);
    createLog('info', terminalDestination(terminal, { NODE_ENV: 'development', NO_COLOR: '1' })).info(TURN, 'turn');
    expect(terminal.written).toHaveLength(1);
    const line = terminal.written[0]!;
    expect(line).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: turn message open 3\.2 ms \{.*"correlationId":"corr-1".*\}\n$/);
    expect(line.trimEnd()).not.toContain('\n');
    expect(() => JSON.parse(line)).toThrow();
  });

  it('keeps errors on one line and still redacts secrets', () => {
    const terminal = fakeTerminal(true);
    const log = createLog('info', terminalDestination(terminal, { NODE_ENV: 'development', NO_COLOR: '1' }));
    log.error({ err: { type: 'CosmosError', message: 'first line\nsecond line' }, token: 'secret-token' }, 'directory call failed');
    expect(terminal.written).toHaveLength(1);
    expect(terminal.written[0]!.trimEnd()).not.toMatch(/\n/);
    expect(terminal.written[0]).toContain('ERROR: directory call failed');
    expect(terminal.written[0]).not.toContain('secret-token');
  });

  it('leaves JSON (pino writing stdout itself) for pipes and for production', () => {
    expect(terminalDestination(fakeTerminal(false), { NODE_ENV: 'development' })).toBeUndefined();
    expect(terminalDestination(fakeTerminal(true), { NODE_ENV: 'production' })).toBeUndefined();
  });
});

/** The compiled server (npm test builds it first), with stdout a pipe or a pseudo-terminal (util-linux `script`). */
async function runServer(terminal: boolean): Promise<{ lines: () => string[]; stop: () => Promise<void> }> {
  const entry = projectPath('dist', 'src', 'server.js');
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run npm run build (npm test does) before this test`);
  const env = { ...process.env, NODE_ENV: 'development', NO_COLOR: '1', PORT: '0', DIRECTORY_FILE: DEMO_FILE, DATA_DIR: tempDir(), LOG_LEVEL: 'info' };
  const node = [process.execPath, entry, '--insecure-unauthenticated-loopback'];
  const child: ChildProcess = terminal
    ? spawn('script', ['-qfec', node.map((part) => `'${part}'`).join(' '), '/dev/null'], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
    : spawn(node[0]!, node.slice(1), { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const lines = () => output.split(/\r?\n/).filter((line) => line.trim() !== '');
  const waitFor = (pattern: RegExp) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      // A safety net for a server that never says it (not a timing assertion).
      const timer = setTimeout(() => reject(new Error(`no ${pattern} in 15 s:\n${output}`)), 15_000);
      const check = () => {
        const match = pattern.exec(output);
        if (match) {
          clearTimeout(timer);
          child.stdout!.off('data', check);
          resolve(match);
        }
      };
      child.stdout!.on('data', check);
      void exited.then(() => {
        clearTimeout(timer);
        reject(new Error(`server exited:\n${output}`));
      });
      check();
    });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGKILL');
    await exited;
  };
  try {
    const [, url] = await waitFor(/listening on (http:\/\/[^/\s"]+)\/api\/messages/);
    const response = await fetch(`${url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'message', id: randomUUID(), channelId: 'msteams', serviceUrl: 'https://smba.trafficmanager.net/teams/', deliveryMode: 'expectReplies', text: 'where am i',
        from: { id: `29:${ALEX}`, aadObjectId: ALEX }, recipient: { id: '28:switchboard' },
        conversation: { id: `conv-${randomUUID()}`, tenantId: TENANT, conversationType: 'personal' }, channelData: { tenant: { id: TENANT } },
      }),
    });
    expect(response.status).toBe(200);
    await waitFor(/"msg":"turn"|INFO: turn /);
  } catch (error) {
    await stop();
    throw error;
  }
  return { lines, stop };
}

describe('the running server', () => {
  it('prints readable lines, one per turn, when stdout is a terminal', async () => {
    const server = await runServer(true);
    await server.stop();
    const turns = server.lines().filter((line) => / INFO: turn /.test(line));
    expect(turns).toEqual([expect.stringMatching(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: turn message \w+ [\d.]+ ms \{"correlationId":/)]);
    expect(server.lines().some((line) => line.startsWith('{'))).toBe(false);
  });

  it('prints JSON lines when stdout is a pipe', async () => {
    const server = await runServer(false);
    await server.stop();
    const records = server.lines().map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records.filter((record) => record.msg === 'turn')).toEqual([expect.objectContaining({ activityType: 'message', verb: expect.any(String), latencyMs: expect.any(Number) })]);
  });
});
