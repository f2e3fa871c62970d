import { randomUUID } from 'node:crypto';
import { cardsOf, textOf } from '../support/bot-client';
import { startChildServer, type ChildServer } from '../support/child-server';
import { ALEX, DEMO_FILE, tempDir } from '../support/directories';
import { newSigningKey, signJwt, startChannelAuthority, type ChannelAuthority } from '../support/jwt';
import { SERVICE_URL, startLoggedServer, teamsActivity, type LoggedServer } from '../support/logged-server';

/**
 * Observability: one JSON log line per turn with a correlation id, the activity type, the verb
 * and the latency; never a token, a secret, the text typed, card data, or personal data beyond ids.
 * The server runs authenticated (tokens signed by the test) so that a real Authorization header
 * and a real app password are in play.
 */
const APP_ID = randomUUID();
const PASSWORD = `app-password-${randomUUID()}`;
const TYPED = `zebra${randomUUID().slice(0, 8)}`;
const CARD_DATA = `carddata-${randomUUID()}`;
const alex = { aadObjectId: ALEX };

describe('turn logs', () => {
  let authority: ChannelAuthority;
  let bot: LoggedServer;
  const tokens: string[] = [];
  const ids: Record<string, string> = {};
  let consoleError: jest.SpyInstance;

  beforeAll(async () => {
    consoleError = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    authority = await startChannelAuthority();
    bot = await startLoggedServer({
      MicrosoftAppId: APP_ID,
      MicrosoftAppType: 'SingleTenant',
      MicrosoftAppTenantId: randomUUID(),
      MicrosoftAppPassword: PASSWORD,
      ToBotFromChannelOpenIdMetadataUrl: authority.metadataUrl,
      ToBotFromChannelTokenIssuer: authority.issuer,
    });
    const conversationId = `conv-${randomUUID()}`;
    const send = async (label: string, fields: Record<string, unknown>, token = authority.token(APP_ID, SERVICE_URL)) => {
      tokens.push(token);
      const activity = teamsActivity(alex, conversationId, fields);
      ids[label] = String(activity.id);
      return bot.post(activity, { authorization: `Bearer ${token}` });
    };
    const execute = (verb: string, data: Record<string, unknown>) => ({
      type: 'invoke',
      name: 'adaptiveCard/action',
      value: { action: { type: 'Action.Execute', verb, data } },
      deliveryMode: undefined,
    });

    expect((await send('welcome', { type: 'conversationUpdate', membersAdded: [{ id: '28:switchboard' }] })).status).toBe(200);
    const found = await send('typed', { type: 'message', text: `find ${TYPED}` });
    expect(textOf(cardsOf(found.body)[0]!)).toContain(TYPED); // the bot saw it; the log must not
    expect((await send('invoke', execute('open', { accountId: 'tailspin', note: CARD_DATA }))).status).toBe(200);
    const forged = await send('forged', execute('open', { accountId: 'contoso', note: CARD_DATA }));
    expect(textOf(forged.body.value)).toContain('Account not found');
    expect((await send('submit', { type: 'message', value: { verb: 'home', note: CARD_DATA } })).status).toBe(200);
    expect((await send('malformed', execute('__proto__', { note: CARD_DATA }))).status).toBe(200);
    // Rejected requests: a forged token and an expired one.
    const forgedToken = signJwt(authority.claims(APP_ID, SERVICE_URL), { key: newSigningKey() });
    expect((await send('badToken', { type: 'message', text: `open ${TYPED}` }, forgedToken)).status).toBe(401);
    // And HTTP-level errors.
    expect((await bot.post('{"type": "message", "text": "' + TYPED + '"', { authorization: `Bearer ${tokens[0]}` })).status).toBe(400);
    expect((await bot.post({ type: 'message', text: TYPED.repeat(30_000) })).status).toBe(413);
  });
  afterAll(async () => {
    await bot?.close();
    await authority?.close();
    consoleError.mockRestore();
  });

  it('writes nothing but JSON lines, each with a level, a time and a message', () => {
    expect(bot.lines.length).toBeGreaterThan(0);
    for (const line of bot.lines) {
      const record = JSON.parse(line) as Record<string, unknown>;
      expect(record).toEqual(expect.objectContaining({ level: expect.any(Number), time: expect.any(Number), msg: expect.any(String), service: 'switchboard' }));
    }
  });

  it('logs exactly one turn line per accepted activity, with correlation id, type, verb and latency', () => {
    const turns = bot.records().filter((r) => r.msg === 'turn');
    for (const label of ['welcome', 'typed', 'invoke', 'forged', 'submit', 'malformed']) {
      const mine = turns.filter((t) => t.correlationId === ids[label]);
      expect({ label, count: mine.length }).toEqual({ label, count: 1 });
      const [turn] = mine;
      expect(turn).toEqual(expect.objectContaining({ activityType: expect.any(String), latencyMs: expect.any(Number) }));
      expect(turn!.latencyMs).toBeGreaterThanOrEqual(0);
      expect(turn!.latencyMs).toBeLessThan(10_000);
      if (label !== 'welcome') expect(turn).toEqual(expect.objectContaining({ verb: expect.any(String) }));
    }
    const byLabel = (label: string) => turns.find((t) => t.correlationId === ids[label])!;
    expect(byLabel('typed')).toMatchObject({ activityType: 'message', verb: 'find' });
    expect(byLabel('invoke')).toMatchObject({ activityType: 'invoke', verb: 'open', name: 'adaptiveCard/action' });
    expect(byLabel('forged')).toMatchObject({ activityType: 'invoke', verb: 'open' });
    expect(byLabel('submit')).toMatchObject({ activityType: 'message', verb: 'home' });
    expect(byLabel('welcome')).toMatchObject({ activityType: 'conversationUpdate' });
    // Ids are fine: the tenant and the user's object id.
    expect(byLabel('typed')).toMatchObject({ tenantId: expect.any(String), userId: ALEX });
    // The rejected request ran no turn.
    expect(turns.filter((t) => t.correlationId === ids.badToken)).toEqual([]);
  });

  it('gives each turn its own correlation id', () => {
    const turnIds = bot.records().filter((r) => r.msg === 'turn').map((t) => t.correlationId);
    expect(new Set(turnIds).size).toBe(turnIds.length);
  });

  it('never logs the text typed, card data, tokens, the app password or personal data beyond ids', () => {
    const all = bot.lines.join('\n');
    expect(all).not.toContain(TYPED);
    expect(all).not.toContain(CARD_DATA);
    expect(all).not.toContain(PASSWORD);
    for (const token of tokens) {
      expect(all).not.toContain(token);
      expect(all).not.toContain(token.split('.')[2]!); // not even the signature
    }
    expect(all).not.toMatch(/Bearer/i);
    // Names and e-mail addresses from the directory and the activity.
    expect(all).not.toContain('Alex Wilber');
    expect(all).not.toContain('alexw@contoso.onmicrosoft.com');
    expect(all).not.toContain('Test user');
    expect(all).not.toContain('Tailspin Networks');
  });
});

