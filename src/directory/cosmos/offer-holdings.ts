import type { HolderRef, OfferHolding } from '../../domain/offer-rules';
import type { HoldingBounds } from '../port';
import type { CosmosAccountReads } from './account-reads';
import type { CosmosContainers } from './containers';
import { queryPartition } from './point-read';

/**
 * Who below a base level holds each offer, one bounded query per SKU inside the tree's partition:
 * at most `countUpTo + 1` accounts come back, nearest first (searchKey: depth, name, id), so a
 * card costs the same whether 3 or 30,000 accounts hold an offer. No count is kept anywhere to
 * drift; docs/cosmos.md says what the query costs.
 */
export async function offerHoldings(
  containers: CosmosContainers,
  reads: CosmosAccountReads,
  baseLevelId: string,
  skus: readonly string[],
  bounds: HoldingBounds,
  signal: AbortSignal,
): Promise<OfferHolding[]> {
  const rootId = await reads.rootOf(baseLevelId, signal);
  if (rootId === undefined) return skus.map((sku) => ({ sku, count: 0, more: false, first: [] }));
  const top = Math.max(1, Math.floor(bounds.countUpTo) + 1);
  const sql =
    "SELECT TOP @n c.id, c.name, c.kind FROM c WHERE c.rootId = @root AND c.type = 'account' AND ARRAY_CONTAINS(c.lineage, @base) AND c.id != @base" +
    " AND (EXISTS(SELECT VALUE s FROM s IN c.subscriptions WHERE s.sku = @sku) OR (c.kind = 'reseller' AND ARRAY_CONTAINS(c.enabledOffers, @sku)))" +
    ' ORDER BY c.searchKey';
  return Promise.all(
    skus.map(async (sku) => {
      const found = await queryPartition<HolderRef>(containers.accounts, rootId, sql, { '@n': top, '@root': rootId, '@base': baseLevelId, '@sku': sku }, signal, top);
      return {
        sku,
        count: Math.min(found.length, bounds.countUpTo),
        more: found.length > bounds.countUpTo,
        first: found.slice(0, Math.max(0, bounds.sample)).map(({ id, name, kind }) => ({ id, name, kind })),
      };
    }),
  );
}
