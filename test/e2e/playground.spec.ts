/**
 * Browser end-to-end: Switchboard in the Microsoft 365 Agents Playground (Microsoft's Teams-like
 * web client), driven in Debian's Chromium by playwright-core with real typing and clicks.
 *
 * Alex Wilber (the committed .m365agentsplayground.yml) owns the partner "Northwind Voice";
 * a second Playground runs as Lynne Robbins, who administers two trees, for the switch picker.
 * Screenshots go to test-artifacts/e2e/. Needs /usr/bin/chromium (CHROMIUM_PATH); without it
 * these tests fail unless SKIP_BROWSER_TESTS=1.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Locator } from 'playwright-core';
import { loadConfig } from '../../src/config';
import { startServer, type RunningServer } from '../../src/server';
import { PLAYGROUND_CONFIG_FILE, startPlayground, type RunningPlayground } from '../../scripts/playground';
import { DEMO_FILE, tempDir } from '../support/directories';
import { ARTIFACTS_DIR, ChatPage, chromiumMissingMessage, CHROMIUM_PATH, launchChromium, openPlayground, fileBudget, freePort, playgroundConfigYaml } from '../support/playground';

const SKIP = process.env.SKIP_BROWSER_TESTS === '1';

/**
 * Time budgets. Each wait is bounded, and the whole file (start-up and every scenario) shares a
 * budget of two minutes, so a hung Playground fails the run in bounded time, not per test.
 */
const FILE_BUDGET_MS = 120_000;
const START_MS = 30_000;
const PAGE_LOAD_MS = 30_000;
const STEP_MS = 15_000;
const TEST_MS = 45_000;
const fileDeadline = Date.now() + FILE_BUDGET_MS;
/** The wait for one step: STEP_MS, or less when the file's budget is nearly used up. */
const stepTimeout = fileBudget('The browser end-to-end tests', FILE_BUDGET_MS, STEP_MS);
/** The digest's clock: a day on which the demo directory has trials ending and ended. */
const DIGEST_DAY = Date.parse('2026-12-02T09:00:00Z');


test('the committed .m365agentsplayground.yml is the generated one (Alex Wilber, the five others as users)', () => {
  expect(readFileSync(PLAYGROUND_CONFIG_FILE, 'utf8')).toBe(playgroundConfigYaml('Alex Wilber'));
});

