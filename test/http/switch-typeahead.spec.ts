import type { AccountRecord } from '../../src/domain/directory-document';
import { OFFERS, admin, writeDirectory } from '../support/directories';
import { CARD_MODES, BotClient, buttonOf, textOf, type Card } from '../support/bot-client';
import { parseAndRender } from '../support/adaptive-cards';

/** An admin of 80 customer accounts: too many for static choices, so the picker asks as they type. */
const accounts: AccountRecord[] = [{ id: 'p', name: 'Partner', parentId: null, kind: 'partner' }];
for (let i = 0; i < 80; i++) accounts.push({ id: `c${i}`, name: `Client ${String(i).padStart(2, '0')} ${i % 2 ? 'Dental' : 'Legal'}`, parentId: 'p', kind: 'customer' });
const helpdesk = admin('00000000-0000-0000-0000-000000000777', accounts.slice(1).map((a) => [a.id, ['ServiceViewer']]), 'Helpdesk Hana');

describe.each(CARD_MODES)('the switch picker for an admin of many accounts (%s buttons)', (mode) => {
  let bot: BotClient;
  const hana = { aadObjectId: helpdesk.aadObjectId };
  beforeAll(async () => {
    bot = await BotClient.start({ DIRECTORY_FILE: writeDirectory({ offers: OFFERS, accounts, admins: [helpdesk] }) }, mode);
  });
  afterAll(() => bot.close());

  it('uses Data.Query typeahead beyond 50 accounts, answered through application/search', async () => {
    const [picker] = await bot.say(hana, 'switch');
    const input = picker!.body.find((b: Card) => b.type === 'Input.ChoiceSet');
    expect(input['choices.data']).toEqual({ type: 'Data.Query', dataset: 'scopes' });
    expect(input.choices.length).toBeLessThanOrEqual(50);
    // The Adaptive Cards schema puts choices.data in 1.6; Teams documents and renders it in the 1.5 cards
    // it supports. That is the only thing the reference renderer may note.
    expect(parseAndRender(picker!).problems).toEqual(['parse: Property "choices.data" is supported in version 1.6, but you are using version 1.5.']);

    const { status, body } = await bot.invoke(hana, 'application/search', { queryText: 'dental', dataset: 'scopes', queryOptions: { skip: 0, top: 15 } });
    expect(status).toBe(200);
    expect(body.type).toBe('application/vnd.microsoft.search.searchResponse');
    expect(body.value.results).toHaveLength(15);
    expect(body.value.results.every((r: { title: string }) => r.title.includes('Dental'))).toBe(true);

    const chosen = body.value.results[3].value;
    const moved = await bot.execute(hana, buttonOf(picker!, 'Switch').verb, { scopeRootId: chosen }, picker);
    expect(textOf(moved)).toContain(`Account id: ${chosen}`);
  });

  it('answers typeahead for other datasets or strangers with no results', async () => {
    expect((await bot.invoke(hana, 'application/search', { queryText: 'dental', dataset: 'other' })).body.value.results).toEqual([]);
    expect((await bot.invoke({ aadObjectId: 'stranger' }, 'application/search', { queryText: 'a', dataset: 'scopes' })).body.value.results).toEqual([]);
  });
});
