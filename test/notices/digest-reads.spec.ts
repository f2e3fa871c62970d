import { MemoryStorage, type StoreItems } from 'botbuilder';
import type { ConversationReference } from 'botbuilder';
import { EmbeddedDirectory } from '../../src/directory/embedded/embedded-directory';
import { CardRenderer, type Card } from '../../src/teams/card-renderer';
import { NoticeSubscribers } from '../../src/teams/notice-subscribers';
import type { ProactiveSender } from '../../src/teams/proactive-sender';
import { digestId, TrialDigests } from '../../src/teams/trial-digests';
import { DEMO_FILE, MEGAN, TENANT } from '../support/directories';

/**
 * How often the digest timer reads the bot state: a tick reads an admin's items only when what
 * it read within the last `trialsMaxAgeMs` says the digest is due, and then reads them afresh, so
 * a change made on another instance still counts. On the demo directory Megan has a trial
 * ending within the week (Cobalt Software), so her digest is due at 08:00 UTC.
 */
class CountingStorage extends MemoryStorage {
  reads = 0;
  override read(keys: string[]): Promise<StoreItems> {
    this.reads += 1;
    return super.read(keys);
  }
}

const megan = { tenantId: TENANT, aadObjectId: MEGAN };
const reference: Partial<ConversationReference> = { serviceUrl: 'http://127.0.0.1:1', channelId: 'msteams', conversation: { id: 'megan-personal', conversationType: 'personal', isGroup: false, name: '' }, bot: { id: 'bot', name: 'Switchboard' } };
const at = (time: string) => Date.parse(`2026-12-02T${time}Z`);
const MINUTE = 60_000;

async function setUp() {
  const storage = new CountingStorage();
  const directory = await EmbeddedDirectory.open({ seedFile: DEMO_FILE });
  const subscribers = new NoticeSubscribers(storage);
  await subscribers.remember(megan, reference, 'UTC');
  const sent: { id: string; card: Card }[] = [];
  // The connector is not what is measured here: a sender that records what it is asked to send.
  const sender = { send: async (_to: Partial<ConversationReference>, id: string, card: Card) => (sent.push({ id, card }), true) } as unknown as ProactiveSender;
  const clock = { now: at('06:00:00') };
  const log = { info: () => undefined, warn: () => undefined, error: () => undefined };
  const digests = new TrialDigests({ directory, subscribers, renderer: new CardRenderer(), sender, log }, { tickMs: MINUTE, leaseMs: 2 * MINUTE, trialsMaxAgeMs: 10 * MINUTE, now: () => clock.now });
  return { storage, directory, subscribers, sent, clock, digests };
}

/** Ticks once a minute from the clock's time until `until`. */
async function tickEveryMinute(clock: { now: number }, digests: TrialDigests, until: number): Promise<void> {
  for (; clock.now <= until; clock.now += MINUTE) await digests.tick();
}

describe('the digest timer and the bot state', () => {
  it('reads an admin’s items once per ten minutes before the digest is due, not once a tick, and sends at 08:00 once', async () => {
    const { storage, sent, clock, digests, directory } = await setUp();
    storage.reads = 0;
    await digests.tick();
    const readers = storage.reads; // one read (preferences and chat together) per admin who may see a trial
    expect(readers).toBeGreaterThan(1);
    clock.now += MINUTE;
    await tickEveryMinute(clock, digests, at('07:59:00')); // 120 ticks in all
    expect(sent).toEqual([]);
    // Once per ten minutes for each of them: 12 reads each in two hours, not 120.
    expect(storage.reads).toBe(12 * readers);

    await tickEveryMinute(clock, digests, at('09:00:00'));
    expect(sent.map((s) => s.id)).toEqual([digestId(megan, '2026-12-02')]);
    await directory.close();
  });

  it('reads afresh before sending: a digest turned off on another instance is not sent', async () => {
    const { storage, sent, clock, digests, directory } = await setUp();
    await tickEveryMinute(clock, digests, at('07:55:00')); // what it read says: due at 08:00
    const otherInstance = new NoticeSubscribers(storage);
    await otherInstance.setPreferences(megan, { changeNotices: true, digest: false, digestAt: '08:00' });
    await tickEveryMinute(clock, digests, at('09:00:00'));
    expect(sent).toEqual([]);
    await directory.close();
  });

  it('takes a change made on this instance at the next tick', async () => {
    const { subscribers, sent, clock, digests, directory } = await setUp();
    await tickEveryMinute(clock, digests, at('06:03:00'));
    await subscribers.setPreferences(megan, { changeNotices: true, digest: true, digestAt: '06:05' });
    await tickEveryMinute(clock, digests, at('06:05:00'));
    expect(sent.map((s) => s.id)).toEqual([digestId(megan, '2026-12-02')]);
    await directory.close();
  });
});
