import type { AccountRecord } from '../../src/domain/directory-document';
import { ROLES, type Role } from '../../src/domain/roles';
import { OFFERS, admin, writeDirectory } from '../support/directories';
import { CARD_MODES, BotClient, actionsOf, textOf } from '../support/bot-client';

/**
 * Every role, held on the customer itself, on its reseller, or on the partner: who sees the
 * subscriptions card, who may change it, over real HTTP.
 */
const accounts: AccountRecord[] = [
  { id: 'p', name: 'Partner', parentId: null, kind: 'partner', enabledOffers: ['C2TU1', 'T2TU1', 'C2TUT'] },
  { id: 'r', name: 'Reseller', parentId: 'p', kind: 'reseller', enabledOffers: ['C2TU1', 'C2TUT'] },
  { id: 'c', name: 'Customer', parentId: 'r', kind: 'customer', subscriptions: [{ sku: 'C2TU1', quantity: 10, assigned: 4 }] },
];
const WHERE = { self: 'c', reseller: 'r', partner: 'p' } as const;
type Where = keyof typeof WHERE;
const cases = ROLES.flatMap((role) => (Object.keys(WHERE) as Where[]).map((where) => ({ role, where })));
const oid = (i: number) => `00000000-0000-0000-0000-${String(1000 + i).padStart(12, '0')}`;
const admins = cases.map(({ role, where }, i) => admin(oid(i), [[WHERE[where], [role]]], `${role} on ${where}`));

const SEES: readonly Role[] = ['SubscriptionOwner', 'SubscriptionContributor', 'SubscriptionViewer'];
const CHANGES: readonly Role[] = ['SubscriptionOwner', 'SubscriptionContributor'];

describe.each(CARD_MODES)('subscription permissions, every role on the account and above it (%s buttons)', (mode) => {
  let bot: BotClient;
  beforeAll(async () => {
    bot = await BotClient.start({ DIRECTORY_FILE: writeDirectory({ offers: OFFERS, accounts, admins }) }, mode);
  });
  afterAll(() => bot.close());

  it.each(cases.map((c, i) => [c.role, c.where, i] as const))('%s held on the %s', async (role, where, i) => {
    const person = { aadObjectId: oid(i) };
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
