import { loadConfig } from '../../src/config';
import { createLog } from '../../src/log';
import { startServer } from '../../src/server';
import { ALEX, DEMO_FILE, MEGAN, tempDir } from '../support/directories';
import { FaultInjector } from '../support/faulty-directory';
import { BotClient, action, textOf } from '../support/bot-client';

const alex = { aadObjectId: ALEX };
const megan = { aadObjectId: MEGAN };
const BUDGET_MS = 1_500;

/**
 * The storage misbehaves under a running bot: errors, hangs, throttling. Each user gets a clear
 * card within the turn budget, the server keeps serving, and it recovers when the fault clears.
 */
describe('directory faults', () => {
  const faults = new FaultInjector();
  let bot: BotClient;
  beforeAll(async () => {
    const config = loadConfig({ NODE_ENV: 'test', PORT: '0', DIRECTORY_FILE: DEMO_FILE, DATA_DIR: tempDir(), LOG_LEVEL: 'silent', INSECURE_UNAUTHENTICATED_LOOPBACK: 'true' });
    const server = await startServer(config, { log: createLog('silent'), decorateDirectory: faults.decorate, turnBudgetMs: BUDGET_MS });
    bot = BotClient.attach(server);
  });
  afterEach(() => faults.set({ kind: 'none' }));
  afterAll(() => bot.close());

  it.each([
    ['fails', { kind: 'error' } as const],
    ['is throttled', { kind: 'throttle' } as const],
    ['hangs', { kind: 'slow', delayMs: 10_000 } as const],
  ])('when the directory %s, says it is unavailable within the budget, then recovers by itself', async (_name, fault) => {
    expect(textOf((await bot.say(alex, 'open tailspin'))[0]!)).toContain('Account id: tailspin');
    faults.set(fault);
    for (const attempt of [() => bot.say(alex, 'where am i').then((c) => c[0]!), () => bot.execute(alex, 'accounts', {}), () => bot.execute(megan, 'open', { accountId: 'wingtip-it' })]) {
      const started = Date.now();
      const card = await attempt();
      expect(Date.now() - started).toBeLessThan(BUDGET_MS + 1_000);
      expect(textOf(card)).toContain('The directory is unavailable');
      expect(textOf(card)).not.toMatch(/ECONNRESET|Request rate|stack|at \w+ \(/);
      expect(textOf(card)).not.toContain('applies at most once'); // no confirmation was cut short
    }
    // The server itself still answers meanwhile.
    expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${bot.url}/readyz`)).status).toBe(503);
    faults.set({ kind: 'none' });
    // Recovered, and nobody was moved by the failed turns.
    expect(textOf((await bot.say(alex, 'where am i'))[0]!)).toContain('Account id: tailspin');
    expect((await fetch(`${bot.url}/readyz`)).status).toBe(200);
  });

  it.each([
    ['a subscription', 'lakeside-vets', 'set C2TU1 61', 'Update Subscriptions', 'Subscriptions updated', /→ 61/g, 'Update offers'],
    ['an offer', 'tailspin', 'offer BRESSEN on', 'Update offers', '✓ Offers updated', /turned on/g, 'Update Subscriptions'],
  ])('%s confirmation that times out names its own button, and applies at most once when pressed again', async (_kind, accountId, command, button, applied, inHistory, otherButton) => {
    await bot.say(alex, `open ${accountId}`);
    const [review] = await bot.say(alex, command);
    const update = action(review!, button);
    faults.set({ kind: 'slow', delayMs: BUDGET_MS + 300 });
    const slow = await bot.execute(alex, update.verb, update.data);
    expect(textOf(slow)).toContain('The directory is unavailable');
    expect(textOf(slow)).toContain(`Press ${button} again: it applies at most once`);
    expect(textOf(slow)).not.toContain(otherButton);
    faults.set({ kind: 'none' });
    await new Promise((resolve) => setTimeout(resolve, 2_500)); // let the late write land
    expect(textOf(await bot.execute(alex, update.verb, update.data))).toContain(applied);
    expect(textOf((await bot.say(alex, 'history'))[0]!).match(inHistory)).toHaveLength(1);
  });
});
