import { ACCOUNT_KINDS, isBaseLevel, type Account, type AccountKind, type AccountSummary, type Brand, type Subscription } from '../../domain/accounts';
import { defaultKind, FIRST_VERSION, type DirectoryDocument } from '../../domain/directory-document';
import { compareIds, compareSortKeys, compareSortKeysFrom, sortKeyOfFolded } from '../../domain/name-order';
import { isPlainQuery, lastCountedWordStart, matchPlain, matchText, NO_PLAIN_MATCH, plainMatchKind, plainMatchStart, searchText, type MatchKind, type SearchQuery } from '../../domain/search';
import { PackedSubscriptions } from './packed-subscriptions';

/**
 * In-memory indexes over the account tree: by id, children by parent (sorted once, by name as
 * nameSortKey orders it),
 * subtree sizes, depth and folded names for search. Built once at start-up; the tree's shape
 * never changes at run time, only accounts' subscriptions (see replaceAccount).
 *
 * Every account reachable from a root also has a position in a depth-first (pre-order) walk, so
 * that a subtree is one contiguous range of positions; search scans only the ranges of the
 * caller's scope roots. Each folded name also has a 256-bit signature of the character pairs in
 * it, stored bit-sliced: one bitmap over walk positions per signature bit. A name can only contain
 * the query if it has every bit of the query's signature, so search ANDs a few bitmaps over the
 * scope's ranges and checks the text of only the names left.
 */
export class AccountIndex {
  /**
   * What each account is, by slot, with no object per account: Account objects are built when
   * asked for (get, path, all). 100,000 account objects held about 9 MB of heap that every turn
   * only reads a few of.
   */
  private readonly names: string[];
  /** Slot of the parent; ROOT for a root, DANGLING for a parent id that is not in the file (see danglingParents). */
  private readonly parents: Int32Array;
  /** Parent ids that name no account (only in files that failed validation). */
  private readonly danglingParents = new Map<number, string>();
  /** Index into ACCOUNT_KINDS. */
  private readonly kinds: Uint8Array;
  /** The few accounts with a brand, enabled offers or a version other than FIRST_VERSION. */
  private readonly brands = new Map<number, Brand>();
  private readonly offerLists = new Map<number, readonly string[]>();
  private readonly versions = new Map<number, string>();
  private readonly subscriptions: PackedSubscriptions;
  /** Accounts swapped in by replaceAccount (changes applied since start-up), by slot. */
  private readonly replaced = new Map<number, Account>();
  /** Base level id -> how many accounts buy from it; gathered on first use (the tree's shape only changes by loading a file). */
  private readonly buyers = new Map<string, number>();
  private readonly children = new Map<string, string[]>();
  /** Account id -> slot: its position in the document, which indexes the arrays below. */
  private readonly slots = new Map<string, number>();
  private readonly ids: string[];
  private readonly folded: string[];
  /** nameSortKey of each name: the same string as `folded` for a name without digits or control characters. */
  private readonly sortKeys: string[];
  private readonly depths: Int32Array;
  /** One more than the greatest depth: search ranks on kind * depthSpan + depth first. */
  private readonly depthSpan: number;
  /** Subtree sizes (the account itself included); 0 for an account no root reaches. */
  private readonly sizes: Int32Array;
  /** Slot -> walk position, -1 when no root reaches the account; and walk position -> slot. */
  private readonly positions: Int32Array;
  private readonly walkOrder: Int32Array;
  /** Bit b of position p's signature is bit (p & 31) of word b * bitmapWords + (p >>> 5). */
  private readonly bitmaps: Uint32Array;
  private readonly bitmapWords: number;
  /** Bit (p & 31) of word p >>> 5 is set when the name at walk position p has digits (is not its own sort key). */
  private readonly withDigits: Uint32Array;
  /** How many names have each signature bit: search ANDs the rarest bitmaps first, so most words drop out after one or two. */
  private readonly bitCounts: Int32Array;
  /** lastCountedWordStart of the few names with more word starts than search counts, by slot (matchPlain's bound). */
  private readonly lastWordStarts = new Map<number, number>();
  /** Slots no root reaches (only in files that failed validation); searched the slow way. */
  private readonly unreached: number[] = [];

