import type { Account } from '../domain/accounts';
import { adminKey, type Admin, type Caller } from '../domain/admins';
import type { AuditEntry } from '../domain/audit';
import { breadcrumb, breadcrumbText, scopeRootOn } from '../domain/navigation';
import { isNoticeRecipient, noticeRecipients, type ChangeNotice } from '../domain/notices';
import { formatDifference } from '../domain/offers';
import type { Directory } from '../directory/port';
import { refOf } from './navigator';
import { stableId } from './stable-id';
import { entryChangeLines } from './change-lines';
import { formatTime } from './confirmations';
import type { ChangeNoticeView } from './views';

/**
 * The notice id, which is also the activity id it is sent with: the same for the same change and
 * recipient however often it is computed, so a resend after a crash carries the id of the first send.
 */
export function noticeId(actionId: string, recipient: Caller): string {
  return stableId('notice', actionId, adminKey(recipient));
}

/** The notices an applied change causes, for everyone the domain rule names among `admins`. */
export function noticesFor(entry: AuditEntry, path: readonly Pick<Account, 'id'>[], admins: readonly Admin[]): ChangeNotice[] {
  return noticeRecipients(admins, path, entry.actor).map((recipient) => ({ id: noticeId(entry.actionId, recipient), recipient, accountId: entry.accountId, entry }));
}

/**
 * A notice as its recipient sees it at delivery time, or undefined when they should not get it
 * any more (no longer an admin, no longer holding the role there, the account gone). The path is
 * shown from the recipient's own scope root.
 */
export async function noticeView(directory: Directory, notice: ChangeNotice): Promise<ChangeNoticeView | undefined> {
  const admin = await directory.getAdmin(notice.recipient);
  const path = admin ? await directory.getPath(notice.accountId) : undefined;
  if (!admin || !path || !isNoticeRecipient(admin, path, notice.entry.actor)) return undefined;
  const scopeRootId = scopeRootOn(admin, path);
  if (!scopeRootId) return undefined;
  const offers = new Map((await directory.listOffers()).map((o) => [o.sku, o]));
  const { entry } = notice;
  const offerChange = entry.offerLines !== undefined && entry.offerLines.length > 0;
  return {
    view: 'changeNotice',
    title: offerChange ? 'Offers changed' : 'Subscriptions changed',
    account: refOf(path[path.length - 1]!),
    breadcrumbText: breadcrumbText(breadcrumb(path, scopeRootId)),
    changes: entryChangeLines(entry, offers),
    offerChanges: (entry.offerLines ?? []).map((l) => ({ name: offers.get(l.sku)?.name ?? l.sku, sku: l.sku, state: l.enabled ? 'turned on' : 'turned off' })),
    ...(offerChange ? {} : { difference: formatDifference(entry.monthlyDifferenceMinor, entry.currency) }),
    by: entry.actor.name,
    at: formatTime(entry.at),
  };
}
