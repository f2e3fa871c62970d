import { baseLevelOf, type Account, type Subscription } from './accounts';
import type { Offer } from './offers';
import { isTrial, toMinor } from './offers';
import { formatCount } from './numbers';

/**
 * Subscription rules, as the portal's Subscriptions page applies them:
 * - offers come from the nearest base level above the account;
 * - a quantity is a whole number from 0 to a configured maximum, never below the licences
 *   already assigned to users; 0 removes the subscription (so only when nothing is assigned);
 * - an offer the base level no longer enables can be lowered or removed, never raised;
 * - trial SKUs follow the same rules.
 * Who may change them is decided in permissions.ts (Subscription Contributor held above).
 */
export interface QuantityRules {
  readonly maxQuantity: number;
  /** Today's date (YYYY-MM-DD): a trial subscribed anew starts its 30 days on it. */
  readonly today?: string;
}

/** The base level whose offers an account may subscribe to: the nearest one strictly above it. */
export function offeringBaseLevel(path: readonly Account[]): Account | undefined {
  return baseLevelOf(path.slice(0, -1));
}

/** Offers enabled on the offering base level, in the directory's offer order. */
export function availableOffers(path: readonly Account[], offers: readonly Offer[]): Offer[] {
  const base = offeringBaseLevel(path);
  if (!base) return [];
  const enabled = new Set(base.enabledOffers);
  return offers.filter((o) => enabled.has(o.sku));
}

export interface LineProblem {
  readonly sku: string;
  readonly message: string;
}

export interface PlannedLine {
  readonly sku: string;
  readonly offer: Offer;
  readonly oldQuantity: number;
  readonly newQuantity: number;
  readonly oldCostMinor: number;
  readonly newCostMinor: number;
}

export interface ChangePlan {
  /** Lines whose quantity changes, in offer order. */
  readonly changes: readonly PlannedLine[];
  /** The account's whole subscription list after the change (quantity 0 removed). */
  readonly subscriptions: readonly Subscription[];
  readonly oldTotalMinor: number;
  readonly newTotalMinor: number;
  readonly problems: readonly LineProblem[];
}

/** Parses a quantity typed by a person or sent by a card: a whole number, nothing else. */
export function parseQuantity(raw: unknown): number | undefined {
  if (typeof raw === 'number') return Number.isSafeInteger(raw) && raw >= 0 && raw <= 999_999_999 ? raw : undefined;
  if (typeof raw !== 'string' || !/^\s*\d{1,9}\s*$/.test(raw)) return undefined;
  return Number(raw.trim());
}

export function costMinor(offer: Offer, quantity: number): number {
  return toMinor(offer.monthlyPrice) * quantity;
}

/**
 * Plans a change from the quantities requested for each SKU (absent SKUs keep their quantity).
 * Every problem is reported against its line; a plan with problems must not be applied.
 */
export function planChange(
  account: Account,
  offersAvailable: readonly Offer[],
  allOffers: readonly Offer[],
  requested: Readonly<Record<string, unknown>>,
  rules: QuantityRules,
): ChangePlan {
  const bySku = new Map(allOffers.map((o) => [o.sku, o]));
  const available = new Set(offersAvailable.map((o) => o.sku));
  const current = new Map(account.subscriptions.map((s) => [s.sku, s]));
  const problems: LineProblem[] = [];
  const changes: PlannedLine[] = [];
  const next = new Map<string, Subscription>(current);

  for (const [sku, raw] of Object.entries(requested)) {
    const offer = bySku.get(sku);
    const existing = current.get(sku);
    if (!offer || (!existing && !available.has(sku))) {
      problems.push({ sku, message: `${sku} is not offered to ${account.name}.` });
      continue;
    }
    const quantity = parseQuantity(raw);
    if (quantity === undefined) {
      problems.push({ sku, message: `Enter a whole number from 0 to ${formatCount(rules.maxQuantity)}.` });
      continue;
    }
    if (quantity > rules.maxQuantity) {
      problems.push({ sku, message: `At most ${formatCount(rules.maxQuantity)} licences per subscription.` });
      continue;
    }
    const assigned = existing?.assigned ?? 0;
    if (quantity < assigned) {
      problems.push({
        sku,
        message: `${formatCount(assigned)} licence${assigned === 1 ? ' is' : 's are'} assigned to users, so the quantity cannot go below ${formatCount(assigned)}. Unassign licences in the Customer Portal first.`,
      });
      continue;
    }
    const oldQuantity = existing?.quantity ?? 0;
    if (quantity === oldQuantity) continue;
    // The base level above has stopped offering it: what is held may shrink or go, never grow.
    if (existing && !available.has(sku) && quantity > oldQuantity) {
      problems.push({ sku, message: `${offer.name} (${sku}) is no longer offered to ${account.name}: its quantity can be lowered or removed, not raised.` });
      continue;
    }
    changes.push({ sku, offer, oldQuantity, newQuantity: quantity, oldCostMinor: costMinor(offer, oldQuantity), newCostMinor: costMinor(offer, quantity) });
    if (quantity === 0) next.delete(sku);
    // Kept: the day a trial started (a new trial starts today). The quantity does not restart it.
    else next.set(sku, { ...existing, sku, quantity, assigned, ...(!existing && isTrial(offer) && rules.today ? { startedAt: rules.today } : {}) });
  }

  const order = new Map(allOffers.map((o, i) => [o.sku, i]));
  const bySkuOrder = <T extends { sku: string }>(a: T, b: T) => (order.get(a.sku) ?? 0) - (order.get(b.sku) ?? 0);
  const total = (subs: Iterable<Subscription>) => [...subs].reduce((sum, s) => sum + costMinor(bySku.get(s.sku)!, s.quantity), 0);
  return {
    changes: changes.sort(bySkuOrder),
    subscriptions: [...next.values()].sort(bySkuOrder),
    oldTotalMinor: total(current.values()),
    newTotalMinor: total(next.values()),
    problems,
  };
}
