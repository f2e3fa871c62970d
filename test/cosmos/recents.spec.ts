import { loadConfig } from '../../src/config';
import { importDirectory } from '../../src/directory/cosmos/directory-transfer';
import { setCosmosTestOptions } from '../../src/directory/cosmos/open-cosmos';
import type { AccountRecord, DirectoryDocument } from '../../src/domain/directory-document';
import { startServer } from '../../src/server';
import { BotClient, actionsOf, textOf, verbOf } from '../support/bot-client';
import { cosmosDirectoryWith, STAND_IN_KEY, useCosmosStandIn } from '../support/cosmos-server';
import { ALEX, OFFERS, admin } from '../support/directories';

/**
 * Recently visited accounts kept in the Cosmos DB state store: written by one instance, read by
 * another started later on the same database, and re-authorized there against the directory as
 * it is then (an import has deleted one of them).
 */
const suite = useCosmosStandIn();

function directory(withA3: boolean): DirectoryDocument {
  const accounts: AccountRecord[] = [{ id: 'p', name: 'Partner', parentId: null, kind: 'partner' }];
  for (let i = 1; i <= 4; i++) if (withA3 || i !== 3) accounts.push({ id: `a${i}`, name: `Acme ${i}`, parentId: 'p', kind: 'customer' });
  return { offers: OFFERS, accounts, admins: [admin(ALEX, [['p', ['AccountOwner']]], 'Alex Wilber')] };
}

const opens = (card: Parameters<typeof actionsOf>[0]): string[] => actionsOf(card).filter((a) => verbOf(a) === 'open').map((a) => a.data.accountId);

describe('recently visited accounts on Cosmos DB', () => {
  it('are kept in the state store for the next instance, which shows only those still there', async () => {
    const seeded = await cosmosDirectoryWith(suite.standIn, directory(true));
    suite.clients.push(seeded.client);
    setCosmosTestOptions(suite.standIn.options());
    const config = loadConfig({ NODE_ENV: 'test', PORT: '0', LOG_LEVEL: 'silent', INSECURE_UNAUTHENTICATED_LOOPBACK: 'true', DIRECTORY: 'cosmos', COSMOS_ENDPOINT: suite.standIn.endpoint, COSMOS_KEY: STAND_IN_KEY, COSMOS_DATABASE: seeded.database });
    const alex = { aadObjectId: ALEX };
    const first = BotClient.attach(await startServer(config));
    try {
      for (const id of ['a1', 'a3', 'a2', 'a4']) await first.say(alex, `open ${id}`);
      expect(opens((await first.say(alex, 'switch'))[0]!)).toEqual(['a2', 'a3', 'a1']);
    } finally {
      await first.close();
    }
    await importDirectory(seeded.containers, directory(false), () => undefined);
    const second = BotClient.attach(await startServer(config)).inConversation(first.conversationId);
    try {
      const [picker] = await second.say(alex, 'switch');
      expect(opens(picker!)).toEqual(['a2', 'a1']);
      expect(textOf(picker!)).not.toContain('Acme 3');
    } finally {
      await second.close();
    }
  });
});
