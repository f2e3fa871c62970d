import type { AccountRecord } from '../../src/domain/directory-document';
import { OFFERS, admin, tempDir, writeDirectory } from '../support/directories';
import { BotClient, action, textOf, type Card } from '../support/bot-client';

/**
 * Several contributors change the same subscriptions at the same time, each retrying after a
 * refusal the way a person would: no update is lost, and the audit trail adds up to the final
 * quantities.
 */
const accounts: AccountRecord[] = [
  { id: 'p', name: 'Partner', parentId: null, kind: 'partner', enabledOffers: ['C2TU1', 'T2TU1'] },
  { id: 'c', name: 'Busy Customer', parentId: 'p', kind: 'customer', subscriptions: [{ sku: 'C2TU1', quantity: 100, assigned: 0 }, { sku: 'T2TU1', quantity: 100, assigned: 0 }] },
];
const ADMINS = 6;
const people = Array.from({ length: ADMINS }, (_, i) => admin(`00000000-0000-0000-0000-00000000050${i}`, [['p', ['SubscriptionContributor']]], `Contributor ${i}`));

function quantities(card: Card): Record<string, number> {
  const found: Record<string, number> = {};
  JSON.stringify(card.body, (key, value) => {
    if (value && typeof value === 'object' && value.type === 'Input.Number') found[value.id.replace('qty_', '')] = value.value;
    return value;
  });
  return found;
}

describe('concurrent subscription changes', () => {
  it('lose no update, and the audit trail matches the final quantities', async () => {
    const bot = await BotClient.start({ DIRECTORY_FILE: writeDirectory({ offers: OFFERS, accounts, admins: people }), DATA_DIR: tempDir() });
    try {
      // Each admin adds 1..3 licences to one SKU, three times; refused reviews are redone on fresh values.
      const applied: { sku: string; delta: number }[] = [];
      await Promise.all(
        people.map(async (person, i) => {
          const me = { aadObjectId: person.aadObjectId };
          await bot.say(me, 'open c');
          for (let round = 0; round < 3; round++) {
            const sku = (i + round) % 2 ? 'T2TU1' : 'C2TU1';
            const delta = 1 + ((i + round) % 3);
            for (let attempt = 0; attempt < 50; attempt++) {
              // As a person does it: read the card, type a new quantity, review, confirm.
              const [current] = await bot.say(me, 'subscriptions');
              const button = action(current!, 'Review changes');
              const review = await bot.execute(me, button.verb, { ...button.data, [`qty_${sku}`]: String(quantities(current!)[sku]! + delta) });
              if (textOf(review).includes('changed by someone else')) continue;
              const answer = await bot.execute(me, 'confirm', action(review, 'Update Subscriptions').data);
              if (textOf(answer).includes('Subscriptions updated')) {
                applied.push({ sku, delta });
                break;
              }
              expect(textOf(answer)).toContain('changed by someone else');
            }
          }
        }),
      );
      expect(applied).toHaveLength(ADMINS * 3);

      const [final] = await bot.say({ aadObjectId: people[0]!.aadObjectId }, 'subscriptions');
      const expected = (sku: string) => 100 + applied.filter((a) => a.sku === sku).reduce((sum, a) => sum + a.delta, 0);
      expect(quantities(final!)).toEqual({ C2TU1: expected('C2TU1'), T2TU1: expected('T2TU1') });

      // The history (last 20) has every change, each starting where the one before it ended.
      const history = textOf((await bot.say({ aadObjectId: people[0]!.aadObjectId }, 'history'))[0]!);
      const steps = [...history.matchAll(/\((C2TU1|T2TU1)\) (\d+) → (\d+)/g)].map((m) => ({ sku: m[1]!, from: Number(m[2]), to: Number(m[3]) })).reverse();
      expect(steps).toHaveLength(ADMINS * 3);
      const running: Record<string, number> = { C2TU1: 100, T2TU1: 100 };
      for (const step of steps) {
        expect(step.from).toBe(running[step.sku]);
        running[step.sku] = step.to;
      }
      expect(running).toEqual(quantities(final!));
    } finally {
      await bot.close();
    }
  }, 60_000);
});
