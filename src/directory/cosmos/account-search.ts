import { compareMatches, foldName, MatchKind, type RankedMatch } from '../../domain/search';
import type { SearchHit, SearchOptions } from '../port';
import type { CosmosAccountReads } from './account-reads';
import type { CosmosContainers } from './containers';
import { summaryOf, type AccountDoc } from './documents';
import { queryPartition } from './point-read';

type HitRow = Pick<AccountDoc, 'id' | 'name' | 'kind' | 'parentId' | 'childCount' | 'descendantCount' | 'depth' | 'ancestors'>;
type Candidate = { id: string; name: string; depth: number; row: HitRow };

const HIT_FIELDS = 'c.id, c.name, c.kind, c.parentId, c.childCount, c.descendantCount, c.depth, c.ancestors';

/**
 * The ranking tiers of search.ts, each one query per tree: exact name, then prefix, then
 * substring. Within a tier the order (depth, folded name, id) is the documents' searchKey, so TOP
 * returns exactly the best rows and a later tier is only asked for what is still missing.
 */
const TIERS: readonly { readonly match: MatchKind; readonly condition: string }[] = [
  { match: MatchKind.Exact, condition: 'c.folded = @q' },
  { match: MatchKind.Prefix, condition: 'STARTSWITH(c.folded, @q) AND c.folded != @q' },
  { match: MatchKind.Substring, condition: 'CONTAINS(c.folded, @q) AND NOT STARTSWITH(c.folded, @q)' },
];

/** Accounts whose folded name contains the folded query, inside the given subtrees, best first. */
export async function searchAccounts(
  containers: CosmosContainers,
  reads: CosmosAccountReads,
  query: string,
  options: SearchOptions,
  signal: AbortSignal,
): Promise<SearchHit[]> {
  const q = foldName(query);
  const limit = Math.floor(options.limit);
  if (!q || limit <= 0 || options.withinRootIds.length === 0) return [];

  // Scope roots grouped by the tree (partition) they are in; unknown ones match nothing.
  const scopesByTree = new Map<string, string[]>();
  for (const scopeId of new Set(options.withinRootIds)) {
    const rootId = await reads.rootOf(scopeId, signal);
    if (rootId === undefined) continue;
    const scopes = scopesByTree.get(rootId);
    if (scopes) scopes.push(scopeId);
    else scopesByTree.set(rootId, [scopeId]);
  }

  const found: RankedMatch<Candidate>[] = [];
  for (const tier of TIERS) {
    const wanted = limit - found.length;
    if (wanted <= 0) break;
    const perTree = await Promise.all(
      [...scopesByTree].map(([rootId, scopes]) => {
        const scopeParams = Object.fromEntries(scopes.map((id, i) => [`@s${i}`, id]));
        const within = scopes.map((_, i) => `ARRAY_CONTAINS(c.lineage, @s${i})`).join(' OR ');
        const sql = `SELECT TOP @n ${HIT_FIELDS} FROM c WHERE c.rootId = @root AND c.type = 'account' AND (${within}) AND ${tier.condition} ORDER BY c.searchKey`;
        return queryPartition<HitRow>(containers.accounts, rootId, sql, { '@n': wanted, '@root': rootId, '@q': q, ...scopeParams }, signal, wanted).then((rows) => {
          for (const row of rows) reads.learnRoot(row.id, rootId);
          return rows;
        });
      }),
    );
    const tierMatches = perTree.flat().map((row) => ({ item: { id: row.id, name: row.name, depth: row.depth, row }, match: tier.match }));
    found.push(...tierMatches.sort(compareMatches).slice(0, wanted));
  }

  return found.map(({ item: { row } }) => ({
    account: summaryOf(row),
    path: [...row.ancestors, row].map(({ id, name, kind }) => ({ id, name, kind })),
  }));
}
