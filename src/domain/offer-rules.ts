import { baseLevelOf, isBaseLevel, type Account } from './accounts';
import type { Offer } from './offers';

/**
 * Offer rules, in the vendor's words: offers are enabled on base levels, a partner's by the
 * vendor (the directory file) and each reseller's by the base level above it. An account may buy
 * the offers of the nearest base level above it. A base level can give a reseller below it only
 * what it has itself, and cannot take away an offer that accounts below still hold.
 * Who may change them is decided in permissions.ts (Subscription Owner or Contributor held above).
 */

/** Where a base level's offers are decided. */
export type OfferSource =
  /** A partner's base account: its offers are set by the vendor. */
  | { readonly kind: 'vendor' }
  /** A reseller: by the base level above it, whose offers are the most it can have. */
  | { readonly kind: 'parent'; readonly parent: Account }
  /** Not a base level: it buys what `base` (the nearest base level above) enables. */
  | { readonly kind: 'notBaseLevel'; readonly base?: Account };

/** `path` runs from the root to the account in question (inclusive). */
export function offerSource(path: readonly Account[]): OfferSource {
  const account = path[path.length - 1];
  if (!account) throw new RangeError('offerSource needs a non-empty path');
  const above = baseLevelOf(path.slice(0, -1));
  if (!isBaseLevel(account)) return above ? { kind: 'notBaseLevel', base: above } : { kind: 'notBaseLevel' };
  return above ? { kind: 'parent', parent: above } : { kind: 'vendor' };
}

/** The offers of `catalog` enabled on `base`, in catalogue order. */
export function offersEnabledOn(base: Pick<Account, 'enabledOffers'> | undefined, catalog: readonly Offer[]): Offer[] {
  if (!base) return [];
  const enabled = new Set(base.enabledOffers);
  return catalog.filter((o) => enabled.has(o.sku));
}

/** An account below a base level that still holds an offer: a subscription of it, or (a reseller) the offer enabled. */
export interface HolderRef {
  readonly id: string;
  readonly name: string;
  readonly kind: Account['kind'];
}

/** Who below a base level holds one offer. */
export interface OfferHolding {
  readonly sku: string;
  /** How many accounts hold it, counted up to the directory's bound. */
  readonly count: number;
  /** True when more accounts than `count` hold it (the count stopped at its bound). */
  readonly more: boolean;
  /** The first few holders, nearest first (depth, then name). */
  readonly first: readonly HolderRef[];
}

/** "12 accounts", "100+ accounts", "1 account". */
export function holderCount(holding: Pick<OfferHolding, 'count' | 'more'>): string {
  const n = `${holding.count}${holding.more ? '+' : ''}`;
  return `${n} account${holding.count === 1 && !holding.more ? '' : 's'}`;
}

/** What an `Input.Toggle` or a typed `on`/`off` sent, or undefined when it is neither. */
export function parseSwitch(raw: unknown): boolean | undefined {
  if (typeof raw === 'boolean') return raw;
  if (typeof raw !== 'string') return undefined;
  const word = raw.trim().toLowerCase();
  if (word === 'true' || word === 'on' || word === 'enable' || word === 'enabled') return true;
  if (word === 'false' || word === 'off' || word === 'disable' || word === 'disabled') return false;
  return undefined;
}

export interface OfferLineChange {
  readonly sku: string;
  readonly offer: Offer;
  /** The state it goes to. */
  readonly enabled: boolean;
}

export interface OfferProblem {
  readonly sku: string;
  readonly message: string;
  /** For a refused disable: the accounts that still hold it. */
  readonly holding?: OfferHolding;
}

export interface OfferPlan {
  /** Offers whose state changes, in catalogue order. */
  readonly changes: readonly OfferLineChange[];
  /** The reseller's whole enabled list after the change, in catalogue order. */
  readonly enabledOffers: readonly string[];
  readonly problems: readonly OfferProblem[];
}

/**
 * Plans turning offers on or off on `reseller` from the states requested by SKU (absent SKUs
 * keep theirs). `parentOffers` are those enabled on the base level above it; `holdings` says who
 * below the reseller holds each offer it has now. Every problem is reported against its offer; a
 * plan with problems must not be applied.
 */
export function planOfferChange(
  reseller: Pick<Account, 'name' | 'enabledOffers'>,
  parent: Pick<Account, 'name' | 'enabledOffers'>,
  catalog: readonly Offer[],
  requested: Readonly<Record<string, unknown>>,
  holdings: ReadonlyMap<string, OfferHolding>,
): OfferPlan {
  const bySku = new Map(catalog.map((o) => [o.sku, o]));
  const current = new Set(reseller.enabledOffers);
  const parentHas = new Set(parent.enabledOffers);
  const next = new Set(current);
  const changes: OfferLineChange[] = [];
  const problems: OfferProblem[] = [];

  for (const [sku, raw] of Object.entries(requested)) {
    const offer = bySku.get(sku);
    if (!offer) {
      problems.push({ sku, message: `${sku} is not an offer of this directory.` });
      continue;
    }
    const enabled = parseSwitch(raw);
    if (enabled === undefined) {
      problems.push({ sku, message: `Say on or off for ${offer.name} (${sku}).` });
      continue;
    }
    if (enabled === current.has(sku)) continue;
    if (enabled && !parentHas.has(sku)) {
      problems.push({ sku, message: `${parent.name} does not have ${offer.name} (${sku}) enabled, so it cannot enable it for ${reseller.name}.` });
      continue;
    }
    const holding = holdings.get(sku);
    if (!enabled && holding && holding.count > 0) {
      problems.push({ sku, holding, message: `Refused: ${holderCount(holding)} below ${reseller.name} still hold${holding.count === 1 && !holding.more ? 's' : ''} ${offer.name} (${sku}). Remove their subscriptions (or turn it off on the reseller below) first.` });
      continue;
    }
    changes.push({ sku, offer, enabled });
    if (enabled) next.add(sku);
    else next.delete(sku);
  }

  const order = new Map(catalog.map((o, i) => [o.sku, i]));
  const inOrder = (a: string, b: string) => (order.get(a) ?? Number.MAX_SAFE_INTEGER) - (order.get(b) ?? Number.MAX_SAFE_INTEGER);
  return {
    changes: changes.sort((a, b) => inOrder(a.sku, b.sku)),
    enabledOffers: [...next].sort(inOrder),
    problems,
  };
}

/** The SKUs an account holds: its subscriptions and, for a reseller, its enabled offers (its accounts may buy them). */
export function heldSkus(account: Pick<Account, 'kind' | 'parentId' | 'subscriptions' | 'enabledOffers'>): Set<string> {
  const skus = new Set(account.subscriptions.map((s) => s.sku));
  if (isBaseLevel(account) && account.parentId !== null) for (const sku of account.enabledOffers) skus.add(sku);
  return skus;
}

/**
 * What a change makes an account hold that it did not: each must still be enabled on the base
 * level above when the change is written (raising or lowering a held SKU needs nothing of it).
 */
export function gainedSkus(before: Parameters<typeof heldSkus>[0], after: Parameters<typeof heldSkus>[0]): string[] {
  const had = heldSkus(before);
  return [...heldSkus(after)].filter((sku) => !had.has(sku));
}

/** Offers a change turns off on a base level: nobody below may hold them when the change is written. */
export function droppedOffers(before: Pick<Account, 'enabledOffers'>, after: Pick<Account, 'enabledOffers'>): string[] {
  const kept = new Set(after.enabledOffers);
  return before.enabledOffers.filter((sku) => !kept.has(sku));
}