describe('turn logs with the Cosmos DB key in the configuration', () => {
  // The key is only used with DIRECTORY=cosmos, which needs the stand-in; loaded lazily so a
  // problem there shows as this suite's failure only.
  it('never logs COSMOS_KEY', async () => {
    const { startCosmosStandIn, createDatabase } = await import('../support/cosmos-server');
    const { createContainers } = await import('../../src/directory/cosmos/containers');
    const { importDirectory } = await import('../../src/directory/cosmos/directory-transfer');
    const { readDirectoryFile } = await import('../../src/directory/directory-file');
    const { setCosmosTestOptions } = await import('../../src/directory/cosmos/open-cosmos');
    const standIn = await startCosmosStandIn();
    const cosmosKey = Buffer.from(`cosmos-key-${randomUUID()}`).toString('base64');
    try {
      const { client, database } = await createDatabase(standIn);
      await importDirectory(await createContainers(client, database), readDirectoryFile(DEMO_FILE), () => undefined);
      client.dispose();
      setCosmosTestOptions(standIn.options());
      const bot = await startLoggedServer({ DIRECTORY: 'cosmos', COSMOS_ENDPOINT: standIn.endpoint, COSMOS_KEY: cosmosKey, COSMOS_DATABASE: database });
      try {
        const reply = await bot.post(teamsActivity(alex, `conv-${randomUUID()}`, { type: 'message', text: 'where am i' }));
        expect(textOf(cardsOf(reply.body)[0]!)).toContain('Account id: northwind');
        expect(bot.records().some((r) => r.msg === 'turn')).toBe(true);
        expect(bot.lines.join('\n')).not.toContain(cosmosKey);
      } finally {
        await bot.close();
      }
    } finally {
      setCosmosTestOptions(undefined);
      await standIn.close();
    }
  });
});

describe('the compiled server’s output', () => {
  let authority: ChannelAuthority;
  let child: ChildServer;
  let output = '';

  beforeAll(async () => {
    authority = await startChannelAuthority();
    child = await startChildServer({
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      DIRECTORY_FILE: DEMO_FILE,
      DATA_DIR: tempDir(),
      MicrosoftAppId: APP_ID,
      MicrosoftAppType: 'SingleTenant',
      MicrosoftAppTenantId: randomUUID(),
      MicrosoftAppPassword: PASSWORD,
      ToBotFromChannelOpenIdMetadataUrl: authority.metadataUrl,
      ToBotFromChannelTokenIssuer: authority.issuer,
    });
    child.process.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    child.process.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  });
  afterAll(async () => {
    await child?.kill('SIGKILL');
    await authority?.close();
  });

  it('is JSON lines only, also when requests are rejected (stdout and stderr together, as App Service collects them)', async () => {
    const post = (token: string | undefined, text: string) =>
      fetch(`${child.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(teamsActivity(alex, `conv-${randomUUID()}`, { type: 'message', text })),
      });
    expect((await post(authority.token(APP_ID, SERVICE_URL), 'where am i')).status).toBe(200);
    expect((await post(undefined, 'where am i')).status).toBe(401);
    expect((await post(signJwt(authority.claims(APP_ID, SERVICE_URL), { key: newSigningKey() }), 'where am i')).status).toBe(401);
    // Wait (bounded) for the accepted turn's line to arrive.
    const deadline = Date.now() + 5_000;
    while (!output.includes('"msg":"turn"') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(output).toContain('"msg":"turn"');
    // Fails today: botbuilder's CloudAdapter.process writes every rejected request to stderr with
    // console.error(err) (a multi-line stack trace), and JwtTokenExtractor prints
    // "Error finding key for token. Available keys: -----BEGIN RSA PUBLIC KEY-----...".
    // Anyone can make the bot write these, unstructured, at will.
    const notJson = output.split('\n').filter((line) => line.trim() && !isJson(line));
    expect(notJson.slice(0, 5)).toEqual([]);
    expect(output).not.toContain(PASSWORD);
  });
});

function isJson(line: string): boolean {
  try {
    JSON.parse(line);
    return true;
  } catch {
    return false;
  }
}
