import { DirectoryUnavailableError, SwitchboardError } from '../../domain/errors';

/**
 * How long one adapter call may take before the user is told the directory is unavailable.
 * Under the 5 s the issue allows, so the card arrives well inside Teams' invoke timeout.
 */
export const DEFAULT_DEADLINE_MS = 4500;

/**
 * How long one search may take: shorter than a navigation call, so that a search the service
 * is slow to answer gives its searcher the "unavailable" card quickly. Searches have a policy of
 * their own, so this never fails navigation fast.
 */
export const DEFAULT_SEARCH_DEADLINE_MS = 3000;

/**
 * After a call waited in vain for Cosmos DB, calls fail at once for this long instead of each
 * waiting out its own deadline: a turn makes several calls (state, directory), and the user
 * should get the "unavailable" card after one wait, not three. The first call after it probes
 * again, so service resumes by itself within this long of the server coming back.
 */
export const DEFAULT_COOL_DOWN_MS = 5000;

/** Pauses between attempts of a call that failed transiently (the SDK retries 429s itself). */
const RETRY_DELAYS_MS = [100, 300, 700];

/** Statuses that are answers about the data, not about the service's health. */
const ANSWER_STATUSES = new Set([400, 404, 409, 412, 413]);

/** Transient statuses worth another attempt: timeout, gone, retry-with, server errors. */
const TRANSIENT_STATUSES = new Set([408, 410, 449, 500, 502, 503, 504]);

export function statusOf(error: unknown): number | string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'number' || typeof code === 'string' ? code : undefined;
}

/** True when the error says the service could not answer (as opposed to answering "no"). */
export function isUnavailable(error: unknown): boolean {
  if (error instanceof SwitchboardError) return false;
  const status = statusOf(error);
  return !(typeof status === 'number' && ANSWER_STATUSES.has(status));
}

function isTransient(error: unknown): boolean {
  const status = statusOf(error);
  // No HTTP status: a network failure (ECONNRESET, ECONNREFUSED, REQUEST_SEND_ERROR, TimeoutError).
  return typeof status === 'number' ? TRANSIENT_STATUSES.has(status) : true;
}

/**
 * Settles with `work`, or rejects as soon as `signal` aborts even if `work` does not listen (the
 * SDK does not pass the signal to every request it makes, such as a query plan). Whatever `work`
 * does afterwards is ignored: for a read that is harmless, and a write sent once is exactly the
 * ambiguous case its idempotency key is for.
 */
function withinDeadline<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  work.catch(() => undefined);
  if (signal.aborted) return Promise.reject(deadlineError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(deadlineError());
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function deadlineError(): Error {
  return Object.assign(new Error('Cosmos DB did not answer in time'), { name: 'AbortError', code: 'DEADLINE' });
}

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });

/**
 * How Switchboard calls Cosmos DB: every call under a deadline, unavailability reported as
 * DirectoryUnavailableError (so the user gets the "directory is unavailable" card), answers
 * (404, 409, 412...) passed through, and a short fail-fast period after an outage is seen.
 * One policy per kind of call (CosmosDirectory: navigation and state, search, writes), so that
 * one kind that is slow never fails the others fast.
 */
export class CallPolicy {
  private failFastUntil = 0;

  constructor(
    readonly deadlineMs = DEFAULT_DEADLINE_MS,
    private readonly coolDownMs = DEFAULT_COOL_DOWN_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * A read, or a write that is safe to repeat (an upsert): transient failures are retried while
   * the deadline allows, since repeating it cannot apply anything twice.
   */
  async retrying<T>(operation: (signal: AbortSignal) => Promise<T>): Promise<T> {
    this.admit();
    const started = this.now();
    const signal = AbortSignal.timeout(this.deadlineMs);
    for (let attempt = 0; ; attempt++) {
      try {
        return this.succeeded(await withinDeadline(operation(signal), signal));
      } catch (error) {
        const delay = RETRY_DELAYS_MS[attempt];
        if (delay !== undefined && !signal.aborted && isTransient(error) && isUnavailable(error)) {
          await sleep(delay, signal);
          if (!signal.aborted) continue;
        }
        throw this.failed(error, started);
      }
    }
  }

  /**
   * A write sent at most once: after an ambiguous failure (a timeout, a reset connection) it may
   * or may not have been applied, and only a retry carrying the same idempotency key (an ETag or
   * an action id) can find out safely. The SDK itself retries only 429s, which were not applied.
   */
  async once<T>(operation: (signal: AbortSignal) => Promise<T>): Promise<T> {
    this.admit();
    const started = this.now();
    const signal = AbortSignal.timeout(this.deadlineMs);
    try {
      return this.succeeded(await withinDeadline(operation(signal), signal));
    } catch (error) {
      throw this.failed(error, started);
    }
  }

  private admit(): void {
    if (this.now() < this.failFastUntil) {
      throw new DirectoryUnavailableError(new Error('Cosmos DB did not answer a moment ago; not asking again yet'));
    }
  }

  private succeeded<T>(value: T): T {
    this.failFastUntil = 0;
    return value;
  }

  private failed(error: unknown, started: number): unknown {
    if (!isUnavailable(error)) {
      this.failFastUntil = 0; // it answered
      return error;
    }
    // Only a call that had to wait trips the fail-fast period: one lost response is not an outage.
    const now = this.now();
    if (this.coolDownMs > 0 && now - started >= this.deadlineMs / 2) this.failFastUntil = now + this.coolDownMs;
    return new DirectoryUnavailableError(error);
  }
}
