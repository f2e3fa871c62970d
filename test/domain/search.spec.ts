import { compareNames } from '../../src/domain/name-order';
import fc from 'fast-check';
import {
  foldName,
  isPlainQuery,
  lastCountedWordStart,
  MatchKind,
  matchForms,
  matchKind,
  matchOf,
  matchPlain,
  matchText,
  MAX_WORD_STARTS,
  NO_PLAIN_MATCH,
  plainMatchKind,
  plainMatchStart,
  rankMatches,
  searchFormsOfText,
  searchQuery,
  searchText,
  wordStarts,
  type SearchCandidate,
} from '../../src/domain/search';

const c = (id: string, name: string, depth = 1): SearchCandidate => ({ id, name, depth });
const ids = (query: string, candidates: SearchCandidate[]): string[] => rankMatches(query, candidates).map((m) => m.item.id);

describe('foldName', () => {
  it('ignores case', () => {
    expect(foldName('Acme DENTAL')).toBe('acme dental');
  });

  it('ignores accents', () => {
    expect(foldName('Café Crème Zürich')).toBe('cafe creme zurich');
    expect(foldName('Ångström Ñandú')).toBe('angstrom nandu');
  });

  it('treats composed and decomposed accents alike', () => {
    expect(foldName('Caf\u00e9')).toBe(foldName('Cafe\u0301'));
  });

  it('collapses and trims whitespace', () => {
    expect(foldName('  Acme \t  Dental\n Practice ')).toBe('acme dental practice');
  });

  it('folds compatibility characters', () => {
    expect(foldName('ＡＣＭＥ')).toBe('acme'); // full-width letters
  });
});

describe('matchKind', () => {
  it('tells exact, prefix and later-word matches apart', () => {
    expect(matchKind('acme dental', 'acme dental')).toBe(MatchKind.Exact);
    expect(matchKind('acme dental', 'acme')).toBe(MatchKind.Prefix);
    expect(matchKind('acme dental', 'dent')).toBe(MatchKind.WordStart);
    expect(matchKind('acme dental', 'dental')).toBe(MatchKind.WordStart);
  });

  it('never matches in the middle of a word', () => {
    expect(matchKind('acme dental', 'ental')).toBeUndefined();
    expect(matchKind('acme dental', 'me d')).toBeUndefined();
    expect(matchKind('dentalcare', 'care')).toBeUndefined();
  });

  it('matches a word after punctuation, and across words', () => {
    expect(matchKind('tailspin networks - internal use', 'internal us')).toBe(MatchKind.WordStart);
    expect(matchKind('acme (dental)', 'dental')).toBe(MatchKind.WordStart);
    expect(matchKind('north-west voice', 'west voice')).toBe(MatchKind.WordStart);
    expect(matchKind("st anne's primary", "anne's")).toBe(MatchKind.WordStart);
    // An apostrophe is part of its word: "s primary" is not a word.
    expect(matchKind("st anne's primary", 's primary')).toBeUndefined();
  });

  it('remembers the name from the matched word on, the smallest when several words match', () => {
    expect(matchOf('acme dental', searchQuery('acme'))).toEqual({ match: MatchKind.Prefix, matched: 'acme dental' });
    expect(matchOf('x print zeta print', searchQuery('print'))).toEqual({ match: MatchKind.WordStart, matched: 'print' });
  });

  it('is undefined for no match and for an empty query', () => {
    expect(matchKind('acme dental', 'zeta')).toBeUndefined();
    expect(matchKind('acme dental', '')).toBeUndefined();
    expect(matchKind('acme', 'acme dental')).toBeUndefined();
  });

  it('ranks exact before prefix before a later word', () => {
    expect(MatchKind.Exact).toBeLessThan(MatchKind.Prefix);
    expect(MatchKind.Prefix).toBeLessThan(MatchKind.WordStart);
  });
});

