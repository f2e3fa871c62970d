import { readTrials, trialDigestFor } from '../../src/app/trial-digest';
import { readdirSync, readFileSync } from 'node:fs';
import { parseAndRender } from '../support/adaptive-cards';
import { ALEX, DEMO_FILE, ISAIAH, LYNNE, MEGAN, TENANT, wideDirectory, writeDirectory } from '../support/directories';
import { noticesFor, noticeView } from '../../src/app/change-notices';
import { EmbeddedDirectory } from '../../src/directory/embedded/embedded-directory';
import { BotClient, action, actionsOf, rowsOf, textOf, type Card } from '../support/bot-client';
import { CardRenderer, MAX_CARD_BYTES, TEMPLATE_FILES, cardBytes } from '../../src/teams/card-renderer';
import { projectPath } from '../../src/project-path';

/**
 * Every template under cards/, expanded by the real templating engine with the data the real
 * use cases produce on the demo directory, then parsed and rendered by Microsoft's renderer.
 */
describe('card templates', () => {
  let bot: BotClient;
  const rendered = new Map<string, Card[]>();
  const keep = (name: string, card: Card) => rendered.set(name, [...(rendered.get(name) ?? []), card]);

  beforeAll(async () => {
    bot = await BotClient.start();
    const alex = { aadObjectId: ALEX };
    keep('where-am-i.json', (await bot.say(alex, 'where am i'))[0]!);
    keep('where-am-i.json', (await bot.say(alex, 'open wingtip'))[0]!);
    keep('account-tree.json', (await bot.say(alex, 'accounts'))[0]!);
    keep('account-tree.json', (await bot.say(alex, 'open kestrel-print'), await bot.say(alex, 'accounts'))[0]!);
    keep('portal-links.json', (await bot.say(alex, 'portal'))[0]!);
    keep('portal-links.json', (await bot.say({ aadObjectId: '00000000-0000-0000-0000-0000000000022' }, 'open acme-dental'), await bot.say({ aadObjectId: '00000000-0000-0000-0000-0000000000022' }, 'portal'))[0]!);
    keep('switch-account.json', (await bot.say({ aadObjectId: LYNNE }, 'switch'))[0]!);
    keep('search-results.json', (await bot.say(alex, 'find a'))[0]!);
    keep('search-results.json', (await bot.say(alex, 'find zzzz'))[0]!);
    keep('help.json', (await bot.say(alex, 'help'))[0]!);
    keep('error.json', (await bot.say(alex, 'open nowhere'))[0]!);
    keep('error.json', (await bot.say({ aadObjectId: 'nobody' }, 'where am i'))[0]!);
    keep('error.json', (await bot.say({ aadObjectId: MEGAN }, 'gibberish'))[0]!);
    await bot.say(alex, 'open castlegate-hotels');
    keep('subscription-history.json', (await bot.say(alex, 'history'))[0]!);
    keep('subscriptions.json', (await bot.say(alex, 'subscriptions'))[0]!);
    keep('subscriptions.json', (await bot.say(alex, 'set C2TU1 0'))[0]!);
    const review = (await bot.say(alex, 'set C2TPA1 50'))[0]!;
    keep('subscription-review.json', review);
    const update = action(review, 'Update Subscriptions');
    keep('subscriptions-updated.json', await bot.execute(alex, update.verb, update.data));
    keep('subscription-history.json', (await bot.say(alex, 'history'))[0]!);
    keep('subscriptions.json', (await bot.say({ aadObjectId: ISAIAH }, 'subscriptions'))[0]!);
    await bot.say(alex, 'open tailspin');
    keep('offers.json', (await bot.say(alex, 'offers'))[0]!);
    keep('offers.json', (await bot.say({ aadObjectId: MEGAN }, 'offers'))[0]!);
    keep('offer-review.json', (await bot.say(alex, 'offer T2TU1 off'))[0]!);
    const offerReview = (await bot.say(alex, 'offer C2TU250 on'))[0]!;
    keep('offer-review.json', offerReview);
    const updateOffers = action(offerReview, 'Update offers');
    keep('offers-updated.json', await bot.execute(alex, updateOffers.verb, updateOffers.data));
    keep('subscription-history.json', (await bot.say(alex, 'history'))[0]!);
    keep('notices.json', (await bot.say(alex, 'notices'))[0]!);
    keep('notices.json', (await bot.say(alex, 'notices off'))[0]!);
    const directory = await EmbeddedDirectory.open({ seedFile: DEMO_FILE });
    const entry = { id: 'e1', accountId: 'ashdown-freight', at: '2026-11-26T22:15:00.000Z', actor: { tenantId: TENANT, aadObjectId: ALEX, name: 'Alex Wilber' }, actionId: 'a1', lines: [{ sku: 'T2TU80', oldQuantity: 120, newQuantity: 130 }], monthlyDifferenceMinor: 2900, currency: 'GBP', versionBefore: '1' };
    const [notice] = noticesFor(entry, (await directory.getPath('ashdown-freight'))!, await directory.adminsOn(['northwind', 'tailspin', 'ashdown-freight']));
    keep('change-notice.json', new CardRenderer().render((await noticeView(directory, notice!))!));
    const offerEntry = { ...entry, accountId: 'tailspin', actionId: 'a2', lines: [], offerLines: [{ sku: 'C2TU250', enabled: true }], monthlyDifferenceMinor: 0 };
    const [offerNotice] = noticesFor(offerEntry, (await directory.getPath('tailspin'))!, await directory.adminsOn(['northwind', 'tailspin']));
    keep('change-notice.json', new CardRenderer().render((await noticeView(directory, offerNotice!))!));
    const { trials, admins } = await readTrials(directory, '2026-10-01');
    const offerNames = new Map((await directory.listOffers()).map((o) => [o.sku, o.name]));
    const meganAdmin = admins.find((a) => a.aadObjectId === MEGAN)!;
    keep('trial-digest.json', new CardRenderer().render(trialDigestFor(meganAdmin, trials, '2026-12-02', offerNames)!));
    await directory.close();
    const found = await bot.invoke(alex, 'composeExtension/query', { commandId: 'findAccount', parameters: [{ name: 'query', value: 'tailspin' }] });
    for (const attachment of found.body.composeExtension.attachments) keep('account-card.json', attachment.content);
  });
  afterAll(() => bot.close());

  it('covers every template file in cards/', () => {
    const files = readdirSync(projectPath('cards')).filter((f) => f.endsWith('.json')).sort();
    expect(files).toEqual(Object.values(TEMPLATE_FILES).sort());
    expect([...rendered.keys()].sort()).toEqual(files);
  });

  it.each(Object.values(TEMPLATE_FILES))('%s is Adaptive Cards 1.5 (1.3 for link unfurling)', (file) => {
    const template = JSON.parse(readFileSync(projectPath('cards', file), 'utf8'));
    expect(template).toMatchObject({ type: 'AdaptiveCard', version: file === 'account-card.json' ? '1.3' : '1.5' });
  });

  it('expands to cards the renderer parses with no unknown elements or invalid properties', () => {
    for (const [file, cards] of rendered) {
      for (const card of cards) {
        const { problems, renderedText } = parseAndRender(card, card.version);
        expect({ file, problems }).toEqual({ file, problems: [] });
        expect(renderedText.length).toBeGreaterThan(10);
        // Nothing left unexpanded for a person to read.
        expect(JSON.stringify(card)).not.toMatch(/\$\{|\$data|\$when/);
        expect(cardBytes(card)).toBeLessThan(MAX_CARD_BYTES);
      }
    }
  });

  it('would catch a card the renderer does not understand', () => {
    const bad = { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'Input.Rating', id: 'x' }, { type: 'TextBlock' }] };
    expect(parseAndRender(bad).problems.join('\n')).toMatch(/Input.Rating|Unknown element/i);
  });

  it('gives every Action.Execute an Action.Submit fallback with the same verb and data', () => {
    const where = rendered.get('where-am-i.json')![1]!;
    const up = action(where, /Go up/);
    expect(up.fallback).toEqual({ type: 'Action.Submit', title: up.title, data: { verb: 'up' } });
    const crumb = action(where, 'Open Tailspin Networks');
    expect(crumb.fallback.data).toEqual({ verb: 'open', accountId: 'tailspin' });
  });

  it('refuses to start without a template for every view', () => {
    expect(() => new CardRenderer(projectPath('data'))).toThrow(/Card template .* is missing/);
  });
});

