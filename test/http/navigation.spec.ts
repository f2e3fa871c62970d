import { ADELE, ALEX, ISAIAH, LYNNE, MEGAN, PATTI, tempDir } from '../support/directories';
import { CARD_MODES, BotClient, action, actionsOf, buttonOf, click, textOf, rowsOf, verbOf } from '../support/bot-client';

const alex = { aadObjectId: ALEX };
const megan = { aadObjectId: MEGAN };

describe.each(CARD_MODES)('a partner admin finding their way around the tree, over real HTTP (%s buttons)', (mode) => {
  let bot: BotClient;
  beforeAll(async () => {
    bot = await BotClient.start({}, mode);
  });
  afterAll(() => bot.close());

  it('answers "where am i" with the base account, its brand, path and roles', async () => {
    const [card] = await bot.say(alex, 'where am i');
    const text = textOf(card!);
    expect(text).toContain('Northwind Voice');
    expect(text).toContain('Account id: northwind');
    expect(text).toContain('Your roles here: Account Owner, Subscription Contributor');
    expect(text).toContain('Path: Northwind Voice');
    // The logo is a fixed-size column's background: a broken URL leaves an empty square, not a broken image.
    expect(card!.body[0].columns[0]).toMatchObject({ width: '32px', backgroundImage: { url: expect.stringMatching(/^data:image\/png;base64,/) } });
    // At the scope root there is nowhere to go up to.
    expect(actionsOf(card!).map((a) => a.title)).not.toContain(expect.stringMatching(/Go up/));
    expect(buttonOf(card!, /^Sub accounts \(15\)$/)).toMatchObject({ verb: 'accounts' });
  });

  it('accepts the command in any case, with a question mark, and its aliases', async () => {
    for (const text of ['WHERE AM I?', 'where', 'whereami', '  Where   am I  ']) {
      const [card] = await bot.say(alex, text);
      expect(textOf(card!)).toContain('Account id: northwind');
    }
  });

  it('lists sub accounts, opens one from the tree, goes up and home, remembering where the admin is', async () => {
    const [start] = await bot.say(alex, 'home');
    const tree = await click(bot, alex, start!, /^Sub accounts/);
    const names = rowsOf(tree).map((r) => r.name);
    expect(names).toEqual([...names].sort((a: string, b: string) => a.localeCompare(b)));
    expect(names).toContain('Tailspin Networks');

    const tailspin = await click(bot, alex, tree, 'Open Tailspin Networks');
    expect(textOf(tailspin)).toContain('Path: Northwind Voice > Tailspin Networks');
    expect(buttonOf(tailspin, 'Open Northwind Voice')).toMatchObject({ verb: 'open', data: { accountId: 'northwind' } });

    const [typed] = await bot.say(alex, 'open Wingtip IT Services');
    expect(textOf(typed!)).toContain('Path: Northwind Voice > Tailspin Networks > Wingtip IT Services');

    const [where] = await bot.say(alex, 'where am i');
    expect(textOf(where!)).toContain('Account id: wingtip');

    // The button names no account (a phone clips it); the breadcrumb shows where it goes.
    expect(textOf(where!)).toContain('↳ Tailspin Networks · Reseller');
    const up = await click(bot, alex, where!, '⬆ Go up');
    expect(textOf(up)).toContain('Account id: tailspin');

    const home = await click(bot, alex, up, '⌂ Home');
    expect(textOf(home)).toContain('Account id: northwind');
    const [after] = await bot.say(alex, 'where am i');
    expect(textOf(after!)).toContain('Account id: northwind');
  });

  it('clicking a breadcrumb step opens that account', async () => {
    const [deep] = await bot.say(alex, 'open wingtip');
    const card = await click(bot, alex, deep!, 'Open Tailspin Networks');
    expect(textOf(card)).toContain('Account id: tailspin');
  });

  it('never takes a reseller admin above their own base account', async () => {
    const [card] = await bot.say(megan, 'where am i');
    expect(textOf(card!)).toContain('Account id: tailspin');
    expect(textOf(card!)).toContain('Path: Tailspin Networks');
    const [up] = await bot.say(megan, 'up');
    expect(textOf(up!)).toContain('Account id: tailspin');
    const [parent] = await bot.say(megan, 'open northwind');
    expect(textOf(parent!)).toContain('Account not found');
  });

  it('opens by id, by exact name, or by a single partial match; several matches give a choice', async () => {
    expect(textOf((await bot.say(alex, 'open acme-dental'))[0]!)).toContain('Acme Dental Practice');
    expect(textOf((await bot.say(alex, 'open KINGSWAY'))[0]!)).toContain('Account id: kingsway-motors');
    const [several] = await bot.say(alex, 'open internal');
    expect(textOf(several!)).toContain('Several accounts match "internal"');
    expect(actionsOf(several!).filter((a) => verbOf(a) === 'open').length).toBeGreaterThan(1);
  });

  it('finds accounts by name across the admin’s scopes only, best match first', async () => {
    const [card] = await bot.say(alex, 'find dental');
    expect(textOf(card!)).toContain('Acme Dental Practice');
    expect(textOf(card!)).toContain('Northwind Voice > Acme Dental Practice');
    const [none] = await bot.say(megan, 'find dental');
    expect(textOf(none!)).toContain('No account matches “dental”');
    const [ranked] = await bot.say(alex, 'find tailspin');
    const titles = actionsOf(ranked!).filter((a) => verbOf(a) === 'open').map((a) => a.title);
    expect(titles[0]).toBe('Open Tailspin Networks');
    expect(titles[1]).toBe('Open Tailspin Networks - Internal Use');
  });

  it('shows portal links according to roles', async () => {
    const [alexBase] = await bot.say(alex, 'home');
    const portals = await click(bot, alex, alexBase!, 'Portal links');
    expect(action(portals, 'Open Account Portal')).toMatchObject({
      type: 'Action.OpenUrl',
      url: 'https://admin.call2teams.com/accounts/northwind/administrators',
    });
    // A partner's base account has no Customer Portal.
    expect(actionsOf(portals).map((a) => a.title)).not.toContain('Open Customer Portal');

    await bot.say(alex, 'open acme-dental');
    const [customer] = await bot.say(alex, 'portal');
    expect(action(customer!, 'Open Account Portal').url).toBe('https://admin.call2teams.com/accounts/acme-dental/services');
    expect(action(customer!, 'Open Customer Portal').url).toBe('https://admin.call2teams.com/customer/acme-dental');

    // A subscription viewer sees the base portal but not a customer's services.
    const adele = { aadObjectId: ADELE };
    expect(actionsOf((await bot.say(adele, 'portal'))[0]!).map((a) => a.title)).toContain('Open Account Portal');
    await bot.say(adele, 'open acme-dental');
    const [adeleCustomer] = await bot.say(adele, 'portal');
    expect(textOf(adeleCustomer!)).toContain('Your roles here do not include the portals');
    expect(actionsOf(adeleCustomer!).filter((a) => a.type === 'Action.OpenUrl')).toHaveLength(0);

    // A service viewer (helpdesk) gets the customer's portals.
    const patti = { aadObjectId: PATTI };
    await bot.say(patti, 'open acme-dental');
    expect(actionsOf((await bot.say(patti, 'portal'))[0]!).filter((a) => a.type === 'Action.OpenUrl')).toHaveLength(2);
  });

  it('lets an admin of two partner trees switch between them with the picker', async () => {
    const lynne = { aadObjectId: LYNNE };
    const [where] = await bot.say(lynne, 'where am i');
    const picker = await click(bot, lynne, where!, 'Switch account');
    const choiceSet = picker.body.find((b: any) => b.type === 'Input.ChoiceSet');
    expect(choiceSet.choices.map((c: any) => c.value)).toEqual(['contoso', 'hartley-solicitors']);
    // Her membership is on Hartley: the accounts above it in the Northwind tree are not hers to see.
    expect(textOf(picker)).toContain('Hartley & Co Solicitors LLP');
    expect(textOf(picker)).not.toContain('Northwind Voice >');

    const moved = await bot.execute(lynne, 'switchTo', { scopeRootId: 'hartley-solicitors' });
    expect(textOf(moved)).toContain('Account id: hartley-solicitors');
    // Her scope root is now Hartley: the breadcrumb starts there and there is no way up.
    expect(textOf(moved)).toContain('Path: Hartley & Co Solicitors LLP');
    expect(actionsOf(moved).map((a) => a.title).join()).not.toContain('Go up');

    const [back] = await bot.say(lynne, 'switch');
    expect(back!.body.find((b: any) => b.type === 'Input.ChoiceSet').value).toBe('hartley-solicitors');
  });

  it('greets with the customer admin’s own account and tells unknown callers they are not admins', async () => {
    const [own] = await bot.say({ aadObjectId: ISAIAH }, 'where am i');
    expect(textOf(own!)).toContain('Acme Dental Practice');
    const [stranger] = await bot.say({ aadObjectId: '99999999-9999-9999-9999-999999999999' }, 'where am i');
    expect(textOf(stranger!)).toContain('You are not an administrator of any account');
    const [otherTenant] = await bot.say({ aadObjectId: ALEX, tenantId: 'another-tenant' }, 'where am i');
    expect(textOf(otherTenant!)).toContain('You are not an administrator of any account');
  });

  it('gives a helpful hint for anything it does not understand, and help on request', async () => {
    const [hint] = await bot.say(alex, 'make me a sandwich');
    expect(textOf(hint!)).toContain('“make me a sandwich” is not a Switchboard command');
    expect(textOf(hint!)).toContain('Try where am i');
    const [help] = await bot.say(alex, 'help');
    expect(textOf(help!)).toContain('open ‹name or id›');
  });

  it('strips the @mention in group chats', async () => {
    const [card] = await bot.deliver(
      bot.activity(alex, {
        type: 'message',
        text: '<at>Switchboard</at> home',
        entities: [{ type: 'mention', text: '<at>Switchboard</at>', mentioned: { id: '28:switchboard', name: 'Switchboard' } }],
      }),
    );
    expect(textOf(card!)).toContain('Account id: northwind');
  });

  it('welcomes the team when the bot is added', async () => {
    const [card] = await bot.deliver(
      bot.activity(alex, { type: 'conversationUpdate', membersAdded: [{ id: '28:switchboard' }, { id: '29:someone' }] }),
    );
    expect(textOf(card!)).toContain('Welcome to Switchboard, Alex Wilber');
  });

  it('keeps two admins in one group chat in their own places', async () => {
    const group = bot.inConversation('19:group-chat@thread.v2');
    await group.say(alex, 'open tailspin');
    const [meganHere] = await group.say(megan, 'open wingtip');
    expect(textOf(meganHere!)).toContain('Path: Tailspin Networks > Wingtip IT Services');
    expect(textOf((await group.say(alex, 'where am i'))[0]!)).toContain('Account id: tailspin');
  });

  it('remembers where the admin is across a restart', async () => {
    const dataDir = tempDir();
    const first = await BotClient.start({ DATA_DIR: dataDir }, mode);
    await first.say(alex, 'open bridgewater-logistics');
    await first.close();
    const second = (await BotClient.start({ DATA_DIR: dataDir }, mode)).inConversation(first.conversationId);
    try {
      expect(textOf((await second.say(alex, 'where am i'))[0]!)).toContain('Account id: bridgewater-logistics');
    } finally {
      await second.close();
    }
  });
});
