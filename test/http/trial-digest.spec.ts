import { loadConfig } from '../../src/config';
import { startServer, type RunningServer } from '../../src/server';
import { digestId } from '../../src/teams/trial-digests';
import { BotClient, textOf } from '../support/bot-client';
import { startConnectorStandIn, type ConnectorStandIn } from '../support/connector-stand-in';
import { DEMO_FILE, MEGAN, TENANT, tempDir } from '../support/directories';
import { acceptedSends, installActivity, sentCardText, waitFor } from '../support/notices';

/**
 * The daily trial digest over real HTTP with the Bot Connector stand-in, the clock frozen: on
 * the demo directory Megan (Tailspin) hears of Cobalt Software's trial ending in three days,
 * at 08:00 her time, once, also across a restart.
 */
const megan = { aadObjectId: MEGAN };

describe('trial digest over HTTP with the Bot Connector stand-in', () => {
  let standIn: ConnectorStandIn;
  let server: RunningServer;
  let clock = Date.parse('2026-12-02T07:59:00Z');
  const dataDir = tempDir();
  const start = () =>
    startServer(loadConfig({ NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', DIRECTORY_FILE: DEMO_FILE, DATA_DIR: dataDir, LOG_LEVEL: 'silent', INSECURE_UNAUTHENTICATED_LOOPBACK: 'true', DIGEST_TICK_MS: '100' }), {
      digests: { now: () => clock },
      delivery: { baseDelayMs: 20, maxDelayMs: 100, conversationGapMs: 20 },
    });

  beforeAll(async () => {
    standIn = await startConnectorStandIn();
    server = await start();
  });
  afterAll(async () => {
    await server?.close();
    await standIn?.close();
  });

  it('sends Megan one digest at 08:00 UTC naming the trial that ends in three days, and not again after a restart', async () => {
    const chat = BotClient.attach(server).withServiceUrl(standIn.url);
    expect((await chat.post(installActivity(standIn, megan, chat.conversationId))).status).toBe(200);
    await new Promise((r) => setTimeout(r, 500));
    expect(acceptedSends(standIn, chat.conversationId)).toEqual([]); // 07:59: not yet

    clock = Date.parse('2026-12-02T08:00:30Z');
    await waitFor('Megan’s digest', () => acceptedSends(standIn, chat.conversationId).length > 0);
    const [sent] = acceptedSends(standIn, chat.conversationId);
    expect(sent!.body.id).toBe(digestId({ tenantId: TENANT, aadObjectId: MEGAN }, '2026-12-02'));
    const text = sentCardText(sent!);
    expect(text).toContain('Cobalt Software');
    expect(text).toContain('ends in 3 days');
    expect(text).toContain('Dunmore Plumbing');
    expect(text).not.toContain('Northwind'); // above her scope
    expect(text).not.toContain('Northgate'); // outside her tree

    await server.close();
    server = await start();
    await new Promise((r) => setTimeout(r, 800));
    expect(acceptedSends(standIn, chat.conversationId)).toHaveLength(1);

    // Asked for, it comes again at once, as a message of its own.
    const again = BotClient.attach(server).withServiceUrl(standIn.url).inConversation(chat.conversationId);
    const [reply] = await again.say(megan, 'notices digest now');
    expect(textOf(reply!)).toContain('Your trial digest is in your personal chat');
    await waitFor('the digest asked for', () => acceptedSends(standIn, chat.conversationId).length === 2);
    const [, asked] = acceptedSends(standIn, chat.conversationId);
    expect(asked!.body.id).not.toBe(sent!.body.id);
    expect(sentCardText(asked!)).toContain('Cobalt Software');
  }, 30_000);
});
