import { formatCount, shorten } from '../../src/domain/numbers';

describe('formatCount', () => {
  it.each([
    [0, '0'],
    [999, '999'],
    [3202, '3,202'],
    [10000, '10,000'],
    [1234567, '1,234,567'],
  ])('writes %p as %p', (n, text) => expect(formatCount(n)).toBe(text));
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
