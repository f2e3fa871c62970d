import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { chromium, type Browser, type ElementHandle, type Locator, type Page } from 'playwright-core';
import { projectPath } from '../../src/project-path';

/**
 * Helpers for driving Switchboard through the Microsoft 365 Agents Playground in Debian's
 * Chromium with playwright-core.
 */

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS_DIR = projectPath('test-artifacts', 'e2e');

/** The Playground's six mocked people (its built-in defaults), all admins in the demo directory. */
export interface PlaygroundPerson {
  readonly id: string;
  readonly name: string;
  readonly givenName: string;
  readonly surname: string;
  readonly upn: string;
  readonly aadObjectId: string;
}

const person = (n: number, givenName: string, surname: string, upn: string): PlaygroundPerson => ({
  id: `user-id-${n}`,
  name: `${givenName} ${surname}`,
  givenName,
  surname,
  upn,
  aadObjectId: `00000000-0000-0000-0000-00000000000${20 + n}`,
});

export const PLAYGROUND_TENANT = '00000000-0000-0000-0000-0000000000001';
export const PLAYGROUND_PEOPLE: readonly PlaygroundPerson[] = [
  person(0, 'Alex', 'Wilber', 'alexw@example.com'),
  person(1, 'Megan', 'Bowen', 'meganb@example.com'),
  person(2, 'Adele', 'Vance', 'adelev@example.com'),
  person(3, 'Isaiah', 'Langer', 'isaiahl@example.com'),
  person(4, 'Patti', 'Fernandez', 'pattif@example.com'),
  person(5, 'Lynne', 'Robbins', 'lynner@example.com'),
];

export function playgroundPerson(name: string): PlaygroundPerson {
  const found = PLAYGROUND_PEOPLE.find((p) => p.name === name);
  if (!found) throw new Error(`No Playground person "${name}"`);
  return found;
}

/**
 * The text of a .m365agentsplayground.yml whose current user is `currentUser`; the other five are
 * its `users` (the schema wants exactly five; with any other number the Playground exits silently).
 * The committed file at the repository root is this with Alex Wilber (a test checks they agree).
 */
export function playgroundConfigYaml(currentUser: string, personalChatId = 'switchboard-personal-chat'): string {
  const current = playgroundPerson(currentUser);
  const user = (p: PlaygroundPerson, indent: string) =>
    [
      `id: ${p.id}`,
      `name: ${p.name}`,
      `userPrincipleName: ${p.upn}`,
      `aadObjectId: "${p.aadObjectId}"`,
      `givenName: ${p.givenName}`,
      `surname: ${p.surname}`,
      `email: ${p.upn}`,
    ]
      .map((line, i) => (i === 0 ? line : `${indent}${line}`))
      .join('\n');
  return [
    '# yaml-language-server: $schema=https://aka.ms/teams-app-test-tool-config/0.1.1/config.schema.json',
    '# Microsoft 365 Agents Playground (npm run playground): the mocked tenant and people.',
    '# They are the Playground\'s own default people; data/demo-directory.json makes each of them an',
    '# admin: Alex Wilber owns the partner "Northwind Voice", Lynne Robbins administers two trees.',
    '# To chat as someone else, swap currentUser with one of the users (there must be exactly 5 users).',
    'version: "0.1.1"',
    `tenantId: "${PLAYGROUND_TENANT}"`,
    'bot:',
    '  id: "00000000-0000-0000-0000-00000000000011"',
    '  name: Switchboard',
    'currentUser:',
    `  ${user(current, '  ')}`,
    'users:',
    ...PLAYGROUND_PEOPLE.filter((p) => p !== current).map((p) => `  - ${user(p, '    ')}`),
    'personalChat:',
    `  id: ${personalChatId}`,
    'groupChat:',
    '  id: switchboard-group-chat',
    '  name: Group Chat',
    'team:',
    '  id: switchboard-team',
    '  name: My Team',
    '  aadGroupId: "00000000-0000-0000-0000-000000000031"',
    '  channels:',
    '    - id: switchboard-channel-announcements',
    '      name: Announcements',
    '',
  ].join('\n');
}

/** The flags DESIGN.md measured for Debian's Chromium in a container. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function chromiumMissingMessage(): string {
  return (
    `Chromium is not installed at ${CHROMIUM_PATH}, so the browser end-to-end tests cannot run. ` +
    'Install it (`apt-get install -y chromium`, as .ci/run does), point CHROMIUM_PATH at another Chromium, ' +
    'or set SKIP_BROWSER_TESTS=1 to skip these tests on purpose.'
  );
}

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(chromiumMissingMessage());
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** How the page is seen: a desktop window (the default), or a phone held upright and used by touch. */
export interface Device {
  readonly viewport: { readonly width: number; readonly height: number };
  readonly isMobile?: boolean;
  readonly hasTouch?: boolean;
}
export const DESKTOP: Device = { viewport: { width: 1280, height: 1000 } };
/**
 * A 390 × 844 phone (iPhone 12 to 15 in CSS pixels) used by touch. Not isMobile: the Playground is
 * wider than a phone (its chat pane is at least 600 px), and Chromium's mobile viewport would zoom
 * the whole page out to fit it.
 */
