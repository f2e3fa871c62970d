import { endpointHost, isLoopback, TRUST_LOCAL_CERTIFICATE_SETTING, type CosmosSettings } from '../../config';
import { LASTING_STATE_PREFIX, type Stores } from '../stores';
import { CosmosStateStorage } from './cosmos-state-storage';
import { CosmosSetupError, openContainers } from './containers';
import { createCosmosClient, type CosmosConnectionOverrides } from './cosmos-client';
import { CosmosDirectory, type CosmosDirectoryOptions, type DirectoryLog } from './cosmos-directory';
import { CATALOG_ID, type CatalogDoc } from './documents';
import { pointRead } from './point-read';

export interface CosmosStoreOptions extends CosmosConnectionOverrides {
  readonly directory?: Partial<CosmosDirectoryOptions>;
}

/** What Node says when a server's TLS certificate cannot be trusted (expired, self-signed, unknown issuer). */
const CERTIFICATE_PROBLEM = /certificate|self[- ]signed|CERT_|unable to verify/i;

/**
 * Why a TLS failure happened and what to do, since "certificate has expired" alone does not say
 * that a local emulator's certificate is meant to be trusted by name.
 */
function certificateHint(settings: CosmosSettings, problem: string): string {
  if (!CERTIFICATE_PROBLEM.test(problem)) return '';
  const host = endpointHost(settings.endpoint);
  if (settings.trustLocalCertificate) return '';
  if (host !== undefined && isLoopback(host)) {
    return `. The TLS certificate of the local server at ${settings.endpoint} is not trusted (local emulators and the stand-in use a self-signed one; the stand-in's expired in 2021): set ${TRUST_LOCAL_CERTIFICATE_SETTING}=true with COSMOS_KEY to trust it for Switchboard's Cosmos DB client only, or run npm run dev:cosmos`;
  }
  return `. The TLS certificate of ${settings.endpoint} could not be verified: check that COSMOS_ENDPOINT is the account's documents.azure.com endpoint and that no proxy intercepts TLS`;
}

/** Start-up may wait longer than a turn: the first request also fetches an Entra ID token. */
const STARTUP_DEADLINE_MS = 20_000;

let testOptions: CosmosStoreOptions | undefined;

/**
 * For tests that start the real server against the in-process stand-in: the stand-in's https
 * agent, a request-counting plugin, shorter caches. Applies to every openCosmosStores call that
 * passes no options of its own, until reset with undefined. Production never calls it.
 */
export function setCosmosTestOptions(options: CosmosStoreOptions | undefined): void {
  testOptions = options;
}

/**
 * Opens the Cosmos DB directory and state storage. Checks first that the database and every
 * container exist and that a directory has been imported, and says exactly what is missing:
 * in production the deployment creates the containers and `npm run directory -- import` fills them.
 */
export async function openCosmosStores(settings: CosmosSettings, options: CosmosStoreOptions | undefined = testOptions, log?: DirectoryLog): Promise<Stores> {
  const client = createCosmosClient(settings, options);
  try {
    const signal = AbortSignal.timeout(STARTUP_DEADLINE_MS);
    const containers = await openContainers(client, settings.database, signal).catch((error: unknown) => {
      if (error instanceof CosmosSetupError) throw new CosmosSetupError(error.problems.map((p) => `${settings.endpoint}: ${p}${certificateHint(settings, p)}`));
      throw error;
    });
    const catalog = await pointRead<CatalogDoc>(containers.lookups, CATALOG_ID, CATALOG_ID, signal);
    if (!catalog) {
      throw new CosmosSetupError([`database "${settings.database}" at ${settings.endpoint} holds no directory yet: import one with "npm run directory -- import <file>"`]);
    }
    const fromSettings: Partial<CosmosDirectoryOptions> = {
      ...(settings.rosterMaxAgeMs === undefined ? {} : { rosterMaxAgeMs: settings.rosterMaxAgeMs }),
      ...(settings.importCheckMs === undefined ? {} : { importCheckMs: settings.importCheckMs }),
      ...(settings.searchDeadlineMs === undefined ? {} : { searchDeadlineMs: settings.searchDeadlineMs }),
      ...(settings.auditRetentionDays === undefined ? {} : { auditRetentionDays: settings.auditRetentionDays }),
    };
    const directory = new CosmosDirectory(containers, { ...fromSettings, ...options?.directory }, { onClose: () => client.dispose(), log });
    void directory.warmUp();
    // Notice preferences and personal chats (src/teams/notice-subscribers.ts) outlive the ttl of
    // positions: a chat recorded once and an "off" chosen once hold until changed.
    const state = new CosmosStateStorage(containers.state, directory.calls, settings.stateTtlDays, (key) => key.startsWith(LASTING_STATE_PREFIX));
    return {
      directory,
      state,
      async close() {
        await directory.close();
      },
    };
  } catch (error) {
    client.dispose();
    throw error;
  }
}
