import { ConfigurationBotFrameworkAuthentication, type Activity } from 'botbuilder';
import { AuthenticationConstants, ClaimsIdentity } from 'botframework-connector';
import { MAX_REUSED_CLIENTS, ReusedConnectorClients } from '../../src/teams/reused-connector-clients';

/**
 * The clients CloudAdapter asks for on every turn are made once per app, service URL and
 * audience, and a failed creation is not kept.
 */
const APP = 'b5d1bd6c-3f5b-4f5e-9a57-5b1f7b0f0a11';
const identity = (appId: string) => new ClaimsIdentity([{ type: AuthenticationConstants.AudienceClaim, value: appId }], true);
const URL_A = 'https://smba.trafficmanager.net/emea/';
const URL_B = 'https://smba.trafficmanager.net/amer/';

describe('ReusedConnectorClients', () => {
  const auth = () => new ReusedConnectorClients(new ConfigurationBotFrameworkAuthentication({}));

  it('gives every turn of one app at one service URL the same connector client', async () => {
    const reused = auth();
    const first = await reused.createConnectorFactory(identity(APP)).create(URL_A);
    const second = await reused.createConnectorFactory(identity(APP)).create(URL_A);
    expect(second).toBe(first);
    // The client still points where the turn said.
    expect((first as unknown as { baseUri: string }).baseUri).toBe(URL_A);
  });

  it('gives inbound turns, whose factory comes with the authentication result, the same connector client', async () => {
    const reused = auth();
    const activity = { type: 'message', channelId: 'msteams', serviceUrl: URL_A } as Activity;
    const clients = [];
    for (let turn = 0; turn < 3; turn++) {
      const result = await reused.authenticateRequest(activity, '');
      clients.push(await result.connectorFactory!.create(URL_A, result.audience));
    }
    expect(new Set(clients).size).toBe(1);
    // The same cache serves proactive sends for that app.
    const result = await reused.authenticateRequest(activity, '');
    expect(await reused.createConnectorFactory(result.claimsIdentity).create(URL_A, result.audience)).toBe(clients[0]);
  });

  it('keeps service URLs, audiences and apps apart', async () => {
    const reused = auth();
    const a = await reused.createConnectorFactory(identity(APP)).create(URL_A);
    const b = await reused.createConnectorFactory(identity(APP)).create(URL_B);
    const otherAudience = await reused.createConnectorFactory(identity(APP)).create(URL_A, 'https://api.botframework.us');
    const otherApp = await reused.createConnectorFactory(identity('another-app')).create(URL_A);
    expect(new Set([a, b, otherAudience, otherApp]).size).toBe(4);
  });

  it('reuses the user token client per app', async () => {
    const reused = auth();
    expect(await reused.createUserTokenClient(identity(APP))).toBe(await reused.createUserTokenClient(identity(APP)));
    expect(await reused.createUserTokenClient(identity('another-app'))).not.toBe(await reused.createUserTokenClient(identity(APP)));
  });

  it(`keeps at most ${MAX_REUSED_CLIENTS} connector clients, dropping the oldest`, async () => {
    const reused = auth();
    const urlOf = (n: number) => `https://service-${n}.example/`;
    const first = await reused.createConnectorFactory(identity(APP)).create(urlOf(0));
    for (let n = 1; n <= MAX_REUSED_CLIENTS; n++) await reused.createConnectorFactory(identity(APP)).create(urlOf(n));
    const newest = await reused.createConnectorFactory(identity(APP)).create(urlOf(MAX_REUSED_CLIENTS));
    expect(await reused.createConnectorFactory(identity(APP)).create(urlOf(MAX_REUSED_CLIENTS))).toBe(newest);
    expect(await reused.createConnectorFactory(identity(APP)).create(urlOf(0))).not.toBe(first);
  });

  it('tries again after a creation failed, rather than keeping the failure', async () => {
    const inner = new ConfigurationBotFrameworkAuthentication({});
    const reused = new ReusedConnectorClients(inner);
    const real = inner.createConnectorFactory.bind(inner);
    let calls = 0;
    inner.createConnectorFactory = (claims) => {
      calls++;
      if (calls === 1) return { create: () => Promise.reject(new Error('credentials unavailable')) };
      return real(claims);
    };
    await expect(reused.createConnectorFactory(identity(APP)).create(URL_A)).rejects.toThrow('credentials unavailable');
    await new Promise((resolve) => setImmediate(resolve));
    const client = await reused.createConnectorFactory(identity(APP)).create(URL_A);
    expect(client).toBeDefined();
    expect(calls).toBe(2);
  });
});
