import { ALEX, ISAIAH, MEGAN, tempDir } from '../support/directories';
import { CARD_MODES, BotClient, action, actionsOf, buttonOf, click, submitDataOf, textOf, type Card } from '../support/bot-client';

const alex = { aadObjectId: ALEX };
const megan = { aadObjectId: MEGAN };
const isaiah = { aadObjectId: ISAIAH };

function inputs(card: Card): Record<string, unknown> {
  const found: Record<string, unknown> = {};
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const n = node as Card;
      if (typeof n.type === 'string' && n.type.startsWith('Input.')) found[n.id] = n.value;
      Object.values(n).forEach(walk);
    }
  };
  walk(card.body);
  return found;
}

/** Presses "Review changes" on an edit card with some quantities typed in, as Teams sends it. */
async function reviewWith(bot: BotClient, person: { aadObjectId: string }, card: Card, typed: Record<string, string>): Promise<Card> {
  const values = Object.fromEntries(Object.entries(inputs(card)).map(([k, v]) => [k, String(v)]));
  return click(bot, person, card, 'Review changes', { ...values, ...typed });
}

describe.each(CARD_MODES)('quick subscription changes (%s buttons)', (mode) => {
  let bot: BotClient;
  beforeEach(async () => {
    bot = await BotClient.start({ MAX_QUANTITY: '500' }, mode);
  });
  afterEach(() => bot.close());

  it('lets Alex open a customer, set a quantity, review old and new costs, confirm, and see it in the history', async () => {
    await bot.say(alex, 'open acme-dental');
    const [review] = await bot.say(alex, 'set C2TU1 30');
    expect(textOf(review!)).toContain('Now: 18 · £72.00 a month');
    expect(textOf(review!)).toContain('New: 30 · £120.00 a month');
    expect(textOf(review!)).toContain('Difference: +£48.00 a month');
    expect(textOf((await bot.say(alex, 'subscriptions'))[0]!)).toContain('£72.00 a month'); // nothing applied yet

    const done = await click(bot, alex, review!, 'Update Subscriptions');
    expect(textOf(done)).toContain('✓ Subscriptions updated');
    expect(textOf(done)).toContain('Call2Teams PBX User (C2TU1): 18 → 30');
    expect(textOf(done)).toContain('By Alex Wilber');

    const [now] = await bot.say(alex, 'subscriptions');
    expect(inputs(now!).qty_C2TU1).toBe(30);
    expect(textOf(now!)).toContain('Monthly total now: **£129.00**');

    const history = await click(bot, alex, now!, 'History');
    expect(textOf(history)).toContain('Alex Wilber');
    expect(textOf(history)).toContain('Call2Teams PBX User (C2TU1) 18 → 30');
    expect(textOf(history)).toContain('+£48.00 a month');
  });

  it('reviews the quantities typed on the card and keeps them when going Back', async () => {
    await bot.say(alex, 'open castlegate-hotels');
    const [edit] = await bot.say(alex, 'subscriptions');
    const review = await reviewWith(bot, alex, edit!, { qty_C2TPA1: '40', qty_T2TU80: '90' });
    expect(textOf(review)).toContain('PhoneApp User (C2TPA1) · fewer licences');
    expect(textOf(review)).toContain('Trunk2Teams User (80+ volume) (T2TU80) · new subscription');
    const back = await click(bot, alex, review, 'Back');
    expect(inputs(back)).toMatchObject({ qty_C2TPA1: 40, qty_T2TU80: 90, qty_C2TU250: 260 });
    expect(textOf(back)).toContain('Quantity (now 45)');
  });

  it('explains every refusal next to its line and applies nothing', async () => {
    await bot.say(alex, 'open castlegate-hotels');
    const [edit] = await bot.say(alex, 'subscriptions');
    const refused = await reviewWith(bot, alex, edit!, { qty_C2TU250: '100', qty_C2TPA1: '501', qty_T2TU1: '2.5', qty_T2TU80: '-3' });
    const text = textOf(refused);
    expect(text).toContain('4 lines need attention. Nothing was applied.');
    expect(text).toContain('233 licences are assigned to users, so the quantity cannot go below 233.');
    expect(text).toContain('At most 500 licences per subscription.');
    expect(text.match(/Enter a whole number from 0 to 500\./g)).toHaveLength(2);
    // Each message sits under its own line: the C2TU250 line's problem follows its quantity box.
    const line = refused.body.find((b: Card) => b.type === 'Container' && JSON.stringify(b).includes('qty_C2TU250'));
    expect(JSON.stringify(line)).toContain('cannot go below 233');

    const [zero] = await bot.say(alex, 'set T2TU1 0');
    expect(textOf(zero!)).toContain('12 licences are assigned to users, so the quantity cannot go below 12.');
    expect(textOf((await bot.say(alex, 'set NOPE 3'))[0]!)).toContain('NOPE is not offered to Castlegate Hotels Group.');
    // A typed quantity that is no number is the command's mistake (see typed-commands.spec.ts).
    expect(textOf((await bot.say(alex, 'set C2TU1 many'))[0]!)).toContain('“many” is not a quantity: the command takes a whole number of licences.');
    expect(textOf((await bot.say(alex, 'set C2TPA1 45'))[0]!)).toContain('Nothing to change');
    expect(textOf((await bot.say(alex, 'history'))[0]!)).toContain('No subscription changes have been made');
  });

  it('only offers what the base level above enables, and removes a subscription at 0 when nothing is assigned', async () => {
    // Tailspin (a reseller) does not enable BRESSEN for its customers.
    await bot.say(megan, 'open ashdown-freight');
    expect(textOf((await bot.say(megan, 'set BRESSEN 1'))[0]!)).toContain('BRESSEN is not offered to Ashdown Freight Ltd.');
    const [add] = await bot.say(megan, 'set C2TPA1 3');
    expect(textOf(add!)).toContain('new subscription');
    await click(bot, megan, add!, 'Update Subscriptions');
    const [remove] = await bot.say(megan, 'set C2TPA1 0');
    expect(textOf(remove!)).toContain('removed');
    const done = await click(bot, megan, remove!, 'Update Subscriptions');
    expect(textOf(done)).toContain('3 → 0 · removed');
    const [after] = await bot.say(megan, 'subscriptions');
    // Back under "Purchase services", at 0.
    expect(textOf(after!).indexOf('PhoneApp User')).toBeGreaterThan(textOf(after!).indexOf('Purchase services'));
  });

  it('shows a customer’s own admin the card read-only, saying who can change it', async () => {
    const [card] = await bot.say(isaiah, 'subscriptions');
    expect(textOf(card!)).toContain("An account's own administrators cannot change its subscriptions");
    expect(textOf(card!)).toContain('Subscription Contributor on an account above yours can change them.');
    expect(Object.keys(inputs(card!))).toHaveLength(0);
    expect(actionsOf(card!).map((a) => a.title)).not.toContain('Review changes');
    expect(textOf((await bot.say(isaiah, 'set C2TU1 30'))[0]!)).toContain('Not allowed here');
  });

  it('refuses a forged confirmation from someone who may not change the account, applying nothing', async () => {
    await bot.say(alex, 'open acme-dental');
    const [review] = await bot.say(alex, 'set C2TU1 30');
    const update = buttonOf(review!, 'Update Subscriptions');
    for (const person of [isaiah, megan]) {
      const refused = await bot.execute(person, update.verb, update.data);
      expect(textOf(refused)).toMatch(/Not allowed here|Account not found/);
    }
    const forged = [
      { ...update.data, reviewId: 'not-a-uuid' },
      { ...update.data, version: undefined },
      { ...update.data, quantities: { C2TU1: '-5' } },
      { ...update.data, quantities: { C2TU1: { $inc: 5 } } },
      { ...update.data, quantities: 'C2TU1=30' },
      { ...update.data, accountId: 'contoso-internal' },
    ];
    for (const data of forged) expect(textOf(await bot.execute(alex, update.verb, data))).toMatch(/not valid|incomplete|cannot read|needs attention|Account not found/);
    expect(textOf((await bot.say(alex, 'history'))[0]!)).toContain('No subscription changes have been made');
  });

  it('refuses the second of two admins who reviewed the same account, showing fresh values', async () => {
    await bot.say(alex, 'open ashdown-freight');
    await bot.say(megan, 'open ashdown-freight');
    const [alexReview] = await bot.say(alex, 'set C2TU1 40');
    const [meganReview] = await bot.say(megan, 'set C2TU1 35');
    expect(textOf(await click(bot, alex, alexReview!, 'Update Subscriptions'))).toContain('Subscriptions updated');
    const refused = await click(bot, megan, meganReview!, 'Update Subscriptions');
    expect(textOf(refused)).toContain('changed by someone else');
    expect(inputs(refused).qty_C2TU1).toBe(40);
    const history = textOf((await bot.say(megan, 'history'))[0]!);
    expect(history.match(/→/g)).toHaveLength(1);
    expect(history).toContain('→ 40');
  });

  it('applies a confirmation that arrives twice once, answering the same both times, by Execute or Submit', async () => {
    await bot.say(alex, 'open kingsway-motors');
    const [review] = await bot.say(alex, 'set C2TU1 99');
    const update = buttonOf(review!, 'Update Subscriptions');
    const [first, second] = await Promise.all([bot.execute(alex, update.verb, update.data, review), bot.execute(alex, update.verb, update.data, review)]);
    expect(second).toEqual(first);
    const [viaSubmit] = await bot.submit(alex, submitDataOf(action(review!, 'Update Subscriptions')));
    expect(viaSubmit).toEqual(first);
    const history = textOf((await bot.say(alex, 'history'))[0]!);
    expect(history.match(/→ 99/g)).toHaveLength(1);
    // Another admin replaying Alex's confirmation gets nothing of it.
    expect(textOf(await bot.execute(megan, update.verb, update.data))).toMatch(/Account not found|another administrator/);
  });

  it('takes the same path for a review sent by Action.Submit as by Action.Execute', async () => {
    await bot.say(alex, 'open kingsway-motors');
    const [edit] = await bot.say(alex, 'subscriptions');
    const viaExecute = await click(bot, alex, edit!, 'Review changes', { qty_C2TU1: '50' });
    const [viaSubmit] = await bot.submit(alex, { ...submitDataOf(action(edit!, 'Review changes')), qty_C2TU1: '50' });
    const withoutId = (card: Card) => JSON.parse(JSON.stringify(card).replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, 'ID'));
    expect(withoutId(viaSubmit!)).toEqual(withoutId(viaExecute));
  });

  it('keeps an acknowledged change across a restart, with its audit entry', async () => {
    const dataDir = tempDir();
    const first = await BotClient.start({ DATA_DIR: dataDir }, mode);
    await first.say(alex, 'open lakeside-vets');
    const [review] = await first.say(alex, 'set C2TU1 77');
    await click(first, alex, review!, 'Update Subscriptions');
    await first.close();
    const second = (await BotClient.start({ DATA_DIR: dataDir }, mode)).inConversation(first.conversationId);
    try {
      expect(inputs((await second.say(alex, 'subscriptions'))[0]!).qty_C2TU1).toBe(77);
      expect(textOf((await second.say(alex, 'history'))[0]!)).toContain('→ 77');
    } finally {
      await second.close();
    }
  });
});
