import { MatchKind, searchForms, type Match, type SearchQuery } from '../../domain/search';
import type { AccountKind } from '../../domain/accounts';
import { compositeId } from './cosmos-ids';

/**
 * Search on Cosmos DB reads an index of word starts instead of scanning names: search-key
 * documents in the tree's partition beside the accounts, written by the import. A search is one
 * query per tree: prefix ranges on `key`, ordered by `key`, TOP-bounded, so it reads the matching
 * keys in rank order and stops; its cost follows the matches it returns, not the tree's size
 * (docs/cosmos.md, "Search").
 *
 * Each key puts everything compareMatches ranks on, in its order, into one string (text in
 * name-order form, searchForms, whose characters are all above the separators SEP1 < SEP2):
 *   'E' + name + SEP2 + depth + SEP1 + id                  the whole name (exact matches)
 *   'N' + depth + SEP1 + name + SEP2 + name + SEP1 + id      the name from its first word (prefix)
 *   'W' + depth + SEP1 + rest + SEP2 + name + SEP1 + id      from each later word start (word start)
 * with depth as 4 digits. 'E' < 'N' < 'W' is the order of the tiers, so the keys starting with
 * `E<exact>SEP2`, or with `N<d>SEP1<p>` or `W<d>SEP1<p>` for any depth d of the tree and any of
 * the query's prefixes p (searchQuery), read in key order, are the matches best first (an exact
 * match is also a prefix match: its 'N' key comes again later and is skipped).
 */
export interface SearchKeyDoc {
  readonly id: string;
  readonly type: 'searchKey';
  readonly rootId: string;
  readonly accountId: string;
  readonly key: string;
  /** Ids from the root down to the account: "inside this subtree" is ARRAY_CONTAINS, as for accounts. */
  readonly lineage: readonly string[];
  /** What a hit shows, so a search needs no read of the accounts it found (tree data: only an import changes it). */
  readonly name: string;
  readonly kind: AccountKind;
  readonly parentId: string | null;
  readonly childCount: number;
  readonly descendantCount: number;
  readonly depth: number;
  /** The path, root first, the account last. */
  readonly path: readonly { readonly id: string; readonly name: string; readonly kind: AccountKind }[];
}

export const SEARCH_KEY_TYPE = 'searchKey';
const SEP1 = '\u0001';
const SEP2 = '\u0002';

const depthPart = (depth: number): string => String(depth).padStart(4, '0');

/** The start of every key that ranks a match of `query` in a tree `deepest` levels deep, best tier first. */
export function keyPrefixes(query: SearchQuery, deepest: number): string[] {
  const depths = Array.from({ length: deepest + 1 }, (_, depth) => depthPart(depth));
  const below = (tier: 'N' | 'W'): string[] => depths.flatMap((d) => query.prefixes.map((p) => `${tier}${d}${SEP1}${p}`));
  return [`E${query.exact}${SEP2}`, ...below('N'), ...below('W')];
}

/** How a key ranks: its tier and the name from the matched word on. */
export function keyMatch(key: string): Match {
  if (key.startsWith('E')) return { match: MatchKind.Exact, matched: key.slice(1, key.indexOf(SEP2)) };
  return { match: key.startsWith('N') ? MatchKind.Prefix : MatchKind.WordStart, matched: key.slice(6, key.indexOf(SEP2, 6)) };
}

export type SearchKeyPayload = Omit<SearchKeyDoc, 'id' | 'type' | 'key'>;

/** The search-key documents of one account: its whole name, then each word start of it. */
export function searchKeysOf(payload: SearchKeyPayload): SearchKeyDoc[] {
  const forms = searchForms(payload.name);
  const name = forms[0] ?? '';
  const depth = depthPart(payload.depth);
  const tail = `${SEP2}${name}${SEP1}${payload.accountId}`;
  const keys = [
    `E${name}${SEP2}${depth}${SEP1}${payload.accountId}`,
    ...forms.map((form, i) => `${i === 0 ? 'N' : 'W'}${depth}${SEP1}${form}${tail}`),
  ];
  return keys.map((key, i) => ({ id: compositeId('sk', payload.accountId, String(i)), type: SEARCH_KEY_TYPE, key, ...payload }));
}
