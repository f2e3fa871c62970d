import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { projectPath } from '../../src/project-path';

/** The compiled server (npm test builds it first) running as a separate process that a test may kill. */
export interface ChildServer {
  readonly url: string;
  readonly process: ChildProcess;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export async function startChildServer(env: Record<string, string>): Promise<ChildServer> {
  const entry = projectPath('dist', 'src', 'server.js');
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run npm run build (npm test does) before this test`);
  const child = spawn(process.execPath, ['--no-deprecation', entry], {
    env: { ...process.env, NODE_ENV: 'test', PORT: '0', ...(env.MicrosoftAppId ? {} : { INSECURE_UNAUTHENTICATED_LOOPBACK: 'true' }), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 15 s:\n${output}`)), 15_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/[^/\s]+)\/api\/messages/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${output}`));
    });
  });
  return {
    url,
    process: child,
    kill(signal: NodeJS.Signals = 'SIGKILL') {
      return new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill(signal);
      });
    },
  };
}
