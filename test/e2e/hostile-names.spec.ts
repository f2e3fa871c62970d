/**
 * Browser end-to-end: account names chosen by hostile customers show exactly as written in the
 * Microsoft 365 Agents Playground, in Debian's Chromium, driven by playwright-core.
 *
 * The Playground renders TextBlock.text (and FactSet titles and values) as markdown, as Teams does,
 * so a name like "[Click me](https://evil.example/login)" once showed as a link, "**Bold** Comms"
 * as bold and "O'Brien & Sons <Ltd>" without "<Ltd>". Switchboard runs here on a copy of the demo
 * directory in which Alex Wilber's partner (its name and its brand), two of its sub accounts and a
 * third one carry such names. For every card Alex gets (where am i, the tree, a typed search with
 * markdown in it, portal links), the test checks what a person sees: each name as written, no link
 * off the portal host, and no bold, italic, heading or struck-through text made from a name.
 *
 * Screenshots go to test-artifacts/e2e/ as hostile-names-*.png. Needs /usr/bin/chromium
 * (CHROMIUM_PATH); without it these tests fail unless SKIP_BROWSER_TESTS=1.
 */
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import MarkdownIt from 'markdown-it';
import type { Locator } from 'playwright-core';
import { readDirectoryFile } from '../../src/directory/directory-file';
import type { AccountRecord, DirectoryDocument } from '../../src/domain/directory-document';
import { DEFAULT_PORTAL_TEMPLATES, fillTemplate } from '../../src/domain/portals';
import { escapeMarkdown } from '../../src/teams/cards/plain-text';
import { DEMO_FILE } from '../support/directories';
import { ARTIFACTS_DIR, ChatPage, fileBudget } from '../support/playground';
import { PlaygroundSession } from '../support/playground-session';

const SKIP = process.env.SKIP_BROWSER_TESTS === '1';

/**
 * Time budgets. Each wait is bounded, and the whole file (start-up and every scenario) shares a
 * budget of one minute, so a hung Playground fails the run in bounded time, not per test.
 */
const FILE_BUDGET_MS = 60_000;
const START_MS = 30_000;
const PAGE_LOAD_MS = 20_000;
const STEP_MS = 10_000;
const TEST_MS = 30_000;
/** The wait for one step: STEP_MS, or less when the file's budget is nearly used up. */
const stepTimeout = fileBudget('The hostile-names browser test', FILE_BUDGET_MS, STEP_MS);


/** The names given to accounts Alex Wilber can see, each with fragments that betray it if a host formats it. */
const HOSTILE = {
  /** Alex's partner, the base account: a markdown link. */
  partner: { id: 'northwind', name: '[Click me](https://evil.example/login)', fragments: ['Click me', 'evil.example'] },
  /** The partner's brand: bold markup. */
  brand: { id: 'northwind', name: '**Bold** Comms', fragments: ['Bold'] },
  /** A customer directly below the partner: HTML-looking text and entities' characters. */
  customer: { id: 'acme-dental', name: "O'Brien & Sons <Ltd>", fragments: ['Brien', 'Sons', '<Ltd>'] },
  /** A reseller below the partner: a heading, emphasis and strikethrough. */
  reseller: { id: 'tailspin', name: '# Heading _emph_ ~~gone~~', fragments: ['Heading', 'emph', 'gone'] },
  /** Another customer: a CommonMark autolink, which needs no linkify to become a link. */
  autolink: { id: 'hartley-solicitors', name: 'Pay <https://evil.example/pay> now', fragments: ['evil.example', 'Pay <'] },
} as const;
type Hostile = (typeof HOSTILE)[keyof typeof HOSTILE];

/** The hosts portal links may point at: those of the configured templates (the defaults here). */
const PORTAL_HOSTS = new Set(Object.values(DEFAULT_PORTAL_TEMPLATES).map((t) => new URL(t.replace('{accountId}', 'x')).host));

/** The link's host when it is not a portal host (a link without a parsable absolute URL counts as off it). */
function offPortal(url: string): string | undefined {
  try {
    const { protocol, host } = new URL(url);
    return protocol === 'https:' && PORTAL_HOSTS.has(host) ? undefined : `${url} (host ${host || 'none'})`;
  } catch {
    return `${url} (not an absolute URL)`;
  }
}

