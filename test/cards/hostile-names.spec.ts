import fc from 'fast-check';
import type { AccountRecord, DirectoryDocument } from '../../src/domain/directory-document';
import { parseAndRender, useMarkdownHost, type MarkdownHost } from '../support/adaptive-cards';
import { BotClient, action, cardsOf, type Card } from '../support/bot-client';
import { ALEX, TENANT, writeDirectory } from '../support/directories';

/**
 * Names chosen by hostile customers, shown exactly. For random account, brand, offer and admin
 * names and typed queries built from markdown and HTML metacharacters, line breaks, CJK, RTL and
 * emoji, every card of every flow is rendered by Microsoft's `adaptivecards` renderer under jsdom
 * with markdown-it (as the Agents Playground does, with and without raw HTML): each name appears
 * in the visible text exactly as written, and the card holds no link and no markup made from data.
 */
const PIECES = ['[', ']', '(', ')', '*', '**', '_', '~~', '#', '# ', '>', '> ', '|', '<', '>', '`', '&', '&amp;', '\\', '\n', '\n\n', '- ', '1. ', ' ', 'a', 'Ltd', 'https://evil.example/login', '](https://evil.example)', '<b>', '</b>', '<script>x</script>', '漢字', 'שלום', 'مرحبا', '🙂', '👩‍💻', 'é'];
const hostile = fc.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 6 }).map((parts) => parts.join(''));

/** Markup that only data could have made: Switchboard's own cards use none of it but bold money. */
const DATA_MARKUP = ['a', ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'li', 'code', 'pre', 'table', 'img', 'del', 's', 'script', 'b', 'strong', 'em'].flatMap((tag) => [`.ac-textBlock ${tag}`, `.ac-richTextBlock ${tag}`])].join(', ');
const SWITCHBOARD_EMPHASIS = /^([+−-]?[£$€]?[\d,.]+|Account Portal|Customer Portal)$/;

const HOSTS: readonly MarkdownHost[] = ['markdown-it', 'markdown-it+html'];

interface Names {
  readonly brand: string;
  readonly partner: string;
  readonly reseller: string;
  readonly customers: readonly string[];
  readonly offer: string;
  readonly admin: string;
  readonly query: string;
}

const namesArb: fc.Arbitrary<Names> = fc.record({
  brand: hostile,
  partner: hostile,
  reseller: hostile,
  customers: fc.array(hostile, { minLength: 2, maxLength: 3 }),
  offer: hostile,
  admin: hostile,
  query: hostile,
});

function directoryOf(names: Names): DirectoryDocument {
  const accounts: AccountRecord[] = [
    { id: 'p', name: names.partner, parentId: null, kind: 'partner', brand: { name: names.brand }, enabledOffers: ['C2TU1', 'T2TU1'] },
    { id: 'r', name: names.reseller, parentId: 'p', kind: 'reseller', enabledOffers: ['C2TU1'] },
    ...names.customers.map((name, i): AccountRecord => ({ id: `c${i}`, name, parentId: i === 0 ? 'r' : 'p', kind: 'customer', subscriptions: [{ sku: 'C2TU1', quantity: 10, assigned: 2 }] })),
  ];
  return {
    offers: [
      { sku: 'C2TU1', name: names.offer, monthlyPrice: 4, currency: 'GBP', trial: false },
      { sku: 'T2TU1', name: `${names.offer} trunk`, monthlyPrice: 3.5, currency: 'GBP', trial: false },
    ],
    accounts,
    admins: [
      {
        tenantId: TENANT,
        aadObjectId: ALEX,
        name: names.admin,
        email: 'alex@example.com',
        memberships: [
          { accountId: 'p', roles: ['AccountOwner', 'SubscriptionContributor'] },
          { accountId: 'c1', roles: ['SubscriptionViewer'] },
        ],
      },
    ],
  };
}

/** A typed command as Switchboard reads it: runs of white space are one space. */
const typed = (text: string) => text.replace(/\s+/g, ' ').trim();

