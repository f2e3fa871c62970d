import { loadConfig } from '../../src/config';
import { startServer, type RunningServer } from '../../src/server';
import { digestId } from '../../src/teams/trial-digests';
import { BotClient, textOf, type Card, type Person } from '../support/bot-client';
import { startConnectorStandIn, type ConnectorStandIn } from '../support/connector-stand-in';
import { ADELE, ALEX, DEMO_FILE, MEGAN, TENANT, tempDir } from '../support/directories';
import { acceptedSends, installActivity, sentCardText, waitFor } from '../support/notices';

/**
 * The digest in each admin's own time zone, and an admin's "no digest" kept across restarts:
 * over real HTTP with the Bot Connector stand-in on the demo directory, the clock frozen.
 * Cobalt Software's trial ends on 2026-12-05.
 */
const alex: Person = { aadObjectId: ALEX };
const adele: Person = { aadObjectId: ADELE };
const megan: Person = { aadObjectId: MEGAN };
/** Long enough for several ticks (100 ms) to have looked and sent nothing. */
const QUIET_MS = 800;
const quiet = () => new Promise((r) => setTimeout(r, QUIET_MS));

/** A server on its own data folder whose clock the test sets; restartable on the same folder. */
function digestServer(standIn: () => ConnectorStandIn) {
  const dataDir = tempDir();
  const state = { clock: 0, server: undefined as RunningServer | undefined };
  const start = async (): Promise<RunningServer> => {
    await state.server?.close();
    state.server = await startServer(
      loadConfig({ NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', DIRECTORY_FILE: DEMO_FILE, DATA_DIR: dataDir, LOG_LEVEL: 'silent', INSECURE_UNAUTHENTICATED_LOOPBACK: 'true', DIGEST_TICK_MS: '100' }),
      { digests: { now: () => state.clock }, delivery: { baseDelayMs: 20, maxDelayMs: 100, conversationGapMs: 20 } },
    );
    return state.server;
  };
  /** `person`'s personal chat on the running server, through the stand-in. */
  const chatOf = (conversationId?: string) => {
    const chat = BotClient.attach(state.server!).withServiceUrl(standIn().url);
    return conversationId ? chat.inConversation(conversationId) : chat;
  };
  return { state, start, chatOf, close: () => state.server?.close() };
}

/** A personal message naming the sender's time zone, as the Teams clients send it. */
async function sayFrom(chat: BotClient, person: Person, timeZone: string, text: string): Promise<Card[]> {
  return chat.deliver(chat.activity(person, { type: 'message', text, localTimezone: timeZone }));
}

describe('the trial digest in time zones and with notices switched off', () => {
  let standIn: ConnectorStandIn;
  beforeAll(async () => {
    standIn = await startConnectorStandIn();
  });
  afterAll(async () => {
    await standIn?.close();
  });

  it('comes at 08:00 in each admin’s own time zone, for their own date', async () => {
    const bot = digestServer(() => standIn);
    try {
      bot.state.clock = Date.parse('2026-12-01T15:59:00Z'); // Los Angeles 07:59 on the 1st, Auckland 04:59 on the 2nd
      await bot.start();
      const alexChat = bot.chatOf();
      const adeleChat = bot.chatOf();
      await sayFrom(alexChat, alex, 'America/Los_Angeles', 'notices');
      await sayFrom(adeleChat, adele, 'Pacific/Auckland', 'notices');
      await quiet();
      expect(acceptedSends(standIn, alexChat.conversationId)).toEqual([]);
      expect(acceptedSends(standIn, adeleChat.conversationId)).toEqual([]);

      bot.state.clock = Date.parse('2026-12-01T16:00:30Z'); // 08:00 in Los Angeles, 05:00 in Auckland
      await waitFor('Alex’s digest', () => acceptedSends(standIn, alexChat.conversationId).length > 0);
      const [alexDigest] = acceptedSends(standIn, alexChat.conversationId);
      expect(alexDigest!.body.id).toBe(digestId({ tenantId: TENANT, aadObjectId: ALEX }, '2026-12-01'));
      expect(sentCardText(alexDigest!)).toContain('ends in 4 days');
      await quiet();
      expect(acceptedSends(standIn, adeleChat.conversationId)).toEqual([]);

      bot.state.clock = Date.parse('2026-12-01T19:00:30Z'); // 08:00 on the 2nd in Auckland
      await waitFor('Adele’s digest', () => acceptedSends(standIn, adeleChat.conversationId).length > 0);
      const [adeleDigest] = acceptedSends(standIn, adeleChat.conversationId);
      expect(adeleDigest!.body.id).toBe(digestId({ tenantId: TENANT, aadObjectId: ADELE }, '2026-12-02'));
      const text = sentCardText(adeleDigest!);
      expect(text).toContain('Cobalt Software');
      expect(text).toContain('ends in 3 days');
      await quiet();
      expect(acceptedSends(standIn, alexChat.conversationId)).toHaveLength(1); // his day is done
      expect(acceptedSends(standIn, adeleChat.conversationId)).toHaveLength(1);

      // The notices card says when, in which zone.
      const [card] = await sayFrom(adeleChat, adele, 'Pacific/Auckland', 'notices');
      expect(textOf(card!)).toContain('Pacific/Auckland');
    } finally {
      await bot.close();
    }
  }, 30_000);

  it.each([
    ['notices off', 'notices on'],
    ['notices digest off', 'notices digest on'],
  ])('sends nothing after “%s”, across restarts, and the day’s digest once it is switched back on', async (off, on) => {
    const bot = digestServer(() => standIn);
    try {
      bot.state.clock = Date.parse('2026-12-02T07:00:00Z');
      await bot.start();
      const chat = bot.chatOf();
      expect((await chat.post(installActivity(standIn, megan, chat.conversationId))).status).toBe(200);
      const [saved] = await chat.say(megan, off);
      expect(textOf(saved!)).toMatch(/Notices are off|Saved/);

      await bot.start(); // a restart on the same data folder
      bot.state.clock = Date.parse('2026-12-02T08:00:30Z');
      await quiet();
      await bot.start(); // and another, at the digest's time
      await quiet();
      expect(acceptedSends(standIn, chat.conversationId)).toEqual([]);

      const [back] = await bot.chatOf(chat.conversationId).say(megan, on);
      expect(textOf(back!)).toContain('Saved');
      await waitFor('the day’s digest', () => acceptedSends(standIn, chat.conversationId).length > 0);
      const [digest] = acceptedSends(standIn, chat.conversationId);
      expect(digest!.body.id).toBe(digestId({ tenantId: TENANT, aadObjectId: MEGAN }, '2026-12-02'));
    } finally {
      await bot.close();
    }
  }, 30_000);
});