  constructor(doc: DirectoryDocument) {
    const records = doc.accounts;
    const n = records.length;
    this.names = new Array<string>(n);
    this.parents = new Int32Array(n);
    this.kinds = new Uint8Array(n);
    this.ids = new Array<string>(n);
    this.folded = new Array<string>(n);
    this.sortKeys = new Array<string>(n);
    this.subscriptions = new PackedSubscriptions(n, (slot) => records[slot]!.subscriptions);
    const byParent = new Map<string, number[]>();
    for (let slot = 0; slot < n; slot++) {
      const record = records[slot]!;
      const { id, name, brand, enabledOffers, version } = record;
      this.names[slot] = name;
      const kind = defaultKind(record);
      const code = KIND_CODES.get(kind);
      if (code === undefined) throw new Error(`AccountIndex: account ${id} has unknown kind ${String(kind)}`);
      this.kinds[slot] = code;
      if (brand) this.brands.set(slot, brand);
      if (enabledOffers?.length) this.offerLists.set(slot, enabledOffers);
      if (version !== undefined && version !== FIRST_VERSION) this.versions.set(slot, version);
      this.slots.set(id, slot);
      this.ids[slot] = id;
      // Folded once per account: search compares these, and sorting the keys, never re-folding.
      const folded = searchText(name);
      this.folded[slot] = folded;
      this.sortKeys[slot] = sortKeyOfFolded(folded);
      const lastStart = lastCountedWordStart(folded);
      if (lastStart !== folded.length) this.lastWordStarts.set(slot, lastStart);
      if (record.parentId !== null) {
        const siblings = byParent.get(record.parentId);
        if (siblings) siblings.push(slot);
        else byParent.set(record.parentId, [slot]);
      }
    }
    for (let slot = 0; slot < n; slot++) {
      const parentId = records[slot]!.parentId;
      const parent = parentId === null ? ROOT : this.slots.get(parentId);
      if (parent === undefined) this.danglingParents.set(slot, parentId!);
      this.parents[slot] = parent ?? DANGLING;
    }

    // Children by name sort key, then id: the same order as compareByNameThenId.
    const { ids } = this;
    const byNameThenId = (a: number, b: number) => this.compareByNameThenId(a, b);
    for (const [parentId, slots] of byParent) {
      slots.sort(byNameThenId);
      this.children.set(parentId, slots.map((s) => ids[s]!));
    }

    // Depth-first walk from every root, children in order: depths and walk positions.
    this.depths = new Int32Array(n);
    this.sizes = new Int32Array(n);
    this.positions = new Int32Array(n).fill(-1);
    this.walkOrder = new Int32Array(n);
    let reached = 0;
    const stack: number[] = [];
    for (let root = 0; root < n; root++) {
      if (records[root]!.parentId !== null || this.positions[root] !== -1) continue;
      stack.push(root);
      while (stack.length > 0) {
        const slot = stack.pop()!;
        if (this.positions[slot] !== -1) continue;
        this.positions[slot] = reached;
        this.walkOrder[reached++] = slot;
        const kids = byParent.get(ids[slot]!);
        if (!kids) continue;
        for (let k = kids.length - 1; k >= 0; k--) {
          const kid = kids[k]!;
          this.depths[kid] = this.depths[slot]! + 1;
          stack.push(kid);
        }
      }
    }
    // Subtree sizes, children before parents (reverse walk order).
    for (let p = reached - 1; p >= 0; p--) {
      const slot = this.walkOrder[p]!;
      this.sizes[slot]! += 1;
      const parent = this.parents[slot]!;
      if (parent >= 0 && this.positions[parent] !== -1) this.sizes[parent]! += this.sizes[slot]!;
    }
    for (let slot = 0; slot < n; slot++) if (this.positions[slot] === -1) this.unreached.push(slot);
    this.depthSpan = this.depths.reduce((most, depth) => Math.max(most, depth), 0) + 1;

    this.bitmapWords = (reached + 31) >>> 5;
    this.bitmaps = new Uint32Array(SIGNATURE_BITS * this.bitmapWords);
    this.bitCounts = new Int32Array(SIGNATURE_BITS);
    this.withDigits = new Uint32Array(this.bitmapWords);
    for (let p = 0; p < reached; p++) {
      const slot = this.walkOrder[p]!;
      const name = this.folded[slot]!;
      const word = p >>> 5;
      const bit = 1 << (p & 31);
      if (this.sortKeys[slot] !== name) this.withDigits[word]! |= bit;
      for (let i = 1; i < name.length; i++) {
        const b = pairBit(name, i);
        const at = b * this.bitmapWords + word;
        if ((this.bitmaps[at]! & bit) === 0) this.bitCounts[b]!++;
        this.bitmaps[at]! |= bit;
      }
    }
  }

