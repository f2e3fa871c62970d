import { createHash } from 'node:crypto';
import { adminKey, sameAdmin, type Caller } from '../domain/admins';
import type { AuditEntry } from '../domain/audit';
import { AccountNotFoundError, InvalidActionError } from '../domain/errors';
import type { Directory } from '../directory/port';
import type { Here } from './access';

/**
 * What every confirmed change shares (subscriptions and offers alike): the review id a card carries
 * back, the key a confirmation is applied once under, who may see a replayed answer, the account
 * read past any cache, and the one time format of the audit trail.
 */
export const REVIEW_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The key a confirmation is applied once under. The review id comes back from the client, so on
 * its own it is a guess anyone can reuse: bound to the account and to the admin confirming, another
 * admin who learns it can neither use it up nor tell from the answer that it exists, while the same
 * admin's retry (a Teams retry, a double tap, Execute and its Submit fallback) still finds it.
 * `purpose` keeps one kind of change's review id from replaying as another kind (subscription
 * keys have none, as they had before offers could change).
 */
export function idempotencyKey(accountId: string, caller: Caller, reviewId: string, purpose?: string): string {
  const parts = [accountId, adminKey(caller), reviewId.toLowerCase(), ...(purpose === undefined ? [] : [purpose])];
  const hex = createHash('sha256').update(JSON.stringify(parts)).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** A replay answers only the admin who confirmed: anyone else learns nothing of it. */
export function assertOwnConfirmation(entry: AuditEntry, caller: Caller): void {
  if (!sameAdmin(entry.actor, caller)) {
    throw new InvalidActionError('That confirmation belongs to another administrator. Review your own change.');
  }
}

/** `here` with its account as stored now, read past any cache; its path (tree data) stays. */
export async function currentHere(directory: Directory, here: Here): Promise<Here> {
  const account = await directory.getAccount(here.account.id, { fresh: true });
  if (!account) throw new AccountNotFoundError(here.account.id);
  return { ...here, account, path: [...here.path.slice(0, -1), account] };
}

/** "26 Nov 2026, 22:15 UTC": one zone for everyone reading a shared history. */
export function formatTime(iso: string): string {
  const d = new Date(iso);
  const date = d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
  const time = d.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'UTC' });
  return `${date}, ${time} UTC`;
}
