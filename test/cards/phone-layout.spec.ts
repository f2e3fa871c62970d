import { readFileSync } from 'node:fs';
import type { DirectoryDocument } from '../../src/domain/directory-document';
import { projectPath } from '../../src/project-path';
import { TEMPLATE_FILES } from '../../src/teams/card-renderer';
import { renderedCard } from '../support/adaptive-cards';
import { BotClient, action, click, textOf, type Card } from '../support/bot-client';
import { contrastRatio, TEAMS_LIGHT_BACKGROUNDS, TEAMS_LIGHT_FOREGROUND, type TextColor } from '../support/contrast';
import { ALEX, LYNNE, OFFERS, admin, wideDirectory, writeDirectory } from '../support/directories';
import type { AccountRecord } from '../../src/domain/directory-document';

/**
 * What a phone needs from every card (issue 14 §2): button titles that a narrow client does not
 * clip, quantity inputs the client can explain, long sections behind toggles, text that meets WCAG
 * AA contrast on Teams' colours, one number format, and a switch picker that stays short.
 */
const demo = JSON.parse(readFileSync(projectPath('data', 'demo-directory.json'), 'utf8')) as DirectoryDocument;
const alex = { aadObjectId: ALEX };

/** The titles a person reads on buttons: card actions and action sets, not selectActions (those are rows). */
function buttonTitles(card: Card): string[] {
  const titles: string[] = [];
  const walk = (node: unknown, key?: string): void => {
    if (Array.isArray(node)) node.forEach((n) => walk(n, key));
    else if (node && typeof node === 'object') {
      const n = node as Card;
      if (key === 'actions' && typeof n.title === 'string') titles.push(n.title);
      for (const [k, v] of Object.entries(n)) if (k !== 'fallback' && k !== 'selectAction') walk(v, k);
    }
  };
  walk(card);
  return titles;
}

function find(card: Card, test: (n: Card) => boolean): Card[] {
  const found: Card[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      if (test(node as Card)) found.push(node as Card);
      Object.values(node).forEach(walk);
    }
  };
  walk(card);
  return found;
}