describe('wordStarts', () => {
  it('starts words at the beginning and at each letter or digit after a space or punctuation', () => {
    expect(wordStarts("st anne's (dental) 2nd")).toEqual([0, 3, 11, 19]);
    expect(wordStarts('')).toEqual([]);
    expect(wordStarts('(x)')).toEqual([0, 1]);
  });

  it('keeps at most MAX_WORD_STARTS of them, the first ones', () => {
    const name = Array.from({ length: 40 }, (_, i) => `w${i}`).join(' ');
    expect(wordStarts(name)).toHaveLength(MAX_WORD_STARTS);
    expect(matchKind(name, `w${MAX_WORD_STARTS - 1}`)).toBe(MatchKind.WordStart);
    expect(matchKind(name, `w${MAX_WORD_STARTS}`)).toBeUndefined();
  });

  it('classifies every code unit as the Unicode word class does (letters, digits, marks, apostrophes)', () => {
    const WORD = /[\p{L}\p{N}\p{M}'\u2019]/u;
    const byRegex = (text: string): number[] => {
      const starts: number[] = [];
      for (let i = 0; i < text.length && starts.length < MAX_WORD_STARTS; i++) if (i === 0 || (WORD.test(text[i]!) && !WORD.test(text[i - 1]!))) starts.push(i);
      return starts;
    };
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (text) => expect(wordStarts(text)).toEqual(byRegex(text))), { numRuns: 3000 });
    expect(wordStarts("a'b _c`d ~e")).toEqual(byRegex("a'b _c`d ~e"));
  });
});

describe('numbers in a query', () => {
  it('match by value, the last one as the start of a longer number', () => {
    expect(matchKind('Unit 4', 'unit 4')).toBe(MatchKind.Exact);
    expect(matchKind('Unit 0004', 'unit 4')).toBe(MatchKind.Exact);
    expect(matchKind('Unit 42', 'unit 4')).toBe(MatchKind.Prefix);
    expect(matchKind('Unit 4211 North', 'unit 42')).toBe(MatchKind.Prefix);
    expect(matchKind('Acme 14', 'acme 4')).toBeUndefined();
    expect(matchKind('Acme 457 Ltd', 'acme 45 ltd')).toBeUndefined();
    expect(matchKind('Acme 457 Ltd', '457 l')).toBe(MatchKind.WordStart);
    expect(matchKind('Customer 01234 with a name', '01234')).toBe(MatchKind.WordStart);
  });

  it('rank in name order: numbers by value', () => {
    expect(ids('acme ltd', [c('a', 'Acme Ltd 4211'), c('b', 'Acme Ltd 457'), c('c', 'Acme Ltd 46')])).toEqual(['c', 'b', 'a']);
    expect(ids('4', [c('a', 'Unit 4211'), c('b', 'Unit 457'), c('c', 'Unit 46'), c('d', 'Unit 4')])).toEqual(['d', 'c', 'b', 'a']);
  });
});

describe('searchText', () => {
  it('folds like foldName and blanks control characters', () => {
    expect(searchText('  Café\u0001Crème ')).toBe('cafe creme');
    expect(searchText('A\u0000B')).toBe('a b');
  });
});

describe('rankMatches', () => {
  it('is case- and accent-insensitive in both query and name', () => {
    const candidates = [c('1', 'Café Crème'), c('2', 'CAFE NOIR'), c('3', 'Tea Room')];
    expect(ids('cafe', candidates)).toEqual(['1', '2']);
    expect(ids('CAFÉ', candidates)).toEqual(['1', '2']);
    expect(ids('crEme', candidates)).toEqual(['1']);
  });

  it('ranks exact, then prefix, then a later word, whatever the depth', () => {
    const candidates = [
      c('sub', 'The Acme Group', 1),
      c('prefix', 'Acme Dental', 5),
      c('exact', 'Acme', 9),
    ];
    const ranked = rankMatches('acme', candidates);
    expect(ranked.map((m) => m.item.id)).toEqual(['exact', 'prefix', 'sub']);
    expect(ranked.map((m) => m.match)).toEqual([MatchKind.Exact, MatchKind.Prefix, MatchKind.WordStart]);
  });

  it('breaks ties by depth, shallower first', () => {
    expect(ids('acme', [c('deep', 'Acme A', 3), c('shallow', 'Acme Z', 1), c('mid', 'Acme M', 2)])).toEqual(['shallow', 'mid', 'deep']);
  });

  it('then by name, ignoring case and accents', () => {
    expect(ids('acme', [c('3', 'Acme charlie'), c('1', 'Acme Álpha'), c('2', 'ACME bravo')])).toEqual(['1', '2', '3']);
  });

  it('then by id, so equal names come out in a stable order', () => {
    expect(ids('acme', [c('b', 'Acme Ltd'), c('c', 'acme ltd'), c('a', 'ACME LTD')])).toEqual(['a', 'b', 'c']);
  });

  it('ranks later-word matches of one depth by the name from the matched word on, then by name', () => {
    expect(ids('print', [c('a', 'Acme Printing'), c('z', 'Zeta Print'), c('b', 'Beta Print')])).toEqual(['b', 'z', 'a']);
  });

  it('drops non-matches', () => {
    const ranked = rankMatches('dental', [c('1', 'Acme Dental'), c('2', 'Parkside Estates'), c('3', 'Dentalcare')]);
    expect(ranked.map((m) => m.item.id)).toEqual(['3', '1']);
  });

  it('matches nothing for an empty or blank query', () => {
    const candidates = [c('1', 'Acme'), c('2', 'Beta')];
    expect(rankMatches('', candidates)).toEqual([]);
    expect(rankMatches('   ', candidates)).toEqual([]);
  });

  it('normalises whitespace in the query', () => {
    expect(ids('  acme   DENTAL ', [c('1', 'Acme Dental Practice')])).toEqual(['1']);
  });

  it('returns the candidates themselves and accepts any iterable', () => {
    const item = c('1', 'Acme');
    const ranked = rankMatches('acme', new Set([item]));
    expect(ranked).toHaveLength(1);
    expect(ranked[0]!.item).toBe(item);
  });

  it('returns an empty list for no candidates', () => {
    expect(rankMatches('acme', [])).toEqual([]);
  });
});

