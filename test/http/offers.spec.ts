import { ADELE, ALEX, ISAIAH, LYNNE, MEGAN, PATTI } from '../support/directories';
import { CARD_MODES, BotClient, action, actionsOf, buttonOf, click, submitDataOf, textOf, type Card } from '../support/bot-client';

const alex = { aadObjectId: ALEX };
const megan = { aadObjectId: MEGAN };
const adele = { aadObjectId: ADELE };
const isaiah = { aadObjectId: ISAIAH };
const patti = { aadObjectId: PATTI };
const lynne = { aadObjectId: LYNNE };

/** The offers card's toggles as Teams sends them: every Input.Toggle's value, by id. */
function toggles(card: Card): Record<string, string> {
  const found: Record<string, string> = {};
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const n = node as Card;
      if (n.type === 'Input.Toggle') found[n.id] = String(n.value);
      Object.values(n).forEach(walk);
    }
  };
  walk(card.body);
  return found;
}

/** Presses "Review changes" on the offers card with some toggles flipped, the others as shown. */
function reviewWith(bot: BotClient, person: { aadObjectId: string }, card: Card, flipped: Record<string, 'true' | 'false'>): Promise<Card> {
  return click(bot, person, card, 'Review changes', { ...toggles(card), ...flipped });
}

/** The offers under a subscriptions card's *Purchase services* section, by SKU. */
function purchasable(card: Card): string[] {
  const section = (card.body as Card[]).find((b) => b.id === 'purchaseServices');
  return [...JSON.stringify(section ?? {}).matchAll(/"id":"qty_([A-Z0-9]+)"/g)].map((m) => m[1]!);
}

