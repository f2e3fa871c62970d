import type { AccountRecord } from '../../src/domain/directory-document';
import { OFFERS, admin, writeDirectory } from '../support/directories';
import { CARD_MODES, BotClient, buttonOf, textOf, type Card } from '../support/bot-client';

/**
 * `switch <text>` for a partner admin of 60 customer accounts (too many for static choices): the
 * picker narrowed to the matching ones, one match switching straight away, no match explained.
 */
const HOSTILE = '*Bold* <b>North</b> [x](https://evil.example) & Sons_';
const accounts: AccountRecord[] = [
  { id: 'p', name: 'Partner', parentId: null, kind: 'partner' },
  { id: 'elsewhere', name: 'Northgate Unreachable', parentId: null, kind: 'partner' },
];
for (let i = 0; i < 57; i++) accounts.push({ id: `c${i}`, name: `Client ${i} ${i % 3 ? 'Dental' : 'Legal'}`, parentId: 'p', kind: 'customer' });
accounts.push(
  { id: 'north', name: 'North Star Ltd', parentId: 'p', kind: 'customer' },
  { id: 'north-hill', name: 'North Hill Ltd', parentId: 'p', kind: 'customer' },
  { id: 'hostile', name: HOSTILE, parentId: 'p', kind: 'customer' },
  { id: 'below', name: 'Kestrel Below', parentId: 'c1', kind: 'customer' },
);
const roots = accounts.filter((a) => a.parentId === 'p');
const hana = admin('00000000-0000-0000-0000-000000000778', roots.map((a) => [a.id, ['ServiceViewer']]), 'Helpdesk Hana');
const choicesOf = (card: Card): { title: string; value: string }[] => card.body.find((b: Card) => b.type === 'Input.ChoiceSet').choices;

describe.each(CARD_MODES)('switch <text> (%s buttons)', (mode) => {
  let bot: BotClient;
  const person = { aadObjectId: hana.aadObjectId };
  beforeAll(async () => {
    bot = await BotClient.start({ DIRECTORY_FILE: writeDirectory({ offers: OFFERS, accounts, admins: [hana] }) }, mode);
  });
  afterAll(() => bot.close());

  it('narrows the picker to the matching accounts, static choices when they are few, and switches with one tap', async () => {
    const [picker] = await bot.say(person, 'switch legal');
    const choices = choicesOf(picker!);
    expect(choices).toHaveLength(19);
    expect(choices.every((c) => c.title.includes('Legal'))).toBe(true);
    expect(picker!.body.find((b: Card) => b.type === 'Input.ChoiceSet')['choices.data']).toBeUndefined();
    expect(textOf(picker!)).toContain('19 of your 60 accounts match “legal”.');
    const moved = await bot.execute(person, buttonOf(picker!, 'Switch').verb, { scopeRootId: choices[2]!.value }, picker);
    expect(textOf(moved)).toContain(`Account id: ${choices[2]!.value}`);
  });

  it('switches straight away on the only match, or on the one whose whole name was typed', async () => {
    const [star] = await bot.say(person, 'switch STAR');
    expect(textOf(star!)).toContain('Account id: north');
    // "North Hill Ltd" also contains "north": its whole name picks it out.
    const [hill] = await bot.say(person, 'switch north hill ltd');
    expect(textOf(hill!)).toContain('Account id: north-hill');
    const [several] = await bot.say(person, 'switch north');
    // Directory order, except that the ones just visited come first, newest first.
    expect(choicesOf(several!).map((c) => c.value)).toEqual(['north-hill', 'north', 'hostile']);
  });

  it('shows and finds a hostile name exactly as stored', async () => {
    const [moved] = await bot.say(person, 'switch <b>north</b> [x]');
    expect(textOf(moved!)).toContain('Account id: hostile');
    expect(textOf(moved!)).toContain(HOSTILE);
    const [picker] = await bot.say(person, 'switch north');
    // The picker's label is shortened for a phone; the list below it spells the name out.
    expect(choicesOf(picker!).map((c) => c.value)).toContain('hostile');
    expect(textOf(picker!)).toContain(`● ${HOSTILE} (Call2Teams)`);
  });

  it('says what to try when nothing matches, and never offers an account that is not one of the admin’s own', async () => {
    for (const text of ['zebra', 'northgate', 'kestrel']) {
      const [none] = await bot.say(person, `switch ${text}`);
      expect(textOf(none!)).toContain(`None of the 60 accounts you switch between matches “${text}”. Type switch to see them all, or find ${text} to search the accounts below them too.`);
    }
    const [found] = await bot.say(person, 'find kestrel');
    expect(textOf(found!)).toContain('Kestrel Below');
  });

  it('keeps switch alone as the short picker that asks as the admin types', async () => {
    const [picker] = await bot.say(person, 'switch');
    const input = picker!.body.find((b: Card) => b.type === 'Input.ChoiceSet');
    expect(input['choices.data']).toEqual({ type: 'Data.Query', dataset: 'scopes' });
    expect(input.choices.length).toBeLessThanOrEqual(10);
    expect(textOf(picker!)).not.toContain('match “');
  });
});
