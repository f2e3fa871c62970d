import { ALEX, admin, wideDirectory, writeDirectory } from '../support/directories';
import { BotClient, actionsOf, click, clickVerb, textOf, type Card } from '../support/bot-client';

/**
 * Issue 14's "done when": with CARD_ACTIONS=submit (what a phone whose Action.Execute fails
 * needs), a whole session works over HTTP, and every button pressed changes its own card in
 * place at the Bot Connector stand-in instead of piling up new ones.
 */
const CHILDREN = 3_000;
const alex = { aadObjectId: ALEX };

function directory() {
  const doc = wideDirectory(CHILDREN);
  // A second tree Alex administers, so that switching has somewhere to go.
  const accounts = [...doc.accounts, { id: 'q', name: 'Quayside Partner', parentId: null, kind: 'partner' as const }, { id: 'q-1', name: 'Quayside Customer', parentId: 'q', kind: 'customer' as const }];
  const owner = admin(ALEX, [['p', ['AccountOwner', 'SubscriptionContributor']], ['q', ['AccountOwner']]], 'Alex Wilber');
  return writeDirectory({ ...doc, accounts, admins: [owner] });
}

/** The names of the accounts listed on a page of the sub accounts card. */
function listed(card: Card): string[] {
  return [...JSON.stringify(card).matchAll(/"verb":"open","accountId":"(c-\d+|r)"|"accountId":"(c-\d+|r)","verb":"open"/g)].map((m) => m[1] ?? m[2]!);
}

describe('a phone session with Action.Submit only (CARD_ACTIONS=submit)', () => {
  let bot: BotClient;
  beforeAll(async () => {
    bot = await BotClient.start({ DIRECTORY_FILE: directory(), DATA_DIR: 'none' }, 'submit');
  });
  afterAll(() => bot?.close());

  it('where am i, page through 3,000 children, open, up, home, find, switch, subscriptions review and confirm, history', async () => {
    const standIn = bot.connector;
    const cardIdOf = () => {
      const latest = standIn.calls.at(-1)!;
      return latest.route === 'update' ? latest.activityId! : latest.issuedId!;
    };

    const [where] = await bot.say(alex, 'where am i');
    expect(textOf(where!)).toContain('Account id: p');
    const card = cardIdOf();

    // Page through all 3,001 sub accounts to the end and one back: each page replaces the card,
    // and every account shows up exactly once.
    let page = await clickVerb(bot, alex, where!, 'accounts');
    expect(textOf(page)).toMatch(/of 3,?001/);
    const seen: string[] = listed(page);
    let pages = 1;
    while (actionsOf(page).some((a) => /Next/.test(a.title ?? ''))) {
      page = await click(bot, alex, page, /Next/);
      seen.push(...listed(page));
      pages++;
    }
    expect(pages).toBe(Math.ceil((CHILDREN + 1) / 20));
    expect(new Set(seen).size).toBe(CHILDREN + 1);
    expect(seen).toHaveLength(CHILDREN + 1);
    page = await click(bot, alex, page, /Previous/);
    expect(listed(page)).toEqual(seen.slice(-20 - ((CHILDREN + 1) % 20), -((CHILDREN + 1) % 20)));
    expect(cardIdOf()).toBe(card);

    // Open an account from the page, go up, go home.
    const child = listed(page).find((id) => id.startsWith('c-'))!;
    const opened = await clickVerb(bot, alex, page, 'open', { accountId: child });
    expect(textOf(opened)).toContain(`Account id: ${child}`);
    const up = await clickVerb(bot, alex, opened, 'up');
    expect(textOf(up)).toContain('Account id: p');
    await bot.say(alex, `open c-42`);
    const deep = (await bot.say(alex, 'where am i'))[0]!;
    const home = await clickVerb(bot, alex, deep, 'home');
    expect(textOf(home)).toContain('Account id: p');

    // Find, and open the match from the results card.
    const [found] = await bot.say(alex, 'find 01234');
    expect(textOf(found!)).toContain('Customer 01234');
    const fromFind = await clickVerb(bot, alex, found!, 'open', { accountId: 'c-1234' });
    expect(textOf(fromFind)).toContain('Account id: c-1234');

    // Switch to the other tree with the picker (the choice travels as the input's value), and back.
    const picker = await clickVerb(bot, alex, fromFind, 'switch');
    const switched = await clickVerb(bot, alex, picker, 'switchTo', {}, { scopeRootId: 'q' });
    expect(textOf(switched)).toContain('Account id: q');
    expect(textOf(await bot.execute(alex, 'switchTo', { scopeRootId: 'p' }, switched))).toContain('Account id: p');

    // Subscriptions: edit, review, confirm, then the history, all on one card.
    await bot.say(alex, 'open c-7');
    const [subs] = await bot.say(alex, 'subscriptions');
    const subsCard = cardIdOf();
    const review = await clickVerb(bot, alex, subs!, 'review', {}, { qty_C2TU1: '12' });
    expect(textOf(review)).toContain('New: 12');
    // A double tap sends the confirmation twice: it applies once, and both answers agree.
    const [done, twice] = await Promise.all([clickVerb(bot, alex, review, 'confirm'), clickVerb(bot, alex, review, 'confirm')]);
    expect(twice).toEqual(done);
    expect(textOf(done)).toContain('Subscriptions updated');
    const history = await clickVerb(bot, alex, done, 'history');
    expect(textOf(history).match(/10 → 12/g)).toHaveLength(1);
    expect(cardIdOf()).toBe(subsCard);

    // At the connector: one new card per typed command, every press an update of the card it came from.
    const typed = standIn.calls.filter((c) => c.route === 'reply' || c.route === 'send');
    const updates = standIn.calls.filter((c) => c.route === 'update');
    expect(typed).toHaveLength(6);
    expect(updates.length).toBeGreaterThanOrEqual(pages + 10);
    expect(standIn.calls.every((c) => c.status === 200 || c.status === 201)).toBe(true);
    expect(textOf(standIn.activity(bot.conversationId, subsCard).attachments[0].content)).toMatch(/10 → 12/);
  }, 60_000);
});
