import { loadConfig } from '../../src/config';
import type { Directory } from '../../src/directory/port';
import { createLog } from '../../src/log';
import { startServer } from '../../src/server';
import { ALEX, DEMO_FILE, tempDir } from '../support/directories';
import { BotClient, textOf } from '../support/bot-client';

const alex = { aadObjectId: ALEX };

/**
 * A directory that cannot say who buys from a base level (a Cosmos DB import made before the
 * count was kept): the review must not claim every account below can buy an offer turned on.
 */
describe('an offer turned on where the directory cannot count who buys from the base level', () => {
  let bot: BotClient;
  beforeAll(async () => {
    const config = loadConfig({ NODE_ENV: 'test', PORT: '0', DIRECTORY_FILE: DEMO_FILE, DATA_DIR: tempDir(), LOG_LEVEL: 'silent', INSECURE_UNAUTHENTICATED_LOOPBACK: 'true' });
    const unknownBuyers = (inner: Directory): Directory =>
      new Proxy(inner, { get: (target, key) => (key === 'buyerCount' ? async () => undefined : Reflect.get(target, key, target)) });
    bot = BotClient.attach(await startServer(config, { log: createLog('silent'), decorateDirectory: unknownBuyers }));
  });
  afterAll(() => bot.close());

  it('says "up to" every account below, a bound that is true', async () => {
    await bot.say(alex, 'open tailspin');
    const [review] = await bot.say(alex, 'offer C2TU250 on');
    expect(textOf(review!)).toContain('Up to 10 accounts below Tailspin Networks can buy it');
  });
});
