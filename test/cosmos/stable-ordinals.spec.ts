import { stableOrdinals } from '../../src/directory/cosmos/stable-ordinals';

/** Positions a re-import gives, kept where the file's order allows so unchanged documents stay unchanged. */
const increasing = (xs: readonly number[]): boolean => xs.every((x, i) => i === 0 || x > xs[i - 1]!);

it('numbers a first import 0..n-1', () => {
  expect(stableOrdinals([undefined, undefined, undefined])).toEqual([0, 1, 2]);
});

it('keeps every held position when accounts are only added or removed', () => {
  // held 0..4; the one at 2 removed, two added at the top, one in the middle, one at the end
  const result = stableOrdinals([undefined, undefined, 0, 1, undefined, 3, 4, undefined]);
  expect(increasing(result)).toBe(true);
  expect([result[2], result[3], result[5], result[6]]).toEqual([0, 1, 3, 4]);
});

it('keeps the longest run still in order when the file is reordered, and moves the rest', () => {
  const result = stableOrdinals([4, 0, 1, 2, 3]);
  expect(increasing(result)).toBe(true);
  expect(result.slice(1)).toEqual([0, 1, 2, 3]);
});

it('numbers afresh when repeated inserts at one place leave no room between two positions', () => {
  let held: (number | undefined)[] = [0, 1];
  for (let round = 0; round < 80; round++) {
    const positions = stableOrdinals([held[0], undefined, ...held.slice(1)]);
    expect(increasing(positions)).toBe(true);
    held = positions;
  }
  expect(held).toHaveLength(82);
});