  /** Name sort key, then id: the order of children and the last tie-break of search ranking. */
  private compareByNameThenId(a: number, b: number): number {
    return compareSortKeys(this.sortKeys[a]!, this.sortKeys[b]!) || compareIds(this.ids[a]!, this.ids[b]!);
  }

  get size(): number {
    return this.slots.size;
  }

  get(id: string): Account | undefined {
    const slot = this.slots.get(id);
    return slot === undefined ? undefined : this.accountAt(slot);
  }

  /** The account in `slot`, as replaced or as loaded (a new object: see names). */
  private accountAt(slot: number): Account {
    if (this.replaced.size > 0) {
      const account = this.replaced.get(slot);
      if (account) return account;
    }
    const id = this.ids[slot]!;
    const name = this.names[slot]!;
    const parentId = this.parentIdAt(slot);
    const kind = ACCOUNT_KINDS[this.kinds[slot]!]!;
    const brand = this.brands.size > 0 ? this.brands.get(slot) : undefined;
    // Most accounts have no offers enabled or no subscriptions: they share one empty list.
    const enabledOffers = this.offerLists.get(slot) ?? NONE;
    const subscriptions = this.subscriptions.of(slot, NONE);
    const version = (this.versions.size > 0 ? this.versions.get(slot) : undefined) ?? FIRST_VERSION;
    // Two literal shapes rather than a conditional spread: the same objects, built faster.
    return brand
      ? { id, name, parentId, kind, brand, enabledOffers, subscriptions, version }
      : { id, name, parentId, kind, enabledOffers, subscriptions, version };
  }

  private parentIdAt(slot: number): string | null {
    const parent = this.parents[slot]!;
    if (parent >= 0) return this.ids[parent]!;
    return parent === ROOT ? null : this.danglingParents.get(slot)!;
  }

  /** Every account once, in the document's order. */
  *all(): IterableIterator<Account> {
    for (const slot of this.slots.values()) yield this.accountAt(slot);
  }

  /** Every subscription with a start date (trials), with its account's id, in the order of all(). */
  *datedSubscriptions(): IterableIterator<{ readonly accountId: string; readonly subscription: Subscription }> {
    for (const slot of this.slots.values()) {
      if (!this.subscriptions.datedSlots.has(slot) && !this.replaced.has(slot)) continue;
      const accountId = this.ids[slot]!;
      for (const subscription of this.accountAt(slot).subscriptions) {
        if (subscription.startedAt !== undefined) yield { accountId, subscription };
      }
    }
  }

  depth(id: string): number {
    const slot = this.slots.get(id);
    return slot === undefined ? 0 : this.depths[slot]!;
  }

  childIds(parentId: string): readonly string[] {
    return this.children.get(parentId) ?? [];
  }

  /**
   * How many accounts buy from base level `id`: those whose nearest base level above is it. A
   * reseller below it counts (it buys from `id`); the accounts below that reseller buy from it instead.
   */
  buyerCount(id: string): number {
    const known = this.buyers.get(id);
    if (known !== undefined) return known;
    let count = 0;
    const below = [...this.childIds(id)];
    for (let child = below.pop(); child !== undefined; child = below.pop()) {
      count++;
      const slot = this.slots.get(child);
      if (slot !== undefined && !isBaseLevel({ kind: ACCOUNT_KINDS[this.kinds[slot]!]! })) below.push(...this.childIds(child));
    }
    this.buyers.set(id, count);
    return count;
  }

  summary(id: string): AccountSummary | undefined {
    const slot = this.slots.get(id);
    if (slot === undefined) return undefined;
    return {
      id,
      name: this.names[slot]!,
      kind: ACCOUNT_KINDS[this.kinds[slot]!]!,
      parentId: this.parentIdAt(slot),
      childCount: this.childIds(id).length,
      descendantCount: this.sizes[slot] === 0 ? 0 : this.sizes[slot]! - 1,
    };
  }

  /** The accounts from the root down to `id`. */
  path(id: string): Account[] | undefined {
    const slots = this.pathSlots(id);
    return slots && slots.map((slot) => this.accountAt(slot));
  }

  /** path() as search results show it: id, name and kind, with no Account built. */
  pathRefs(id: string): Pick<Account, 'id' | 'name' | 'kind'>[] | undefined {
    const slots = this.pathSlots(id);
    return slots && slots.map((slot) => ({ id: this.ids[slot]!, name: this.names[slot]!, kind: ACCOUNT_KINDS[this.kinds[slot]!]! }));
  }

  /** Slots from the root down to `id`; a parent id that names no account ends the walk up. */
  private pathSlots(id: string): number[] | undefined {
    let slot = this.slots.get(id);
    if (slot === undefined) return undefined;
    const slots = [slot];
    for (let parent = this.parents[slot]!; parent >= 0; parent = this.parents[parent]!) slots.push(parent);
    return slots.reverse();
  }