/** Every card of the main flows, each with the data strings a person must see on it. */
async function walk(bot: BotClient, names: Names): Promise<{ what: string; card: Card; version: '1.3' | '1.5'; shows: string[] }[]> {
  const alex = { aadObjectId: ALEX };
  const seen: { what: string; card: Card; version: '1.3' | '1.5'; shows: string[] }[] = [];
  const keep = (what: string, card: Card | undefined, shows: string[], version: '1.3' | '1.5' = '1.5') => {
    if (!card) throw new Error(`${what}: no card`);
    seen.push({ what, card, version, shows });
  };
  const [c0, c1] = names.customers as [string, string];
  const welcome = cardsOf((await bot.post(bot.activity(alex, { type: 'conversationUpdate', membersAdded: [{ id: '28:switchboard' }] }))).body)[0];
  keep('welcome', welcome, [names.admin]);
  keep('where am i', (await bot.say(alex, 'where am i'))[0], [names.brand, names.partner]);
  keep('sub accounts', (await bot.say(alex, 'accounts'))[0], [names.partner, names.reseller, c1]);
  keep('open a customer', (await bot.say(alex, 'open c0'))[0], [names.brand, names.partner, names.reseller, c0]);
  keep('portal', (await bot.say(alex, 'portal'))[0], [c0, names.partner, names.reseller]);
  keep('subscriptions', (await bot.say(alex, 'subscriptions'))[0], [c0, names.offer]);
  const review = (await bot.say(alex, 'set C2TU1 12'))[0];
  keep('review', review, [c0, names.offer]);
  keep('updated', await bot.execute(alex, 'confirm', action(review!, 'Update Subscriptions').data), [c0, names.offer, names.admin]);
  keep('history', (await bot.say(alex, 'history'))[0], [c0, names.admin]);
  keep('switch', (await bot.say(alex, 'switch'))[0], [c0, names.partner, c1]);
  await bot.say(alex, 'open r');
  keep('offers', (await bot.say(alex, 'offers'))[0], [names.reseller, names.offer]);
  // C2TU1 is held by the customer below the reseller: the refusal names it, as a row.
  keep('refused offer review', (await bot.say(alex, 'offer C2TU1 off'))[0], [names.reseller, names.offer, c0]);
  const offerReview = (await bot.say(alex, 'offer T2TU1 on'))[0];
  keep('offer review', offerReview, [names.reseller, `${names.offer} trunk`]);
  keep('offers updated', await bot.execute(alex, 'confirmOffers', action(offerReview!, 'Update offers').data), [names.reseller, `${names.offer} trunk`, names.admin]);
  await bot.say(alex, 'open c0');
  keep('find', (await bot.say(alex, `find ${names.query}`))[0], typed(names.query) ? [typed(names.query)] : []);
  keep('find a name', (await bot.say(alex, `find ${typed(c1)}`))[0], typed(c1) === c1 ? [c1] : []);
  keep('open nowhere', (await bot.say(alex, `open ${names.query}`))[0], []);
  const found = await bot.invoke(alex, 'composeExtension/query', { commandId: 'findAccount', parameters: [{ name: 'query', value: names.reseller }] });
  for (const attachment of found.body?.composeExtension?.attachments ?? []) keep('shared card', attachment.content, [], '1.3');
  return seen;
}

describe('names shown exactly as written, on every card', () => {
  afterAll(() => useMarkdownHost('markdown-it'));

  it('for random hostile account, brand, offer and admin names and typed queries', async () => {
    await fc.assert(
      fc.asyncProperty(namesArb, async (names) => {
        const bot = await BotClient.start({ DIRECTORY_FILE: writeDirectory(directoryOf(names)) });
        try {
          for (const { what, card, version, shows } of await walk(bot, names)) {
            for (const host of HOSTS) {
              useMarkdownHost(host);
              const { problems, renderedText, element } = parseAndRender(card, version);
              expect({ what, host, problems }).toEqual({ what, host, problems: [] });
              for (const name of shows) expect({ what, host, shows: renderedText.includes(name) ? name : renderedText }).toEqual({ what, host, shows: name });
              const markup = [...(element?.querySelectorAll(DATA_MARKUP) ?? [])]
                .filter((e) => !(/^(STRONG|EM)$/.test(e.tagName) && SWITCHBOARD_EMPHASIS.test(e.textContent ?? '')))
                .map((e) => `<${e.tagName.toLowerCase()}>${e.textContent}`);
              expect({ what, host, markup }).toEqual({ what, host, markup: [] });
            }
          }
        } finally {
          await bot.close();
        }
      }),
      { numRuns: 15, endOnFailure: true },
    );
  }, 120_000);
});