describe('cards on a phone (demo directory)', () => {
  let bot: BotClient;
  const cards = new Map<string, Card>();

  beforeAll(async () => {
    bot = await BotClient.start();
    cards.set('where am i', (await bot.say(alex, 'where am i'))[0]!);
    cards.set('children', (await bot.say(alex, 'accounts'))[0]!);
    cards.set('find', (await bot.say(alex, 'find dental'))[0]!);
    cards.set('deep where am i', (await bot.say(alex, 'open wingtip'))[0]!);
    cards.set('deep children', (await bot.say(alex, 'open tailspin'), await bot.say(alex, 'accounts'))[0]!);
    cards.set('switch', (await bot.say({ aadObjectId: LYNNE }, 'switch'))[0]!);
    cards.set('portal', (await bot.say(alex, 'open castlegate-hotels'), await bot.say(alex, 'portal'))[0]!);
    const subscriptions = (await bot.say(alex, 'subscriptions'))[0]!;
    cards.set('subscriptions', subscriptions);
    const review = (await bot.say(alex, 'set C2TPA1 46'))[0]!;
    cards.set('review', review);
    cards.set('confirmation', await click(bot, alex, review, 'Update Subscriptions'));
    cards.set('history', (await bot.say(alex, 'history'))[0]!);
    cards.set('help', (await bot.say(alex, 'help'))[0]!);
    cards.set('reseller where am i', (await bot.say(alex, 'open tailspin'))[0]!);
    cards.set('offers', (await bot.say(alex, 'offers'))[0]!);
    cards.set('refused offer review', (await bot.say(alex, 'offer T2TU1 off'))[0]!);
    const offerReview = (await bot.say(alex, 'offer C2TU250 on'))[0]!;
    cards.set('offer review', offerReview);
    cards.set('offers updated', await click(bot, alex, offerReview, 'Update offers'));
    await bot.say(alex, 'open castlegate-hotels'); // where the tests below expect Alex
  });
  afterAll(() => bot.close());

  it('names no account in a button title, and keeps every title short enough not to be clipped', () => {
    const names = demo.accounts.map((a) => a.name);
    for (const [flow, card] of cards) {
      for (const title of buttonTitles(card)) {
        expect({ flow, title, names: names.filter((n) => title.includes(n)) }).toEqual({ flow, title, names: [] });
        expect({ flow, title, length: title.length <= 24 }).toEqual({ flow, title, length: true });
      }
    }
    // Where "Go up" leads is in the body: the breadcrumb's last step above "you are here".
    const deep = cards.get('deep where am i')!;
    expect(buttonTitles(deep)).toContain('⬆ Go up');
    expect(textOf(deep)).toMatch(/↳ Tailspin Networks · Reseller[^\n]*\n↳ Wingtip IT Services \(you are here\)/);
    expect(buttonTitles(cards.get('deep children')!)).toContain('↩ Back');
    expect(textOf(cards.get('deep children')!)).toContain('Sub accounts of Tailspin Networks');
  });

  it('puts Offers on the where-am-i card of a base level beside, not among, its six card actions', () => {
    const where = cards.get('reseller where am i')!;
    expect(where.actions.length).toBeLessThanOrEqual(6);
    expect(buttonTitles(where)).toContain('Offers');
    expect(where.actions.map((a: Card) => a.title)).not.toContain('Offers');
    expect(buttonTitles(cards.get('deep children')!)).not.toContain('Offers');
  });

  it('gives each offer a toggle a phone can read, and Review changes the first action', () => {
    const card = cards.get('offers')!;
    const toggles = find(card, (n) => n.type === 'Input.Toggle');
    expect(toggles.length).toBe(8);
    for (const toggle of toggles) expect(toggle).toMatchObject({ title: 'Enabled for accounts below', valueOn: 'true', valueOff: 'false', value: expect.stringMatching(/^(true|false)$/) });
    expect(card.actions[0].title).toBe('Review changes');
    // Holders of a refused turn-off are rows that open them, not buttons named after them.
    const refused = cards.get('refused offer review')!;
    const rows = find(refused, (n) => n.selectAction?.verb === 'open');
    expect(rows).toHaveLength(3);
    expect(textOf(refused)).toContain('and 4 more');
  });

  it('shows the granted roles, and the implied ones only after "Implied roles"', () => {
    const card = cards.get('where am i')!;
    expect(textOf(card)).toContain('Your roles here: Account Owner, Subscription Contributor\n');
    const rendered = renderedCard(card);
    const implied = rendered.getElementById('impliedRoles');
    expect(implied.isVisible).toBe(false);
    expect(implied.text).toBe('Implied by those roles: Subscription Viewer, Service Contributor, Service Viewer');
    const toggle = rendered.getAllActions().find((a: { title?: string }) => a.title === 'Implied roles');
    toggle.execute();
    expect(implied.isVisible).toBe(true);
  });

  it('gives quantity inputs min, max, isRequired and an errorMessage the client shows', () => {
    const card = cards.get('subscriptions')!;
    const inputs = find(card, (n) => n.type === 'Input.Number');
    const pbx = inputs.find((i) => i.id === 'qty_C2TU250')!;
    expect(pbx).toMatchObject({ min: 233, max: 10000, isRequired: true, errorMessage: 'Enter a whole number from 233 to 10,000: 233 assigned to users' });
    for (const input of inputs) expect(input).toMatchObject({ isRequired: true, errorMessage: expect.stringMatching(/^Enter a whole number from [\d,]+ to 10,000/) });

    // The client judges entries against them before anything is sent.
    const rendered = renderedCard(card);
    const box = rendered.getAllInputs().find((i: { id: string }) => i.id === 'qty_C2TU250');
    const judge = (value: string) => {
      box._numberInputElement.value = value; // what a person typed into the rendered box
      return box.isValid();
    };
    expect([judge('200'), judge('233'), judge('300'), judge('100000'), judge('-3')]).toEqual([false, true, true, false, false]);
  });

  it('keeps its own checks on the server when a client sends what the inputs would refuse', async () => {
    const [card] = await bot.say(alex, 'subscriptions');
    const review = action(card!, 'Review changes');
    const send = async (qty: string) => textOf(await bot.execute(alex, review.verb, { ...review.data, qty_C2TU250: qty }));
    expect(await send('200')).toContain('233 licences are assigned to users, so the quantity cannot go below 233.');
    expect(await send('100000')).toContain('At most 10,000 licences per subscription.');
    expect(await send('-3')).toContain('Enter a whole number from 0 to 10,000.');
    const [after] = await bot.say(alex, 'subscriptions');
    expect(textOf(after!)).toContain('Quantity (now 260)');
  });

  it('puts the subscriptions first and Purchase services behind a toggle, with Review changes the first action', () => {
    const card = cards.get('subscriptions')!;
    const section = find(card, (n) => n.id === 'purchaseServices')[0]!;
    expect(section.isVisible).toBe(false);
    const toggle = find(card, (n) => n.type === 'Action.ToggleVisibility')[0]!;
    expect(toggle).toMatchObject({ targetElements: ['purchaseServices'], title: expect.stringMatching(/^Purchase services \(\d+\)$/) });
    const inside = find(section, (n) => n.type === 'Input.Number').map((i) => i.id);
    const all = find(card, (n) => n.type === 'Input.Number').map((i) => i.id);
    expect(inside.length).toBeGreaterThan(0);
    // Every input outside the section is one of the account's own subscriptions, and they come first.
    expect(all.slice(0, all.length - inside.length)).toEqual(['qty_C2TU250', 'qty_C2TPA1', 'qty_T2TU1']);
    expect(all.slice(all.length - inside.length)).toEqual(inside);
    expect(card.actions[0].title).toBe('Review changes');
  });

  it('opens Purchase services by itself when one of its lines needs attention', async () => {
    const card = (await bot.say(alex, 'subscriptions'))[0]!;
    const section = find(card, (n) => n.id === 'purchaseServices')[0]!;
    const sku = find(section, (n) => n.type === 'Input.Number')[0]!.id as string;
    const review = action(card, 'Review changes');
    const again = await bot.execute(alex, review.verb, { ...review.data, [sku]: '2.5' });
    expect(find(again, (n) => n.id === 'purchaseServices')[0]!.isVisible).toBe(true);
    expect(textOf(again)).toContain('1 line needs attention');
  });

  it('writes counts and quantities one way: grouped in threes', () => {
    expect(textOf(cards.get('review')!)).toContain('Now: 45 · ');
    expect(textOf(cards.get('confirmation')!)).toContain('(C2TPA1): 45 → 46');
  });
});

