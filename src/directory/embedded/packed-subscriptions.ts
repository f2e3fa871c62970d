import type { Subscription } from '../../domain/accounts';

/**
 * Every account's subscriptions as the directory file gave them, in typed arrays by account slot:
 * the subscriptions of slot s are entries starts[s] to starts[s + 1]. A subscription object is
 * built only when an account is asked for. With 100,000 accounts, 200,000 subscription objects in
 * 97,000 arrays held about 19 MB of heap; these arrays hold about 4 MB, and every byte of live heap
 * at a full collection lets V8 grow the heap by up to four more before the next one.
 */
export class PackedSubscriptions {
  private readonly starts: Int32Array;
  /** Index into `skus` of each entry. */
  private readonly skuIds: Int32Array;
  private readonly quantities: Float64Array;
  private readonly assigned: Float64Array;
  /** Entry -> startedAt, for the few entries that have one (trials). */
  private readonly startedAt = new Map<number, string>();
  /** Slots with at least one entry that has a startedAt. */
  readonly datedSlots = new Set<number>();
  private readonly skus: string[] = [];

  constructor(count: number, listOf: (slot: number) => readonly Subscription[] | undefined) {
    this.starts = new Int32Array(count + 1);
    let total = 0;
    for (let slot = 0; slot < count; slot++) {
      this.starts[slot] = total;
      total += listOf(slot)?.length ?? 0;
    }
    this.starts[count] = total;
    this.skuIds = new Int32Array(total);
    this.quantities = new Float64Array(total);
    this.assigned = new Float64Array(total);
    const skuIdOf = new Map<string, number>();
    for (let slot = 0; slot < count; slot++) {
      const list = listOf(slot);
      if (!list) continue;
      let at = this.starts[slot]!;
      for (const sub of list) {
        let skuId = skuIdOf.get(sub.sku);
        if (skuId === undefined) {
          skuId = this.skus.push(sub.sku) - 1;
          skuIdOf.set(sub.sku, skuId);
        }
        this.skuIds[at] = skuId;
        this.quantities[at] = sub.quantity;
        this.assigned[at] = sub.assigned;
        if (sub.startedAt !== undefined) {
          this.startedAt.set(at, sub.startedAt);
          this.datedSlots.add(slot);
        }
        at++;
      }
    }
  }

  /** The subscriptions of `slot`, new objects each time; `none` when it has none. */
  of(slot: number, none: readonly Subscription[]): readonly Subscription[] {
    const first = this.starts[slot]!;
    const end = this.starts[slot + 1]!;
    if (first === end) return none;
    const list = new Array<Subscription>(end - first);
    for (let at = first; at < end; at++) {
      const sku = this.skus[this.skuIds[at]!]!;
      const quantity = this.quantities[at]!;
      const assigned = this.assigned[at]!;
      const startedAt = this.startedAt.size > 0 ? this.startedAt.get(at) : undefined;
      // Two literal shapes rather than a conditional spread: the shape the file's objects had.
      list[at - first] = startedAt === undefined ? { sku, quantity, assigned } : { sku, quantity, assigned, startedAt };
    }
    return list;
  }
}