  /** Is `id` at or below any of `rootIds`? */
  isWithin(id: string, rootIds: ReadonlySet<string>): boolean {
    if (rootIds.has(id)) return true;
    for (let slot = this.slots.get(id); slot !== undefined; ) {
      const parent = this.parents[slot]!;
      if (parent === ROOT) return false;
      if (rootIds.has(parent >= 0 ? this.ids[parent]! : this.danglingParents.get(slot)!)) return true;
      slot = parent >= 0 ? parent : undefined;
    }
    return false;
  }

  /**
   * Ids of the accounts at or below any of `rootIds` whose name matches the query at a word
   * start, best first as compareMatches ranks them (exact, prefix, later word; then shallower;
   * then the name from the matched word on; then name sort key; then id), at most `limit` of them.
   */
  search(q: SearchQuery, rootIds: readonly string[], limit: number): string[] {
    const hits = new Hits();
    const plain = isPlainQuery(q);
    // The walk ranges of the roots, nested and repeated roots merged.
    const ranges: [number, number][] = [];
    for (const id of new Set(rootIds)) {
      const slot = this.slots.get(id);
      if (slot === undefined || this.positions[slot] === -1) continue;
      const first = this.positions[slot]!;
      ranges.push([first, first + this.sizes[slot]!]);
    }
    ranges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    // The query's signature bits, each once: a match needs all of them. Pairs with a digit are
    // left out: numbers match by value, so the name's digits may differ ("0042" for "42").
    const bits = new Set<number>();
    const text = q.text;
    for (let i = 1; i < text.length; i++) if (!DIGIT.test(text[i - 1]!) && !DIGIT.test(text[i]!)) bits.add(pairBit(text, i));
    const rows = [...bits].sort((a, b) => this.bitCounts[a]! - this.bitCounts[b]!).map((b) => b * this.bitmapWords);
    const { bitmaps, walkOrder, withDigits } = this;
    let coveredTo = 0;
    for (const [first, end] of ranges) {
      const from = Math.max(first, coveredTo);
      if (from >= end) continue;
      coveredTo = end;
      const lastWord = (end - 1) >>> 5;
      for (let word = from >>> 5; word <= lastWord; word++) {
        let candidates = -1;
        for (let r = 0; r < rows.length && candidates !== 0; r++) candidates &= bitmaps[rows[r]! + word]!;
        // Positions of this word outside [from, end) are not in scope.
        const base = word << 5;
        if (base < from) candidates &= -1 << (from - base);
        if (base + 32 > end) candidates &= (1 << (end - base)) - 1 || -1;
        const digits = withDigits[word]!;
        while (candidates !== 0) {
          const low = candidates & -candidates;
          candidates ^= low;
          this.matchInto(hits, walkOrder[base + 31 - Math.clz32(low)]!, q, plain && (digits & low) === 0);
        }
      }
    }
    if (this.unreached.length > 0) {
      const roots = new Set(rootIds);
      for (const slot of this.unreached) {
        if (this.isWithin(this.ids[slot]!, roots)) this.matchInto(hits, slot, q, plain && this.sortKeys[slot] === this.folded[slot]);
      }
    }
    // Every matched form of a plain query starts with the query (name order rewrites only digits):
    // comparisons of matched forms start after it.
    return this.best(hits, plain ? text.length : 0, limit).map((slot) => this.ids[slot]!);
  }

  /**
   * Adds `slot` to `hits` if its name matches `q`. `plain`: the query and the name have no
   * digits, so matchPlain applies, and the matched form is the name from a word start on, kept
   * as that start.
   */
  private matchInto(hits: Hits, slot: number, q: SearchQuery, plain: boolean): void {
    const text = this.folded[slot]!;
    if (plain) {
      const lastStart = this.lastWordStarts.size > 0 ? (this.lastWordStarts.get(slot) ?? text.length) : text.length;
      const packed = matchPlain(text, q.text, lastStart);
      if (packed !== NO_PLAIN_MATCH) hits.add(slot, plainMatchKind(packed), text, plainMatchStart(packed));
      return;
    }
    const found = matchText(text, q);
    if (found) hits.add(slot, found.match, found.matched, 0);
  }

