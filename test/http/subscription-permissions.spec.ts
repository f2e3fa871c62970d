import type { Role } from '../../src/domain/roles';
import { writeDirectory } from '../support/directories';
import { roleMatrix } from '../support/role-matrix';
import { CARD_MODES, BotClient, actionsOf, textOf } from '../support/bot-client';

/**
 * Every role, held on the customer itself, on its reseller, or on the partner: who sees the
 * subscriptions card, who may change it, over real HTTP.
 */
const { cases, doc } = roleMatrix({ self: 'c', reseller: 'r', partner: 'p' }, 1000);

const SEES: readonly Role[] = ['SubscriptionOwner', 'SubscriptionContributor', 'SubscriptionViewer'];
const CHANGES: readonly Role[] = ['SubscriptionOwner', 'SubscriptionContributor'];

describe.each(CARD_MODES)('subscription permissions, every role on the account and above it (%s buttons)', (mode) => {
  let bot: BotClient;
  beforeAll(async () => {
    bot = await BotClient.start({ DIRECTORY_FILE: writeDirectory(doc) }, mode);
  });
  afterAll(() => bot.close());

  it.each(cases.map((c) => [c.role, c.where, c.aadObjectId] as const))('%s held on the %s', async (role, where, aadObjectId) => {
    const person = { aadObjectId };
    const mayBrowse = where === 'self' || !['BrandContributor', 'SyncContributor'].includes(role);
    const opened = textOf((await bot.say(person, 'open c'))[0]!);
    if (!mayBrowse) {
      expect(opened).toContain('Not allowed here');
      return;
    }
    const card = (await bot.say(person, 'subscriptions'))[0]!;
    const sees = SEES.includes(role);
    const changes = CHANGES.includes(role) && where !== 'self';
    if (!sees) {
      expect(textOf(card)).toContain('do not include seeing its subscriptions');
      return;
    }
    expect(textOf(card)).toContain('Call2Teams PBX User');
    expect(actionsOf(card).some((a) => a.title === 'Review changes')).toBe(changes);
    const review = textOf((await bot.say(person, 'set C2TU1 12'))[0]!);
    if (changes) expect(review).toContain('New: 12');
    else expect(review).toContain('Not allowed here');
  });
});
