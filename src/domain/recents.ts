/**
 * The accounts an admin visited most recently, newest first: kept with their position, and put
 * first by the switch picker and find so that going back is one tap on a phone. Only ids are
 * kept; whoever shows them reads and re-authorizes each one, so an account the admin lost access
 * to, or that was deleted or moved out of their scope, is simply not shown.
 */
export const RECENT_LIMIT = 5;
/** One more is kept than is shown: the newest is usually where the admin stands, which the picker leaves out. */
const KEPT = RECENT_LIMIT + 1;

/** Longer than any account id the directory accepts: stored state holding one is not ours. */
const MAX_ID_LENGTH = 200;

/** The recents after a visit to `accountId`: it first, each account once, the newest few. */
export function afterVisit(recents: readonly string[], accountId: string): string[] {
  return [accountId, ...recents.filter((id) => id !== accountId)].slice(0, KEPT);
}

/** Recents as stored state holds them, which may be anything (an older version, a damaged file): the ids, or none. */
export function recentsFrom(stored: unknown): string[] {
  if (!Array.isArray(stored)) return [];
  const ids = stored.filter((id): id is string => typeof id === 'string' && id.length > 0 && id.length <= MAX_ID_LENGTH);
  return [...new Set(ids)].slice(0, KEPT);
}
