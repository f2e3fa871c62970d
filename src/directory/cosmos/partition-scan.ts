import type { Container, QueryIterator, SqlQuerySpec } from '@azure/cosmos';
import type { TransferCalls } from './transfer-calls';

/** Rows a page of whole documents may hold (an export): bounded, so every page is a short request. */
export const SCAN_PAGE_ITEMS = 1000;
/**
 * Rows a page of the import's projected scan may hold: id, type, hash and position are about
 * 150 bytes, so 5,000 make well under the service's 4 MB page, which it also cuts short by itself
 * when a page takes too long. Fewer pages matter on the stand-in, which scans a whole container per page.
 */
export const PROJECTED_PAGE_ITEMS = 5000;

/**
 * Reads a query over one logical partition page by page, each page one request under the
 * transfer deadline. After a failure the scan carries on from the last page's continuation
 * token with a new iterator, rather than trusting the one that failed.
 */
export async function scanPartition<T>(
  container: Container,
  query: SqlQuerySpec,
  partitionKey: string,
  what: string,
  calls: TransferCalls,
  onPage: (rows: readonly T[]) => void,
  pageItems = SCAN_PAGE_ITEMS,
): Promise<void> {
  const open = (continuationToken: string | undefined): QueryIterator<T> =>
    container.items.query<T>(query, { partitionKey, maxItemCount: pageItems, ...(continuationToken ? { continuationToken } : {}) });
  let token: string | undefined;
  // The iterator of the last page that arrived in time; an attempt that failed or timed out leaves none.
  let kept: QueryIterator<T> | undefined = open(undefined);
  for (let page = 1; ; page++) {
    const { response, iterator } = await calls.call(`Reading ${what}, page ${page}`, async () => {
      const current = kept ?? open(token);
      kept = undefined;
      return { response: await current.fetchNext(), iterator: current };
    });
    kept = iterator;
    onPage(response.resources);
    token = response.continuationToken;
    if (!token || !iterator.hasMoreResults()) return;
  }
}
