import { loadConfig } from '../../src/config';
import { startServer, type RunningServer } from '../../src/server';
import type { DeliveryOptions } from '../../src/teams/notice-deliverer';
import { BotClient, CARD_MODES, action, actionsOf, click, textOf, type Card, type CardMode } from '../support/bot-client';
import { startConnectorStandIn, type ConnectorStandIn } from '../support/connector-stand-in';
import { ADELE, ALEX, DEMO_FILE, ISAIAH, LYNNE, MEGAN, tempDir } from '../support/directories';
import { acceptedSends, changeAs, installActivity, waitFor } from '../support/notices';

const alex = { aadObjectId: ALEX };
const megan = { aadObjectId: MEGAN };
const adele = { aadObjectId: ADELE };
const isaiah = { aadObjectId: ISAIAH };

/** Short waits: the deliverer retries after tens of milliseconds, not seconds. */
const FAST_DELIVERY = { baseDelayMs: 20, maxDelayMs: 100, conversationGapMs: 20 };

async function start(mode: CardMode, dataDir: string, delivery: Partial<DeliveryOptions> = {}): Promise<RunningServer> {
  const config = loadConfig({ NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', DIRECTORY_FILE: DEMO_FILE, DATA_DIR: dataDir, LOG_LEVEL: process.env.NOTICE_TEST_LOG ?? 'silent', INSECURE_UNAUTHENTICATED_LOOPBACK: 'true', CARD_ACTIONS: mode, NOTICE_POLL_MS: '100' });
  return startServer(config, { delivery: { ...FAST_DELIVERY, ...delivery } });
}

describe.each(CARD_MODES)('change notices over HTTP with the Bot Connector stand-in (%s buttons)', (mode) => {
  let standIn: ConnectorStandIn;
  let server: RunningServer;
  let dataDir: string;
  /** Alex acts in his own chat; everyone else has installed the app in personal scope. */
  let alexChat: BotClient;
  let chats: Record<'megan' | 'adele' | 'isaiah' | 'alex', BotClient>;

  /** A personal chat reached through the stand-in, whose buttons are the mode's. */
  const chatOf = (running: RunningServer, conversationId?: string): BotClient => {
    const client = (mode === 'submit' ? BotClient.attach(running, standIn) : BotClient.attach(running).withServiceUrl(standIn.url));
    return conversationId ? client.inConversation(conversationId) : client;
  };

  beforeEach(async () => {
    standIn = await startConnectorStandIn();
    dataDir = tempDir();
    server = await start(mode, dataDir);
    alexChat = mode === 'submit' ? BotClient.attach(server, standIn) : BotClient.attach(server);
    chats = { megan: chatOf(server), adele: chatOf(server), isaiah: chatOf(server), alex: chatOf(server) };
    for (const [who, person] of [['megan', megan], ['adele', adele], ['isaiah', isaiah], ['alex', alex]] as const) {
      const { status } = await chats[who].post(installActivity(standIn, person, chats[who].conversationId));
      expect(status).toBe(200);
    }
  });
  afterEach(async () => {
    await server?.close();
    await standIn?.close();
  });

  it('tells Megan (reseller admin) when Alex changes one of her customers, once, from her own scope, with Open and History; nobody else hears of it', async () => {
    const { noticeIdFor } = await changeAs(alexChat, alex, 'ashdown-freight', 'T2TU80', 130);
    await waitFor('Megan’s notice', () => acceptedSends(standIn, chats.megan.conversationId).length > 0, 10_000, () => JSON.stringify(standIn.calls.map((c) => [c.route, c.conversationId, c.status, c.body?.id])));
    await new Promise((r) => setTimeout(r, 300)); // time for a second send, were there one

    const sent = acceptedSends(standIn, chats.megan.conversationId);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.body.id).toBe(noticeIdFor(megan));
    const card: Card = sent[0]!.body.attachments[0].content;
    const text = textOf(card);
    expect(text).toContain('Subscriptions changed');
    expect(text).toContain('Tailspin Networks > Ashdown Freight Ltd');
    expect(text).not.toContain('Northwind'); // above her scope
    expect(text).toMatch(/\(T2TU80\): 120 → 130/);
    expect(text).toContain('Monthly difference:');
    expect(text).toContain('By Alex Wilber');
    expect(actionsOf(card).map((a) => a.title)).toEqual(expect.arrayContaining(['Open', 'History']));
    expect(action(card, 'Open').type).toBe(mode === 'submit' ? 'Action.Submit' : 'Action.Execute');

    // The actor, a Subscription Viewer above it and an admin of another customer get nothing.
    for (const who of ['alex', 'adele', 'isaiah'] as const) expect(acceptedSends(standIn, chats[who].conversationId)).toEqual([]);

    // Her buttons work as hers: the card was delivered through the connector, so she can press on it.
    const meganChat = chats.megan;
    if (mode === 'submit') (meganChat as unknown as { connectorSide: { remember(c: string, card: Card, id: string): void } }).connectorSide.remember(meganChat.conversationId, card, sent[0]!.issuedId!);
    const opened = await click(meganChat, megan, card, 'Open');
    expect(textOf(opened)).toContain('Path: Tailspin Networks > Ashdown Freight Ltd');
    const history = await click(meganChat, megan, card, 'History');
    expect(textOf(history)).toContain('Alex Wilber');
  });

  it('tells Megan when Alex turns an offer on on her reseller: what was turned on, and no monthly difference', async () => {
    await alexChat.say(alex, 'open tailspin');
    const [review] = await alexChat.say(alex, 'offer C2TU250 on');
    expect(textOf(await click(alexChat, alex, review!, 'Update offers'))).toContain('Call2Teams PBX User (250+ volume)');
    await waitFor('Megan’s notice', () => acceptedSends(standIn, chats.megan.conversationId).length > 0);
    const sent = acceptedSends(standIn, chats.megan.conversationId);
    expect(sent).toHaveLength(1);
    const text = textOf(sent[0]!.body.attachments[0].content);
    expect(text).toContain('Offers changed');
    expect(text).toContain('Call2Teams PBX User (250+ volume) (C2TU250): turned on');
    expect(text).toContain('Tailspin Networks');
    expect(text).not.toContain('Northwind');
    expect(text).not.toContain('Monthly difference');
    for (const who of ['alex', 'adele', 'isaiah'] as const) expect(acceptedSends(standIn, chats[who].conversationId)).toEqual([]);
  });

  it('sends nothing to an admin who typed notices off, also after a restart, and again once they turn it on', async () => {
    const [card] = await chats.megan.say(megan, 'notices off');
    expect(textOf(card!)).toContain('Notices are off');
    expect(textOf(card!)).toContain('Change notices: Off');

    await server.close();
    server = await start(mode, dataDir);
    alexChat = mode === 'submit' ? BotClient.attach(server, standIn) : BotClient.attach(server);
    const meganChat = chatOf(server, chats.megan.conversationId);
    expect(textOf((await meganChat.say(megan, 'notices'))[0]!)).toContain('Change notices: Off');

    await changeAs(alexChat, alex, 'ashdown-freight', 'T2TU80', 131);
    await new Promise((r) => setTimeout(r, 500));
    expect(acceptedSends(standIn, meganChat.conversationId)).toEqual([]);

    expect(textOf((await meganChat.say(megan, 'notices on'))[0]!)).toContain('Change notices: On');
    const { noticeIdFor } = await changeAs(alexChat, alex, 'ashdown-freight', 'T2TU80', 132);
    await waitFor('Megan’s notice', () => acceptedSends(standIn, meganChat.conversationId).length > 0);
    expect(acceptedSends(standIn, meganChat.conversationId).map((c) => c.body.id)).toEqual([noticeIdFor(megan)]);
  });

  it('never sends to a group chat: an admin who only wrote in one gets nothing until they write in their personal chat', async () => {
    const lynne = { aadObjectId: LYNNE }; // Subscription Contributor on Hartley & Co Solicitors
    const group = chatOf(server).inConversation(`19:group-${mode}`, 'groupChat');
    await group.say(lynne, 'help');
    await changeAs(alexChat, alex, 'hartley-solicitors', 'C2TU1', 40);
    await new Promise((r) => setTimeout(r, 500));
    expect(standIn.calls.filter((c) => c.route === 'send')).toEqual([]);

    const personal = chatOf(server);
    await personal.say(lynne, 'help');
    const { noticeIdFor } = await changeAs(alexChat, alex, 'hartley-solicitors', 'C2TU1', 41);
    await waitFor('Lynne’s notice', () => acceptedSends(standIn, personal.conversationId).length > 0);
    expect(standIn.calls.filter((c) => c.route === 'send').map((c) => [c.conversationId, c.body.id])).toEqual([[personal.conversationId, noticeIdFor(lynne)]]);
  });

  it('sends nothing after an uninstall', async () => {
    await chats.megan.post(installActivity(standIn, megan, chats.megan.conversationId, 'remove'));
    await changeAs(alexChat, alex, 'ashdown-freight', 'T2TU80', 133);
    await new Promise((r) => setTimeout(r, 500));
    expect(acceptedSends(standIn, chats.megan.conversationId)).toEqual([]);
  });

  // How delivery stops and resumes does not depend on the card mode: run once.
  (mode === 'execute' ? it : it.skip)('stops within seconds while the connector keeps failing, and sends the notice once it is back, after the restart', async () => {
    standIn.failNext(1000, { status: 503 }, chats.megan.conversationId);
    const { noticeIdFor } = await changeAs(alexChat, alex, 'ashdown-freight', 'T2TU80', 136);
    await waitFor('a failed send', () => standIn.calls.some((c) => c.conversationId === chats.megan.conversationId && c.status === 503));
    const closing = Date.now();
    await server.close();
    expect(Date.now() - closing).toBeLessThan(5_000);

    // Nothing more leaves the stopped server: not its own retries, nor the connector client's
    // (which would otherwise go on for seconds and, once the connector is back, land a second copy).
    const callsAtStop = standIn.calls.length;
    await new Promise((r) => setTimeout(r, 4_000));
    expect(standIn.calls.length).toBe(callsAtStop);
    standIn.clearFaults();
    server = await start(mode, dataDir);
    await waitFor('Megan’s notice', () => acceptedSends(standIn, chats.megan.conversationId).length > 0, 15_000, () => JSON.stringify(standIn.calls.map((c) => [c.route, c.conversationId, c.status, c.body?.id])));
    await new Promise((r) => setTimeout(r, 300));
    expect(acceptedSends(standIn, chats.megan.conversationId).map((c) => c.body.id)).toEqual([noticeIdFor(megan)]);
  }, 60_000);

  (mode === 'execute' ? it : it.skip)('keeps a notice the connector failed through every retry, and sends it once at a later claim', async () => {
    // One attempt of our own and a short lease: the connector client's retries alone run out.
    await server.close();
    server = await start(mode, dataDir, { attempts: 1, leaseMs: 1_000 });
    const alexAgain = BotClient.attach(server).inConversation(alexChat.conversationId);
    const failures = 4; // more than the connector client retries one send
    standIn.failNext(failures, { status: 503 }, chats.megan.conversationId);
    const { noticeIdFor } = await changeAs(alexAgain, alex, 'ashdown-freight', 'T2TU80', 137);
    await waitFor('Megan’s notice', () => acceptedSends(standIn, chats.megan.conversationId).length > 0, 30_000);
    await new Promise((r) => setTimeout(r, 300));
    const toMegan = standIn.calls.filter((c) => c.conversationId === chats.megan.conversationId);
    expect(toMegan.map((c) => c.status)).toEqual([...Array<number>(failures).fill(503), 201]);
    expect(acceptedSends(standIn, chats.megan.conversationId).map((c) => c.body.id)).toEqual([noticeIdFor(megan)]);
  }, 45_000);

  it('retries a 429 (honouring Retry-After) and a 503 from the connector and delivers once', async () => {
    for (const fault of [{ status: 429, retryAfterSeconds: 1 }, { status: 503 }] as const) {
      standIn.clearCalls();
      standIn.failNext(1, fault, chats.megan.conversationId);
      const { noticeIdFor } = await changeAs(alexChat, alex, 'ashdown-freight', 'T2TU80', fault.status === 429 ? 134 : 135);
      await waitFor('Megan’s notice', () => acceptedSends(standIn, chats.megan.conversationId).length > 0, 10_000, () => JSON.stringify(standIn.calls.map((c) => [c.route, c.conversationId, c.status, c.body?.id])));
      await new Promise((r) => setTimeout(r, 300));
      const toMegan = standIn.calls.filter((c) => c.conversationId === chats.megan.conversationId);
      expect(toMegan.map((c) => `${c.route} ${c.status} ${c.body?.id}`)).toEqual([`send ${fault.status} ${noticeIdFor(megan)}`, `send 201 ${noticeIdFor(megan)}`]);
    }
  }, 20_000);
});
