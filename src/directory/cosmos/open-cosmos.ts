import type { CosmosSettings } from '../../config';
import type { Stores } from '../../stores';

/** Opens the Cosmos DB directory and state storage. */
export async function openCosmosStores(_settings: CosmosSettings): Promise<Stores> {
  throw new Error('DIRECTORY=cosmos is not available in this build yet');
}
