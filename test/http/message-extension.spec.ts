import { ALEX, MEGAN, PATTI, wideDirectory, writeDirectory } from '../support/directories';
import { CARD_MODES, BotClient, textOf, type Card } from '../support/bot-client';
import { parseAndRender } from '../support/adaptive-cards';

const alex = { aadObjectId: ALEX };
const megan = { aadObjectId: MEGAN };

/** The compose box: "Find account" search and portal-link unfurling, over real HTTP. */
describe('message extension', () => {
  let bot: BotClient;
  beforeAll(async () => {
    bot = await BotClient.start();
  });
  afterAll(() => bot.close());

  async function query(person: { aadObjectId: string }, text: unknown) {
    const { status, body } = await bot.invoke(person, 'composeExtension/query', { commandId: 'findAccount', parameters: [{ name: 'query', value: text }] });
    expect(status).toBe(200);
    return body.composeExtension as { type: string; attachments: { content: Card; preview: Card }[] };
  }

  async function unfurl(person: { aadObjectId: string }, url: unknown) {
    const { status, body } = await bot.invoke(person, 'composeExtension/queryLink', { url });
    expect(status).toBe(200);
    return body.composeExtension as { type: string; attachments: { content: Card }[] };
  }

  it('finds accounts in the caller’s scopes and returns shareable cards with breadcrumb and portal links', async () => {
    const started = Date.now();
    const result = await query(alex, 'dental');
    expect(Date.now() - started).toBeLessThan(5000);
    expect(result.type).toBe('result');
    expect(result.attachments).toHaveLength(1);
    const { content, preview } = result.attachments[0]!;
    expect(content.version).toBe('1.3');
    expect(textOf(content)).toContain('Path: Northwind Voice > Acme Dental Practice');
    expect(content.actions.map((a: Card) => a.url)).toEqual([
      'https://admin.call2teams.com/accounts/acme-dental/services',
      'https://admin.call2teams.com/customer/acme-dental',
    ]);
    // Shared into a chat, the card carries no button that acts through the bot.
    expect(JSON.stringify(content)).not.toContain('Action.Execute');
    expect(preview.content.title).toBe('Acme Dental Practice');
    expect(parseAndRender(content, '1.3').problems).toEqual([]);
  });

  it('ranks and limits results, and finds nothing outside the caller’s scopes', async () => {
    // Every name in Alex's scope with a word starting with "c" (a query matches at word starts
    // only): names starting with it first, then shallower first, then by the name from that word on.
    const some = await query(alex, 'c');
    expect(some.attachments.map((a) => a.preview.content.title)).toEqual([
      'Castlegate Hotels Group',
      'Cobalt Software Ltd',
      'Thornbury Medical Centre',
      'Meridian Chartered Accountants',
      'Hartley & Co Solicitors LLP',
      'Fabrikam Comms',
      'Pemberton Care Homes',
      'Fabrikam Comms - Internal Use',
    ]);
    // Ten at most, however many match.
    const wide = await BotClient.start({ DIRECTORY_FILE: writeDirectory(wideDirectory(30)) });
    try {
      const { status, body } = await wide.invoke(alex, 'composeExtension/query', { commandId: 'findAccount', parameters: [{ name: 'query', value: 'customer' }] });
      expect(status).toBe(200);
      expect((body.composeExtension as { attachments: unknown[] }).attachments).toHaveLength(10);
    } finally {
      await wide.close();
    }
    expect((await query(megan, 'dental')).attachments).toEqual([]);
    expect((await query({ aadObjectId: 'stranger' }, 'dental')).attachments).toEqual([]);
    expect((await query(alex, '')).attachments).toEqual([]);
    expect((await query(alex, { not: 'text' })).attachments).toEqual([]);
  });

  it('unfurls a pasted portal URL into the account’s card with its breadcrumb', async () => {
    for (const url of [
      'https://admin.call2teams.com/customer/wingtip-it',
      'https://admin.call2teams.com/accounts/wingtip-it/services?tab=users',
      'https://ADMIN.call2teams.com/customer/wingtip-it/',
    ]) {
      const result = await unfurl(megan, url);
      expect(result.attachments).toHaveLength(1);
      expect(textOf(result.attachments[0]!.content)).toContain('Path: Tailspin Networks > Wingtip IT Services');
      expect(result.attachments[0]!.content.version).toBe('1.3');
    }
    // A service viewer sees the portals of a client account.
    expect((await unfurl({ aadObjectId: PATTI }, 'https://admin.call2teams.com/customer/acme-dental')).attachments[0]!.content.actions).toHaveLength(2);
  });

  it('unfurls a URL outside the caller’s scopes, or not a portal URL, into nothing revealing', async () => {
    for (const [person, url] of [
      [megan, 'https://admin.call2teams.com/customer/acme-dental'],
      [megan, 'https://admin.call2teams.com/customer/no-such-account'],
      [alex, 'https://admin.call2teams.com/customer/contoso'],
      [alex, 'https://evil.example/customer/acme-dental'],
      [alex, 'https://admin.call2teams.com/customer/%E0%A4%A'],
      [alex, 'x'.repeat(5000)],
      [alex, 42],
    ] as const) {
      expect(await unfurl(person, url)).toEqual({ type: 'result', attachmentLayout: 'list', attachments: [] });
    }
  });
});

describe.each(CARD_MODES)('cards in group chats (%s buttons)', (mode) => {
  let bot: BotClient;
  beforeAll(async () => {
    bot = await BotClient.start({}, mode);
  });
  afterAll(() => bot.close());

  const group = () => bot.inConversation('19:group@thread.v2', 'groupChat');

  it('refresh for the admin who asked only, with a read-only verb', async () => {
    const [card] = await group().say(alex, 'where am i');
    if (mode === 'execute') expect(card!.refresh).toMatchObject({ action: { type: 'Action.Execute', verb: 'whereAmI' }, userIds: [`29:${ALEX}`] });
    // Teams' automatic refresh is an Action.Execute, which submit-only cards go without.
    else expect(card!.refresh).toBeUndefined();
    expect(parseAndRender(card!).problems).toEqual([]);
    const [personal] = await bot.say(alex, 'where am i');
    expect(personal!.refresh).toBeUndefined();
  });

  it('act for whoever clicks them', async () => {
    const [card] = await group().say(alex, 'open acme-dental');
    const crumb = JSON.stringify(card);
    expect(crumb).toContain('"accountId":"northwind"');
    // Megan clicks Alex's breadcrumb: she is refused, as herself.
    const asMegan = await group().execute(megan, 'open', { accountId: 'northwind' }, card);
    expect(textOf(asMegan)).toContain('Account not found');
  });
});
