import type { Storage, StoreItem } from 'botbuilder';

/**
 * The bot-state Storage contract, as botbuilder's MemoryStorage keeps it and the bot relies on it
 * (after the storage base tests of botbuilder-js): a stale eTag fails, '*' or no eTag overwrites,
 * deleting a missing key is fine, and any key works. Every state storage runs it.
 */
export function describeStorageContract(storage: string, open: () => Promise<Storage>): void {
  describe(`Storage contract: ${storage}`, () => {
    let store: Storage;
    beforeEach(async () => {
      store = await open();
    });

    const one = async (key: string): Promise<StoreItem | undefined> => (await store.read([key]))[key];

    it('reads nothing for unknown keys, and no keys at all', async () => {
      expect(await store.read(['unknown'])).toEqual({});
      expect(await store.read([])).toEqual({});
    });

    it('stores objects and gives each an eTag', async () => {
      await store.write({ a: { position: { accountId: 'tailspin', scopeRootId: 'northwind' } }, b: { count: 1, nested: { list: [1, 'two', null] } } });
      const read = await store.read(['a', 'b', 'c']);
      expect(Object.keys(read).sort()).toEqual(['a', 'b']);
      expect(read.a).toEqual({ position: { accountId: 'tailspin', scopeRootId: 'northwind' }, eTag: expect.any(String) });
      expect(read.b).toMatchObject({ count: 1, nested: { list: [1, 'two', null] } });
    });

    it('changes the eTag on every write', async () => {
      await store.write({ k: { n: 1 } });
      const first = (await one('k'))!.eTag;
      await store.write({ k: { n: 2 } });
      const second = (await one('k'))!.eTag;
      expect(second).not.toBe(first);
      expect(await one('k')).toMatchObject({ n: 2 });
    });

    it('updates with the current eTag', async () => {
      await store.write({ k: { n: 1 } });
      const current = (await one('k'))!;
      await store.write({ k: { ...current, n: 2 } });
      expect(await one('k')).toMatchObject({ n: 2 });
    });

    it('refuses a write with a stale eTag and keeps the newer value', async () => {
      await store.write({ k: { n: 1 } });
      const stale = (await one('k'))!;
      await store.write({ k: { ...stale, n: 2 } });
      await expect(store.write({ k: { ...stale, n: 3 } })).rejects.toThrow();
      expect(await one('k')).toMatchObject({ n: 2 });
    });

    it("overwrites whatever is there with '*' or with no eTag", async () => {
      await store.write({ k: { n: 1 } });
      const stale = (await one('k'))!;
      await store.write({ k: { n: 2 } });
      await store.write({ k: { ...stale, n: 3, eTag: '*' } });
      expect(await one('k')).toMatchObject({ n: 3 });
      await store.write({ k: { n: 4 } });
      expect(await one('k')).toMatchObject({ n: 4 });
    });

    it('lets only one of two writers holding the same eTag win', async () => {
      await store.write({ k: { n: 0 } });
      const read = (await one('k'))!;
      const results = await Promise.allSettled([store.write({ k: { ...read, n: 1 } }), store.write({ k: { ...read, n: 2 } })]);
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      const winner = results[0]!.status === 'fulfilled' ? 1 : 2;
      expect(await one('k')).toMatchObject({ n: winner });
    });

    it('writes an item that is not there yet, whatever eTag it carries', async () => {
      await store.write({ fresh: { n: 1, eTag: 'an-etag-from-elsewhere' } });
      expect(await one('fresh')).toMatchObject({ n: 1 });
    });

    it('deletes items, and deleting a missing key is fine', async () => {
      await store.write({ a: { n: 1 }, b: { n: 2 } });
      await store.delete(['a', 'never-written']);
      expect(Object.keys(await store.read(['a', 'b']))).toEqual(['b']);
      await store.delete(['a']);
      await store.write({ a: { n: 3 } });
      expect(await one('a')).toMatchObject({ n: 3 });
    });

    it('keeps keys apart whatever their characters or length', async () => {
      const keys = [
        'msteams/conversations/a:1Xb-very/long?id#frag/users/29:1abc',
        'msteams\\conversations\\a',
        'msteams%2Fconversations%2Fa',
        'msteams~conversations~a',
        'h~0000',
        '..',
        '.',
        ' ',
        '',
        'Ünïcødé ключ 键 🔑',
        'x'.repeat(255),
        'x'.repeat(256),
        `${'y'.repeat(2000)}/tail-a`,
        `${'y'.repeat(2000)}/tail-b`,
      ];
      await store.write(Object.fromEntries(keys.map((key, i) => [key, { i }])));
      const read = await store.read(keys);
      expect(keys.map((key) => read[key]?.i)).toEqual(keys.map((_, i) => i));
      await store.delete([keys[0]!]);
      expect(await one(keys[0]!)).toBeUndefined();
      expect(await one(keys[1]!)).toMatchObject({ i: 1 });
    });

    it('gives back a copy: changing what was read does not change what is stored', async () => {
      await store.write({ k: { list: [1] } });
      const read = (await one('k'))!;
      (read.list as number[]).push(2);
      expect(await one('k')).toMatchObject({ list: [1] });
    });
  });
}