describe('one number format for large counts', () => {
  let bot: BotClient;
  beforeAll(async () => {
    bot = await BotClient.start({ DIRECTORY_FILE: writeDirectory(wideDirectory(3202)) });
  });
  afterAll(() => bot.close());

  it('writes 3,203 sub accounts the same on the fact, the button and the page', async () => {
    const [where] = await bot.say(alex, 'where am i');
    expect(textOf(where!)).toContain('Sub accounts: 3,203');
    expect(buttonTitles(where!)).toContain('Sub accounts (3,203)');
    const tree = await click(bot, alex, where!, 'Sub accounts (3,203)');
    expect(textOf(tree)).toContain('Showing 1–20 of 3,203 · page 1 of 161. Tap a name to open it.');
    const [found] = await bot.say(alex, 'switch');
    expect(textOf(found!)).toContain('You administer 1 account;');
  });
});

describe('the switch picker with many accounts', () => {
  const accounts: AccountRecord[] = [{ id: 'p', name: 'Partner', parentId: null, kind: 'partner' }];
  for (let i = 0; i < 1200; i++) accounts.push({ id: `c${i}`, name: `Client ${String(i).padStart(4, '0')} with a rather long registered trading name Ltd`, parentId: 'p', kind: 'customer' });
  const many = admin('00000000-0000-0000-0000-000000000778', accounts.slice(1).map((a) => [a.id, ['ServiceViewer']]), 'Helpdesk Hana');
  let bot: BotClient;
  beforeAll(async () => {
    bot = await BotClient.start({ DIRECTORY_FILE: writeDirectory({ offers: OFFERS, accounts, admins: [many] }) });
  });
  afterAll(() => bot.close());

  it('stays short: a few shortened choices, no list of paths, and a hint for the rest', async () => {
    const hana = { aadObjectId: many.aadObjectId };
    await bot.say(hana, 'open c700');
    const [picker] = await bot.say(hana, 'switch');
    const choiceSet = picker!.body.find((b: Card) => b.type === 'Input.ChoiceSet');
    expect(choiceSet.choices.length).toBeLessThanOrEqual(10);
    // The account the admin is on stays in the picker (its preset value).
    expect(choiceSet.choices.map((c: Card) => c.value)).toContain('c700');
    for (const c of choiceSet.choices) expect(c.title.length).toBeLessThanOrEqual(48);
    expect(choiceSet.choices[1].title).toMatch(/…$/);
    const text = textOf(picker!);
    expect(text).toContain('You administer 1,200 accounts');
    expect(text).toContain('The picker lists 10 of 1,200: type part of a name in it to find the others.');
    expect(text).not.toContain('Partner > ');
    expect(JSON.stringify(picker).length).toBeLessThan(8 * 1024);
    // A phone screen holds it: heading, summary, picker, hint.
    expect(picker!.body).toHaveLength(4);
  });
});

describe('card templates', () => {
  const templates = Object.values(TEMPLATE_FILES).map((file) => [file, JSON.parse(readFileSync(projectPath('cards', file), 'utf8')) as Card] as const);

  it('measure as the issue did: Teams Good on white is 2.07:1', () => {
    expect(contrastRatio(TEAMS_LIGHT_FOREGROUND.good.default, '#ffffff')).toBeCloseTo(2.07, 2);
  });

  it('use only text colours that meet WCAG AA (4.5:1) on Teams light backgrounds', () => {
    for (const [file, template] of templates) {
      for (const text of find(template, (n) => n.type === 'TextBlock' || n.type === 'TextRun')) {
        const color = String(text.color ?? 'default').toLowerCase() as TextColor;
        const shade = text.isSubtle === true ? 'subtle' : 'default';
        for (const [background, hex] of Object.entries(TEAMS_LIGHT_BACKGROUNDS)) {
          const ratio = contrastRatio(TEAMS_LIGHT_FOREGROUND[color][shade], hex);
          expect({ file, color, shade, background, aa: ratio >= 4.5 }).toEqual({ file, color, shade, background, aa: true });
        }
      }
    }
  });

  it('show the logo so that a broken URL keeps the layout: a fixed-size column, the brand name in text beside it', () => {
    for (const [file, template] of templates) expect({ file, images: find(template, (n) => n.type === 'Image') }).toEqual({ file, images: [] });
    const where = templates.find(([file]) => file === 'where-am-i.json')![1];
    const logo = find(where, (n) => n.type === 'Column' && n.backgroundImage !== undefined)[0]!;
    expect(logo).toMatchObject({ width: '32px', minHeight: '32px', backgroundImage: { url: '${brand.logoUrl}' } });
  });
});