describe.each(CARD_MODES)('offers on a base level (%s buttons)', (mode) => {
  let bot: BotClient;
  beforeEach(async () => {
    bot = await BotClient.start({}, mode);
  });
  afterEach(() => bot.close());

  it('lets Alex open a reseller, turn an offer on, confirm, see it offered below, turn it off again, and find both in the history', async () => {
    const [where] = await bot.say(alex, 'open tailspin');
    const offers = await click(bot, alex, where!, 'Offers');
    const text = textOf(offers);
    expect(text).toContain('Tailspin Networks');
    expect(text).toContain('5 of 8 offers enabled');
    expect(text).toContain('Call2Teams PBX User (C2TU1)');
    expect(text).toContain('Enabled · £4.00 per user a month');
    expect(text).toContain('Call2Teams PBX User Trial (30 days) (C2TUT) · Trial');
    expect(text).toMatch(/7 accounts below hold it/); // T2TU1: three customers, Wingtip and its three
    expect(Object.keys(toggles(offers))).toHaveLength(8);
    expect(toggles(offers)).toMatchObject({ offer_C2TU1: 'true', offer_C2TU250: 'false' });

    const review = await reviewWith(bot, alex, offers, { offer_C2TU250: 'true' });
    expect(textOf(review)).toContain('Call2Teams PBX User (250+ volume) (C2TU250)');
    expect(textOf(review)).toContain('Not enabled → Enabled');
    // Tailspin's internal account, its four customers and Wingtip: Wingtip's own customers buy what Wingtip enables.
    expect(textOf(review)).toContain('6 accounts below Tailspin Networks can buy it');
    // Nothing applied yet: a customer below cannot buy it.
    await bot.say(megan, 'open ashdown-freight');
    expect(purchasable((await bot.say(megan, 'subscriptions'))[0]!)).not.toContain('C2TU250');

    const done = await click(bot, alex, review, 'Update offers');
    expect(textOf(done)).toContain('✓ Offers updated');
    expect(textOf(done)).toContain('(C2TU250): Not enabled → Enabled');
    expect(textOf(done)).toContain('By Alex Wilber');
    expect(purchasable((await bot.say(megan, 'subscriptions'))[0]!)).toContain('C2TU250');
    await bot.say(megan, 'open kestrel-print');
    expect(purchasable((await bot.say(megan, 'subscriptions'))[0]!)).not.toContain('C2TU250');
    await bot.say(megan, 'open ashdown-freight');

    // The typed shortcut, straight to the review: nobody below holds it yet, so it may go.
    const [off] = await bot.say(alex, 'offer c2tu250 off');
    expect(textOf(off!)).toContain('Enabled → Not enabled');
    expect(textOf(off!)).toContain('No account below holds it');
    await click(bot, alex, off!, 'Update offers');
    expect(purchasable((await bot.say(megan, 'subscriptions'))[0]!)).not.toContain('C2TU250');

    const history = textOf((await bot.say(alex, 'history'))[0]!);
    expect(history).toContain('Offer Call2Teams PBX User (250+ volume) (C2TU250) turned on for the accounts below');
    expect(history).toContain('turned off for the accounts below');
    expect(history).toContain('Offer change: no cost to this account');
  });

  // Issue 13's "Done when", on the demo directory as shipped.
  it("walks the issue's Done-when on the demo: Fabrikam's unused offer goes and leaves its customers' Purchase services; one in use is refused with who holds it", async () => {
    const customers = ['fabrikam-internal', 'fenwick-architects', 'harrow-lane-pharmacy', 'northgate-insurance', 'pemberton-care', 'sheldon-wealth'];
    const purchasableAt = async (id: string): Promise<string[]> => {
      await bot.say(alex, `open ${id}`);
      return purchasable((await bot.say(alex, 'subscriptions'))[0]!);
    };
    for (const id of customers) expect(await purchasableAt(id)).toContain('T2TU1');

    const [where] = await bot.say(alex, 'open fabrikam');
    const offers = await click(bot, alex, where!, 'Offers');
    expect(textOf(offers)).toContain('Fabrikam Comms');
    expect(textOf(offers)).toContain('5 of 8 offers enabled');
    expect(textOf(offers)).toContain('0 accounts below hold it'); // T2TU1, the one nobody uses
    expect(toggles(offers)).toMatchObject({ offer_T2TU1: 'true', offer_C2TU1: 'true' });

    const review = await reviewWith(bot, alex, offers, { offer_T2TU1: 'false' });
    expect(textOf(review)).toContain('Trunk2Teams User (T2TU1)');
    expect(textOf(review)).toContain('Enabled → Not enabled');
    expect(textOf(review)).toContain('No account below holds it: new subscriptions of it stop below Fabrikam Comms');
    const done = await click(bot, alex, review, 'Update offers');
    expect(textOf(done)).toContain('✓ Offers updated');
    expect(textOf(done)).toContain('(T2TU1): Enabled → Not enabled');
    for (const id of customers) expect(await purchasableAt(id)).not.toContain('T2TU1');
    // Elsewhere under Northwind it is still offered.
    expect(await purchasableAt('parkside-estates')).toContain('T2TU1');

    await bot.say(alex, 'open fabrikam');
    const [again] = await bot.say(alex, 'offers');
    expect(textOf(again!)).toContain('4 of 8 offers enabled');
    const refused = await reviewWith(bot, alex, again!, { offer_C2TU1: 'false' });
    expect(textOf(refused)).toContain('Refused: 5 accounts below Fabrikam Comms still hold Call2Teams PBX User (C2TU1).');
    expect(textOf(refused)).toContain('and 2 more');
    expect(actionsOf(refused).map((a) => a.title)).not.toContain('Update offers');
    const rows = actionsOf(refused).filter((a) => a.title?.startsWith('Open '));
    expect(rows.map((a) => a.title)).toEqual(['Open Fabrikam Comms - Internal Use', 'Open Fenwick Architects', 'Open Harrow Lane Pharmacy']);
    // Refused means untouched: C2TU1 is still enabled, and still offered where it is not held yet.
    expect(toggles((await bot.say(alex, 'offers'))[0]!).offer_C2TU1).toBe('true');
    expect(await purchasableAt('pemberton-care')).toContain('C2TU1');
  });

  it('keeps the toggles as set when going Back, and says when nothing would change', async () => {
    await bot.say(alex, 'open tailspin');
    const [offers] = await bot.say(alex, 'offers');
    const review = await reviewWith(bot, alex, offers!, { offer_BRESSEN: 'true' });
    const back = await click(bot, alex, review, 'Back');
    expect(toggles(back)).toMatchObject({ offer_BRESSEN: 'true', offer_C2TU1: 'true', offer_C2TU250: 'false' });
    const same = await reviewWith(bot, alex, offers!, {});
    expect(textOf(same)).toContain('Nothing to change');
  });

  it('refuses turning off an offer accounts below hold, listing them as rows that open them', async () => {
    await bot.say(alex, 'open tailspin');
    const [review] = await bot.say(alex, 'offer T2TU1 off');
    const text = textOf(review!);
    expect(text).toContain('Trunk2Teams User (T2TU1) · refused');
    expect(text).toContain('Refused: 7 accounts below Tailspin Networks still hold Trunk2Teams User (T2TU1).');
    expect(text).toContain('and 4 more');
    expect(text).toContain('Nothing can be applied');
    expect(actionsOf(review!).map((a) => a.title)).not.toContain('Update offers');
    const rows = actionsOf(review!).filter((a) => a.title?.startsWith('Open '));
    expect(rows).toHaveLength(3);
    const opened = await bot.execute(alex, 'open', { accountId: rows[0]!.data?.accountId ?? rows[0]!.data?.accountId }, review);
    expect(textOf(opened)).toContain('(you are here)');
    expect(textOf(opened)).toContain('Tailspin Networks');
  });

  it('lets a reseller admin change the reseller below, never enable what the base level above lacks', async () => {
    await bot.say(megan, 'open wingtip-it');
    const [offers] = await bot.say(megan, 'offers');
    expect(textOf(offers!)).toContain('Not enabled on Tailspin Networks, so it cannot be enabled here.');
    expect(Object.keys(toggles(offers!))).not.toContain('offer_C2TU250');
    const [refused] = await bot.say(megan, 'offer C2TU250 on');
    expect(textOf(refused!)).toContain('Tailspin Networks does not have Call2Teams PBX User (250+ volume) (C2TU250) enabled, so it cannot enable it for Wingtip IT Services.');
    // A forged confirmation of the same applies nothing.
    const [valid] = await bot.say(megan, 'offer C2TU1 on');
    const update = buttonOf(valid!, 'Update offers');
    const forged = await bot.execute(megan, update.verb, { ...update.data, offers: { C2TU250: 'on' } });
    expect(textOf(forged)).toContain('nothing was applied');
    expect(textOf((await bot.say(megan, 'history'))[0]!)).not.toContain('turned on');
  });

  it('shows the offers read-only to those who may not change them, naming who can only within their scope', async () => {
    const [own] = await bot.say(megan, 'offers');
    expect(textOf(own!)).toContain("A reseller's own administrators cannot change its offers, which carry cost. Only an administrator holding Subscription Contributor or Owner on an account above yours can change them.");
    expect(Object.keys(toggles(own!))).toHaveLength(0);
    expect(actionsOf(own!).map((a) => a.title)).not.toContain('Review changes');
    expect(textOf((await bot.say(megan, 'offer C2TU1 off'))[0]!)).toContain('Not allowed here');

    await bot.say(adele, 'open tailspin');
    const [viewer] = await bot.say(adele, 'offers');
    expect(textOf(viewer!)).toContain('You can view these offers. Only an administrator holding Subscription Contributor or Owner on Northwind Voice can change them.');

    const [partner] = await bot.say(alex, 'offers');
    expect(textOf(partner!)).toContain("a partner's base account, are set by the vendor.");
    expect(Object.keys(toggles(partner!))).toHaveLength(0);

    expect(textOf((await bot.say(patti, 'offers'))[0]!)).toContain('do not include seeing its offers');
    const [customer] = await bot.say(isaiah, 'offers');
    expect(textOf(customer!)).toContain('Acme Dental');
    expect(textOf(customer!)).toContain('is not a base level');
    expect(textOf(customer!)).not.toContain('Northwind');
    // The where-am-i card of a customer has no Offers button; a base level's has.
    expect(actionsOf((await bot.say(isaiah, 'where am i'))[0]!).map((a) => a.title)).not.toContain('Offers');
  });

  it('changes nothing for forged confirmations: a customer admin for themselves, an out-of-scope reseller, a reseller admin for their own', async () => {
    await bot.say(alex, 'open tailspin');
    const [review] = await bot.say(alex, 'offer C2TU250 on');
    const update = buttonOf(review!, 'Update offers');
    const attempts: [{ aadObjectId: string }, Record<string, unknown>][] = [
      [isaiah, { ...update.data, accountId: 'acme-dental' }],
      [megan, { ...update.data, accountId: 'fabrikam' }],
      [lynne, update.data],
      [megan, update.data],
      [alex, { ...update.data, reviewId: 'not-a-uuid' }],
      [alex, { ...update.data, offers: 'C2TU250=on' }],
      [alex, { ...update.data, offers: { C2TU250: { $set: true } } }],
      [alex, { ...update.data, accountId: 'northwind' }],
    ];
    for (const [person, data] of attempts) {
      expect(textOf(await bot.execute(person, update.verb, data))).toMatch(/not a base level|Account not found|Not allowed here|not valid|cannot read|set by the vendor/);
    }
    expect(textOf((await bot.say(alex, 'history'))[0]!)).toContain('No subscription changes have been made');
    const [offers] = await bot.say(alex, 'offers');
    expect(toggles(offers!).offer_C2TU250).toBe('false');
  });

  it('applies a confirmation that arrives twice once, answering the same both times, by Execute or Submit', async () => {
    await bot.say(alex, 'open tailspin');
    const [review] = await bot.say(alex, 'offer BRESSEN on');
    const update = buttonOf(review!, 'Update offers');
    const [first, second] = await Promise.all([bot.execute(alex, update.verb, update.data, review), bot.execute(alex, update.verb, update.data, review)]);
    expect(textOf(first)).toContain('✓ Offers updated');
    expect(second).toEqual(first);
    const [viaSubmit] = await bot.submit(alex, submitDataOf(action(review!, 'Update offers')));
    expect(viaSubmit).toEqual(first);
    const history = textOf((await bot.say(alex, 'history'))[0]!);
    expect(history.match(/turned on/g)).toHaveLength(1);
    // A subscription confirmation with the same review id is another change: it replays nothing.
    expect(textOf(await bot.execute(alex, 'confirm', { accountId: 'tailspin', version: update.data.version, reviewId: update.data.reviewId, quantities: {} }))).not.toContain('Offers updated');
  });

  it('refuses the second of two admins who reviewed the same reseller, showing fresh values', async () => {
    await bot.say(alex, 'open wingtip-it');
    await bot.say(megan, 'open wingtip-it');
    const [alexReview] = await bot.say(alex, 'offer C2TU1 on');
    const [meganReview] = await bot.say(megan, 'offer T2TU80 on');
    expect(textOf(await click(bot, alex, alexReview!, 'Update offers'))).toContain('✓ Offers updated');
    const refused = await click(bot, megan, meganReview!, 'Update offers');
    expect(textOf(refused)).toContain('changed by someone else');
    expect(toggles(refused)).toMatchObject({ offer_C2TU1: 'true', offer_T2TU80: 'false' });
    const history = textOf((await bot.say(megan, 'history'))[0]!);
    expect(history.match(/turned on/g)).toHaveLength(1);
  });
});
