import { MemoryStorage, PrivateConversationState, TestAdapter, TurnContext, type Activity, type StoreItems } from 'botbuilder';
import { ConversationPlaces } from '../../src/teams/conversation-places';

/**
 * The conversation state Switchboard keeps: the same items under the same keys as botbuilder's
 * PrivateConversationState (so a running deployment keeps every admin's place across the
 * upgrade), one read per turn, and a write only when something changed.
 */
class CountingStorage extends MemoryStorage {
  reads = 0;
  writes: StoreItems[] = [];
  override read(keys: string[]) {
    this.reads++;
    return super.read(keys);
  }
  override write(changes: StoreItems) {
    this.writes.push(structuredClone(changes));
    return super.write(changes);
  }
}

const activity = (conversationId = 'a:conv-1', userId = '29:alex') => ({
  type: 'message',
  channelId: 'msteams',
  conversation: { id: conversationId },
  from: { id: userId, name: 'Admin' },
  recipient: { id: '28:bot', name: 'Switchboard' },
});
const turn = (a = activity()) => new TurnContext(new TestAdapter(), a as Partial<Activity>);
const AT_NORTHWIND = { accountId: 'northwind', scopeRootId: 'northwind' };

describe('ConversationPlaces', () => {
  it('reads what PrivateConversationState saved, under its key, and botbuilder reads what it saves', async () => {
    const storage = new MemoryStorage();
    const old = new PrivateConversationState(storage);
    const before = turn();
    await old.createProperty('position').set(before, AT_NORTHWIND);
    await old.createProperty('recentAccounts').set(before, ['northwind']);
    await old.saveChanges(before);

    const places = new ConversationPlaces(storage);
    const now = turn();
    expect(await places.get(now, 'position')).toEqual(AT_NORTHWIND);
    expect(await places.get(now, 'recentAccounts')).toEqual(['northwind']);
    await places.set(now, 'position', { accountId: 'tailspin', scopeRootId: 'northwind' });
    await places.save(now);

    const after = turn();
    expect(await old.createProperty('position').get(after)).toEqual({ accountId: 'tailspin', scopeRootId: 'northwind' });
    expect(await old.createProperty('recentAccounts').get(after)).toEqual(['northwind']);
    expect(Object.keys(await storage.read([ConversationPlaces.keyOf(activity())]))).toEqual(['msteams/conversations/a:conv-1/users/29:alex/']);
  });

  it('reads once a turn and writes nothing when the values set are the ones held', async () => {
    const storage = new CountingStorage();
    const places = new ConversationPlaces(storage);
    const first = turn();
    await places.set(first, 'position', AT_NORTHWIND);
    await places.set(first, 'recentAccounts', ['northwind']);
    await places.save(first);
    expect([storage.reads, storage.writes.length]).toEqual([1, 1]);

    const second = turn();
    expect(await places.get(second, 'position')).toEqual(AT_NORTHWIND);
    await places.set(second, 'position', { ...AT_NORTHWIND });
    await places.set(second, 'recentAccounts', ['northwind']);
    await places.save(second);
    expect([storage.reads, storage.writes.length]).toEqual([2, 1]);

    const untouched = turn();
    await places.save(untouched);
    expect([storage.reads, storage.writes.length]).toEqual([2, 1]);
  });

  it('writes a changed or deleted field once, last writer wins (eTag "*")', async () => {
    const storage = new CountingStorage();
    const places = new ConversationPlaces(storage);
    const first = turn();
    await places.set(first, 'noticeChat', 'chat-1');
    await places.save(first);
    await places.save(first);
    expect(storage.writes).toHaveLength(1);
    expect(Object.values(storage.writes[0]!)[0]).toMatchObject({ noticeChat: 'chat-1', eTag: '*' });

    const second = turn();
    await places.delete(second, 'noticeChat');
    await places.save(second);
    expect(storage.writes).toHaveLength(2);
    expect(await places.get(turn(), 'noticeChat')).toBeUndefined();
  });

  it('keeps each admin and each conversation apart', async () => {
    const places = new ConversationPlaces(new MemoryStorage());
    const alexHere = turn(activity('a:group', '29:alex'));
    await places.set(alexHere, 'position', AT_NORTHWIND);
    await places.save(alexHere);
    expect(await places.get(turn(activity('a:group', '29:megan')), 'position')).toBeUndefined();
    expect(await places.get(turn(activity('a:other', '29:alex')), 'position')).toBeUndefined();
    expect(await places.get(turn(activity('a:group', '29:alex')), 'position')).toEqual(AT_NORTHWIND);
  });

  it('tries the read again after it failed, and saves nothing for a turn whose read failed', async () => {
    const storage = new CountingStorage();
    let failing = true;
    const read = storage.read.bind(storage);
    storage.read = (keys) => (failing ? Promise.reject(new Error('storage unavailable')) : read(keys));
    const places = new ConversationPlaces(storage);
    const context = turn();
    await expect(places.get(context, 'position')).rejects.toThrow('storage unavailable');
    await places.save(context);
    expect(storage.writes).toHaveLength(0);
    failing = false;
    expect(await places.get(context, 'position')).toBeUndefined();
  });

  it('refuses an activity without the ids its key needs', () => {
    expect(() => ConversationPlaces.keyOf({ channelId: 'msteams', from: { id: 'x' } })).toThrow('missing activity.conversation.id');
  });
});
