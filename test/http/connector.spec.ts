import { randomUUID } from 'node:crypto';
import { PasswordServiceClientCredentialFactory, type ServiceClientCredentials } from 'botframework-connector';
import { BotClient, click, textOf } from '../support/bot-client';
import { startConnectorStandIn, type ConnectorFault, type ConnectorStandIn } from '../support/connector-stand-in';
import { ALEX } from '../support/directories';
import { startChannelAuthority, type ChannelAuthority } from '../support/jwt';
import { startLoggedServer, type LoggedServer } from '../support/logged-server';

/**
 * The Submit path's connector side: a press updates its card in place through serviceUrl; when
 * the connector will not update it, a new card goes out and the failure is logged; and in
 * authenticated mode the bot calls the connector with its own credentials, only at the
 * serviceUrl the channel token was issued for.
 */
const alex = { aadObjectId: ALEX };
const UPDATE_FAILED = 'could not update the card in place; sending a new card';

describe('Submit presses and the Bot Connector (test mode, unauthenticated loopback)', () => {
  let standIn: ConnectorStandIn;
  let logged: LoggedServer;
  let bot: BotClient;
  beforeAll(async () => {
    standIn = await startConnectorStandIn();
    logged = await startLoggedServer({ CARD_ACTIONS: 'submit', DATA_DIR: 'none' });
    bot = BotClient.attach(logged.server, standIn);
  });
  afterAll(async () => {
    await logged?.close();
    await standIn?.close();
  });

  it('updates the pressed card in place with no credentials, and answers typed text replying to a card with a new card', async () => {
    const [where] = await bot.say(alex, 'where am i');
    const first = standIn.calls.at(-1)!;
    expect(first).toMatchObject({ route: 'reply', status: 201 });
    // No app id: botbuilder's empty credentials send no Authorization header to a loopback serviceUrl.
    expect(first.authorization).toBeUndefined();
    const tree = await click(bot, alex, where!, /^Sub accounts/);
    expect(textOf(tree)).toContain('Sub accounts of Northwind Voice');
    expect(standIn.calls.at(-1)).toMatchObject({ route: 'update', activityId: first.issuedId, status: 200 });
    expect(textOf(standIn.activity(bot.conversationId, first.issuedId!).attachments[0].content)).toContain('Sub accounts of Northwind Voice');

    // A typed message that replies to the card (a reply in a thread) is a command, not a press.
    const cards = await bot.deliver(bot.activity(alex, { type: 'message', text: 'home', replyToId: first.issuedId }));
    expect(textOf(cards[0]!)).toContain('Account id: northwind');
    expect(standIn.calls.at(-1)).toMatchObject({ route: 'reply', status: 201 });
  });

  const fallbacks: [string, ConnectorFault, number][] = [
    ['404 (the card was deleted)', { status: 404 }, 1],
    ['403', { status: 403 }, 1],
    // botframework-connector retries 5xx and network errors three times before giving up.
    ['503, four times', { status: 503 }, 4],
    ['a reset connection, four times', 'reset', 4],
  ];
  it.each(fallbacks)('sends a new card when the connector answers the update with %s, and logs it', async (_what, fault, times) => {
    await bot.say(alex, 'where am i');
    const cardId = standIn.calls.at(-1)!.issuedId!;
    standIn.failNext(times, fault);
    const before = standIn.calls.length;
    const activity = bot.activity(alex, { type: 'message', value: { verb: 'accounts' }, replyToId: cardId });
    const cards = await bot.deliver(activity);
    expect(textOf(cards[0]!)).toContain('Sub accounts of Northwind Voice');
    const calls = standIn.calls.slice(before);
    expect(calls.map((c) => c.route)).toEqual([...Array<string>(times).fill('update'), 'reply']);
    expect(calls.at(-1)!.status).toBe(201);
    expect(textOf(standIn.activity(bot.conversationId, cardId).attachments[0].content)).toContain('Account id: northwind'); // the old card is left as it was
    const warning = logged.records().find((r) => r.msg === UPDATE_FAILED && r.correlationId === activity.id);
    expect(warning).toMatchObject({ level: 40, err: { type: expect.any(String), message: expect.any(String) } });
    expect(JSON.stringify(warning)).not.toMatch(/authorization|Bearer/i);
  }, 30_000);

  it('sends each conversation’s cards to its own serviceUrl, turn after turn, though connector clients are reused', async () => {
    // Two regions' connectors: the clients kept between turns are per serviceUrl.
    const other = await startConnectorStandIn();
    try {
      const elsewhere = BotClient.attach(logged.server, other);
      for (let round = 0; round < 3; round++) {
        const here = standIn.calls.length;
        const there = other.calls.length;
        await bot.say(alex, 'where am i');
        await elsewhere.say(alex, 'where am i');
        expect(standIn.calls.slice(here).map((c) => [c.route, c.conversationId])).toEqual([['reply', bot.conversationId]]);
        expect(other.calls.slice(there).map((c) => [c.route, c.conversationId])).toEqual([['reply', elsewhere.conversationId]]);
      }
    } finally {
      await other.close();
    }
  });

  it('updates in place after one 503 or 429 with Retry-After, which the connector client retries', async () => {
    for (const fault of [{ status: 503 }, { status: 429, retryAfterSeconds: 1 }] as const) {
      const [where] = await bot.say(alex, 'where am i');
      standIn.failNext(1, fault);
      const before = standIn.calls.length;
      await click(bot, alex, where!, /^Sub accounts/);
      expect(standIn.calls.slice(before).map((c) => `${c.route} ${c.status}`)).toEqual([`update ${fault.status}`, 'update 200']);
    }
  }, 30_000);
});