  /**
   * The slots of the first `limit` hits in ranking order: the same as sorting them all and
   * slicing (the order is total), with most hits placed by kind and depth alone. Hits are ranked
   * by their index in `found`: no lookup per comparison. `shared`: how many characters every
   * matched form starts with alike.
   */
  private best(found: Hits, shared: number, limit: number): number[] {
    const { depths } = this;
    const { slots: hits, kinds, forms, starts } = found;
    const compare = (i: number, j: number): number => {
      const byKind = kinds[i]! - kinds[j]!;
      if (byKind !== 0) return byKind;
      const a = hits[i]!;
      const b = hits[j]!;
      const byDepth = depths[a]! - depths[b]!;
      if (byDepth !== 0) return byDepth;
      const byMatched = compareSortKeysFrom(forms[i]!, starts[i]! + shared, forms[j]!, starts[j]! + shared);
      if (byMatched !== 0) return byMatched;
      return this.compareByNameThenId(a, b);
    };
    if (!Number.isInteger(limit) || limit <= 0 || limit >= hits.length) {
      return hits.map((_, i) => i).sort(compare).slice(0, limit).map((i) => hits[i]!);
    }
    // Kind and depth first, as numbers: counted, they tell which hits are in whatever their
    // matched forms, and which few (one kind and depth) must be compared further for the last places.
    const span = this.depthSpan;
    const counts = new Int32Array(3 * span);
    for (let i = 0; i < hits.length; i++) counts[kinds[i]! * span + depths[hits[i]!]!]!++;
    let cut = 0;
    let above = 0;
    while (above + counts[cut]! < limit) above += counts[cut++]!;
    const chosen: number[] = [];
    const tied: number[] = [];
    for (let i = 0; i < hits.length; i++) {
      const key = kinds[i]! * span + depths[hits[i]!]!;
      if (key < cut) chosen.push(i);
      else if (key === cut) tied.push(i);
    }
    chosen.sort(compare);
    for (const i of firstInOrder(tied, compare, limit - above)) chosen.push(i);
    return chosen.map((i) => hits[i]!);
  }

  /** Swap in a new version of an account (subscriptions changed); the tree's shape is unchanged. */
  replaceAccount(account: Account): void {
    const slot = this.slots.get(account.id);
    if (slot === undefined) throw new Error(`replaceAccount: no account ${account.id}`);
    // The arrays above still describe the account (summaries, paths, search): only its offers, subscriptions and version may change.
    if (account.name !== this.names[slot] || account.kind !== ACCOUNT_KINDS[this.kinds[slot]!] || account.parentId !== this.parentIdAt(slot)) {
      throw new Error(`replaceAccount: ${account.id} would change its name, kind or parent`);
    }
    this.replaced.set(slot, account);
  }
}

const DIGIT = /[0-9]/;

/**
 * The matches of one search, by index: the account's slot, the match kind, and the matched form,
 * which is forms[i] from starts[i] on (a name kept whole rather than a slice built per hit).
 */
class Hits {
  readonly slots: number[] = [];
  readonly kinds: MatchKind[] = [];
  readonly forms: string[] = [];
  readonly starts: number[] = [];

  add(slot: number, kind: MatchKind, form: string, start: number): void {
    this.slots.push(slot);
    this.kinds.push(kind);
    this.forms.push(form);
    this.starts.push(start);
  }
}

/** parents[slot] of a root, and of an account whose parent id names no account. */
const ROOT = -1;
const DANGLING = -2;

const KIND_CODES = new Map<AccountKind, number>(ACCOUNT_KINDS.map((kind, code) => [kind, code]));

/** The first `limit` (at least 1) of `items` by `compare`, in order: a bounded insertion, the same as sort then slice for a total order. */
function firstInOrder(items: readonly number[], compare: (a: number, b: number) => number, limit: number): number[] {
  const ranked: number[] = [];
  for (const item of items) {
    if (ranked.length === limit && compare(item, ranked[limit - 1]!) >= 0) continue;
    let at = ranked.length;
    while (at > 0 && compare(item, ranked[at - 1]!) < 0) at--;
    ranked.splice(at, 0, item);
    if (ranked.length > limit) ranked.pop();
  }
  return ranked;
}

/** The empty list accounts share (frozen: a change to one account's list must never reach another's). */
const NONE: readonly never[] = Object.freeze([]);

/** Bits in a name's signature: each pair of adjacent characters of the folded name sets one. */
const SIGNATURE_BITS = 256;

/** The signature bit of the pair of characters ending at `i`. */
function pairBit(text: string, i: number): number {
  return (Math.imul(text.charCodeAt(i - 1) * 65599 + text.charCodeAt(i), 0x9e3779b1) >>> 24) & (SIGNATURE_BITS - 1);
}
