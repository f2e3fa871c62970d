import { CHANGE_OFFER_ROLES, VIEW_SUBSCRIPTION_ROLES } from '../../src/domain/permissions';
import { writeDirectory } from '../support/directories';
import { roleMatrix } from '../support/role-matrix';
import { CARD_MODES, BotClient, actionsOf, textOf } from '../support/bot-client';

/**
 * Every role, held on the reseller itself or on the partner above it: who sees the reseller's
 * offers card, who gets its toggles and may change it, over real HTTP. A role on the reseller's
 * customer reaches nothing above it.
 */
const { cases, doc } = roleMatrix({ customer: 'c', reseller: 'r', partner: 'p' }, 2000);

describe.each(CARD_MODES)('offer permissions, every role on the reseller, above it and below it (%s buttons)', (mode) => {
  let bot: BotClient;
  beforeAll(async () => {
    bot = await BotClient.start({ DIRECTORY_FILE: writeDirectory(doc) }, mode);
  });
  afterAll(() => bot.close());

  it.each(cases.map((c) => [c.role, c.where, c.aadObjectId] as const))('%s held on the %s', async (role, where, aadObjectId) => {
    const person = { aadObjectId };
    const opened = textOf((await bot.say(person, 'open r'))[0]!);
    if (where === 'customer') {
      // "r" finds nothing above their scope (it opens their own Customer, whose name has an r).
      expect(opened).not.toContain('Account id: r\n');
      const own = (await bot.say(person, 'offers'))[0]!;
      expect(textOf(own)).toContain('Customer is not a base level');
      expect(textOf(own)).toContain('the base level above it');
      expect(textOf(own)).not.toContain('Reseller');
      const forged = await bot.execute(person, 'reviewOffers', { accountId: 'r', offers: { T2TU1: 'on' } }, own);
      expect(textOf(forged)).toContain('Account not found');
      return;
    }
    const mayOpen = where === 'reseller' || !['BrandContributor', 'SyncContributor'].includes(role);
    if (!mayOpen) {
      expect(opened).toContain('Not allowed here');
      return;
    }
    const card = (await bot.say(person, 'offers'))[0]!;
    const text = textOf(card);
    if (!VIEW_SUBSCRIPTION_ROLES.includes(role)) {
      expect(text).toContain('do not include seeing its offers');
      return;
    }
    const changes = CHANGE_OFFER_ROLES.includes(role) && where === 'partner';
    expect(text).toContain('2 of 3 offers enabled');
    expect(actionsOf(card).some((a) => a.title === 'Review changes')).toBe(changes);
    expect(JSON.stringify(card).includes('"Input.Toggle"')).toBe(changes);
    const review = textOf((await bot.say(person, 'offer T2TU1 on'))[0]!);
    if (changes) expect(review).toContain('Not enabled → Enabled');
    else expect(review).toContain('Not allowed here');
  });
});
