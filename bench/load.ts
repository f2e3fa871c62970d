import autocannon from 'autocannon';
import type { Body } from './scenarios';

/**
 * One autocannon run against /api/messages. Every connection cycles through its own list of
 * request bodies (its own admins and conversations), so no two connections ever act in the same
 * conversation and every turn's state is its own. Latencies are kept per response, in
 * fractional milliseconds, rather than read from autocannon's whole-millisecond histogram.
 */
export interface LoadOptions {
  readonly url: string;
  /** One list of activities per connection; there must be exactly `connections` lists. */
  readonly perConnection: readonly (readonly Body[])[];
  readonly connections: number;
  /** Seconds; ignored when `amount` is set. */
  readonly duration?: number;
  /** Total requests over all connections (each connection makes amount / connections). */
  readonly amount?: number;
  /** A problem with a reply body, checked on every response. */
  readonly check?: (body: string) => string | undefined;
}

export interface Measured {
  readonly requests: number;
  readonly seconds: number;
  readonly reqPerSec: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly errors: number;
  readonly non2xx: number;
  readonly mismatches: number;
  /** The first bad reply seen, to say what went wrong. */
  readonly firstProblem?: string;
  /** Mean reply body size in bytes (UTF-8), over the replies checked; NaN when none were. */
  readonly bodyBytes: number;
  /** Replies whose body size was counted (those checked). */
  readonly bodiesCounted: number;
  /** Every 2xx latency, sorted (ms). */
  readonly latencies: readonly number[];
}

const quantile = (sorted: readonly number[], q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : NaN);

/** Several runs as one: requests over the time they took together, latencies pooled. */
export function combine(runs: readonly Measured[]): Measured {
  const latencies = runs.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const seconds = runs.reduce((sum, r) => sum + r.seconds, 0);
  const firstProblem = runs.find((r) => r.firstProblem !== undefined)?.firstProblem;
  const bodiesCounted = runs.reduce((sum, r) => sum + r.bodiesCounted, 0);
  const bodyBytes = runs.reduce((sum, r) => sum + (r.bodiesCounted ? r.bodyBytes * r.bodiesCounted : 0), 0) / bodiesCounted;
  return {
    requests: latencies.length,
    seconds,
    reqPerSec: latencies.length / seconds,
    p50Ms: quantile(latencies, 0.5),
    p90Ms: quantile(latencies, 0.9),
    p99Ms: quantile(latencies, 0.99),
    maxMs: latencies.length ? latencies[latencies.length - 1]! : NaN,
    errors: runs.reduce((sum, r) => sum + r.errors, 0),
    non2xx: runs.reduce((sum, r) => sum + r.non2xx, 0),
    mismatches: runs.reduce((sum, r) => sum + r.mismatches, 0),
    ...(firstProblem !== undefined ? { firstProblem } : {}),
    bodyBytes,
    bodiesCounted,
    latencies,
  };
}

export async function runLoad(options: LoadOptions): Promise<Measured> {
  if (options.perConnection.length !== options.connections) throw new Error(`need ${options.connections} request lists, got ${options.perConnection.length}`);
  const headers = { 'content-type': 'application/json' };
  const encoded = options.perConnection.map((bodies) => bodies.map((body) => ({ method: 'POST' as const, path: '/api/messages', headers, body: JSON.stringify(body) })));
  let nextClient = 0;
  const latencies: number[] = [];
  let firstProblem: string | undefined;
  let bodyBytes = 0;
  let bodiesCounted = 0;
  const check = options.check;
  const started = performance.now();
  let lastResponse = started;
  const autocannonOptions: autocannon.Options = {
    url: `${options.url}/api/messages`,
    method: 'POST',
    headers,
    connections: options.connections,
    pipelining: 1,
    // autocannon stops at its next sample tick after the deadline (or the last request): tick often.
    sampleInt: 50,
    ...(options.amount !== undefined ? { amount: options.amount } : { duration: options.duration ?? 10 }),
    requests: [{ method: 'POST', path: '/api/messages', headers, body: encoded[0]![0]!.body }],
    setupClient(client) {
      (client as unknown as { setRequests(r: unknown[]): void }).setRequests(encoded[nextClient++ % encoded.length]!);
    },
    ...(check
      ? {
          verifyBody(body: string) {
            bodyBytes += Buffer.byteLength(body);
            bodiesCounted++;
            const problem = check(body);
            if (problem && firstProblem === undefined) firstProblem = problem;
            return problem === undefined;
          },
        }
      : {}),
  } as autocannon.Options;
  let finish: (error: unknown, result: autocannon.Result) => void = () => undefined;
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    finish = (error, result) => (error ? reject(error) : resolve(result));
  });
  const instance = autocannon(autocannonOptions, (error, result) => finish(error, result));
  instance.on('response', (_client: unknown, status: number, _bytes: number, responseTime: number) => {
    if (status >= 200 && status < 300) latencies.push(responseTime);
    else if (firstProblem === undefined) firstProblem = `HTTP ${status}`;
    lastResponse = performance.now();
  });
  const result = await done;
  // With `amount`, the run ends at the last response; with a duration, at the deadline.
  const seconds = options.amount !== undefined ? (lastResponse - started) / 1000 : result.duration;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => quantile(latencies, q);
  return {
    requests: latencies.length,
    seconds,
    reqPerSec: latencies.length / seconds,
    p50Ms: at(0.5),
    p90Ms: at(0.9),
    p99Ms: at(0.99),
    maxMs: latencies.length ? latencies[latencies.length - 1]! : NaN,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    mismatches: result.mismatches,
    ...(firstProblem !== undefined ? { firstProblem } : {}),
    bodyBytes: bodyBytes / bodiesCounted,
    bodiesCounted,
    latencies,
  };
}

/** Sends activities one after another (warm-up turns that position each admin), checking each reply. */
export async function sendInOrder(url: string, bodies: readonly Body[]): Promise<void> {
  for (const body of bodies) {
    const response = await fetch(`${url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const text = await response.text();
    if (response.status !== 200 || text.includes('"color":"Attention"')) {
      throw new Error(`warm-up turn ${String(body.id)} failed: HTTP ${response.status} ${text.slice(0, 300)}`);
    }
  }
}

/** Runs the warm-up turns of many conversations, a few conversations at a time. */
export async function sendAll(url: string, perConversation: readonly (readonly Body[])[], parallel = 8): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < perConversation.length) await sendInOrder(url, perConversation[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(parallel, perConversation.length) }, worker));
}
