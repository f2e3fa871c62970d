/**
 * Positions for the documents of a file, in file order, that keep as many of the positions the
 * database already holds as the new order allows. Accounts and admins carry their position in the
 * file (so an export writes them back in the same order); numbering them 0..n-1 afresh would make
 * one account added near the top of the file change, and rewrite, every document after it.
 * Instead the longest run of held positions that is still in order is kept, and the others get
 * positions between their kept neighbours. Only when the gaps run out of precision is everything
 * renumbered.
 *
 * `held[i]` is the position held for the i-th document of the file, undefined for a new one.
 */
export function stableOrdinals(held: readonly (number | undefined)[]): number[] {
  const kept = longestIncreasing(held);
  const result = new Array<number>(held.length);
  let previous: number | undefined;
  let start = 0;
  const fill = (from: number, to: number, below: number | undefined, above: number | undefined): void => {
    const k = to - from;
    for (let j = 0; j < k; j++) {
      result[from + j] =
        below === undefined && above === undefined ? from + j
        : below === undefined ? above! - (k - j)
        : above === undefined ? below + j + 1
        : below + ((above - below) * (j + 1)) / (k + 1);
    }
  };
  for (const index of kept) {
    fill(start, index, previous, held[index]);
    result[index] = held[index]!;
    previous = held[index];
    start = index + 1;
  }
  fill(start, held.length, previous, undefined);
  for (let i = 1; i < result.length; i++) {
    // Gaps too narrow for the floats between them: number afresh (rare: many inserts at one place).
    if (!(result[i]! > result[i - 1]!)) return held.map((_, n) => n);
  }
  return result;
}

/** Indices of a longest strictly increasing run of the defined values (patience sorting). */
function longestIncreasing(values: readonly (number | undefined)[]): number[] {
  const tails: number[] = [];
  const before = new Array<number>(values.length).fill(-1);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === undefined || !Number.isFinite(v)) continue;
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (values[tails[mid]!]! < v) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) before[i] = tails[lo - 1]!;
    tails[lo] = i;
  }
  const run: number[] = [];
  for (let i = tails.length > 0 ? tails[tails.length - 1]! : -1; i >= 0; i = before[i]!) run.push(i);
  return run.reverse();
}
