import { statusOf } from './resilience';

/**
 * How the directory CLI calls Cosmos DB. An import or export is a long run of independent,
 * repeatable requests (upserts, deletes, pages of a scan), so unlike a turn it can afford to wait
 * and to try again: each request gets its own deadline, and a transient failure (a timeout, a
 * dropped connection, 429 throttling the SDK gave up on, a 5xx) is retried with growing pauses.
 */
export interface TransferLimits {
  /** How long one request may take before it is abandoned and tried again. */
  readonly requestTimeoutMs: number;
  /** How many times a failed request is tried again before the command gives up. */
  readonly retries: number;
}

export const DEFAULT_TRANSFER_LIMITS: TransferLimits = { requestTimeoutMs: 30_000, retries: 6 };
export const TRANSFER_LIMIT_RANGES = { requestTimeoutMs: { min: 100, max: 600_000 }, retries: { min: 0, max: 100 } } as const;

/**
 * The SDK's own 429 retries for the CLI's client: throttling is expected while moving 100,000
 * documents, and waiting it out (as the service's retry-after asks) is the right answer.
 */
export const TRANSFER_THROTTLE_RETRY = { maxRetryAttemptCount: 30, maxWaitTimeInSeconds: 120 } as const;

/** Statuses the service gives for "not now": worth another attempt. */
const TRANSIENT_STATUSES = new Set([408, 410, 429, 449, 500, 502, 503, 504]);
/** First pause, doubled each attempt up to the cap; jitter keeps parallel batches from retrying in step. */
const FIRST_PAUSE_MS = 250;
const MAX_PAUSE_MS = 15_000;

export function isTransientTransferError(error: unknown): boolean {
  const status = statusOf(error);
  // No HTTP status at all (or a named network code): the request never got an answer.
  return typeof status === 'number' ? TRANSIENT_STATUSES.has(status) : true;
}

/** The error and its causes, with each one's status code, on one line: what an operator needs to act. */
export function describeCause(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error; e !== undefined && parts.length < 5; e = e instanceof Error ? e.cause : undefined) {
    const status = statusOf(e);
    const message = e instanceof Error ? e.message.split('\n')[0]! : String(e);
    parts.push(status !== undefined && !message.includes(String(status)) ? `${message} (${String(status)})` : message);
  }
  return parts.join('; caused by: ');
}

export class TransferError extends Error {
  override name = 'TransferError';
}

/** A request that took longer than its deadline: abandoned, and retried like any transient failure. */
function requestTimedOut(ms: number): Error {
  return Object.assign(new Error(`no answer within the ${ms} ms request timeout`), { code: 'REQUEST_TIMEOUT' });
}

export class TransferCalls {
  constructor(
    readonly limits: TransferLimits = DEFAULT_TRANSFER_LIMITS,
    private readonly pause: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {}

  /**
   * Runs a repeatable request under its own deadline, again after each transient failure, and
   * fails with what was being done, how often it was tried and the last cause in full.
   */
  async call<T>(what: string, request: (signal: AbortSignal) => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.withinTimeout(request);
      } catch (error) {
        if (attempt >= this.limits.retries || !isTransientTransferError(error)) {
          const tries = attempt === 0 ? '' : ` (tried ${attempt + 1} times)`;
          throw new TransferError(`${what} failed${tries}: ${describeCause(error)}`, { cause: error });
        }
        const pause = Math.min(MAX_PAUSE_MS, FIRST_PAUSE_MS * 2 ** attempt);
        await this.pause(pause / 2 + Math.random() * (pause / 2));
      }
    }
  }

  /**
   * The SDK's own request timeout is set to the same limit, but it does not cover everything a
   * call may send (a query plan, a token), so the deadline is also enforced here.
   */
  private withinTimeout<T>(request: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const { requestTimeoutMs } = this.limits;
    const controller = new AbortController();
    const work = request(controller.signal);
    work.catch(() => undefined);
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        controller.abort();
        reject(requestTimedOut(requestTimeoutMs));
      }, requestTimeoutMs);
      work.then(resolve, reject).finally(() => clearTimeout(timer));
    });
  }
}
