import type { CosmosClient } from '@azure/cosmos';
import { CosmosStorage } from '../../src/teams/state/cosmos-storage';
import { createDatabase, startCosmosStandIn, type CosmosStandIn } from '../support/cosmos-server';
import { describeStorageContract } from './storage-contract';

/** CosmosStorage against the in-process stand-in, a fresh database for each test. */
let standIn: CosmosStandIn;
const clients: CosmosClient[] = [];
beforeAll(async () => {
  standIn = await startCosmosStandIn();
});
afterAll(async () => {
  clients.forEach((c) => c.dispose());
  await standIn.close();
});

describeStorageContract('CosmosStorage', async () => {
  const { client, containers } = await createDatabase(standIn);
  clients.push(client);
  return new CosmosStorage(containers.state);
});
