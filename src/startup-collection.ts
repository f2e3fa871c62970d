/**
 * One full garbage collection once a large directory file is loaded, when node runs with
 * --expose-gc (npm start and the deployed app do; elsewhere this does nothing).
 *
 * Why: V8 sets the old generation's next limit at each full collection, up to four times what was
 * live. The one that falls during start-up comes while the file's text and parsed document are
 * still alive (about 80 MB with 100,000 accounts, of which about 60 MB stays), so under load the
 * heap grew to about 320 MB before V8 looked again. Collected here, the limit is sized on what
 * stays. Measured with `npm run bench`: peak RSS 425 -> 335 MB. It takes tens of milliseconds, once.
 */
export function collectStartupGarbage(): boolean {
  const gc = (globalThis as { gc?: unknown }).gc;
  if (typeof gc !== 'function') return false;
  (gc as () => void)();
  return true;
}
