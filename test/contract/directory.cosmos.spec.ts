import { CosmosDirectory } from '../../src/directory/cosmos/cosmos-directory';
import type { CosmosContainers } from '../../src/directory/cosmos/containers';
import type { Directory } from '../../src/directory/port';
import { cosmosDirectoryWith, startCosmosStandIn, type CosmosStandIn } from '../support/cosmos-server';
import { describeDirectoryContract } from './directory-contract';

/** The Cosmos DB adapter against the in-process stand-in, each directory in a database of its own. */
let standIn: CosmosStandIn;
const containersOf = new WeakMap<Directory, CosmosContainers>();
const clients: { dispose(): void }[] = [];

beforeAll(async () => {
  standIn = await startCosmosStandIn();
});
afterAll(async () => {
  clients.forEach((c) => c.dispose());
  await standIn.close();
});

describeDirectoryContract('Cosmos DB', () => ({
  async open(doc) {
    const { directory, containers, client } = await cosmosDirectoryWith(standIn, doc);
    clients.push(client);
    containersOf.set(directory, containers);
    return directory;
  },
  async reopen(directory) {
    // A new instance has none of the old one's caches: everything comes from the database.
    const again = new CosmosDirectory(containersOf.get(directory)!);
    containersOf.set(again, containersOf.get(directory)!);
    return again;
  },
  // The stand-in scans every item of a container per query: a smaller partner keeps this fast.
  wideWidth: 500,
  widePageSize: 100,
}));
