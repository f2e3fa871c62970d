import { readDirectoryFile } from '../../src/directory/directory-file';
import { EmbeddedDirectory } from '../../src/directory/embedded/embedded-directory';
import { cosmosDirectoryWith, useCosmosStandIn } from '../support/cosmos-server';
import { DEMO_FILE } from '../support/directories';

/** The digest's one query: both directories name the same trials, started since the same day. */
const suite = useCosmosStandIn();

describe('trial subscriptions on Cosmos DB', () => {
  it.each(['2026-01-01', '2026-11-06'])('answers as the embedded directory does, for trials started since %s', async (since) => {
    const { directory, client } = await cosmosDirectoryWith(suite.standIn, readDirectoryFile(DEMO_FILE));
    suite.clients.push(client);
    suite.directories.push(directory);
    const embedded = await EmbeddedDirectory.open({ seedFile: DEMO_FILE });
    const key = (t: { accountId: string; sku: string }) => `${t.accountId} ${t.sku}`;
    const fromCosmos = (await directory.trialSubscriptions(since)).sort((a, b) => key(a).localeCompare(key(b)));
    const fromFile = (await embedded.trialSubscriptions(since)).sort((a, b) => key(a).localeCompare(key(b)));
    expect(fromFile.length).toBeGreaterThan(0);
    expect(fromCosmos).toEqual(fromFile);
    expect(fromFile.find((t) => t.accountId === 'cobalt-software')).toEqual({ accountId: 'cobalt-software', sku: 'T2TUT', quantity: 15, startedAt: '2026-11-06' });
    await embedded.close();
  });
});
