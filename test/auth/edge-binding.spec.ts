import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { cardsOf, textOf } from '../support/bot-client';
import { ALEX } from '../support/directories';
import { startChannelAuthority, type ChannelAuthority } from '../support/jwt';
import { SERVICE_URL, startLoggedServer, teamsActivity, type LoggedServer } from '../support/logged-server';

/**
 * What a valid channel token does not prove on its own, checked at the edge: that the activity
 * came through Teams (the only channel that vouches for from.aadObjectId), that it is bound to
 * the token's service URL, and that the token expires. Refusals carry a fixed short body; the
 * reason goes to the log only.
 *
 * The authority's signing key has no endorsements, which makes botbuilder skip its own channel
 * check: exactly the case where nothing but Switchboard stands between a webchat activity and a
 * turn run as whoever the body names.
 */
const APP_ID = randomUUID();
const BOT_TENANT = randomUUID();
const alex = { aadObjectId: ALEX };
const UNAUTHORIZED = { error: 'Unauthorized', message: 'The request is not authenticated.' };
const FORBIDDEN = { error: 'Forbidden', message: 'Switchboard accepts activities from Microsoft Teams only.' };

const credentials = (authority: { metadataUrl: string; issuer: string }) => ({
  MicrosoftAppId: APP_ID,
  MicrosoftAppType: 'SingleTenant',
  MicrosoftAppTenantId: BOT_TENANT,
  MicrosoftAppPassword: `dummy-${randomUUID()}`,
  ToBotFromChannelOpenIdMetadataUrl: authority.metadataUrl,
  ToBotFromChannelTokenIssuer: authority.issuer,
});

describe('authenticated edge: channel, serviceUrl and expiry are bound, 401 bodies say nothing', () => {
  let authority: ChannelAuthority;
  let bot: LoggedServer;
  let consoleError: jest.SpyInstance;

  beforeAll(async () => {
    consoleError = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    authority = await startChannelAuthority([]);
    bot = await startLoggedServer(credentials(authority));
  });
  afterAll(async () => {
    await bot?.close();
    await authority?.close();
    consoleError.mockRestore();
  });

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const valid = () => bearer(authority.token(APP_ID, SERVICE_URL));
  const say = (text: string, fields: Record<string, unknown> = {}) => teamsActivity(alex, `conv-${randomUUID()}`, { type: 'message', text, ...fields });
  const turnsOf = (activity: Record<string, unknown>) => bot.records().filter((r) => r.msg === 'turn' && r.correlationId === activity.id);

  it('answers a Teams activity with a valid token (the baseline)', async () => {
    const activity = say('where am i');
    const reply = await bot.post(activity, valid());
    expect(reply.status).toBe(200);
    expect(textOf(cardsOf(reply.body)[0]!)).toContain('Account id: northwind');
  });

  it.each(['webchat', 'directline', 'skype', 'emulator', 'MSTEAMS', 'msteams:COPILOT'])('refuses channelId %s with 403 and runs no turn, though the token is valid', async (channelId) => {
    const activity = say('where am i', { channelId });
    const reply = await bot.post(activity, valid());
    expect({ status: reply.status, body: reply.body }).toEqual({ status: 403, body: FORBIDDEN });
    expect(turnsOf(activity)).toEqual([]);
    expect(bot.records().some((r) => r.msg === 'request refused: channel not allowed' && r.channelId === channelId)).toBe(true);
  });

  it('refuses an activity without serviceUrl with 401 (botbuilder would skip the token binding)', async () => {
    const activity = say('where am i', { serviceUrl: undefined });
    const reply = await bot.post(activity, valid());
    expect({ status: reply.status, body: reply.body }).toEqual({ status: 401, body: UNAUTHORIZED });
    expect(turnsOf(activity)).toEqual([]);
  });

  it.each([
    ['an empty serviceUrl', ''],
    ['another host', 'https://evil.example.com/teams/'],
    ['a different case', SERVICE_URL.toUpperCase()],
  ])('refuses %s that differs from the token’s serviceurl claim with 401', async (_what, serviceUrl) => {
    const activity = say('where am i', { serviceUrl });
    const reply = await bot.post(activity, valid());
    expect({ status: reply.status, body: reply.body }).toEqual({ status: 401, body: UNAUTHORIZED });
    expect(turnsOf(activity)).toEqual([]);
  });

  it('refuses a token without exp with 401 (botbuilder would accept it forever)', async () => {
    const activity = say('where am i');
    const reply = await bot.post(activity, bearer(authority.token(APP_ID, SERVICE_URL, { exp: undefined })));
    expect({ status: reply.status, body: reply.body }).toEqual({ status: 401, body: UNAUTHORIZED });
    expect(turnsOf(activity)).toEqual([]);
    expect(bot.records().some((r) => r.msg === 'request rejected: not authenticated' && /exp/.test(String(r.reason)))).toBe(true);
  });

  it('answers a wrong audience with the fixed 401 body, not botbuilder’s details; the reason is logged', async () => {
    const audience = `attacker-${randomUUID()}`;
    const reply = await bot.post(say('where am i'), bearer(authority.token(audience, SERVICE_URL)));
    expect({ status: reply.status, body: reply.body }).toEqual({ status: 401, body: UNAUTHORIZED });
    expect(reply.text).not.toContain(audience);
    expect(reply.headers.get('content-type')).toMatch(/application\/json/);
    expect(bot.records().some((r) => r.msg === 'request rejected: not authenticated' && typeof r.reason === 'string' && r.reason.length > 0)).toBe(true);
  });

  it('answers a missing Authorization header with the same fixed 401 body', async () => {
    const reply = await bot.post(say('where am i'));
    expect({ status: reply.status, body: reply.body }).toEqual({ status: 401, body: UNAUTHORIZED });
  });
});

