import { createCosmosClient } from '../../src/directory/cosmos/cosmos-client';
import { CosmosSetupError, createContainers } from '../../src/directory/cosmos/containers';
import { importDirectory } from '../../src/directory/cosmos/directory-transfer';
import { openCosmosStores } from '../../src/directory/cosmos/open-cosmos';
import { readDirectoryFile } from '../../src/directory/directory-file';
import { startCosmosStandIn, type CosmosStandIn } from '../support/cosmos-server';
import { ALEX, DEMO_FILE, TENANT } from '../support/directories';

/**
 * The bot's own way onto a local emulator: COSMOS_TRUST_LOCAL_CERTIFICATE gives its Cosmos DB
 * client (and no other) an agent that accepts the stand-in's expired self-signed certificate.
 * No test options are passed here: what the settings alone do.
 */
let standIn: CosmosStandIn;
const database = 'trust-local';
beforeAll(async () => {
  standIn = await startCosmosStandIn();
  const admin = createCosmosClient(standIn.settings(database), standIn.options());
  await importDirectory(await createContainers(admin, database), readDirectoryFile(DEMO_FILE), () => undefined);
  admin.dispose();
});
afterAll(async () => {
  await standIn.close();
});

it('opens the stand-in with the settings alone when its certificate is trusted', async () => {
  const stores = await openCosmosStores({ ...standIn.settings(database), trustLocalCertificate: true }, {});
  try {
    expect((await stores.directory.getAdmin({ tenantId: TENANT, aadObjectId: ALEX }))?.name).toBe('Alex Wilber');
  } finally {
    await stores.close();
  }
});

it('names the untrusted certificate and the setting that trusts it when start-up fails on it', async () => {
  const error = await openCosmosStores(standIn.settings(database), {}).then(
    async (stores) => {
      await stores.close();
      throw new Error('expected start-up to refuse the expired certificate');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CosmosSetupError);
  const message = (error as Error).message;
  expect(message).toContain('certificate has expired');
  expect(message).toContain(`TLS certificate of the local server at ${standIn.endpoint} is not trusted`);
  expect(message).toContain('COSMOS_TRUST_LOCAL_CERTIFICATE=true');
});

it('never trusts the certificate for a client whose settings do not ask for it, nor process-wide', () => {
  expect(process.env.NODE_TLS_REJECT_UNAUTHORIZED).toBeUndefined();
  expect(() => createCosmosClient({ ...standIn.settings(database), endpoint: 'https://switchboard.documents.azure.com:443/', trustLocalCertificate: true })).toThrow(
    'COSMOS_TRUST_LOCAL_CERTIFICATE is only for a loopback endpoint with an account key',
  );
});
