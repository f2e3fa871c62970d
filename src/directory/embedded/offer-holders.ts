import { isBaseLevel, type Account } from '../../domain/accounts';
import { heldSkus as heldBy, type HolderRef, type OfferHolding } from '../../domain/offer-rules';
import { nameSortKey } from '../../domain/name-order';
import type { HoldingBounds } from '../port';
import type { AccountIndex } from './account-index';

/**
 * Who holds which offer below each base level, so that the offers card counts holders without
 * walking the base level's subtree every time. An account holds an offer when it has a
 * subscription of it or, being a reseller, has it enabled (its own accounts may buy it).
 *
 * A base level's holders are gathered by one walk of its subtree the first time it is asked
 * about, then kept up to date as changes are applied. Gathering every base level at start-up cost
 * about as much as the rest of loading a 100,000-account directory, for cards few bases ever show.
 */
export class OfferHolders {
  /** Base level id -> SKU -> ids of the accounts strictly below it that hold the SKU; only bases asked about. */
  private readonly byBase = new Map<string, Map<string, Set<string>>>();
  /**
   * Base level id -> SKU -> the nearest holders as last worked out, and for how many: working
   * them out visits every holder (thousands below a big partner) on each offers card, while
   * holdings change only when a change is applied, which drops the entries it touches.
   */
  private readonly nearestByBase = new Map<string, Map<string, { readonly n: number; readonly refs: readonly HolderRef[] }>>();

  constructor(private readonly index: AccountIndex) {}

  /** `before` was replaced by `after` (the same account): move its holdings. */
  replace(before: Account, after: Account): void {
    this.remove(before);
    this.add(after);
  }

  holding(baseLevelId: string, sku: string, bounds: HoldingBounds): OfferHolding {
    const ids = this.holdersBelow(baseLevelId).get(sku);
    const total = ids?.size ?? 0;
    return {
      sku,
      count: Math.min(total, bounds.countUpTo),
      more: total > bounds.countUpTo,
      first: ids ? this.nearestCached(baseLevelId, sku, ids, bounds.sample) : [],
    };
  }

  private nearestCached(baseLevelId: string, sku: string, ids: ReadonlySet<string>, n: number): HolderRef[] {
    if (n <= 0) return []; // a count alone (the check before an offer is turned off)
    let bySku = this.nearestByBase.get(baseLevelId);
    if (!bySku) this.nearestByBase.set(baseLevelId, (bySku = new Map()));
    let kept = bySku.get(sku);
    if (kept?.n !== n) bySku.set(sku, (kept = { n, refs: this.nearest(ids, n) }));
    return [...kept.refs];
  }

  /** The `n` holders nearest the base level (depth, name sort key, id): one pass, a bounded list. */
  private nearest(ids: ReadonlySet<string>, n: number): HolderRef[] {
    const keyed: { key: [number, string, string]; ref: HolderRef }[] = [];
    const before = (a: [number, string, string], b: [number, string, string]) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0);
    for (const id of ids) {
      const account = this.index.get(id);
      if (!account) continue;
      const depth = this.index.depth(id);
      // Most holders are deeper than the last one kept: skip them before computing their sort keys.
      if (keyed.length === n && (n === 0 || depth > keyed[n - 1]!.key[0])) continue;
      const key: [number, string, string] = [depth, nameSortKey(account.name), id];
      if (keyed.length === n && before(key, keyed[n - 1]!.key) >= 0) continue;
      let i = keyed.length;
      while (i > 0 && before(key, keyed[i - 1]!.key) < 0) i--;
      keyed.splice(i, 0, { key, ref: { id, name: account.name, kind: account.kind } });
      if (keyed.length > n) keyed.pop();
    }
    return keyed.map((k) => k.ref);
  }

  /** The holders below one base level by SKU, gathered on first use. */
  private holdersBelow(baseLevelId: string): Map<string, Set<string>> {
    let bySku = this.byBase.get(baseLevelId);
    if (bySku) return bySku;
    bySku = new Map();
    const below = [...this.index.childIds(baseLevelId)];
    for (let id = below.pop(); id !== undefined; id = below.pop()) {
      const account = this.index.get(id);
      if (!account) continue;
      for (const sku of heldBy(account)) holdersOf(bySku, sku).add(id);
      below.push(...this.index.childIds(id));
    }
    this.byBase.set(baseLevelId, bySku);
    return bySku;
  }

  private add(account: Account): void {
    for (const baseId of this.baseLevelsAbove(account)) {
      const bySku = this.byBase.get(baseId);
      if (bySku) for (const sku of heldBy(account)) holdersOf(bySku, sku).add(account.id);
      this.forgetNearest(baseId, account);
    }
  }

  private remove(account: Account): void {
    for (const baseId of this.baseLevelsAbove(account)) {
      for (const sku of heldBy(account)) this.byBase.get(baseId)?.get(sku)?.delete(account.id);
      this.forgetNearest(baseId, account);
    }
  }

  /** The account's name, kind or holdings changed: the nearest holders of its SKUs are worked out again. */
  private forgetNearest(baseId: string, account: Account): void {
    const bySku = this.nearestByBase.get(baseId);
    if (bySku) for (const sku of heldBy(account)) bySku.delete(sku);
  }

  private baseLevelsAbove(account: Account): string[] {
    const path = this.index.path(account.id) ?? [];
    return path.slice(0, -1).filter(isBaseLevel).map((a) => a.id);
  }
}

function holdersOf(bySku: Map<string, Set<string>>, sku: string): Set<string> {
  let ids = bySku.get(sku);
  if (!ids) bySku.set(sku, (ids = new Set()));
  return ids;
}
