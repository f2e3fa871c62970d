import type { CosmosClient } from '@azure/cosmos';
import type { AccessToken, TokenCredential } from '@azure/identity';
import { DefaultAzureCredential, ManagedIdentityCredential } from '@azure/identity';
import { CosmosSetupError, CONTAINER_SPECS, createContainers } from '../../src/directory/cosmos/containers';
import { createCosmosClient, credentialFor } from '../../src/directory/cosmos/cosmos-client';
import { importDirectory } from '../../src/directory/cosmos/directory-transfer';
import { openCosmosStores } from '../../src/directory/cosmos/open-cosmos';
import { readDirectoryFile } from '../../src/directory/directory-file';
import { startCosmosStandIn, type CosmosStandIn } from '../support/cosmos-server';
import { ALEX, DEMO_FILE, TENANT } from '../support/directories';

/** openCosmosStores: what start-up checks and says, and how it authenticates. */
let standIn: CosmosStandIn;
let admin: CosmosClient;
let databases = 0;
beforeAll(async () => {
  standIn = await startCosmosStandIn();
  admin = createCosmosClient(standIn.settings('admin'), standIn.options());
});
afterAll(async () => {
  admin.dispose();
  await standIn.close();
});

async function setupError(database: string): Promise<string> {
  try {
    const stores = await openCosmosStores(standIn.settings(database), standIn.options());
    await stores.close();
  } catch (error) {
    expect(error).toBeInstanceOf(CosmosSetupError);
    return (error as Error).message;
  }
  throw new Error('expected start-up to refuse');
}

describe('start-up checks', () => {
  it('opens a directory and a state storage that work together over an imported database', async () => {
    const database = `open-${++databases}`;
    await importDirectory(await createContainers(admin, database), readDirectoryFile(DEMO_FILE), () => undefined);
    const stores = await openCosmosStores(standIn.settings(database), standIn.options());
    try {
      expect((await stores.directory.getAdmin({ tenantId: TENANT, aadObjectId: ALEX }))?.name).toBe('Alex Wilber');
      await stores.state.write({ 'conversation/user': { position: { accountId: 'tailspin', scopeRootId: 'northwind' } } });
      expect(await stores.state.read(['conversation/user'])).toMatchObject({ 'conversation/user': { position: { accountId: 'tailspin' } } });
      await expect(stores.directory.ping()).resolves.toBeUndefined();
    } finally {
      await stores.close();
    }
  });

  it('says the database is missing, and who creates it', async () => {
    const message = await setupError('no-such-database');
    expect(message).toContain('database "no-such-database" does not exist');
    expect(message).toContain('created by the deployment');
  });

  it('names every missing container with the partition key it needs', async () => {
    const database = `partial-${++databases}`;
    await admin.databases.createIfNotExists({ id: database });
    await admin.database(database).containers.createIfNotExists({ id: CONTAINER_SPECS.lookups.id, partitionKey: { paths: ['/pk'] } });
    const message = await setupError(database);
    expect(message).toContain('container "accounts" (partition key /rootId) is missing');
    expect(message).toContain('container "botState" (partition key /id) is missing');
    expect(message).not.toContain('"lookups"');
  });

  it('refuses a container with the wrong partition key', async () => {
    const database = `wrong-key-${++databases}`;
    await admin.databases.createIfNotExists({ id: database });
    await admin.database(database).containers.createIfNotExists({ id: 'accounts', partitionKey: { paths: ['/id'] } });
    await admin.database(database).containers.createIfNotExists({ id: 'lookups', partitionKey: { paths: ['/pk'] } });
    await admin.database(database).containers.createIfNotExists({ id: 'botState', partitionKey: { paths: ['/id'] } });
    expect(await setupError(database)).toContain('container "accounts" has partition key ["/id"]; it must be /rootId');
  });

  it('says when no directory has been imported yet, and how to import one', async () => {
    const database = `empty-${++databases}`;
    await createContainers(admin, database);
    expect(await setupError(database)).toContain('holds no directory yet: import one with "npm run directory -- import <file>"');
  });
});

describe('authentication', () => {
  it('uses the managed identity named by its client id, else DefaultAzureCredential', () => {
    expect(credentialFor({ managedIdentityClientId: '11111111-2222-3333-4444-555555555555' })).toBeInstanceOf(ManagedIdentityCredential);
    expect(credentialFor({ managedIdentityClientId: undefined })).toBeInstanceOf(DefaultAzureCredential);
  });

  it('signs requests with an Entra ID token when no key is configured, and with the key only when one is', async () => {
    const database = `aad-${++databases}`;
    await importDirectory(await createContainers(admin, database), readDirectoryFile(DEMO_FILE), () => undefined);
    const scopes: string[] = [];
    const credential: TokenCredential = {
      async getToken(scope): Promise<AccessToken> {
        scopes.push(...(Array.isArray(scope) ? scope : [scope]));
        return { token: 'entra-id-token', expiresOnTimestamp: Date.now() + 3_600_000 };
      },
    };
    const seen: string[] = [];
    const stopWatching = standIn.watchAuthorization((auth) => seen.push(auth));
    try {
      const withoutKey = { ...standIn.settings(database), key: undefined };
      const stores = await openCosmosStores(withoutKey, standIn.options({ credential }));
      await stores.directory.getAccount('acme-dental');
      await stores.close();
      expect(scopes.length).toBeGreaterThan(0);
      expect(seen.length).toBeGreaterThan(0);
      expect(seen.every((auth) => auth.startsWith('type=aad') && auth.includes('entra-id-token'))).toBe(true);

      seen.length = 0;
      const keyed = await openCosmosStores(standIn.settings(database), standIn.options({ credential }));
      await keyed.close();
    } finally {
      stopWatching();
    }
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((auth) => auth.startsWith('type=master'))).toBe(true);
  });
});
