import type { AccountRecord } from '../../src/domain/directory-document';
import { CARD_MODES, BotClient, buttonOf, click, textOf, type Card } from '../support/bot-client';
import { OFFERS, admin, writeDirectory } from '../support/directories';

/**
 * A review id comes back from the client, so it is only an idempotency key within one account
 * and one admin: another admin who learns it cannot use it up, and learns nothing from trying.
 */
const accounts: AccountRecord[] = [
  { id: 'p', name: 'Partner', parentId: null, kind: 'partner', enabledOffers: ['C2TU1'] },
  { id: 'r', name: 'Reseller', parentId: 'p', kind: 'reseller', enabledOffers: ['C2TU1'] },
  { id: 'ca', name: 'Customer of A', parentId: 'p', kind: 'customer', subscriptions: [{ sku: 'C2TU1', quantity: 10, assigned: 1 }] },
  { id: 'cb', name: 'Customer of B', parentId: 'r', kind: 'customer', subscriptions: [{ sku: 'C2TU1', quantity: 10, assigned: 1 }] },
];
const adminA = admin('admin-a', [['p', ['SubscriptionContributor']]], 'Admin A');
const adminB = admin('admin-b', [['r', ['SubscriptionContributor']]], 'Admin B');
const a = { aadObjectId: adminA.aadObjectId };
const b = { aadObjectId: adminB.aadObjectId };

describe.each(CARD_MODES)('review ids belong to one account and one admin, over HTTP (%s buttons)', (mode) => {
  let bot: BotClient;
  beforeEach(async () => {
    bot = await BotClient.start({ DIRECTORY_FILE: writeDirectory({ offers: OFFERS, accounts, admins: [adminA, adminB] }), DATA_DIR: 'none' }, mode);
  });
  afterEach(() => bot.close());

  async function reviewOn(person: { aadObjectId: string }, accountId: string, quantity: number): Promise<Card> {
    await bot.say(person, `open ${accountId}`);
    const [review] = await bot.say(person, `set C2TU1 ${quantity}`);
    expect(textOf(review!)).toContain(`New: ${quantity}`);
    return review!;
  }

  it('another admin confirming with a pending review id does not use it up; its owner’s confirmation applies once', async () => {
    const reviewA = await reviewOn(a, 'ca', 20);
    const stolen = buttonOf(reviewA, 'Update Subscriptions').data.reviewId as string;

    // B confirms a change of their own with A's review id: B's change is B's, and applies.
    const reviewB = await reviewOn(b, 'cb', 15);
    const confirmB = buttonOf(reviewB, 'Update Subscriptions');
    const doneB = await bot.execute(b, confirmB.verb, { ...confirmB.data, reviewId: stolen });
    expect(textOf(doneB)).toContain('10 → 15');

    // A's confirmation still applies, and a retry of it answers the same without applying again.
    const doneA = await click(bot, a, reviewA, 'Update Subscriptions');
    expect(textOf(doneA)).toContain('10 → 20');
    expect(JSON.stringify(doneA)).not.toContain('another administrator');
    const again = await click(bot, a, reviewA, 'Update Subscriptions');
    expect(textOf(again)).toContain('10 → 20');

    const [history] = await bot.say(a, 'history');
    expect(textOf(history!).match(/10 → 20/g)).toHaveLength(1);
    const [subs] = await bot.say(a, 'subscriptions');
    expect(textOf(subs!)).toContain('Quantity (now 20)');
  });

  it('a replay of B’s confirmation by B applies once too', async () => {
    const reviewB = await reviewOn(b, 'cb', 12);
    const first = await click(bot, b, reviewB, 'Update Subscriptions');
    const second = await click(bot, b, reviewB, 'Update Subscriptions');
    expect(textOf(first)).toContain('10 → 12');
    expect(textOf(second)).toEqual(textOf(first));
    const [history] = await bot.say(b, 'history');
    expect(textOf(history!).match(/10 → 12/g)).toHaveLength(1);
  });
});
