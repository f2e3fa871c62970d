import { readDirectoryFile } from '../../src/directory/directory-file';
import { createContainers } from '../../src/directory/cosmos/containers';
import { createCosmosClient } from '../../src/directory/cosmos/cosmos-client';
import { loadConfig } from '../../src/config';
import { CosmosDirectory, type CosmosDirectoryOptions } from '../../src/directory/cosmos/cosmos-directory';
import { startServer } from '../../src/server';
import { importDirectory } from '../../src/directory/cosmos/directory-transfer';
import { setCosmosTestOptions } from '../../src/directory/cosmos/open-cosmos';
import { BotClient, click, textOf, type Card } from '../support/bot-client';
import { RequestCounter, STAND_IN_KEY, startCosmosStandIn, type CosmosStandIn } from '../support/cosmos-server';
import { ALEX, DEMO_FILE } from '../support/directories';

/**
 * What a turn costs in Cosmos DB requests, counted in the client's own pipeline while the real
 * server answers real HTTP: state read, directory reads, state write. The budget for a
 * navigation turn is 3 requests.
 */
const alex = { aadObjectId: ALEX };
const BUDGET = 3;

let standIn: CosmosStandIn;
beforeAll(async () => {
  standIn = await startCosmosStandIn();
});
afterAll(async () => {
  setCosmosTestOptions(undefined);
  await standIn.close();
});

let databases = 0;
/** The real server over a freshly imported demo directory, its Cosmos requests counted. */
async function startBot(directory: Partial<CosmosDirectoryOptions> = {}): Promise<{ bot: BotClient; counter: RequestCounter }> {
  const database = `turns-${++databases}`;
  const admin = createCosmosClient(standIn.settings(database), standIn.options());
  await importDirectory(await createContainers(admin, database), readDirectoryFile(DEMO_FILE), () => undefined);
  admin.dispose();
  const counter = new RequestCounter();
  // The import check is a background read every few seconds, not part of any turn: kept out of the count.
  setCosmosTestOptions(standIn.options({ plugins: [counter.plugin], directory: { importCheckMs: 3_600_000, ...directory } }));
  const config = loadConfig({ NODE_ENV: 'test', PORT: '0', LOG_LEVEL: 'silent', INSECURE_UNAUTHENTICATED_LOOPBACK: 'true', DIRECTORY: 'cosmos', COSMOS_ENDPOINT: standIn.endpoint, COSMOS_KEY: STAND_IN_KEY, COSMOS_DATABASE: database });
  let cosmos: CosmosDirectory | undefined;
  const server = await startServer(config, {
    // The notice deliverer works in the background, after the turn: kept out of the count
    // (its requests are in docs/cosmos.md, "Change notices").
    delivery: { pollMs: 3_600_000, wakeDelayMs: 3_600_000 },
    decorateDirectory: (opened) => {
      if (opened instanceof CosmosDirectory) cosmos = opened;
      return opened;
    },
  });
  // Start-up loads the admins and account roots in the background; turns are measured after it.
  await cosmos!.warmUp();
  const bot = BotClient.attach(server);
  return { bot, counter };
}

/** Set TURN_COST_REPORT=1 to print every measured turn and its requests. */
const report: string[] = [];
afterAll(() => {
  if (process.env.TURN_COST_REPORT) console.log(report.join('\n'));
});

/** Runs one turn and returns its card and its request count. */
async function turn(counter: RequestCounter, label: string, act: () => Promise<Card | Card[]>): Promise<{ card: Card; cost: number; requests: readonly string[] }> {
  let card: Card | undefined;
  const { count, requests } = await counter.measure(async () => {
    const result = await act();
    card = Array.isArray(result) ? result[0] : result;
  });
  report.push(`${label}: ${count} requests\n    ${requests.join('\n    ')}`);
  if (count > BUDGET) console.warn(`${label} sent ${count} requests:\n  ${requests.join('\n  ')}`);
  return { card: card!, cost: count, requests };
}

