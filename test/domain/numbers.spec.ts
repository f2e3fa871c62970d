import fc from 'fast-check';
import { formatCount, shorten } from '../../src/domain/numbers';

describe('formatCount', () => {
  it.each([
    [0, '0'],
    [999, '999'],
    [3202, '3,202'],
    [10000, '10,000'],
    [1234567, '1,234,567'],
  ])('writes %p as %p', (n, text) => expect(formatCount(n)).toBe(text));

  it('writes every number as the en-GB grouped form, the small ones (written without Intl) included', () => {
    const grouped = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0, useGrouping: true });
    const numbers = fc.oneof(fc.integer({ min: -2000, max: 2000 }), fc.integer(), fc.double({ noNaN: true }), fc.constantFrom(-0, 999.5, -999.5, 1e21));
    fc.assert(fc.property(numbers, (n) => expect(formatCount(n)).toBe(grouped.format(n))), { numRuns: 2000 });
  });
});

describe('shorten', () => {
  it('leaves short text alone', () => expect(shorten('Northwind Voice', 20)).toBe('Northwind Voice'));
  it('cuts at a word with an ellipsis, within the limit', () => {
    const cut = shorten('Northern Lights Telecommunications Group', 24);
    expect(cut).toBe('Northern Lights…');
    expect(Array.from(cut).length).toBeLessThanOrEqual(24);
  });
  it('cuts inside a long word when there is no space near the end', () => expect(shorten('Supercalifragilisticexpialidocious', 10)).toBe('Supercali…'));
  it('never splits an emoji', () => expect(shorten('😀😀😀😀😀😀', 4)).toBe('😀😀😀…'));
});