describe('the Bot Connector stand-in', () => {
  let standIn: ConnectorStandIn;
  beforeAll(async () => {
    standIn = await startConnectorStandIn();
  });
  afterAll(() => standIn?.close());

  const call = (method: string, path: string, body: unknown) =>
    fetch(new URL(path, standIn.url), { method, headers: { 'content-type': 'application/json', authorization: 'Bearer t' }, body: JSON.stringify(body) });

  it('creates conversations, sends, replies and updates with ids like the real service, recording each call', async () => {
    const created = await call('POST', 'v3/conversations', { isGroup: false, members: [{ id: '29:x' }], tenantId: 't', activity: { type: 'message', text: 'hi' } });
    expect(created.status).toBe(201);
    const { id: conversationId, activityId, serviceUrl } = (await created.json()) as { id: string; activityId: string; serviceUrl: string };
    expect({ conversationId, activityId, serviceUrl }).toEqual({ conversationId: expect.stringMatching(/^a:/), activityId: expect.stringMatching(/^\d{13}$/), serviceUrl: standIn.url });
    const path = `v3/conversations/${encodeURIComponent(conversationId)}/activities`;
    const sent = (await (await call('POST', path, { type: 'message', text: 'one' })).json()) as { id: string };
    const replied = (await (await call('POST', `${path}/${sent.id}`, { type: 'message', text: 'two' })).json()) as { id: string };
    expect(Number(replied.id)).toBeGreaterThan(Number(sent.id));
    expect((await call('PUT', `${path}/${sent.id}`, { type: 'message', text: 'one, edited' })).status).toBe(200);
    expect(standIn.activity(conversationId, sent.id)).toEqual({ type: 'message', text: 'one, edited' });
    expect((await call('PUT', `${path}/1234`, { type: 'message' })).status).toBe(404);
    expect(standIn.calls.map((c) => [c.route, c.conversationId, c.status, c.authorization])).toEqual([
      ['create', conversationId, 201, 'Bearer t'],
      ['send', conversationId, 201, 'Bearer t'],
      ['reply', conversationId, 201, 'Bearer t'],
      ['update', conversationId, 200, 'Bearer t'],
      ['update', conversationId, 404, 'Bearer t'],
    ]);
  });

  it('fails the next calls as told: 429 with Retry-After, 503, then answers again', async () => {
    standIn.failNext(1, { status: 429, retryAfterSeconds: 2 });
    standIn.failNext(1, { status: 503 });
    const throttled = await call('POST', 'v3/conversations/c/activities', { type: 'message' });
    expect([throttled.status, throttled.headers.get('retry-after')]).toEqual([429, '2']);
    expect((await call('POST', 'v3/conversations/c/activities', { type: 'message' })).status).toBe(503);
    expect((await call('POST', 'v3/conversations/c/activities', { type: 'message' })).status).toBe(201);
  });
});

