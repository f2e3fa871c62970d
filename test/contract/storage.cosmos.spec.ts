import type { CosmosClient } from '@azure/cosmos';
import { CosmosStateStorage } from '../../src/directory/cosmos/cosmos-state-storage';
import { createDatabase, startCosmosStandIn, type CosmosStandIn } from '../support/cosmos-server';
import { describeStorageContract } from './storage-contract';

/** CosmosStateStorage against the in-process stand-in, a fresh database for each test. */
let standIn: CosmosStandIn;
const clients: CosmosClient[] = [];
beforeAll(async () => {
  standIn = await startCosmosStandIn();
});
afterAll(async () => {
  clients.forEach((c) => c.dispose());
  await standIn.close();
});

describeStorageContract('CosmosStateStorage', async () => {
  const { client, containers } = await createDatabase(standIn);
  clients.push(client);
  return new CosmosStateStorage(containers.state);
});
