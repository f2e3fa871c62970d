import { DirectoryUnavailableError, SwitchboardError } from '../../domain/errors';

/**
 * How long one adapter call may take before the user is told the directory is unavailable.
 * Under the 5 s the issue allows, so the card arrives well inside Teams' invoke timeout.
 */
export const DEFAULT_DEADLINE_MS = 4500;

/** Pauses between attempts of a read that failed transiently (the SDK retries 429s itself). */
const READ_RETRY_DELAYS_MS = [100, 300, 700];

/** Statuses that are answers about the data, not about the service's health. */
const ANSWER_STATUSES = new Set([400, 404, 409, 412, 413]);

/** Transient statuses worth another attempt for a read: timeout, retry-with, server errors. */
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
  if (typeof status === 'number') return TRANSIENT_STATUSES.has(status);
  // No HTTP status: a network failure (ECONNRESET, ECONNREFUSED, REQUEST_SEND_ERROR, TimeoutError).
  return true;
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
 * Runs a read (or an idempotent write, such as an upsert) against Cosmos DB under a deadline,
 * retrying transient failures while time remains: repeating it cannot apply anything twice. Unavailability becomes DirectoryUnavailableError so the user
 * gets the "directory is unavailable" card; answers (404, 412...) pass through unchanged.
 */
export async function runIdempotent<T>(deadlineMs: number, operation: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const signal = AbortSignal.timeout(deadlineMs);
  for (let attempt = 0; ; attempt++) {
    try {
      return await operation(signal);
    } catch (error) {
      const delay = READ_RETRY_DELAYS_MS[attempt];
      if (delay !== undefined && !signal.aborted && isTransient(error) && isUnavailable(error)) {
        await sleep(delay, signal);
        if (!signal.aborted) continue;
      }
      throw translate(error);
    }
  }
}

/**
 * Runs one write under a deadline, never repeating it here: after an ambiguous failure (a
 * timeout, a reset connection) the write may or may not have been applied, and only a retry that
 * carries the same idempotency key (an ETag or an action id) can find out safely.
 */
export async function runOnce<T>(deadlineMs: number, operation: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const signal = AbortSignal.timeout(deadlineMs);
  try {
    return await operation(signal);
  } catch (error) {
    throw translate(error);
  }
}

function translate(error: unknown): unknown {
  return isUnavailable(error) ? new DirectoryUnavailableError(error) : error;
}