/**
 * Outbound credentials for the stand-in: botbuilder's password factory for every check it makes
 * of inbound tokens, but a bearer token of our own going out, since MSAL only talks to https
 * authorities. What production sends is the same header, with a token from Entra ID.
 */
class StandInCredentials extends PasswordServiceClientCredentialFactory {
  readonly issued: string[] = [];
  override async createCredentials(appId: string): Promise<ServiceClientCredentials> {
    if (!(await this.isValidAppId(appId))) throw new Error('Invalid appId.');
    const token = `outbound-${appId}-${randomUUID()}`;
    this.issued.push(token);
    return {
      async signRequest(request) {
        request.headers.set('authorization', `Bearer ${token}`);
        return request;
      },
    };
  }
}

describe('Submit presses in authenticated mode', () => {
  const APP_ID = randomUUID();
  const BOT_TENANT = randomUUID();
  let authority: ChannelAuthority;
  let standIn: ConnectorStandIn;
  let logged: LoggedServer;
  let credentials: StandInCredentials;
  let consoleError: jest.SpyInstance;

  beforeAll(async () => {
    consoleError = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    authority = await startChannelAuthority();
    standIn = await startConnectorStandIn();
    const password = `dummy-${randomUUID()}`;
    credentials = new StandInCredentials(APP_ID, password, BOT_TENANT);
    logged = await startLoggedServer(
      {
        MicrosoftAppId: APP_ID,
        MicrosoftAppType: 'SingleTenant',
        MicrosoftAppTenantId: BOT_TENANT,
        MicrosoftAppPassword: password,
        ToBotFromChannelOpenIdMetadataUrl: authority.metadataUrl,
        ToBotFromChannelTokenIssuer: authority.issuer,
        CARD_ACTIONS: 'submit',
        DATA_DIR: 'none',
      },
      'info',
      { connectorCredentials: credentials },
    );
  });
  afterAll(async () => {
    await logged?.close();
    await standIn?.close();
    await authority?.close();
    consoleError.mockRestore();
  });

  const teams = BotClient.attach;
  const bearer = (serviceUrl: string) => ({ authorization: `Bearer ${authority.token(APP_ID, serviceUrl)}` });

  it('calls the connector with the bot’s own credentials, replying and then updating in place', async () => {
    const bot = teams(logged.server, standIn);
    const say = bot.activity(alex, { type: 'message', text: 'where am i' });
    expect((await logged.post(say, bearer(standIn.url))).status).toBe(200);
    const reply = standIn.calls.at(-1)!;
    expect(reply).toMatchObject({ route: 'reply', activityId: say.id, status: 201 });
    expect(credentials.issued.map((token) => `Bearer ${token}`)).toContain(reply.authorization);

    const press = bot.activity(alex, { type: 'message', value: { verb: 'accounts' }, replyToId: reply.issuedId });
    expect((await logged.post(press, bearer(standIn.url))).status).toBe(200);
    expect(standIn.calls.at(-1)).toMatchObject({ route: 'update', activityId: reply.issuedId, status: 200, authorization: expect.stringMatching(/^Bearer outbound-/) });
    expect(textOf(standIn.activity(bot.conversationId, reply.issuedId!).attachments[0].content)).toContain('Sub accounts of Northwind Voice');
  });

  it('never calls a serviceUrl the channel token was not issued for', async () => {
    const bot = teams(logged.server, standIn);
    const before = standIn.calls.length;
    const press = bot.activity(alex, { type: 'message', value: { verb: 'accounts' }, replyToId: '1700000000000' });
    expect((await logged.post(press, bearer('https://smba.trafficmanager.net/teams/'))).status).toBe(401);
    expect(standIn.calls.length).toBe(before);
  });
});