describe('compareNames', () => {
  it('orders by folded name', () => {
    const names = ['beta', 'Álpha', 'ALPHA', 'Charlie'];
    expect([...names].sort(compareNames).map(foldName)).toEqual(['alpha', 'alpha', 'beta', 'charlie']);
    expect(compareNames('Alpha', 'álpha')).toBe(0);
    expect(compareNames('a', 'b')).toBeLessThan(0);
    expect(compareNames('b', 'a')).toBeGreaterThan(0);
  });
});

describe('matchText (names already in search form)', () => {
  // Names and queries from a small alphabet, so that matches, word starts and numbers are common.
  const piece = fc.constantFrom('acme', 'ac', 'me', ' ', '  ', '-', '(', ')', "'", '’', 'é', 'e\u0301', 'dental', 'den', 'unit', '4', '42', '007', '0', 'ß', 'İ', '\u0001', 'ltd', 'a', 'b');
  const text = fc.array(piece, { maxLength: 16 }).map((parts) => parts.join(''));

  it('answers as matching every word start in name-order form does (the rule it shortcuts)', () => {
    fc.assert(
      fc.property(text, text, (name, query) => {
        const q = searchQuery(query);
        if (!q) return;
        const folded = searchText(name);
        expect(matchText(folded, q)).toEqual(matchForms(searchFormsOfText(folded), q));
      }),
      { numRuns: 5000 },
    );
  });

  it('answers as matchPlain does for a query and a name without digits, with the matched form as where it starts', () => {
    const plain = (t: string) => !/[0-9]/.test(t);
    // Many short words too, so that names with more word starts than search counts come up.
    const manyWords = fc.array(fc.constantFrom('a', 'b', 'ac', 'den', 'acme'), { minLength: 10, maxLength: 16 }).map((words) => words.join(' '));
    fc.assert(
      fc.property(fc.oneof(text, manyWords), fc.oneof(text, fc.constantFrom('a', 'ac', 'den', 'b a')), (name, query) => {
        const q = searchQuery(query);
        const folded = searchText(name);
        if (!q || !isPlainQuery(q) || !plain(folded)) return;
        const packed = matchPlain(folded, q.text, lastCountedWordStart(folded));
        const expected = matchText(folded, q);
        expect(packed === NO_PLAIN_MATCH ? undefined : { match: plainMatchKind(packed), matched: folded.slice(plainMatchStart(packed)) }).toEqual(expected);
      }),
      { numRuns: 5000 },
    );
  });

  it('finds a later word, a prefix and an exact name without digits, and numbers by value', () => {
    const q = searchQuery('dental')!;
    expect(matchText(searchText('St Anne’s (Dental) Practice'), q)).toEqual({ match: MatchKind.WordStart, matched: 'dental) practice' });
    expect(matchText(searchText('Dental Care'), q)?.match).toBe(MatchKind.Prefix);
    expect(matchText(searchText('Dental'), q)?.match).toBe(MatchKind.Exact);
    expect(matchText(searchText('Accidental Ltd'), q)).toBeUndefined();
    expect(matchText(searchText('Unit 0042'), searchQuery('unit 4')!)?.match).toBe(MatchKind.Prefix);
  });
});
