import { foldName } from './fold-name';
import { compareIds, compareSortKeys, compareSortKeysFrom, nameSortKey, sortKeyOfFolded } from './name-order';

export { foldName };

/**
 * Search: a query matches a name at its start or at the start of any later word of it, never in
 * the middle of a word; that is what lets the Cosmos DB directory answer from an index of word
 * starts at a bounded cost (docs/cosmos.md, "Search"), and both directories match the same way.
 * Text is compared in name-order form (name-order.ts: folded, numbers by value), so a number in
 * a query matches by value and its last digits may be the start of a longer number: "unit 4"
 * finds "Unit 4", "Unit 42" and "Unit 0042".
 *
 * Ranking: exact name first, then prefix, then a later word; ties broken by depth (shallower
 * first), then the name from the matched word on (for exact and prefix matches, the whole name),
 * then the name (name order), then id, so results are stable.
 */
export enum MatchKind {
  Exact = 0,
  Prefix = 1,
  WordStart = 2,
}

const CONTROL = /[\u0000-\u001f]/g;

/** The folded form whose words search finds: control characters blanked too, as name order does. */
export function searchText(text: string): string {
  return foldName(text).replace(CONTROL, ' ');
}

/**
 * Where a name's words start, at most this many of them (the first always): a query matches at
 * one of these. Names are at most 200 characters; the bound keeps the index of a name small.
 */
export const MAX_WORD_STARTS = 12;

const WORD_CHAR = /[\p{L}\p{N}\p{M}'\u2019]/u;

/**
 * Positions in a searchText where a word starts: 0, and each letter or digit that follows a
 * character that is neither (a space, a hyphen, a bracket...). "st anne's (dental)" has 0, 3, 11.
 * Digits are word characters, so a word start never falls inside a number.
 */
export function wordStarts(text: string): number[] {
  const starts: number[] = [];
  if (!text) return starts;
  starts.push(0);
  // Each character is classified once (the previous one's answer is kept): a search tests every
  // candidate name, and the Unicode class test is the costly part.
  let previousIsWord = isWordChar(text, 0);
  for (let i = 1; i < text.length && starts.length < MAX_WORD_STARTS; i++) {
    const isWord = isWordChar(text, i);
    if (isWord && !previousIsWord) starts.push(i);
    previousIsWord = isWord;
  }
  return starts;
}

/** WORD_CHAR's answer for the code unit at `i`; ASCII, most of every name, without the Unicode regex. */
function isWordChar(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c < 0x80) return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x27;
  return WORD_CHAR.test(text[i]!);
}

/** The most digits a number in `name` has, leading zeros aside (0 when it has none). */
export function longestNumberIn(name: string): number {
  let longest = 0;
  for (const run of searchText(name).match(/[0-9]+/g) ?? []) longest = Math.max(longest, run.replace(/^0+(?=[0-9])/, '').length);
  return longest;
}

/** A name as search compares it: from each of its word starts on, in name-order form; the first is the whole name. */
export function searchForms(name: string): string[] {
  return searchFormsOfText(searchText(name));
}

/** searchForms of a name already in searchText form (the embedded index keeps each name so). */
export function searchFormsOfText(text: string): string[] {
  return wordStarts(text).map((start) => sortKeyOfFolded(text.slice(start)));
}

/**
 * The longest number a query's last digits are taken to be the start of: account and phone
 * numbers fit (E.164 numbers have at most 15 digits).
 */
export const MAX_PARTIAL_DIGITS = 15;

export interface SearchQuery {
  /** The query's searchText. */
  readonly text: string;
  /** The whole query in name-order form: a name whose form is this is an exact match. */
  readonly exact: string;
  /**
   * What a form must start with to match. One string, unless the query ends in digits, which
   * may be the start of a longer number: then one per length that number may have (name order
   * writes a number's length before its digits).
   */
  readonly prefixes: readonly string[];
}

/**
 * The query as search compares it, or undefined for a blank one. `longestNumber`: the most
 * digits a number in the names searched has (leading zeros aside), when known; no prefix is made
 * for longer numbers than that, which no name holds.
 */
export function searchQuery(query: string, longestNumber = MAX_PARTIAL_DIGITS): SearchQuery | undefined {
  const text = searchText(query);
  if (!text) return undefined;
  const exact = sortKeyOfFolded(text);
  const lastDigits = /[0-9]+$/.exec(text);
  if (!lastDigits) return { text, exact, prefixes: [exact] };
  const head = sortKeyOfFolded(text.slice(0, lastDigits.index));
  const value = lastDigits[0].replace(/^0+(?=[0-9])/, '');
  const prefixes: string[] = [];
  const longest = Math.min(longestNumber, MAX_PARTIAL_DIGITS);
  for (let length = value.length; length <= Math.max(value.length, longest); length++) {
    const written = String(length);
    prefixes.push(`${head}${written.length}${written}${value}`);
  }
  return { text, exact, prefixes };
}

export interface Match {
  readonly match: MatchKind;
  /** The name (name-order form) from the matched word on: the whole name for exact and prefix matches. */
  readonly matched: string;
}

