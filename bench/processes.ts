import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import os from 'node:os';

/**
 * Child processes for the servers under test. Each runs in its own Node process so that
 * autocannon's CPU never shares their event loop; with taskset (util-linux) each is pinned to a
 * core of its own, away from the load generator.
 */
export interface Pinning {
  readonly available: boolean;
  /** Core for the servers under test (one at a time is loaded); undefined when not pinning. */
  readonly serverCore?: number;
  /** Core for this process (autocannon). */
  readonly loadCore?: number;
  readonly note: string;
}

export function planPinning(disabled: boolean): Pinning {
  const cpus = os.availableParallelism?.() ?? os.cpus().length;
  const taskset = spawnSync('taskset', ['--version'], { encoding: 'utf8' });
  if (disabled) return { available: false, note: 'not pinned (--no-pin)' };
  if (taskset.error || taskset.status !== 0) return { available: false, note: 'not pinned: taskset (util-linux) not found' };
  if (cpus < 2) return { available: false, note: `not pinned: only ${cpus} CPU` };
  const loadCore = 0;
  const serverCore = cpus - 1;
  const self = spawnSync('taskset', ['-cp', String(loadCore), String(process.pid)], { encoding: 'utf8' });
  if (self.status !== 0) return { available: false, note: `not pinned: taskset failed (${self.stderr.trim()})` };
  return { available: true, serverCore, loadCore, note: `servers pinned to core ${serverCore} (taskset), autocannon on core ${loadCore}; ${cpus} CPUs` };
}

export interface Started {
  readonly child: ChildProcess;
  readonly pid: number;
  /** The server's own report, from its BENCH_LISTENING line. */
  readonly info: Record<string, unknown> & { url: string };
  /** Spawn to listening line, measured here. */
  readonly startupMs: number;
  /** Resolves with the rest of the next line the child writes that starts with `prefix`. */
  waitForLine(prefix: string, timeoutMs?: number): Promise<string>;
}

/**
 * Starts `node <script>` (pinned when asked) and waits for its `BENCH_LISTENING {json}` line on
 * stderr or stdout. `stdoutFile` receives the child's stdout (Switchboard's pino log).
 */
export async function startNode(
  script: string,
  options: { env: Record<string, string>; pinning: Pinning; nodeFlags?: readonly string[]; stdoutFile?: string; label: string; timeoutMs?: number },
): Promise<Started> {
  const nodeArgs = [...(options.nodeFlags ?? []), script];
  const command = options.pinning.available ? 'taskset' : process.execPath;
  const args = options.pinning.available ? ['-c', String(options.pinning.serverCore), process.execPath, ...nodeArgs] : nodeArgs;
  const out = options.stdoutFile ? openSync(options.stdoutFile, 'a') : 'pipe';
  const started = performance.now();
  // taskset execs node in place, so the pid is node's own.
  const child = spawn(command, args, { env: { ...process.env, ...options.env }, stdio: ['ignore', out, 'pipe'] });
  if (typeof out === 'number') closeSync(out);
  const waiters: { prefix: string; resolve: (rest: string) => void }[] = [];
  const waitForLine = (prefix: string, timeoutMs = 60_000) =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${options.label}: no "${prefix}" line within ${timeoutMs} ms`)), timeoutMs);
      waiters.push({ prefix, resolve: (rest) => (clearTimeout(timer), resolve(rest)) });
    });
  return new Promise<Started>((resolve, reject) => {
    let buffer = '';
    let settled = false;
    const timer = setTimeout(() => fail(new Error(`${options.label} did not start within ${options.timeoutMs ?? 60_000} ms`)), options.timeoutMs ?? 60_000);
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    };
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (/DeprecationWarning|--trace-deprecation/.test(line)) continue;
        const waiter = waiters.findIndex((w) => line.startsWith(w.prefix));
        if (waiter >= 0) {
          const [w] = waiters.splice(waiter, 1);
          w!.resolve(line.slice(w!.prefix.length));
          continue;
        }
        const at = line.indexOf('BENCH_LISTENING ');
        if (at >= 0 && !settled) {
          settled = true;
          clearTimeout(timer);
          const info = JSON.parse(line.slice(at + 'BENCH_LISTENING '.length)) as Started['info'];
          resolve({ child, pid: child.pid!, info, startupMs: performance.now() - started, waitForLine });
        } else if (!settled) {
          process.stderr.write(`[${options.label}] ${line}\n`);
        } else if (/error|fail/i.test(line)) {
          process.stderr.write(`[${options.label}] ${line}\n`);
        }
      }
    };
    child.stderr!.on('data', onData);
    child.stdout?.on('data', onData);
    child.once('exit', (code, signal) => fail(new Error(`${options.label} exited (${signal ?? code}) before listening`)));
    child.once('error', (error) => fail(error));
  });
}

/** Peak and current resident set of a live process, from /proc (Linux). */
export function memoryOf(pid: number): { peakRssMb?: number; rssMb?: number } {
  const file = `/proc/${pid}/status`;
  if (!existsSync(file)) return {};
  const text = readFileSync(file, 'utf8');
  const kb = (name: string) => {
    const m = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text);
    return m ? Number(m[1]) / 1024 : undefined;
  };
  const peak = kb('VmHWM');
  const rss = kb('VmRSS');
  return { ...(peak !== undefined ? { peakRssMb: peak } : {}), ...(rss !== undefined ? { rssMb: rss } : {}) };
}

export async function stop(child: ChildProcess, timeoutMs = 15_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  await exited;
  clearTimeout(timer);
}

/** CPU time (user + system) a live process has used so far, in ms, from /proc/<pid>/stat (Linux). */
export function cpuMsOf(pid: number): number | undefined {
  const file = `/proc/${pid}/stat`;
  if (!existsSync(file)) return undefined;
  // Fields after the command name (which may hold spaces) start after the last ')'.
  const fields = readFileSync(file, 'utf8').slice(readFileSync(file, 'utf8').lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15)
  return (ticks * 1000) / CLOCK_TICKS;
}

const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;