describe('authenticated edge when the channel’s keys cannot be fetched', () => {
  it('answers 401 with the fixed body, never the metadata URL or the network error', async () => {
    // A port that nothing listens on: the OpenID metadata fetch fails with ECONNREFUSED.
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const metadataUrl = `http://127.0.0.1:${port}/${randomUUID()}/.well-known/openid-configuration`;
    const authority = await startChannelAuthority([]);
    const consoleError = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const bot = await startLoggedServer({ ...credentials(authority), ToBotFromChannelOpenIdMetadataUrl: metadataUrl });
    try {
      const reply = await bot.post(teamsActivity(alex, `conv-${randomUUID()}`, { type: 'message', text: 'where am i' }), {
        authorization: `Bearer ${authority.token(APP_ID, SERVICE_URL)}`,
      });
      expect({ status: reply.status, body: reply.body }).toEqual({ status: 401, body: UNAUTHORIZED });
      expect(reply.text).not.toContain(String(port));
      expect(reply.text).not.toMatch(/ECONNREFUSED|openid|127\.0\.0\.1/i);
    } finally {
      await bot.close();
      await authority.close();
      consoleError.mockRestore();
    }
  });
});

describe('local development edge (no app id): Teams only, the emulator only when asked for by name', () => {
  const FORBIDDEN_LOCAL = FORBIDDEN;

  it.each(['webchat', 'directline', 'emulator'])('refuses channelId %s with 403', async (channelId) => {
    const bot = await startLoggedServer();
    try {
      const activity = teamsActivity(alex, `conv-${randomUUID()}`, { type: 'message', text: 'where am i', channelId });
      const reply = await bot.post(activity);
      expect({ status: reply.status, body: reply.body }).toEqual({ status: 403, body: FORBIDDEN_LOCAL });
      expect(bot.records().filter((r) => r.msg === 'turn')).toEqual([]);
    } finally {
      await bot.close();
    }
  });

  it('accepts the emulator with ALLOW_EMULATOR_CHANNEL=true, and still refuses webchat', async () => {
    const bot = await startLoggedServer({ ALLOW_EMULATOR_CHANNEL: 'true' });
    try {
      const emulator = await bot.post(teamsActivity(alex, `conv-${randomUUID()}`, { type: 'message', text: 'where am i', channelId: 'emulator' }));
      expect(emulator.status).toBe(200);
      expect(textOf(cardsOf(emulator.body)[0]!)).toContain('Account id: northwind');
      const webchat = await bot.post(teamsActivity(alex, `conv-${randomUUID()}`, { type: 'message', text: 'where am i', channelId: 'webchat' }));
      expect(webchat.status).toBe(403);
    } finally {
      await bot.close();
    }
  });

  it('accepts msteams, which the Agents Playground sends (npm run playground passes --channel-id msteams)', async () => {
    const bot = await startLoggedServer();
    try {
      expect((await bot.post(teamsActivity(alex, `conv-${randomUUID()}`, { type: 'message', text: 'where am i' }))).status).toBe(200);
    } finally {
      await bot.close();
    }
  });
});
