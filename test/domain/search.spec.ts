import { compareNames } from '../../src/domain/name-order';
import { foldName, MatchKind, matchKind, rankMatches, type SearchCandidate } from '../../src/domain/search';

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
  it('tells exact, prefix and substring matches apart', () => {
    expect(matchKind('acme dental', 'acme dental')).toBe(MatchKind.Exact);
    expect(matchKind('acme dental', 'acme')).toBe(MatchKind.Prefix);
    expect(matchKind('acme dental', 'dent')).toBe(MatchKind.Substring);
  });

  it('is undefined for no match and for an empty query', () => {
    expect(matchKind('acme dental', 'zeta')).toBeUndefined();
    expect(matchKind('acme dental', '')).toBeUndefined();
    expect(matchKind('acme', 'acme dental')).toBeUndefined();
  });

  it('ranks exact before prefix before substring', () => {
    expect(MatchKind.Exact).toBeLessThan(MatchKind.Prefix);
    expect(MatchKind.Prefix).toBeLessThan(MatchKind.Substring);
  });
});

describe('rankMatches', () => {
  it('is case- and accent-insensitive in both query and name', () => {
    const candidates = [c('1', 'Café Crème'), c('2', 'CAFE NOIR'), c('3', 'Tea Room')];
    expect(ids('cafe', candidates)).toEqual(['1', '2']);
    expect(ids('CAFÉ', candidates)).toEqual(['1', '2']);
    expect(ids('crEme', candidates)).toEqual(['1']);
  });

  it('ranks exact, then prefix, then substring, whatever the depth', () => {
    const candidates = [
      c('sub', 'The Acme Group', 1),
      c('prefix', 'Acme Dental', 5),
      c('exact', 'Acme', 9),
    ];
    const ranked = rankMatches('acme', candidates);
    expect(ranked.map((m) => m.item.id)).toEqual(['exact', 'prefix', 'sub']);
    expect(ranked.map((m) => m.match)).toEqual([MatchKind.Exact, MatchKind.Prefix, MatchKind.Substring]);
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
