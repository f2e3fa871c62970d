import { foldName } from './fold-name';
import { compareIds, compareNames } from './name-order';

export { foldName };

/**
 * Search ranking: exact name match first, then prefix, then substring; ties broken by depth
 * (shallower first), then name, then id, so results are stable.
 */
export enum MatchKind {
  Exact = 0,
  Prefix = 1,
  Substring = 2,
}


export function matchKind(foldedName: string, foldedQuery: string): MatchKind | undefined {
  if (!foldedQuery) return undefined;
  if (foldedName === foldedQuery) return MatchKind.Exact;
  if (foldedName.startsWith(foldedQuery)) return MatchKind.Prefix;
  if (foldedName.includes(foldedQuery)) return MatchKind.Substring;
  return undefined;
}

export interface SearchCandidate {
  readonly id: string;
  readonly name: string;
  readonly depth: number;
}

export interface RankedMatch<T extends SearchCandidate> {
  readonly item: T;
  readonly match: MatchKind;
}

export function compareMatches<T extends SearchCandidate>(a: RankedMatch<T>, b: RankedMatch<T>): number {
  return (
    a.match - b.match ||
    a.item.depth - b.item.depth ||
    compareNames(a.item.name, b.item.name) ||
    compareIds(a.item.id, b.item.id)
  );
}

/** Rank every candidate that matches `query`; non-matches are dropped. */
export function rankMatches<T extends SearchCandidate>(query: string, candidates: Iterable<T>): RankedMatch<T>[] {
  const q = foldName(query);
  const ranked: RankedMatch<T>[] = [];
  for (const item of candidates) {
    const match = matchKind(foldName(item.name), q);
    if (match !== undefined) ranked.push({ item, match });
  }
  return ranked.sort(compareMatches);
}
