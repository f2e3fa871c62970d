import { randomUUID } from 'node:crypto';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import { CosmosClient, type PluginConfig } from '@azure/cosmos';
import createCosmosServer from '@vercel/cosmosdb-server';
import type { CosmosSettings } from '../../src/config';
import type { DirectoryDocument } from '../../src/domain/directory-document';
import { createContainers, type CosmosContainers } from '../../src/directory/cosmos/containers';
import { createCosmosClient } from '../../src/directory/cosmos/cosmos-client';
import { CosmosDirectory, type CosmosDirectoryOptions } from '../../src/directory/cosmos/cosmos-directory';
import { importDirectory } from '../../src/directory/cosmos/directory-transfer';
import type { CosmosStoreOptions } from '../../src/directory/cosmos/open-cosmos';

/** Any base64 string will do: the stand-in does not check signatures. */
export const STAND_IN_KEY = Buffer.from('switchboard stand-in key').toString('base64');

/**
 * Counts every HTTP request the Cosmos client sends (retries included), through the client's
 * own pipeline: the measure behind the "requests per turn" budget.
 */
export class RequestCounter {
  private readonly seen: string[] = [];
  readonly plugin: PluginConfig = {
    on: 'request',
    plugin: async (context, _diagnostics, next) => {
      this.seen.push(`${context.method} ${context.resourceType}${context.operationType ? ` ${context.operationType}` : ''} ${context.path}`);
      return next(context);
    },
  };

  get count(): number {
    return this.seen.length;
  }

  /** The requests since the last reset, for a failure message. */
  get requests(): readonly string[] {
    return [...this.seen];
  }

  reset(): void {
    this.seen.length = 0;
  }

  /** How many requests `work` sends. */
  async measure(work: () => Promise<unknown>): Promise<{ count: number; requests: readonly string[] }> {
    this.reset();
    await work();
    return { count: this.count, requests: this.requests };
  }
}

type ProxyMode = 'pass' | 'reset' | 'hang';

/**
 * A TCP proxy in front of the stand-in that can make it unreachable: 'reset' drops every
 * connection at once (a refused or broken connection), 'hang' accepts and never answers (a
 * network black hole). The stand-in keeps its data meanwhile, so recovery can be observed.
 */
export class OutageProxy {
  private mode: ProxyMode = 'pass';
  private readonly sockets = new Set<net.Socket>();

  private constructor(
    private readonly server: net.Server,
    readonly port: number,
  ) {}

  static async start(targetPort: number): Promise<OutageProxy> {
    let proxy: OutageProxy | undefined;
    const server = net.createServer((client) => proxy!.accept(client, targetPort));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    proxy = new OutageProxy(server, (server.address() as AddressInfo).port);
    return proxy;
  }

  private accept(client: net.Socket, targetPort: number): void {
    this.sockets.add(client);
    client.on('close', () => this.sockets.delete(client));
    client.on('error', () => undefined);
    if (this.mode === 'reset') {
      client.destroy();
      return;
    }
    if (this.mode === 'hang') return;
    const upstream = net.connect(targetPort, '127.0.0.1');
    this.sockets.add(upstream);
    upstream.on('close', () => {
      this.sockets.delete(upstream);
      client.destroy();
    });
    upstream.on('error', () => undefined);
    client.on('close', () => upstream.destroy());
    client.pipe(upstream).pipe(client);
  }

  /** Switches mode, cutting open connections so that kept-alive sockets see the outage too. */
  set(mode: ProxyMode): void {
    this.mode = mode;
    for (const socket of this.sockets) socket.destroy();
  }

  async close(): Promise<void> {
    this.set('reset');
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

export interface CosmosStandIn {
  readonly endpoint: string;
  readonly port: number;
  readonly agent: https.Agent;
  /** Settings as loadConfig would give them for DIRECTORY=cosmos with a key. */
  settings(database: string, endpoint?: string): CosmosSettings;
  /** Connection options for the stand-in (its agent, no endpoint discovery), plus extras. */
  options(extra?: CosmosStoreOptions): CosmosStoreOptions;
  close(): Promise<void>;
}

/** Starts the Cosmos DB stand-in in this process, on a free loopback port. */
export async function startCosmosStandIn(): Promise<CosmosStandIn> {
  const server = createCosmosServer({ keepAlive: true });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const endpoint = `https://127.0.0.1:${port}`;
  // Trusts the stand-in's self-signed certificate for this client only, never process-wide.
  const agent = new https.Agent({ rejectUnauthorized: false, keepAlive: true });
  return {
    endpoint,
    port,
    agent,
    settings: (database, at = endpoint) => ({ kind: 'cosmos', endpoint: at, database, key: STAND_IN_KEY, managedIdentityClientId: undefined }),
    options: (extra = {}) => ({ agent, enableEndpointDiscovery: false, ...extra }),
    async close() {
      agent.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A database of its own for one test or suite, with Switchboard's containers created. */
export async function createDatabase(standIn: CosmosStandIn, database = `db-${randomUUID()}`): Promise<{ client: CosmosClient; containers: CosmosContainers; database: string }> {
  const client = createCosmosClient(standIn.settings(database), standIn.options());
  return { client, containers: await createContainers(client, database), database };
}

/** A CosmosDirectory over a fresh database holding `doc`. */
export async function cosmosDirectoryWith(
  standIn: CosmosStandIn,
  doc: DirectoryDocument,
  options: Partial<CosmosDirectoryOptions> = {},
): Promise<{ directory: CosmosDirectory; containers: CosmosContainers; client: CosmosClient; database: string }> {
  const { client, containers, database } = await createDatabase(standIn);
  await importDirectory(containers, doc, () => undefined);
  return { directory: new CosmosDirectory(containers, options), containers, client, database };
}
