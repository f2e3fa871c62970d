import type { Container, CosmosClient, Database } from '@azure/cosmos';

/**
 * The containers Switchboard uses, with the partition key each must have. In production the
 * deployment (Bicep) creates them: the bot's identity holds only the data-plane Data Contributor
 * role, which cannot create containers. See docs/cosmos.md for why each is partitioned as it is.
 */
export const CONTAINER_SPECS = {
  /** Accounts and their audit entries, partitioned by the id of their tree's root. Audit entries carry a ttl. */
  accounts: { id: 'accounts', partitionKeyPath: '/rootId', perItemTtl: true },
  /** Point-read lookups: admins (by their own id), account locators, the offer catalogue. Nothing here expires. */
  lookups: { id: 'lookups', partitionKeyPath: '/pk', perItemTtl: false },
  /** Bot conversation state, by state key. Every item carries a ttl. */
  state: { id: 'botState', partitionKeyPath: '/id', perItemTtl: true },
} as const;

/**
 * The container's defaultTtl: -1 makes Cosmos DB honour each item's own `ttl` (items without one
 * never expire); without a defaultTtl, item ttls are ignored.
 */
export function defaultTtlOf(spec: { readonly perItemTtl: boolean }): { defaultTtl?: number } {
  return spec.perItemTtl ? { defaultTtl: -1 } : {};
}

export type ContainerRole = keyof typeof CONTAINER_SPECS;

export interface CosmosContainers {
  readonly accounts: Container;
  readonly lookups: Container;
  readonly state: Container;
}

/** Start-up found the database or its containers not as Switchboard needs them. */
export class CosmosSetupError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Switchboard cannot use Cosmos DB:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'CosmosSetupError';
  }
}

function statusOf(error: unknown): unknown {
  return typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
}

function describeFailure(error: unknown): string {
  const status = statusOf(error);
  if (status === 401 || status === 403) {
    return `access was refused (${String(status)}): give the app's identity the Cosmos DB Built-in Data Contributor role on the account`;
  }
  return `it did not answer (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`;
}

/**
 * Checks that the database and every container exist with the expected partition key, and says
 * exactly what is missing. Reading their definitions is allowed to the data-plane role.
 */
export async function openContainers(client: CosmosClient, databaseId: string, signal?: AbortSignal): Promise<CosmosContainers> {
  const database = client.database(databaseId);
  try {
    await database.read({ ...(signal ? { abortSignal: signal } : {}) });
  } catch (error) {
    if (statusOf(error) === 404) {
      throw new CosmosSetupError([`database "${databaseId}" does not exist; it is created by the deployment (deploy/), or for a local test server by "npm run directory -- init"`]);
    }
    throw new CosmosSetupError([`could not read database "${databaseId}": ${describeFailure(error)}`]);
  }
  const problems: string[] = [];
  for (const spec of Object.values(CONTAINER_SPECS)) {
    try {
      const { resource } = await database.container(spec.id).read({ ...(signal ? { abortSignal: signal } : {}) });
      const paths = resource?.partitionKey?.paths ?? [];
      if (paths.length !== 1 || paths[0] !== spec.partitionKeyPath) {
        problems.push(`container "${spec.id}" has partition key ${JSON.stringify(paths)}; it must be ${spec.partitionKeyPath} (recreate it and import again)`);
      }
    } catch (error) {
      problems.push(
        statusOf(error) === 404
          ? `container "${spec.id}" (partition key ${spec.partitionKeyPath}) is missing from database "${databaseId}"`
          : `could not read container "${spec.id}": ${describeFailure(error)}`,
      );
    }
  }
  if (problems.length > 0) throw new CosmosSetupError(problems);
  return containersOf(database);
}

export function containersOf(database: Database): CosmosContainers {
  return {
    accounts: database.container(CONTAINER_SPECS.accounts.id),
    lookups: database.container(CONTAINER_SPECS.lookups.id),
    state: database.container(CONTAINER_SPECS.state.id),
  };
}

/**
 * Creates the database and containers if they are missing. For local test servers and the
 * tests only: in Azure this is the deployment's job and the app's role is not allowed to do it.
 */
export async function createContainers(client: CosmosClient, databaseId: string): Promise<CosmosContainers> {
  const { database } = await client.databases.createIfNotExists({ id: databaseId });
  for (const spec of Object.values(CONTAINER_SPECS)) {
    await database.containers.createIfNotExists({ id: spec.id, partitionKey: { paths: [spec.partitionKeyPath] }, ...defaultTtlOf(spec) });
  }
  return containersOf(database);
}
