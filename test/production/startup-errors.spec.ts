import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { projectPath } from '../../src/project-path';
import { DEMO_FILE, tempDir } from '../support/directories';

/**
 * A refusal to start is read by an operator in a terminal or in App Service's log stream: every
 * line of it must get there, not just the first one.
 */
const entry = projectPath('dist', 'src', 'server.js');

function run(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run npx tsc -p tsconfig.json (npm test does) first`);
  const child = spawn(process.execPath, ['--no-deprecation', entry, '--insecure-unauthenticated-loopback'], {
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the server did not exit within 15 s:\n${stdout}${stderr}`));
    }, 15_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('start-up refusals reach the terminal whole', () => {
  it('prints every mistake of a bad directory file on stderr, each on its own line, and exits 1', async () => {
    const doc = JSON.parse(readFileSync(DEMO_FILE, 'utf8')) as { accounts: { parentId: string | null }[]; admins: { memberships: { roles: string[] }[] }[] };
    doc.accounts[1]!.parentId = 'acme-holdings';
    doc.admins[0]!.memberships[0]!.roles = ['Owner'];
    const dir = tempDir();
    const file = path.join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify(doc));

    const { code, stdout, stderr } = await run({ DIRECTORY_FILE: file, DATA_DIR: path.join(dir, 'data') });

    expect(code).toBe(1);
    expect(stderr).toContain(`The directory file ${file} has 2 mistakes:\n`);
    expect(stderr).toContain('\n  $.accounts[1].parentId: unknown parent account "acme-holdings"\n');
    expect(stderr).toMatch(/\n {2}\$\.admins\[0\]\.memberships\[0\]\.roles\[0\]: unknown role "Owner"\n/);
    expect(`${stdout}${stderr}`).not.toMatch(/\n\s+at .+:\d+:\d+/);
    expect(stdout).not.toContain('listening');
  });
});
