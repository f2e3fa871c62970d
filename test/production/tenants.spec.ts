import { randomUUID } from 'node:crypto';
import { cardsOf, textOf } from '../support/bot-client';
import { ALEX, TENANT } from '../support/directories';
import { startLoggedServer, stateKeysMentioning, teamsActivity, type LoggedServer } from '../support/logged-server';

/**
 * The tenant allow-list: activities from a tenant not on ALLOWED_TENANTS get a polite refusal
 * and one log line, and nothing else happens (no turn, no state, no directory lookup).
 */
const OTHER_TENANT = '11111111-1111-1111-1111-111111111111';
/** Tom Hughes: a real admin in the demo directory, but in the other tenant. */
const TOM = { aadObjectId: '9b4e1f72-3a8d-4c5e-b017-6e2f9d3a8c54', tenantId: OTHER_TENANT };
const alex = { aadObjectId: ALEX };
const REFUSAL = 'Switchboard is not available here';

describe('ALLOWED_TENANTS', () => {
  let bot: LoggedServer;
  const refusedConversations: string[] = [];

  beforeAll(async () => {
    // Upper case on purpose: tenant ids compare case-insensitively.
    bot = await startLoggedServer({ ALLOWED_TENANTS: ` ${TENANT.toUpperCase()} , ` });
  });
  afterAll(() => bot.close());

  function refusedConversation(): string {
    const id = `conv-${randomUUID()}`;
    refusedConversations.push(id);
    return id;
  }

  function linesFor(activityId: unknown) {
    return bot.records().filter((r) => r.correlationId === activityId);
  }

  it('answers a message from another tenant with the refusal card and one warning, nothing else', async () => {
    const activity = teamsActivity(TOM, refusedConversation(), { type: 'message', text: 'where am i' });
    const reply = await bot.post(activity);
    expect(reply.status).toBe(200);
    const cards = cardsOf(reply.body);
    expect(cards).toHaveLength(1);
    const text = textOf(cards[0]!);
    expect(text).toContain(REFUSAL);
    expect(text).toContain('Ask your Call2Teams partner to enable Switchboard for your organisation.');
    // Nothing about the directory leaks: Tom administers Fabrikam in the other tenant.
    expect(JSON.stringify(reply.body)).not.toMatch(/Fabrikam|Account id/);
    const lines = linesFor(activity.id);
    expect(lines).toEqual([expect.objectContaining({ msg: 'tenant not allowed', level: 40, tenantId: OTHER_TENANT, activityType: 'message' })]);
  });

  it('answers an Action.Submit from another tenant with the refusal card', async () => {
    const activity = teamsActivity(TOM, refusedConversation(), { type: 'message', value: { verb: 'open', accountId: 'fabrikam' } });
    const reply = await bot.post(activity);
    expect(reply.status).toBe(200);
    expect(textOf(cardsOf(reply.body)[0]!)).toContain(REFUSAL);
    expect(linesFor(activity.id).map((l) => l.msg)).toEqual(['tenant not allowed']);
  });

  it('answers an Action.Execute invoke from another tenant with the refusal as an invoke card', async () => {
    const activity = teamsActivity(TOM, refusedConversation(), {
      type: 'invoke',
      name: 'adaptiveCard/action',
      value: { action: { type: 'Action.Execute', verb: 'open', data: { accountId: 'fabrikam' } } },
      deliveryMode: undefined,
    });
    const reply = await bot.post(activity);
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    expect(textOf(reply.body.value)).toContain(REFUSAL);
    expect(linesFor(activity.id).map((l) => l.msg)).toEqual(['tenant not allowed']);
  });

  it('says nothing to a conversationUpdate from another tenant (no welcome card)', async () => {
    const activity = teamsActivity(TOM, refusedConversation(), { type: 'conversationUpdate', membersAdded: [{ id: '28:switchboard' }] });
    const reply = await bot.post(activity);
    expect(reply.status).toBe(200);
    expect(reply.body?.activities ?? []).toEqual([]);
    expect(linesFor(activity.id).map((l) => l.msg)).toEqual(['tenant not allowed']);
  });

  it('refuses an activity that names no tenant at all', async () => {
    const activity = teamsActivity(TOM, refusedConversation(), { type: 'message', text: 'where am i', channelData: {} });
    delete (activity.conversation as Record<string, unknown>).tenantId;
    const reply = await bot.post(activity);
    expect(reply.status).toBe(200);
    expect(textOf(cardsOf(reply.body)[0]!)).toContain(REFUSAL);
  });

  it('serves the allowed tenant as usual, welcome card included', async () => {
    const conversationId = `conv-${randomUUID()}`;
    const welcome = await bot.post(teamsActivity(alex, conversationId, { type: 'conversationUpdate', membersAdded: [{ id: '28:switchboard' }] }));
    expect(textOf(cardsOf(welcome.body)[0]!)).toContain('Welcome to Switchboard, Alex Wilber');
    const activity = teamsActivity(alex, conversationId, { type: 'message', text: 'open tailspin' });
    const reply = await bot.post(activity);
    expect(textOf(cardsOf(reply.body)[0]!)).not.toContain(REFUSAL);
    expect(linesFor(activity.id)).toEqual([expect.objectContaining({ msg: 'turn', verb: expect.any(String) })]);
    const where = await bot.post(teamsActivity(alex, conversationId, { type: 'message', text: 'where am i' }));
    expect(textOf(cardsOf(where.body)[0]!)).toContain('Account id: tailspin');
  });

  it('saved no state for any refused caller', async () => {
    await bot.close(); // flushes the state storage
    const state = bot.stateOnDisk();
    expect(Object.keys(state).length).toBeGreaterThan(0); // Alex's turns above did save state
    expect(stateKeysMentioning(state, TOM.aadObjectId)).toEqual([]);
    for (const conversationId of refusedConversations) expect(stateKeysMentioning(state, conversationId)).toEqual([]);
  });
});

describe('without ALLOWED_TENANTS', () => {
  it('serves every tenant', async () => {
    const bot = await startLoggedServer();
    try {
      const reply = await bot.post(teamsActivity(TOM, `conv-${randomUUID()}`, { type: 'message', text: 'where am i' }));
      const text = textOf(cardsOf(reply.body)[0]!);
      expect(text).not.toContain(REFUSAL);
      expect(text).toContain('Your roles here: Brand Contributor');
    } finally {
      await bot.close();
    }
  });
});
