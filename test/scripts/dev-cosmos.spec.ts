import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { projectPath } from '../../src/project-path';
import { BotClient } from '../support/bot-client';
import { ALEX } from '../support/directories';

/**
 * `npm run dev:cosmos`, as built: the stand-in on loopback, the demo directory imported, the bot
 * on it answering over real HTTP, and Ctrl+C stopping both.
 */
const ENTRY = projectPath('dist', 'scripts', 'dev-cosmos.js');

it('starts the stand-in and the bot on it, answers "where am i" over HTTP, and stops on SIGINT', async () => {
  if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run npm run build (npm test does) before this test`);
  const { COSMOS_ENDPOINT: _endpoint, COSMOS_KEY: _key, NODE_TLS_REJECT_UNAUTHORIZED: _tls, ...env } = process.env;
  const child = spawn(process.execPath, ['--no-deprecation', ENTRY], {
    env: { ...env, NODE_ENV: 'development', PORT: '0', COSMOS_PORT: '0', LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`dev:cosmos did not start in 30 s:\n${output}`)), 30_000);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const match = /Switchboard listening on (http:\/\/[^/\s]+)\/api\/messages/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      void exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`dev:cosmos exited with ${code} before listening:\n${output}`));
      });
    });
    expect(output).toMatch(/Cosmos DB stand-in listening on https:\/\/127\.0\.0\.1:\d+\//);
    // Every document is new on a fresh stand-in (accounts, admins, locators, search keys): written, none unchanged.
    const written = /Import complete: (\d+) documents written, 0 removed, 0 marked removed, 0 unchanged; catalogue written last\./.exec(output);
    expect(written).not.toBeNull();
    expect(Number(written![1])).toBeGreaterThan(84);
    expect(output).toContain('Cosmos DB directory at https://127.0.0.1:');

    const cards = await BotClient.attach({ url } as never).say({ aadObjectId: ALEX }, 'where am i');
    expect(JSON.stringify(cards)).toContain('Northwind Voice');

    child.kill('SIGINT');
    expect(await exited).toBe(0);
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}, 60_000);
