import type { AccountSummary } from '../../domain/accounts';
import type { Page, PageRequest } from '../port';
import type { CosmosAccountReads } from './account-reads';
import type { CosmosContainers } from './containers';
import { summaryOf, type AccountDoc } from './documents';
import { decodePageToken, encodePageToken, type PageCursor } from './page-token';
import { queryPartition } from './point-read';

type ChildRow = Pick<AccountDoc, 'id' | 'name' | 'kind' | 'parentId' | 'childCount' | 'descendantCount' | 'childKey'>;

/** Only what a row of the tree card needs: a smaller response costs fewer RUs. */
const ROW_FIELDS = 'c.id, c.name, c.kind, c.parentId, c.childCount, c.descendantCount, c.childKey';
const MAX_PAGE_SIZE = 1000;

/**
 * One page of an account's children, ordered by name then id, with TOP and a keyset on the
 * children's sort key. The total comes from the parent's denormalized child count, so a page is
 * one query (plus the parent's point read, usually already cached by the same turn).
 */
export async function childrenPage(
  containers: CosmosContainers,
  reads: CosmosAccountReads,
  parentId: string,
  request: PageRequest,
  signal: AbortSignal,
): Promise<Page<AccountSummary>> {
  // The navigator asks for 20; the bounds only keep a bad caller from asking for everything.
  const pageSize = Math.min(Math.max(Math.floor(request.pageSize) || 1, 1), MAX_PAGE_SIZE);
  const parent = await reads.doc(parentId, signal);
  const total = parent?.childCount ?? 0;
  const cursor: PageCursor = request.token === undefined ? { parentId, offset: 0 } : decodePageToken(request.token, parentId, total);
  if (!parent || total === 0) return { items: [], total: 0, offset: 0 };

  const base = `SELECT TOP @n ${ROW_FIELDS} FROM c WHERE c.rootId = @root AND c.type = 'account' AND c.parentId = @parent`;
  const parameters = { '@n': pageSize, '@root': parent.rootId, '@parent': parentId };
  let rows: ChildRow[];
  if ('after' in cursor) {
    rows = await queryPartition<ChildRow>(containers.accounts, parent.rootId, `${base} AND c.childKey > @key ORDER BY c.childKey`, { ...parameters, '@key': cursor.after }, signal, pageSize);
  } else if ('before' in cursor) {
    rows = await queryPartition<ChildRow>(containers.accounts, parent.rootId, `${base} AND c.childKey < @key ORDER BY c.childKey DESC`, { ...parameters, '@key': cursor.before }, signal, pageSize);
    rows.reverse();
  } else {
    rows = await queryPartition<ChildRow>(containers.accounts, parent.rootId, `${base} ORDER BY c.childKey`, parameters, signal, pageSize);
  }
  for (const row of rows) reads.learnRoot(row.id, parent.rootId);

  const offset = cursor.offset;
  const end = offset + rows.length;
  const last = rows[rows.length - 1];
  const first = rows[0];
  const previousOffset = offset - pageSize;
  return {
    items: rows.map(summaryOf),
    total,
    offset,
    ...(end < total && last ? { next: encodePageToken({ parentId, offset: end, after: last.childKey }) } : {}),
    ...(offset > 0 && first
      ? { previous: encodePageToken(previousOffset > 0 ? { parentId, offset: previousOffset, before: first.childKey } : { parentId, offset: 0 }) }
      : {}),
  };
}
