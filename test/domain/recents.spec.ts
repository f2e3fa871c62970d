import { afterVisit, recentsFrom, RECENT_LIMIT } from '../../src/domain/recents';

describe('recently visited accounts', () => {
  it('puts a visit first, each account once, keeping one more than the five shown', () => {
    let recents: string[] = [];
    for (const id of ['a', 'b', 'c', 'a', 'd', 'e', 'f', 'g']) recents = afterVisit(recents, id);
    expect(recents).toEqual(['g', 'f', 'e', 'd', 'a', 'c']);
    expect(recents).toHaveLength(RECENT_LIMIT + 1);
  });

  it('reads back only ids from whatever the state store holds', () => {
    expect(recentsFrom(undefined)).toEqual([]);
    expect(recentsFrom({ a: 1 })).toEqual([]);
    expect(recentsFrom(['a', 7, null, '', 'a', 'x'.repeat(201), 'b'])).toEqual(['a', 'b']);
    expect(recentsFrom(['1', '2', '3', '4', '5', '6', '7', '8'])).toEqual(['1', '2', '3', '4', '5', '6']);
  });
});