export const PHONE: Device = { viewport: { width: 390, height: 844 }, hasTouch: true };

export interface OpenOptions {
  readonly device?: Device;
  /** Where this page's screenshots go (default test-artifacts/e2e). */
  readonly artifactsDir?: string;
}

/**
 * A browser page on the Playground: requests leaving the machine (fonts and animations from
 * Microsoft's CDN) are blocked, so the test is offline and never waits on the network.
 */
export async function openPlayground(browser: Browser, url: string, timeoutMs: number, options: OpenOptions = {}): Promise<ChatPage> {
  const device = options.device ?? DESKTOP;
  const context = await browser.newContext({ viewport: device.viewport, isMobile: device.isMobile ?? false, hasTouch: device.hasTouch ?? false });
  const page = await context.newPage();
  await page.route('**/*', (route) => {
    const { protocol, hostname } = new URL(route.request().url());
    if (protocol === 'data:' || protocol === 'blob:' || LOOPBACK_HOSTS.has(hostname)) return route.continue();
    return route.abort('blockedbyclient');
  });
  page.setDefaultTimeout(timeoutMs);
  const chat = new ChatPage(page, device.hasTouch ?? false, options.artifactsDir ?? ARTIFACTS_DIR);
  try {
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: timeoutMs });
    await chat.composeBox.waitFor({ state: 'visible', timeout: timeoutMs });
  } catch (error) {
    await chat.screenshot('FAILED-page-load').catch(() => undefined);
    throw new Error(`The Agents Playground page at ${url} did not load: ${(error as Error).message}`);
  }
  return chat;
}

/** The Playground's personal chat with the bot, as a person sees and uses it. */
export class ChatPage {
  constructor(
    readonly page: Page,
    /** Buttons are tapped rather than clicked (a touch device). */
    readonly touch = false,
    readonly artifactsDir = ARTIFACTS_DIR,
  ) {}

  /** The message box at the bottom (a Lexical rich-text editor). */
  get composeBox(): Locator {
    return this.page.locator('[role="textbox"][contenteditable="true"]');
  }

  /** Every Adaptive Card in the conversation, oldest first. */
  get cards(): Locator {
    return this.page.locator('.ac-adaptiveCard');
  }

  /** Waits for the card that contains `text` (the newest one if several do). */
  async cardWith(text: string): Promise<Locator> {
    const card = this.cards.filter({ hasText: text }).last();
    await card.waitFor({ state: 'visible' });
    return card;
  }

  /** Types a message, sends it with Enter, and returns the bot's next card. */
  async say(text: string): Promise<Locator> {
    const before = await this.cards.count();
    await this.composeBox.click();
    await this.composeBox.pressSequentially(text);
    await this.composeBox.press('Enter');
    await this.page.waitForFunction((n) => document.querySelectorAll('.ac-adaptiveCard').length > n, before).catch(async (error: Error) => {
      throw new Error(`Sent "${text}" but no new card arrived (${error.message}). The last message reads:\n${await this.lastMessageText()}`);
    });
    const card = this.cards.nth(before);
    await card.scrollIntoViewIfNeeded();
    return card;
  }

  /**
   * Clicks a button on a card and waits until that same card element (not a new message) shows
   * `expected`. Returns the card's text; fails if the bot posted a new card instead.
   */
  async clickAndWaitInPlace(card: Locator, button: string, expected: string): Promise<string> {
    const handle = (await card.elementHandle()) as ElementHandle<HTMLElement>;
    const before = await this.cards.count();
    const target = card.getByRole('button', { name: button, exact: true });
    await (this.touch ? target.tap() : target.click());
    await this.page.waitForFunction(([el, text]) => el.isConnected && el.innerText.includes(text), [handle, expected] as const).catch(async (error: Error) => {
      const now = await handle.evaluate((el) => (el.isConnected ? el.innerText : '(the card is gone)')).catch(() => '(the card is gone)');
      throw new Error(`After clicking "${button}" the card did not come to show "${expected}" (${error.message}). It reads:\n${now}`);
    });
    const after = await this.cards.count();
    if (after !== before) throw new Error(`Clicking "${button}" added ${after - before} card(s) instead of updating the card in place`);
    return handle.innerText();
  }

  /** The text of the newest message of any kind (a card, plain text or an error). */
  async lastMessageText(): Promise<string> {
    const last = this.page.locator('[aria-label="Message header"]').last();
    if ((await last.count()) === 0) return '(no messages)';
    return last.locator('xpath=..').innerText({ timeout: 1000 }).catch(() => '(unreadable)');
  }

  async screenshot(name: string): Promise<string> {
    mkdirSync(this.artifactsDir, { recursive: true });
    const file = path.join(this.artifactsDir, `${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }
}

/** A port nobody is listening on right now (the Playground falls back to a random one if it is taken). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/**
 * One e2e file's time budget: every wait is bounded by `stepMs`, and all of them together by
 * `fileMs` from now, so a hung Playground fails the run in bounded time, not per test.
 */
export function fileBudget(label: string, fileMs: number, stepMs: number): () => number {
  const deadline = Date.now() + fileMs;
  return () => {
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`${label} used up its ${fileMs / 1000} s budget`);
    return Math.min(stepMs, left);
  };
}
