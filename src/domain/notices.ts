import type { Account } from './accounts';
import { adminKey, sameAdmin, type Admin, type Caller } from './admins';
import type { AuditEntry } from './audit';
import { CHANGE_SUBSCRIPTION_ROLES } from './permissions';
import { expandRoles } from './roles';
import { DEFAULT_DIGEST_TIME } from './trials';

/**
 * Change notices: who hears about a subscription change made by someone else. The rule is
 * applied twice, when the change is recorded (who gets a notice in the outbox) and again when the
 * notice is delivered (so an admin who lost access meanwhile gets nothing).
 */

/** One notice in the outbox: a change, for one recipient. Its id is also the activity id it is sent with. */
export interface ChangeNotice {
  readonly id: string;
  readonly recipient: Caller;
  readonly accountId: string;
  readonly entry: AuditEntry;
}

/**
 * Is `admin` told about a change by `actor` on the last account of `path` (root first)? They must
 * hold Subscription Owner or Contributor through a membership on that account or above it, and
 * not be the actor. Their own memberships decide: a role is held within the holder's own scope.
 */
export function isNoticeRecipient(admin: Admin, path: readonly Pick<Account, 'id'>[], actor: Caller): boolean {
  if (path.length === 0 || sameAdmin(admin, actor)) return false;
  const onPath = new Set(path.map((a) => a.id));
  const roles = expandRoles(admin.memberships.filter((m) => onPath.has(m.accountId)).flatMap((m) => m.roles));
  return CHANGE_SUBSCRIPTION_ROLES.some((r) => roles.includes(r));
}

/** Everyone `isNoticeRecipient` names among `admins`, once each, in a stable order. */
export function noticeRecipients(admins: readonly Admin[], path: readonly Pick<Account, 'id'>[], actor: Caller): Caller[] {
  const chosen = new Map<string, Caller>();
  for (const admin of admins) {
    if (isNoticeRecipient(admin, path, actor)) chosen.set(adminKey(admin), { tenantId: admin.tenantId, aadObjectId: admin.aadObjectId });
  }
  return [...chosen.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, caller]) => caller);
}

/** What each admin chose to receive. */
export interface NoticePreferences {
  readonly changeNotices: boolean;
  readonly digest: boolean;
  /** When the digest comes, "HH:MM" in the admin's own time zone. */
  readonly digestAt: string;
}

export const DEFAULT_NOTICE_PREFERENCES: NoticePreferences = { changeNotices: true, digest: true, digestAt: DEFAULT_DIGEST_TIME };