describe('an account with 5,000 children', () => {
  let bot: BotClient;
  beforeAll(async () => {
    bot = await BotClient.start({ DIRECTORY_FILE: writeDirectory(wideDirectory(5000)) });
  });
  afterAll(() => bot.close());

  it('pages through every child once, in order, forwards and back, every card under 28 KB', async () => {
    const alex = { aadObjectId: ALEX };
    let card = (await bot.say(alex, 'accounts'))[0]!;
    const seen: string[] = [];
    const pages: Card[] = [];
    for (;;) {
      expect(cardBytes(card)).toBeLessThan(MAX_CARD_BYTES);
      pages.push(card);
      seen.push(...rowsOf(card).map((r) => r.accountId));
      const next = card.actions.find((a: Card) => a.title === 'Next ▶');
      if (!next) break;
      card = await bot.execute(alex, next.verb, next.data);
    }
    expect(seen).toHaveLength(5002 - 2 + 1); // 5,000 customers and the reseller
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen[0]).toBe('r'); // "AAA Reseller" sorts first
    expect(seen[1]).toBe('c-0');
    expect(seen[seen.length - 1]).toBe('c-4999');
    expect(JSON.stringify(pages[pages.length - 1])).toContain('page 251 of 251');
    expect(parseAndRender(pages[1]).problems).toEqual([]);

    const previous = card.actions.find((a: Card) => a.title === '◀ Previous');
    const back = await bot.execute(alex, previous.verb, previous.data);
    expect(JSON.stringify(back)).toContain('page 250 of 251');
  });

  it('shows each child as one tap target that opens it, with its name and kind, and a page of 20 long names in under 14 KB', async () => {
    const page = (await bot.say({ aadObjectId: ALEX }, 'accounts'))[0]!;
    const rows = (page.body as Card[]).filter((b) => b.type === 'Container' && b.selectAction);
    expect(rows).toHaveLength(20);
    for (const row of rows) {
      const actions = actionsOf(row);
      expect(actions).toHaveLength(1);
      expect(actions[0]).toMatchObject({ verb: 'open', title: `Open ${row.items[0].inlines[0].text}` });
    }
    expect(rowsOf(page)[1]).toEqual({ name: 'Customer 00000 with a fairly long trading name Ltd', accountId: 'c-0' });
    expect(textOf(page)).toContain('Customer 00000 with a fairly long trading name Ltd\nCustomer');
    expect(cardBytes(page)).toBeLessThan(14 * 1024);
  });
});