describe('requests per turn, with the Cosmos DB directory and state', () => {
  describe('in a session (caches as in production)', () => {
    let bot: BotClient;
    let counter: RequestCounter;
    beforeAll(async () => {
      ({ bot, counter } = await startBot());
    });
    afterAll(() => bot.close());

    it(`costs at most ${BUDGET + 2} requests for an admin's very first turn: state read, account, state write, and the personal chat recorded for notices (read and written, keeping the digest's claim in it)`, async () => {
      const first = await turn(counter, 'first turn ever: where am i', () => bot.say(alex, 'where am i'));
      expect(textOf(first.card)).toContain('Account id: northwind');
      // The chat is written once (usually by the install, before any turn); later turns see it recorded in their own state.
      expect(first.cost).toBeLessThanOrEqual(BUDGET + 2);
    });

    it.each([
      ['where am i', 'northwind', () => bot.say(alex, 'where am i')],
      ['open (a card button)', 'tailspin', () => bot.execute(alex, 'open', { accountId: 'tailspin' })],
      ['open (typed id)', 'wingtip-it', () => bot.say(alex, 'open wingtip-it')],
      ['where am i', 'wingtip-it', () => bot.say(alex, 'where am i')],
      ['up', 'tailspin', () => bot.say(alex, 'up')],
      ['up (a card button)', 'northwind', () => bot.execute(alex, 'up')],
      ['open (a card button)', 'kestrel-print', () => bot.execute(alex, 'open', { accountId: 'kestrel-print' })],
      ['home', 'northwind', () => bot.say(alex, 'home')],
    ])(`"%s" to %s costs at most ${BUDGET} requests`, async (name, expected, act) => {
      const { card, cost } = await turn(counter, `session: ${name} -> ${expected}`, act as () => Promise<Card | Card[]>);
      expect(textOf(card)).toContain(`Account id: ${expected}`);
      expect(cost).toBeLessThanOrEqual(BUDGET);
    });
  });

  describe('other turns, for the record (docs/cosmos.md "Cost per turn")', () => {
    let bot: BotClient;
    let counter: RequestCounter;
    beforeAll(async () => {
      ({ bot, counter } = await startBot());
      await bot.say(alex, 'where am i');
    });
    afterAll(() => bot.close());

    it('lists a page of sub accounts with one query (and its plan) besides the state read', async () => {
      const { card, cost } = await turn(counter, 'session: accounts', () => bot.say(alex, 'accounts'));
      expect(textOf(card)).toContain('Tailspin Networks');
      expect(cost).toBeLessThanOrEqual(4);
    });

    it('searches one tree with one query (and its plan), whatever the ranking tiers', async () => {
      const { card, cost } = await turn(counter, 'session: find internal', () => bot.say(alex, 'find internal'));
      expect(textOf(card)).toContain('Tailspin Networks - Internal Use');
      expect(cost).toBeLessThanOrEqual(1 + 2);
    });

    it('shows the switch picker, the subscriptions card and the history with at most one query each', async () => {
      const picker = await turn(counter, 'session: switch (the picker)', () => bot.say(alex, 'switch'));
      expect(textOf(picker.card)).toContain('Northwind Voice');
      // The admin's memberships are in memory; their summaries are cached account documents.
      expect(picker.cost).toBeLessThanOrEqual(3);
      await bot.say(alex, 'open kestrel-print');
      const subscriptions = await turn(counter, 'session: subscriptions', () => bot.say(alex, 'subscriptions'));
      expect(textOf(subscriptions.card)).toContain('Trunk2Teams User (T2TU1)');
      expect(subscriptions.cost).toBeLessThanOrEqual(3);
      const history = await turn(counter, 'session: history', () => bot.say(alex, 'history'));
      // The state read, then the account's audit entries: one query and its plan.
      expect(history.cost).toBeLessThanOrEqual(4);
      expect(history.requests.filter((r) => r.includes(' query ')).length).toBeLessThanOrEqual(1);
    });

    it('reviews and confirms a subscription change with one transactional batch', async () => {
      await bot.say(alex, 'open acme-dental');
      const review = await turn(counter, 'session: set C2TU1 30 (review)', () => bot.say(alex, 'set C2TU1 30'));
      expect(textOf(review.card)).toContain('New: 30');
      const confirm = await turn(counter, 'session: Update Subscriptions (confirm)', () => click(bot, alex, review.card, 'Update Subscriptions'));
      expect(textOf(confirm.card)).toContain('Subscriptions updated');
      expect(counter.requests.filter((r) => r.includes('batch'))).toHaveLength(1);
      expect(confirm.cost).toBeLessThanOrEqual(7);
    });

    it('shows, reviews and confirms an offer change with bounded holder queries and one batch, and the customers below follow it', async () => {
      await bot.say(alex, 'open tailspin');
      const card = await turn(counter, 'session: offers (the card)', () => bot.say(alex, 'offers'));
      expect(textOf(card.card)).toContain('5 of 8 offers enabled');
      // State read, the base level above, then a query (and its plan) per enabled offer.
      expect(card.cost).toBeLessThanOrEqual(2 + 5 * 2);
      const review = await turn(counter, 'session: offer C2TU250 on (review)', () => bot.say(alex, 'offer C2TU250 on'));
      expect(textOf(review.card)).toContain('Not enabled → Enabled');
      expect(review.cost).toBeLessThanOrEqual(3);
      const before = counter.requests.length;
      const confirm = await turn(counter, 'session: Update offers (confirm)', () => click(bot, alex, review.card, 'Update offers'));
      expect(textOf(confirm.card)).toContain('✓ Offers updated');
      expect(counter.requests.slice(before).filter((r) => r.includes('batch'))).toHaveLength(1);
      // 8, and the base level above read fresh: the offer turned on must still be enabled there (its ETag guards the batch).
      expect(confirm.cost).toBeLessThanOrEqual(9);
      // Account documents carry their ancestors' offers as imported: Purchase services reads the base level itself.
      await bot.say(alex, 'open ashdown-freight');
      const subscriptions = await turn(counter, 'session: subscriptions below the reseller', () => bot.say(alex, 'subscriptions'));
      expect(JSON.stringify(subscriptions.card)).toContain('qty_C2TU250');
    });
  });

  describe('with every account document expired from the cache (the worst case)', () => {
    let bot: BotClient;
    let counter: RequestCounter;
    beforeAll(async () => {
      ({ bot, counter } = await startBot({ accountTtlMs: 0 }));
      await bot.say(alex, 'where am i'); // the admin is cached from here on, as in any session
      await bot.execute(alex, 'open', { accountId: 'wingtip-it' });
    });
    afterAll(() => bot.close());

    it.each([
      ['where am i', 'wingtip-it', () => bot.say(alex, 'where am i')],
      ['open', 'kestrel-print', () => bot.execute(alex, 'open', { accountId: 'kestrel-print' })],
      ['up', 'wingtip-it', () => bot.say(alex, 'up')],
    ])(`"%s" to %s still costs at most ${BUDGET} requests`, async (name, expected, act) => {
      const { card, cost } = await turn(counter, `cache expired: ${name} -> ${expected}`, act as () => Promise<Card | Card[]>);
      expect(textOf(card)).toContain(`Account id: ${expected}`);
      expect(cost).toBeLessThanOrEqual(BUDGET);
    });

    it('shows the offers card and its review with the account and the base level above read again, nothing more', async () => {
      await bot.execute(alex, 'open', { accountId: 'tailspin' });
      const card = await turn(counter, 'cache expired: offers (the card)', () => bot.say(alex, 'offers'));
      expect(textOf(card.card)).toContain('5 of 8 offers enabled');
      expect(card.cost).toBeLessThanOrEqual(3 + 5 * 2);
      const review = await turn(counter, 'cache expired: offer C2TU250 on (review)', () => bot.say(alex, 'offer C2TU250 on'));
      expect(textOf(review.card)).toContain('Not enabled → Enabled');
      expect(review.cost).toBeLessThanOrEqual(4);
      await bot.execute(alex, 'open', { accountId: 'wingtip-it' });
    });

    // Home takes the scope root from the path it has just read, not from another read.
    it(`"home" costs at most ${BUDGET} requests`, async () => {
      const { card, cost } = await turn(counter, 'cache expired: home', () => bot.say(alex, 'home'));
      expect(textOf(card)).toContain('Account id: northwind');
      expect(cost).toBeLessThanOrEqual(BUDGET);
    });
  });
});