(SKIP ? describe.skip : describe)('Switchboard in the Agents Playground (Chromium)', () => {
  let work = '';
  let bot: RunningServer | undefined;
  const playgrounds: RunningPlayground[] = [];
  let browser: Browser | undefined;
  let alex: ChatPage;
  let lynne: ChatPage;
  let lynnePlaygroundUrl: string;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM_PATH)) throw new Error(chromiumMissingMessage());
    // Only this file's screenshots: other e2e files save theirs in the same folder, maybe at the same time.
    if (existsSync(ARTIFACTS_DIR)) for (const file of readdirSync(ARTIFACTS_DIR)) if (/^(\d\d|FAILED)-/.test(file)) rmSync(path.join(ARTIFACTS_DIR, file), { force: true });
    work = tempDir('switchboard-e2e-');

    const config = loadConfig({
      NODE_ENV: 'test',
      PORT: '0',
      DIRECTORY_FILE: DEMO_FILE,
      DATA_DIR: path.join(work, 'data'),
      LOG_LEVEL: 'error',
      // The Playground sends no tokens: unauthenticated, on loopback only.
      INSECURE_UNAUTHENTICATED_LOOPBACK: 'true',
      // No daily digest drops into the chat between two steps: only the one asked for comes.
      DIGEST_TICK_MS: '3600000',
    });
    // The demo directory's trials are dated: its digest is read on the day they were written for.
    bot = await startServer(config, { digests: { now: () => DIGEST_DAY } });
    const appEndpoint = `${bot.url}/api/messages`;

    const lynneConfig = path.join(work, 'lynne', '.m365agentsplayground.yml');
    mkdirSync(path.dirname(lynneConfig), { recursive: true });
    writeFileSync(lynneConfig, playgroundConfigYaml('Lynne Robbins', 'switchboard-personal-chat-lynne'));

    // Each Playground is recorded as soon as it runs, so afterAll stops it even if the other fails.
    const started = (p: RunningPlayground) => (playgrounds.push(p), p);
    const [asAlex, asLynne] = await Promise.all([
      freePort().then((port) => startPlayground({ appEndpoint, port, logFile: path.join(work, 'alex-playground.log') }).then(started)),
      freePort().then((port) => startPlayground({ appEndpoint, port, configFile: lynneConfig, logFile: path.join(work, 'lynne-playground.log') }).then(started)),
    ]);
    lynnePlaygroundUrl = asLynne.url;

    browser = await launchChromium();
    alex = await openPlayground(browser, asAlex.url, PAGE_LOAD_MS);
    alex.page.setDefaultTimeout(stepTimeout());
    // The Playground installs the bot when the page opens; Switchboard greets Alex by name.
    await alex.cardWith('Welcome to Switchboard, Alex Wilber');
  }, START_MS + PAGE_LOAD_MS);

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await Promise.all(playgrounds.map((p) => p.stop()));
    await bot?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  }, 20_000);

  /** Runs a scenario; on failure saves a screenshot of the page as it was, then fails. */
  async function scenario(chat: () => ChatPage, name: string, body: () => Promise<void>): Promise<void> {
    chat().page.setDefaultTimeout(stepTimeout());
    try {
      await body();
    } catch (error) {
      await chat().screenshot(`FAILED-${name}`).catch(() => undefined);
      throw error;
    }
  }

  const textOf = (card: Locator) => card.innerText();

  test('"where am i" answers with the account card and its breadcrumb', async () => {
    await scenario(() => alex, 'where-am-i', async () => {
      const card = await alex.say('where am i');
      await card.getByText('Path: Northwind Voice', { exact: true }).waitFor();
      const text = await textOf(card);
      expect(text).toContain('Northwind Voice (you are here)');
      expect(text).toContain('Partner (base account)');
      expect(text).toMatch(/Your roles here\s+Account Owner, Subscription Contributor/);
      await alex.screenshot('01-where-am-i');
    });
  }, TEST_MS);

  test('opening a child account from the tree shows where it sits', async () => {
    await scenario(() => alex, 'open-from-tree', async () => {
      const card = await alex.say('home');
      await card.getByText('Path: Northwind Voice', { exact: true }).waitFor();

      const tree = await alex.clickAndWaitInPlace(card, 'Sub accounts (15)', 'Sub accounts of Northwind Voice');
      expect(tree).toContain('Tailspin Networks');
      await alex.screenshot('02-account-tree');

      const opened = await alex.clickAndWaitInPlace(card, 'Open Tailspin Networks', 'Path: Northwind Voice > Tailspin Networks');
      expect(opened).toContain('Tailspin Networks (you are here)');
      expect(opened).toContain('Reseller');
      // The breadcrumb's earlier steps are links back up the tree.
      await card.getByRole('button', { name: 'Open Northwind Voice' }).waitFor();
      await alex.screenshot('03-opened-child');
    });
  }, TEST_MS);

  test('"Go up" updates the same card in place', async () => {
    await scenario(() => alex, 'go-up', async () => {
      const card = await alex.say('open tailspin');
      await card.getByText('Path: Northwind Voice > Tailspin Networks', { exact: true }).waitFor();
      const messagesBefore = await alex.cards.count();

      const after = await alex.clickAndWaitInPlace(card, '⬆ Go up', 'Northwind Voice (you are here)');
      expect(after).toContain('Path: Northwind Voice');
      expect(after).not.toContain('Tailspin Networks');
      expect(await alex.cards.count()).toBe(messagesBefore);
      await alex.screenshot('04-went-up-in-place');

      // The move is remembered: asking again answers from Northwind Voice.
      const again = await alex.say('where am i');
      await again.getByText('Path: Northwind Voice', { exact: true }).waitFor();
    });
  }, TEST_MS);

  test('"find" lists matching accounts and opens one', async () => {
    await scenario(() => alex, 'find', async () => {
      const card = await alex.say('find dental');
      await card.getByText('Acme Dental Practice', { exact: false }).first().waitFor();
      expect(await textOf(card)).toContain('dental');
      await alex.screenshot('05-find');

      const opened = await alex.clickAndWaitInPlace(card, 'Open Acme Dental Practice', 'Path: Northwind Voice > Acme Dental Practice');
      expect(opened).toContain('Acme Dental Practice (you are here)');
      await alex.screenshot('06-find-opened');
    });
  }, TEST_MS);

  test('"notices digest now" brings the trial digest into the chat, sent the proactive way', async () => {
    await scenario(() => alex, 'digest-now', async () => {
      const before = await alex.cards.count();
      await alex.composeBox.click();
      await alex.composeBox.pressSequentially('notices digest now');
      await alex.composeBox.press('Enter');
      // The answer to the message, then the digest: posted by the bot into the chat on its own
      // (the connector's send-to-conversation route, which the Playground serves), not a reply.
      await alex.page.getByText('Your trial digest is in your personal chat with Switchboard.').last().waitFor();
      const digest = await alex.cardWith('Trials: your daily digest');
      expect(await alex.cards.count()).toBeGreaterThan(before);
      const text = await textOf(digest);
      expect(text).toContain('Cobalt Software');
      expect(text).toMatch(/ends in 3 days/);
      expect(text).toContain('Northwind Voice > Tailspin Networks > Cobalt Software');
      await alex.screenshot('07-digest-now');

      // Its buttons work as any card's: Open on Cobalt's section goes there.
      await digest.locator('.ac-container').filter({ hasText: 'Cobalt Software' }).last().getByRole('button', { name: 'Open', exact: true }).click();
      await alex.cardWith('Path: Northwind Voice > Tailspin Networks > Cobalt Software Ltd');
    });
  }, TEST_MS);

  test('the switch picker moves Lynne Robbins to her other account', async () => {
    lynne = await openPlayground(browser!, lynnePlaygroundUrl, Math.min(PAGE_LOAD_MS, fileDeadline - Date.now()));
    await scenario(() => lynne, 'switch', async () => {
      await lynne.cardWith('Welcome to Switchboard, Lynne Robbins');
      const here = await lynne.say('where am i');
      await here.getByText('Path: Contoso Telecom', { exact: true }).waitFor();

      const picker = await lynne.say('switch');
      await picker.getByText('You administer 2 accounts', { exact: false }).waitFor();
      await picker.getByRole('combobox').click();
      await lynne.page.getByRole('option', { name: 'Contoso Telecom', exact: true }).waitFor();
      await lynne.screenshot('08-switch-picker');
      await lynne.page.getByRole('option', { name: 'Hartley & Co Solicitors LLP · Northwind Voice' }).click();
      expect(await picker.getByRole('combobox').inputValue()).toBe('Hartley & Co Solicitors LLP · Northwind Voice');

      const switched = await lynne.clickAndWaitInPlace(picker, 'Switch', 'hartley-solicitors');
      expect(switched).toContain('Hartley & Co Solicitors LLP (you are here)');
      expect(switched).not.toContain('Switch account\n\nYou are on');
      await lynne.screenshot('09-switched');

      const again = await lynne.say('where am i');
      await again.getByText('Hartley & Co Solicitors LLP (you are here)', { exact: false }).waitFor();
    });
  }, TEST_MS + PAGE_LOAD_MS);
});
