import fc from 'fast-check';
import { compareByNameThenId, compareNames, compareSortKeys, compareSortKeysFrom, nameSortKey, sortKeyOfFolded } from '../../src/domain/name-order';

const sorted = (names: readonly string[]): string[] => [...names].sort(compareNames);

describe('name order', () => {
  it('puts numbers in order of value, not of their digits', () => {
    expect(sorted(['Acme Ltd 4211', 'Acme Ltd 457', 'Acme Ltd 46', 'Acme Ltd 5'])).toEqual(['Acme Ltd 5', 'Acme Ltd 46', 'Acme Ltd 457', 'Acme Ltd 4211']);
  });

  it('compares every number in a name, past the first one', () => {
    expect(sorted(['Site 2 Floor 10', 'Site 2 Floor 9', 'Site 10 Floor 1'])).toEqual(['Site 2 Floor 9', 'Site 2 Floor 10', 'Site 10 Floor 1']);
  });

  it('ignores case, accents and leading zeros', () => {
    expect(compareNames('ACME 7', 'ácme 007')).toBe(0);
    expect(compareNames('Acme 0', 'Acme 000')).toBe(0);
    expect(compareNames('Acme 08', 'Acme 9')).toBeLessThan(0);
  });

  it('keeps numbers where digits sorted among other characters: after spaces and dashes, before letters', () => {
    expect(sorted(['Acme b', 'Acme 9', 'Acme -', 'Acme'])).toEqual(['Acme', 'Acme -', 'Acme 9', 'Acme b']);
  });

  it('orders numbers too long for a double exactly', () => {
    expect(compareNames('Unit 9007199254740993', 'Unit 9007199254740992')).toBeGreaterThan(0);
    expect(compareNames('Unit 99999999999999999999', 'Unit 100000000000000000000')).toBeLessThan(0);
  });

  it('gives an unchanged folded name for a name without digits, so most keys cost nothing', () => {
    expect(nameSortKey('Kestrel Print Ltd')).toBe('kestrel print ltd');
    expect(nameSortKey('Acme\u0001Ltd')).toBe('acme ltd');
  });

  it('breaks ties by id, so the order is total', () => {
    const a = { id: 'b', name: 'Acme 7' };
    const b = { id: 'a', name: 'acme 07' };
    expect([a, b].sort(compareByNameThenId)).toEqual([b, a]);
  });

  it('orders "<text> <number>" names as their numbers, for any numbers', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 40n }), fc.bigInt({ min: 0n, max: 10n ** 40n }), fc.nat({ max: 3 }), (m, n, zeros) => {
        const byName = Math.sign(compareNames(`Acme Ltd ${'0'.repeat(zeros)}${m}`, `acme ltd ${n}`));
        expect(byName).toBe(m < n ? -1 : m > n ? 1 : 0);
      }),
    );
  });

  it('is a consistent order: antisymmetric and transitive over names mixing text and digits', () => {
    const name = fc.array(fc.oneof(fc.constantFrom('a', 'B', 'é', ' ', '-', '.'), fc.nat({ max: 2000 }).map(String)), { maxLength: 6 }).map((p) => p.join(''));
    fc.assert(
      fc.property(name, name, name, (a, b, c) => {
        expect(Math.sign(compareNames(a, b)) + Math.sign(compareNames(b, a))).toBe(0);
        if (compareNames(a, b) <= 0 && compareNames(b, c) <= 0) expect(compareNames(a, c)).toBeLessThanOrEqual(0);
      }),
    );
  });

  it('writes the key the rule describes, for any text (the one-pass loop against its plain statement)', () => {
    const reference = (folded: string): string =>
      folded.replace(/[\u0000-\u001f]/g, ' ').replace(/[0-9]+/g, (run) => {
        const value = run.replace(/^0+(?=[0-9])/, '');
        return `${String(value.length).length}${value.length}${value}`;
      });
    const text = fc.array(fc.oneof(fc.string({ maxLength: 3 }), fc.nat().map(String), fc.constantFrom('0', '000', '\u0000', '\u001f', '07')), { maxLength: 6 }).map((p) => p.join(''));
    fc.assert(fc.property(text, (folded) => expect(sortKeyOfFolded(folded)).toBe(reference(folded))));
  });
});

describe('compareSortKeysFrom', () => {
  it('compares the keys from the given positions on as compareSortKeys compares those slices', () => {
    const key = fc.string({ unit: fc.constantFrom('a', 'b', 'é', ' ', '\uffff', '\ud83d'), maxLength: 8 });
    fc.assert(
      fc.property(key, fc.nat(), key, fc.nat(), (a, i, b, j) => {
        const from = i % (a.length + 1);
        const bFrom = j % (b.length + 1);
        expect(compareSortKeysFrom(a, from, b, bFrom)).toBe(compareSortKeys(a.slice(from), b.slice(bFrom)));
      }),
      { numRuns: 3000 },
    );
  });
});
