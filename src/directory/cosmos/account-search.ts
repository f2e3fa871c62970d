import { compareMatches, searchQuery, type RankedMatch } from '../../domain/search';
import type { SearchHit, SearchOptions } from '../port';
import type { CosmosAccountReads } from './account-reads';
import type { CosmosContainers } from './containers';
import type { CatalogDoc } from './documents';
import { queryPartition } from './point-read';
import { keyMatch, keyPrefixes, SEARCH_KEY_TYPE, type SearchKeyDoc } from './search-keys';

type HitRow = Pick<SearchKeyDoc, 'accountId' | 'key' | 'name' | 'kind' | 'parentId' | 'childCount' | 'descendantCount' | 'depth' | 'path'>;
type Candidate = { id: string; name: string; depth: number; row: HitRow };

const HIT_FIELDS = 'c.accountId, c.key, c.name, c.kind, c.parentId, c.childCount, c.descendantCount, c.depth, c.path';

/** A tree imported before the catalogue recorded its depth is searched this deep. */
const DEPTH_IF_UNKNOWN = 15;

/**
 * Accounts whose name matches the query at a word start, inside the given subtrees, best first:
 * one query per tree over its search keys (search-keys.ts), whose key order is the ranking, so
 * TOP reads about as many keys as it returns (plus those of matching accounts outside the
 * scopes, in the same tree). The trees' best are merged with compareMatches.
 */
export async function searchAccounts(
  containers: CosmosContainers,
  reads: CosmosAccountReads,
  catalog: (signal: AbortSignal) => Promise<CatalogDoc>,
  query: string,
  options: SearchOptions,
  signal: AbortSignal,
): Promise<SearchHit[]> {
  const limit = Math.floor(options.limit);
  if (!searchQuery(query) || limit <= 0 || options.withinRootIds.length === 0) return [];

  // Scope roots grouped by the tree (partition) they are in; unknown ones match nothing.
  const scopesByTree = new Map<string, string[]>();
  for (const scopeId of new Set(options.withinRootIds)) {
    const rootId = await reads.rootOf(scopeId, signal);
    if (rootId === undefined) continue;
    const scopes = scopesByTree.get(rootId);
    if (scopes) scopes.push(scopeId);
    else scopesByTree.set(rootId, [scopeId]);
  }
  if (scopesByTree.size === 0) return [];
  const { depths, numbers } = await catalog(signal);

  const perTree = await Promise.all(
    [...scopesByTree].map(async ([rootId, scopes]) => {
      // Prefixes only for numbers as long as the tree's names hold: fewer ranges to ask for.
      const q = searchQuery(query, numbers?.[rootId])!;
      const rows = await bestRows(containers, rootId, scopes, keyPrefixes(q, depths?.[rootId] ?? DEPTH_IF_UNKNOWN), limit, signal);
      for (const row of rows) reads.learnRoot(row.accountId, rootId);
      return rows;
    }),
  );
  const found = perTree
    .flat()
    .map((row): RankedMatch<Candidate> => ({ item: { id: row.accountId, name: row.name, depth: row.depth, row }, ...keyMatch(row.key) }))
    .sort(compareMatches)
    .slice(0, limit);

  return found.map(({ item: { row } }) => ({
    account: { id: row.accountId, name: row.name, kind: row.kind, parentId: row.parentId, childCount: row.childCount, descendantCount: row.descendantCount },
    path: row.path.map(({ id, name, kind }) => ({ id, name, kind })),
  }));
}

/**
 * The first `wanted` accounts among the keys starting with one of `prefixes`, in key order (the
 * ranking), inside the scopes; each account once, at its best key. An exact match's account
 * comes again as a prefix match: asking for twice as many keys as wanted leaves room for that,
 * so one query is enough unless names hold the query at several words; then the next keys are
 * asked for, from the last one read.
 */
async function bestRows(
  containers: CosmosContainers,
  rootId: string,
  scopes: readonly string[],
  prefixes: readonly string[],
  wanted: number,
  signal: AbortSignal,
): Promise<HitRow[]> {
  const params: Record<string, string | number> = { '@root': rootId, '@n': 2 * wanted };
  scopes.forEach((id, i) => (params[`@s${i}`] = id));
  prefixes.forEach((prefix, i) => (params[`@k${i}`] = prefix));
  const within = scopes.map((_, i) => `ARRAY_CONTAINS(c.lineage, @s${i})`).join(' OR ');
  const keys = prefixes.map((_, i) => `STARTSWITH(c.key, @k${i})`).join(' OR ');
  const select = `SELECT TOP @n ${HIT_FIELDS} FROM c WHERE c.rootId = @root AND c.type = '${SEARCH_KEY_TYPE}' AND (${within}) AND (${keys})`;
  const seen = new Set<string>();
  const rows: HitRow[] = [];
  let after: string | undefined;
  for (;;) {
    const sql = `${select}${after === undefined ? '' : ' AND c.key > @after'} ORDER BY c.key`;
    const page = await queryPartition<HitRow>(containers.accounts, rootId, sql, after === undefined ? params : { ...params, '@after': after }, signal, 2 * wanted);
    for (const row of page) {
      if (seen.has(row.accountId)) continue;
      seen.add(row.accountId);
      rows.push(row);
      if (rows.length === wanted) return rows;
    }
    // Fewer keys than asked for: there are no more.
    if (page.length < 2 * wanted) return rows;
    after = page[page.length - 1]!.key;
  }
}
