import { foldName } from './fold-name';

/**
 * The order of account names, as people read them: case and accents ignored (foldName), and
 * numbers by value, so "Acme Ltd 457" comes before "Acme Ltd 4211". One rule for both
 * directories: the embedded index compares these keys, and Cosmos DB stores them in its sort-key
 * fields and orders by them with plain string comparison. A pure rule rather than Intl.Collator,
 * whose answers follow the ICU data of each Node release (CI runs two).
 *
 * Each run of digits is written as its length, itself prefixed by the length of that length,
 * then the digits without leading zeros ("457" is "13457", "4211" is "144211"): still only
 * digits, so a number keeps its place among other characters, and a longer number sorts after a
 * shorter one. Leading zeros do not count ("007" sorts as 7); a tie is broken by id.
 * Control characters are blanked, so that they sort with spaces and below no separator.
 */
export function nameSortKey(name: string): string {
  return sortKeyOfFolded(foldName(name));
}

/** nameSortKey of an already folded name; the very same string when there is nothing to rewrite. */
export function sortKeyOfFolded(folded: string): string {
  if (!NEEDS_REWRITE.test(folded)) return folded;
  // One pass by hand: a regular expression per run of digits cost several times as much on a
  // 100,000-account directory load.
  let key = '';
  let i = 0;
  const n = folded.length;
  while (i < n) {
    const c = folded.charCodeAt(i);
    if (c < 0x20) {
      key += ' ';
      i++;
    } else if (c >= 0x30 && c <= 0x39) {
      let start = i;
      while (i < n && isDigit(folded.charCodeAt(i))) i++;
      // Leading zeros do not count, but a run of zeros is still the number 0.
      while (start < i - 1 && folded.charCodeAt(start) === 0x30) start++;
      const length = String(i - start);
      key += `${length.length}${length}${folded.slice(start, i)}`;
    } else {
      let end = i + 1;
      while (end < n && !needsRewrite(folded.charCodeAt(end))) end++;
      key += folded.slice(i, end);
      i = end;
    }
  }
  return key;
}

const NEEDS_REWRITE = /[0-9\u0000-\u001f]/;
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const needsRewrite = (c: number): boolean => c < 0x20 || isDigit(c);

/** Compares two sort keys (from nameSortKey) as plain strings, by UTF-16 code unit. */
export function compareSortKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** compareSortKeys(a.slice(from), b.slice(bFrom)), without building either string. */
export function compareSortKeysFrom(a: string, from: number, b: string, bFrom: number): number {
  const length = Math.min(a.length - from, b.length - bFrom);
  for (let k = 0; k < length; k++) {
    const d = a.charCodeAt(from + k) - b.charCodeAt(bFrom + k);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  const d = a.length - from - (b.length - bFrom);
  return d < 0 ? -1 : d > 0 ? 1 : 0;
}

/** Name order; where the order must be total, break ties with compareIds. */
export function compareNames(a: string, b: string): number {
  return compareSortKeys(nameSortKey(a), nameSortKey(b));
}

export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The order of a list of accounts: by name, then id. */
export function compareByNameThenId(a: { readonly name: string; readonly id: string }, b: { readonly name: string; readonly id: string }): number {
  return compareNames(a.name, b.name) || compareIds(a.id, b.id);
}