/** A copy of the demo directory with the hostile names, checked to load as Switchboard loads it. */
function hostileDirectory(dir: string): string {
  const doc = JSON.parse(readFileSync(DEMO_FILE, 'utf8')) as DirectoryDocument & { accounts: AccountRecord[] };
  const rename = (id: string, change: (a: AccountRecord) => AccountRecord) => {
    const i = doc.accounts.findIndex((a) => a.id === id);
    if (i < 0) throw new Error(`The demo directory has no account "${id}"`);
    doc.accounts[i] = change(doc.accounts[i]!);
  };
  rename(HOSTILE.partner.id, (a) => ({ ...a, name: HOSTILE.partner.name, brand: { ...a.brand!, name: HOSTILE.brand.name } }));
  for (const h of [HOSTILE.customer, HOSTILE.reseller, HOSTILE.autolink]) rename(h.id, (a) => ({ ...a, name: h.name }));
  const file = path.join(dir, 'hostile-directory.json');
  writeFileSync(file, JSON.stringify(doc, null, 1));
  const loaded = readDirectoryFile(file); // the schema (names up to 200 characters) and the loader's checks
  for (const h of Object.values(HOSTILE)) {
    const account = loaded.accounts.find((a) => a.id === h.id)!;
    expect(h === HOSTILE.brand ? account.brand?.name : account.name).toBe(h.name);
  }
  return file;
}

/** What the test reads from one rendered card in the page. */
interface CardFacts {
  readonly text: string;
  /** `tag attr=value` for every href, src or action attribute in the card. */
  readonly urls: readonly string[];
  /** Where each link goes: an <a>'s href, or the URL the Playground shows as an Action.OpenUrl button's title. */
  readonly links: readonly string[];
  /** Text of every formatting element (bold, italic, heading, struck, code, link, list, quote). */
  readonly formatted: readonly { readonly tag: string; readonly text: string }[];
}

async function factsOf(card: Locator): Promise<CardFacts> {
  return card.evaluate((el: HTMLElement) => {
    const urls: string[] = [];
    for (const node of Array.from(el.querySelectorAll('*'))) {
      for (const attr of ['href', 'src', 'action', 'formaction', 'xlink:href']) {
        const value = node.getAttribute(attr);
        if (value !== null) urls.push(`${node.tagName.toLowerCase()} ${attr}=${value}`);
      }
    }
    const formatted = Array.from(el.querySelectorAll('a, strong, b, em, i, h1, h2, h3, h4, h5, h6, del, s, strike, code, pre, blockquote, li')).map((node) => ({
      tag: node.tagName.toLowerCase(),
      text: node.textContent ?? '',
    }));
    const links = [
      ...Array.from(el.querySelectorAll('a')).map((a) => a.getAttribute('href') ?? ''),
      ...Array.from(el.querySelectorAll('[role="link"]:not(a)')).map((b) => b.getAttribute('title') ?? ''),
    ];
    return { text: el.innerText, urls, links, formatted };
  });
}

/**
 * The three checks on a card: (1) each name it should show is in its visible text exactly as
 * written, and nothing shows an escape or entity instead; (2) no link points anywhere but the
 * portal host, and nothing at all at evil.example; (3) no formatting element holds part of a name.
 */
