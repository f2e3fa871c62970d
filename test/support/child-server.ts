import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { projectPath } from '../../src/project-path';

/** The compiled server (npm test builds it first) running as a separate process that a test may kill. */
export interface ChildServer {
  readonly url: string;
  readonly process: ChildProcess;
  /** Everything it wrote to stdout and stderr so far (its log), for assertions and failure messages. */
  output(): string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** `startupMs`: how long it may take to listen (several processes starting at once on a loaded machine take longer). */
export async function startChildServer(env: Record<string, string>, startupMs = 15_000): Promise<ChildServer> {
  const entry = projectPath('dist', 'src', 'server.js');
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run npm run build (npm test does) before this test`);
  const child = spawn(process.execPath, ['--no-deprecation', entry], {
    env: { ...process.env, NODE_ENV: 'test', PORT: '0', ...(env.MicrosoftAppId ? {} : { INSECURE_UNAUTHENTICATED_LOOPBACK: 'true' }), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL'); // never left running behind a failed test
      reject(new Error(`server did not start in ${startupMs / 1000} s:\n${output}`));
    }, startupMs);
    let listening = false;
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = listening ? null : /listening on (http:\/\/[^/\s]+)\/api\/messages/.exec(output);
      if (match) {
        listening = true;
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
    output: () => output,
    kill(signal: NodeJS.Signals = 'SIGKILL') {
      return new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill(signal);
      });
    },
  };
}
