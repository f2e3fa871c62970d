import type { AccountSummary } from '../../domain/accounts';
import type { Page, PageRequest } from '../port';
import type { CosmosAccountReads } from './account-reads';
import type { CosmosContainers } from './containers';
import { summaryOf, type AccountDoc } from './documents';
import { decodePageToken, encodePageToken, pageGone, type PageCursor } from './page-token';
import { queryPartition } from './point-read';

type ChildRow = Pick<AccountDoc, 'id' | 'name' | 'kind' | 'parentId' | 'childCount' | 'descendantCount' | 'childKey'>;

/** Only what a row of the tree card needs: a smaller response costs fewer RUs. */
const ROW_FIELDS = 'c.id, c.name, c.kind, c.parentId, c.childCount, c.descendantCount, c.childKey';
const MAX_PAGE_SIZE = 1000;

/**
 * One page of an account's children, ordered by name then id, with TOP and a keyset on the
 * children's sort key. The total comes from the parent's denormalized child count, so a page is
 * one query (plus the parent's point read, usually already cached by the same turn).
 *
 * The count may be older than the rows (a cached parent, or an import that has written the
 * children but not yet the parent). A page never says more rows than its total, nor ends short
 * of it: when the rows contradict the count, the parent is read once more, fresh (which also
 * refreshes the cache, so the account's "Sub accounts (n)" agrees), and if the rows still
 * contradict it, the rows are what is there and the total follows them.
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
  const cursor: PageCursor = request.token === undefined ? { parentId, offset: 0 } : decodePageToken(request.token, parentId);
  let parent = await reads.doc(parentId, signal);
  let fresh = false;
  const readParentFresh = async (): Promise<void> => {
    if (fresh) return;
    fresh = true;
    parent = (await reads.doc(parentId, signal, true)) ?? parent;
  };
  // A token made from a newer count than the one cached here.
  if (cursor.offset > 0 && cursor.offset >= (parent?.childCount ?? 0)) await readParentFresh();
  if (cursor.offset > 0 && cursor.offset >= (parent?.childCount ?? 0)) return pageGone();
  if (!parent || parent.childCount === 0) return { items: [], total: 0, offset: 0 };

  const rows = await queryChildren(containers, parent.rootId, parentId, cursor, pageSize, signal);
  for (const row of rows) reads.learnRoot(row.id, parent.rootId);
  // A short page going back has reached the first child, whatever the token counted before it.
  const offset = 'before' in cursor && rows.length < pageSize ? 0 : cursor.offset;
  const end = offset + rows.length;
  // A short page going forward (or the first page) is the end of the list.
  const listEnds = !('before' in cursor) && rows.length < pageSize;
  const contradicts = (count: number): boolean => end > count || (listEnds && end !== count);
  if (contradicts(parent.childCount)) await readParentFresh();
  let total = parent.childCount;
  if (contradicts(total)) total = listEnds ? end : Math.max(total, end);
  // Every child of this page has gone since the token was made.
  if (rows.length === 0 && offset > 0) return pageGone();

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

/** The page's rows in sibling order: after a key, before one, or from the first child. */
async function queryChildren(containers: CosmosContainers, rootId: string, parentId: string, cursor: PageCursor, pageSize: number, signal: AbortSignal): Promise<ChildRow[]> {
  const base = `SELECT TOP @n ${ROW_FIELDS} FROM c WHERE c.rootId = @root AND c.type = 'account' AND c.parentId = @parent`;
  const parameters = { '@n': pageSize, '@root': rootId, '@parent': parentId };
  if ('after' in cursor) {
    return queryPartition<ChildRow>(containers.accounts, rootId, `${base} AND c.childKey > @key ORDER BY c.childKey`, { ...parameters, '@key': cursor.after }, signal, pageSize);
  }
  if ('before' in cursor) {
    const rows = await queryPartition<ChildRow>(containers.accounts, rootId, `${base} AND c.childKey < @key ORDER BY c.childKey DESC`, { ...parameters, '@key': cursor.before }, signal, pageSize);
    return rows.reverse();
  }
  return queryPartition<ChildRow>(containers.accounts, rootId, `${base} ORDER BY c.childKey`, parameters, signal, pageSize);
}