function expectShownAsWritten(facts: CardFacts, names: readonly Hostile[]): void {
  for (const h of names) expect(facts.text).toContain(h.name);
  expect(facts.text).not.toMatch(/\\|&(amp|lt|gt|quot|#\d+|#x[0-9a-f]+);/i);

  for (const entry of facts.urls) expect(entry).not.toContain('evil.example');
  for (const link of facts.links) expect(offPortal(link)).toBeUndefined();

  for (const { tag, text } of facts.formatted) {
    for (const h of Object.values(HOSTILE)) {
      for (const fragment of h.fragments) {
        if (text.includes(fragment)) throw new Error(`A <${tag}> in the card holds "${text}", part of the name "${h.name}"`);
      }
    }
  }
}

(SKIP ? describe.skip : describe)('Hostile account names in the Agents Playground (Chromium)', () => {
  const session = new PlaygroundSession({
    workPrefix: 'switchboard-e2e-hostile-',
    directoryFile: hostileDirectory,
    pageLoadMs: PAGE_LOAD_MS,
    stepTimeout,
    failedScreenshot: (name) => `hostile-names-FAILED-${name}`,
  });
  let alex: ChatPage;
  const scenario = (name: string, body: () => Promise<void>) => session.scenario(name, body);

  beforeAll(async () => {
    // Only this file's screenshots: playground.spec.ts may be writing its own next to them.
    if (existsSync(ARTIFACTS_DIR)) {
      for (const f of readdirSync(ARTIFACTS_DIR)) if (f.startsWith('hostile-names-')) rmSync(path.join(ARTIFACTS_DIR, f), { force: true });
    }
    await session.start();
    alex = session.chat;
    await alex.cardWith('Welcome to Switchboard, Alex Wilber');
  }, START_MS + PAGE_LOAD_MS);

  afterAll(() => session.close(), 20_000);

  test('"where am i" shows the partner and its brand as written', async () => {
    await scenario('where-am-i', async () => {
      const card = await alex.say('where am i');
      await card.getByText(`Path: ${HOSTILE.partner.name}`, { exact: true }).waitFor();
      const facts = await factsOf(card);
      expect(facts.text).toContain(`${HOSTILE.partner.name} (you are here)`);
      expectShownAsWritten(facts, [HOSTILE.partner, HOSTILE.brand]);
      await alex.screenshot('hostile-names-01-where-am-i');
    });
  }, TEST_MS);

  test('"accounts" lists the sub accounts as written', async () => {
    await scenario('accounts', async () => {
      const card = await alex.say('accounts');
      await card.getByText(HOSTILE.customer.name, { exact: true }).waitFor();
      const facts = await factsOf(card);
      expect(facts.text).toContain(`Sub accounts of ${HOSTILE.partner.name}`);
      expectShownAsWritten(facts, [HOSTILE.partner, HOSTILE.customer, HOSTILE.reseller, HOSTILE.autolink]);
      await alex.screenshot('hostile-names-02-accounts');
    });
  }, TEST_MS);

  test('a typed search with markdown in it echoes the query and finds the names as written', async () => {
    await scenario('find', async () => {
      const link = await alex.say('find [Click');
      await link.getByText('Accounts matching “[Click”', { exact: true }).waitFor();
      expectShownAsWritten(await factsOf(link), [HOSTILE.partner]);
      await alex.screenshot('hostile-names-03-find-link');

      const card = await alex.say('find Sons <Ltd>');
      await card.getByText('Accounts matching “Sons <Ltd>”', { exact: true }).waitFor();
      expectShownAsWritten(await factsOf(card), [HOSTILE.customer, HOSTILE.partner]);
      await alex.screenshot('hostile-names-04-find-html');
    });
  }, TEST_MS);

  test('portal links of a hostile-named account point only at the portal host', async () => {
    await scenario('portal', async () => {
      const found = await alex.say('find Sons <Ltd>');
      const opened = await alex.clickAndWaitInPlace(found, `Open ${HOSTILE.customer.name}`, `${HOSTILE.customer.name} (you are here)`);
      expect(opened).toContain(`Path: ${HOSTILE.partner.name} > ${HOSTILE.customer.name}`);

      const card = await alex.say('portal');
      await card.getByText(`Portal links for ${HOSTILE.customer.name}`, { exact: true }).waitFor();
      const facts = await factsOf(card);
      expectShownAsWritten(facts, [HOSTILE.partner, HOSTILE.customer]);
      const expected = [fillTemplate(DEFAULT_PORTAL_TEMPLATES.accountPortal, HOSTILE.customer.id), fillTemplate(DEFAULT_PORTAL_TEMPLATES.customerPortal, HOSTILE.customer.id)];
      expect(facts.links).toEqual(expected);
      await alex.screenshot('hostile-names-05-portal');

      // What the buttons really open: the Playground opens Action.OpenUrl with window.open, recorded
      // here instead (so nothing leaves the machine).
      await alex.page.evaluate(() => {
        const opened: string[] = [];
        (window as unknown as { openedUrls: string[] }).openedUrls = opened;
        window.open = (url?: string | URL) => (opened.push(String(url)), null);
      });
      for (const title of ['Open Account Portal', 'Open Customer Portal']) await card.getByRole('link', { name: title, exact: true }).click();
      await alex.page.waitForFunction((n) => (window as unknown as { openedUrls: string[] }).openedUrls.length >= n, expected.length);
      expect(await alex.page.evaluate(() => (window as unknown as { openedUrls: string[] }).openedUrls)).toEqual(expected);
    });
  }, TEST_MS);

  test('control: the same checks fail on each name rendered as markdown, and pass on it escaped', async () => {
    await scenario('control', async () => {
      // markdown-it as the Playground runs it, with raw HTML on as a stand-in for hosts that drop "<Ltd>".
      const markdown = new MarkdownIt({ html: true });
      const rendered = async (html: string): Promise<CardFacts> => {
        await alex.page.evaluate((inner) => {
          const box = document.createElement('div');
          box.id = 'hostile-names-control';
          box.innerHTML = inner;
          document.body.append(box);
        }, html);
        try {
          return await factsOf(alex.page.locator('#hostile-names-control'));
        } finally {
          await alex.page.evaluate(() => document.getElementById('hostile-names-control')?.remove());
        }
      };
      for (const h of Object.values(HOSTILE)) {
        const asMarkdown = await rendered(markdown.render(h.name));
        expect(() => expectShownAsWritten(asMarkdown, [h])).toThrow();
        expectShownAsWritten(await rendered(markdown.render(escapeMarkdown(h.name))), [h]);
      }
    });
  }, TEST_MS);
});
