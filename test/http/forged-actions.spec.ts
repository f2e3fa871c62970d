import { ALEX, ISAIAH, MEGAN, PATTI } from '../support/directories';
import { CARD_MODES, BotClient, textOf } from '../support/bot-client';

const alex = { aadObjectId: ALEX };
const megan = { aadObjectId: MEGAN };

/**
 * Card data comes from the client and can be forged. Every action is re-authorized against the
 * caller's memberships on the server; a refused action moves no one and never answers 5xx.
 */
describe.each(CARD_MODES)('forged and malformed actions (%s buttons)', (mode) => {
  let bot: BotClient;
  beforeAll(async () => {
    bot = await BotClient.start({}, mode);
  });
  afterAll(() => bot.close());

  async function expectStillAt(person: { aadObjectId: string }, accountId: string) {
    const [card] = await bot.say(person, 'where am i');
    expect(textOf(card!)).toContain(`Account id: ${accountId}`);
  }

  it('refuses to open an account in another partner tree, revealing nothing', async () => {
    await bot.say(alex, 'open tailspin');
    const card = await bot.execute(alex, 'open', { accountId: 'contoso' });
    expect(textOf(card)).toContain('Account not found');
    expect(textOf(card)).not.toContain('Contoso Telecom');
    await expectStillAt(alex, 'tailspin');
  });

  it('refuses to take a reseller admin above their base account by a forged id', async () => {
    for (const accountId of ['northwind', 'acme-dental', 'northwind-internal']) {
      const card = await bot.execute(megan, 'open', { accountId });
      expect(textOf(card)).toContain('Account not found');
    }
    await expectStillAt(megan, 'tailspin');
  });

  it('refuses a forged tree page or portal request outside the scope', async () => {
    expect(textOf(await bot.execute(megan, 'accounts', { accountId: 'northwind' }))).toContain('Account not found');
    expect(textOf(await bot.execute(megan, 'portal', { accountId: 'acme-dental' }))).toContain('Account not found');
    expect(textOf(await bot.execute(megan, 'accounts', { page: 'o99999' }))).toContain('That page of the list no longer exists');
    expect(textOf(await bot.execute(megan, 'accounts', { page: 'DROP TABLE' }))).toContain('That page of the list no longer exists');
  });

  it('refuses to switch to an account that is not one of the caller’s own', async () => {
    const card = await bot.execute({ aadObjectId: ISAIAH }, 'switchTo', { scopeRootId: 'northwind' });
    expect(textOf(card)).toContain('Account not found');
    await expectStillAt({ aadObjectId: ISAIAH }, 'acme-dental');
  });

  it('refuses sub accounts to a role that may not browse, saying why', async () => {
    // Tom Hughes is a Brand Contributor on the Fabrikam reseller: he sees where he is, not the tree below.
    const tom = { aadObjectId: '9b4e1f72-3a8d-4c5e-b017-6e2f9d3a8c54', tenantId: '11111111-1111-1111-1111-111111111111' };
    const [where] = await bot.say(tom, 'where am i');
    expect(textOf(where!)).toContain('Your roles here: Brand Contributor');
    const refused = await bot.execute(tom, 'accounts', {});
    expect(textOf(refused)).toContain('Not allowed here');
    expect(textOf(refused)).toContain('do not include seeing its sub accounts');
    expect(textOf(await bot.execute(tom, 'open', { accountId: 'fenwick-architects' }))).toContain('Not allowed here');
    expect(textOf((await bot.say(tom, 'find fenwick'))[0]!)).toContain('No account matches');
    // A Service Viewer may browse.
    expect(textOf(await bot.execute({ aadObjectId: PATTI }, 'accounts', {}))).toContain('Sub accounts of Northwind Voice');
  });

  it('answers malformed card data with a clear refusal, never a 500', async () => {
    const cases: unknown[] = [
      { action: { type: 'Action.Execute', verb: 'open', data: { accountId: { $gt: '' } } } },
      { action: { type: 'Action.Execute', verb: 'open', data: { accountId: 'x'.repeat(10_000) } } },
      { action: { type: 'Action.Execute', verb: 'open', data: [] } },
      { action: { type: 'Action.Execute', verb: 'deleteEverything', data: {} } },
      { action: { type: 'Action.Execute', verb: '__proto__', data: {} } },
      { action: { type: 'Action.Execute', verb: 'constructor', data: {} } },
      { action: { type: 'Action.Execute', verb: 42 } },
      { action: 'open' },
      'not even an object',
      null,
    ];
    for (const value of cases) {
      const { status, body } = await bot.invoke(alex, 'adaptiveCard/action', value);
      expect(status).toBe(200);
      expect(body.type).toBe('application/vnd.microsoft.card.adaptive');
      expect(textOf(body.value)).toMatch(/That did not work|Account not found/);
    }
    await expectStillAt(alex, 'tailspin');
  });

  it('treats Action.Submit payloads exactly like Action.Execute ones', async () => {
    const [viaSubmit] = await bot.submit(megan, { verb: 'open', accountId: 'northwind' });
    expect(textOf(viaSubmit!)).toContain('Account not found');
    const [bad] = await bot.submit(megan, { verb: 'open', accountId: 17 });
    expect(textOf(bad!)).toContain('The button sent an invalid "accountId"');
    const [noVerb] = await bot.submit(megan, { accountId: 'wingtip' });
    expect(textOf(noVerb!)).toContain('That did not work');
    const [ok] = await bot.submit(megan, { verb: 'open', accountId: 'wingtip' });
    const executed = await bot.execute(megan, 'open', { accountId: 'wingtip' });
    expect(ok).toEqual(executed);
  });

  it('answers a request without a caller identity with the not-an-administrator card', async () => {
    const cards = await bot.deliver({ ...bot.activity(alex, { type: 'message', text: 'where am i' }), from: { id: '29:anon' } });
    expect(JSON.stringify(cards)).toContain('You are not an administrator of any account');
  });

  it('rejects malformed HTTP requests with 4xx, not 5xx', async () => {
    expect((await bot.post('{"type": "message", ', true)).status).toBe(400);
    expect((await bot.post('[]', true)).status).toBeLessThan(500);
    expect((await bot.post({ hello: 'world' })).status).toBeLessThan(500);
    const huge = JSON.stringify(bot.activity(alex, { type: 'message', text: 'x'.repeat(400_000) }));
    expect((await bot.post(huge, true)).status).toBe(413);
    // The server is still serving.
    await expectStillAt(alex, 'tailspin');
  });
});