/** How `query` matches a name given by its searchForms; the first word start that matches decides. */
export function matchForms(forms: readonly string[], query: SearchQuery): Match | undefined {
  const whole = forms[0];
  if (whole === undefined) return undefined;
  if (whole === query.exact) return { match: MatchKind.Exact, matched: whole };
  const starts = (form: string): boolean => query.prefixes.some((p) => form.startsWith(p));
  if (starts(whole)) return { match: MatchKind.Prefix, matched: whole };
  // Of the later word starts that match, the smallest sorts the match (as an index of word starts would).
  let best: string | undefined;
  for (const form of forms.slice(1)) if (starts(form) && (best === undefined || form < best)) best = form;
  return best === undefined ? undefined : { match: MatchKind.WordStart, matched: best };
}

export function matchOf(name: string, query: SearchQuery | undefined): Match | undefined {
  return query && matchForms(searchForms(name), query);
}

/**
 * matchOf for a name already in searchText form. Folding is not idempotent (a control character
 * next to a space becomes a second space, which a second fold would merge), so text that is
 * folded already must not be folded again: the Cosmos DB directory's search keys are made from
 * one fold, and both directories must find the same names.
 */
export function matchText(text: string, query: SearchQuery): Match | undefined {
  if (HAS_DIGIT.test(query.text)) return matchForms(searchFormsOfText(text), query);
  // A query without digits is its own name-order form, and a form starts with it exactly when
  // the text from that word start does (name order rewrites only digits, and the query can hold
  // none). So most names are turned down by one indexOf, and only the word starts that match
  // are put in name-order form. matchForms over searchFormsOfText is the rule this must equal.
  const q = query.text;
  if (text.indexOf(q) < 0) return undefined;
  if (text === q) return { match: MatchKind.Exact, matched: text };
  if (text.startsWith(q)) return { match: MatchKind.Prefix, matched: sortKeyOfFolded(text) };
  let best: string | undefined;
  for (const start of wordStarts(text)) {
    if (start === 0 || !text.startsWith(q, start)) continue;
    const form = sortKeyOfFolded(text.slice(start));
    if (best === undefined || form < best) best = form;
  }
  return best === undefined ? undefined : { match: MatchKind.WordStart, matched: best };
}

const HAS_DIGIT = /[0-9]/;

/** Does matchPlain apply: a query without digits (its searchText is its own name-order form)? */
export function isPlainQuery(query: SearchQuery): boolean {
  return !HAS_DIGIT.test(query.text);
}

/**
 * Where a name's last counted word start is (the MAX_WORD_STARTS-th), or its length when it has
 * fewer: a match further on does not count. Only a name of 2 * MAX_WORD_STARTS - 1 characters or
 * more can have that many.
 */
export function lastCountedWordStart(text: string): number {
  if (text.length < 2 * MAX_WORD_STARTS - 1) return text.length;
  const starts = wordStarts(text);
  return starts.length === MAX_WORD_STARTS ? starts[MAX_WORD_STARTS - 1]! : text.length;
}

/** matchPlain's answer when the name does not match. */
export const NO_PLAIN_MATCH = -1;

/**
 * matchText for a plain query (isPlainQuery) and a name in searchText form with no digits, so
 * that the name from any word start on is its own name-order form: the match kind and where the
 * matched form starts, packed as kind << 16 | start (plainMatchKind, plainMatchStart), with no
 * string built (a start fits in 16 bits: names are at most 200 characters, a few thousand once
 * folded). The embedded index ranks most hits without ever needing the matched form.
 * `lastStart`: lastCountedWordStart(text). matchText is the rule this must equal.
 */
export function matchPlain(text: string, q: string, lastStart: number): number {
  let at = text.indexOf(q);
  if (at < 0) return NO_PLAIN_MATCH;
  if (at === 0) return (text.length === q.length ? MatchKind.Exact : MatchKind.Prefix) << 16;
  // Of the later word starts that match, the smallest form sorts the match.
  let best = -1;
  for (; at >= 0 && at <= lastStart; at = text.indexOf(q, at + 1)) {
    if (!isWordChar(text, at) || isWordChar(text, at - 1)) continue;
    if (best < 0 || compareSortKeysFrom(text, at, text, best) < 0) best = at;
  }
  return best < 0 ? NO_PLAIN_MATCH : (MatchKind.WordStart << 16) | best;
}

export const plainMatchKind = (packed: number): MatchKind => packed >>> 16;
export const plainMatchStart = (packed: number): number => packed & 0xffff;

export function matchKind(name: string, query: string): MatchKind | undefined {
  return matchOf(name, searchQuery(query))?.match;
}

export interface SearchCandidate {
  readonly id: string;
  readonly name: string;
  readonly depth: number;
}

export interface RankedMatch<T extends SearchCandidate> extends Match {
  readonly item: T;
}

export function compareMatches<T extends SearchCandidate>(a: RankedMatch<T>, b: RankedMatch<T>): number {
  return (
    a.match - b.match ||
    a.item.depth - b.item.depth ||
    compareSortKeys(a.matched, b.matched) ||
    compareSortKeys(nameSortKey(a.item.name), nameSortKey(b.item.name)) ||
    compareIds(a.item.id, b.item.id)
  );
}

/** Rank every candidate that matches `query`; non-matches are dropped. */
export function rankMatches<T extends SearchCandidate>(query: string, candidates: Iterable<T>): RankedMatch<T>[] {
  const q = searchQuery(query);
  if (!q) return [];
  const ranked: RankedMatch<T>[] = [];
  for (const item of candidates) {
    const found = matchOf(item.name, q);
    if (found !== undefined) ranked.push({ item, ...found });
  }
  return ranked.sort(compareMatches);
}
