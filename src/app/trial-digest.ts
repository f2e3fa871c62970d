import type { Account } from '../domain/accounts';
import type { Admin } from '../domain/admins';
import { breadcrumb, breadcrumbText, scopeRootOn } from '../domain/navigation';
import { formatCount } from '../domain/numbers';
import { countdownText, digestCountdowns, DIGEST_DAYS_AHEAD, DIGEST_DAYS_BEHIND, isTrialReader, type TrialSubscription } from '../domain/trials';
import type { Directory } from '../directory/port';
import { refOf } from './navigator';
import type { TrialDigestView } from './views';

/** A trial with the path to its account (root first), as read for the day's digests. */
export interface PlacedTrial extends TrialSubscription {
  readonly path: readonly Account[];
}

/**
 * The trials the digests of a day are made from, with the admins who may see any of them: one
 * query for the trials, one path per account holding one, one roster lookup. Trials are few, so
 * this is small whatever the size of the directory.
 */
export async function readTrials(directory: Directory, startedSince: string): Promise<{ readonly trials: PlacedTrial[]; readonly admins: Admin[] }> {
  const found = await directory.trialSubscriptions(startedSince);
  const paths = new Map<string, Account[] | undefined>();
  for (const t of found) if (!paths.has(t.accountId)) paths.set(t.accountId, await directory.getPath(t.accountId));
  const trials = found.flatMap((t) => {
    const path = paths.get(t.accountId);
    return path ? [{ ...t, path }] : [];
  });
  const onPaths = [...new Set(trials.flatMap((t) => t.path.map((a) => a.id)))];
  const admins = onPaths.length > 0 ? await directory.adminsOn(onPaths) : [];
  return { trials, admins };
}

/**
 * One admin's digest for `day` (their own date): the trials on accounts where they may view
 * subscriptions, ending within 7 days or ended within the last 7, grouped by account, each
 * account named from the admin's own scope root. Undefined when there is nothing to say.
 */
export function trialDigestFor(admin: Admin, trials: readonly PlacedTrial[], day: string, offerNames: ReadonlyMap<string, string>): TrialDigestView | undefined {
  const visible = trials.filter((t) => isTrialReader(admin, t.path));
  const countdowns = digestCountdowns(visible, day);
  if (countdowns.length === 0) return undefined;
  const pathOf = new Map(visible.map((t) => [t.accountId, t.path]));
  const groups = new Map<string, TrialDigestView['accounts'][number]>();
  for (const c of countdowns) {
    const path = pathOf.get(c.accountId)!;
    const scopeRootId = scopeRootOn(admin, path);
    if (!scopeRootId) continue;
    const group = groups.get(c.accountId) ?? { account: refOf(path[path.length - 1]!), breadcrumbText: breadcrumbText(breadcrumb(path, scopeRootId)), trials: [] };
    groups.set(c.accountId, {
      ...group,
      trials: [...group.trials, { name: offerNames.get(c.sku) ?? c.sku, sku: c.sku, quantityText: formatCount(c.quantity), countdown: countdownText(c.daysLeft), endsOn: c.endsOn, ended: c.daysLeft < 0 }],
    });
  }
  if (groups.size === 0) return undefined;
  const ending = countdowns.filter((c) => c.daysLeft >= 0 && groups.has(c.accountId)).length;
  const ended = countdowns.filter((c) => c.daysLeft < 0 && groups.has(c.accountId)).length;
  return { view: 'trialDigest', day, summary: summaryText(ending, ended), accounts: [...groups.values()] };
}

function summaryText(ending: number, ended: number): string {
  const parts = [];
  if (ending > 0) parts.push(`${ending} trial${ending === 1 ? '' : 's'} ending within ${DIGEST_DAYS_AHEAD} days`);
  if (ended > 0) parts.push(`${ended} ended in the last ${DIGEST_DAYS_BEHIND} days`);
  return parts.join('; ') + '.';
}
