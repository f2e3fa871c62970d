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
import { setCosmosTestOptions, type CosmosStoreOptions } from '../../src/directory/cosmos/open-cosmos';

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

/** A fault the injector plays instead of, or after, one matching request. */
export type Fault =
  /** The service answers 429 with a retry-after: nothing was applied. */
  | { readonly kind: 'throttled'; readonly retryAfterMs: number }
  /** The service answers with this status: nothing was applied. */
  | { readonly kind: 'status'; readonly status: number }
  /** The request reaches the service and is applied, but its response is lost on the way back. */
  | { readonly kind: 'lost-response' };

/**
 * Plays faults in the client's pipeline for requests matching a predicate, counting every
 * request it sees: how 429s, transient errors and ambiguous write failures are exercised
 * against the stand-in, which never produces them itself.
 */
export class FaultInjector {
  private readonly planned: { readonly matches: (operation: string, path: string) => boolean; readonly fault: Fault; remaining: number }[] = [];
  readonly sent: string[] = [];
  readonly plugin: PluginConfig = {
    on: 'request',
    plugin: async (context, _diagnostics, next) => {
      const operation = String(context.operationType ?? '');
      const path = context.path ?? '';
      this.sent.push(`${operation} ${path}`);
      const plan = this.planned.find((p) => p.remaining > 0 && p.matches(operation, path));
      if (!plan) return next(context);
      plan.remaining--;
      const { fault } = plan;
      if (fault.kind === 'lost-response') {
        await next(context);
        throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
      }
      if (fault.kind === 'throttled') throw Object.assign(new Error('Request rate is large'), { code: 429, retryAfterInMs: fault.retryAfterMs, headers: {} });
      throw Object.assign(new Error(`injected ${fault.status}`), { code: fault.status, headers: {} });
    },
  };

  /** Plays `fault` for the next `times` requests whose operation type is `operation` (read, query, batch, replace, upsert...). */
  inject(operation: string, fault: Fault, times = 1, pathIncludes = ''): void {
    this.planned.push({ matches: (op, path) => op === operation && path.includes(pathIncludes), fault, remaining: times });
  }

  count(operation: string): number {
    return this.sent.filter((s) => s.startsWith(`${operation} `)).length;
  }

  reset(): void {
    this.planned.length = 0;
    this.sent.length = 0;
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
  /** Calls `listener` with the Authorization header of every request the stand-in receives, until the returned function is called. */
  watchAuthorization(listener: (authorization: string) => void): () => void;
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
    watchAuthorization(listener) {
      const onRequest = (request: { headers: Record<string, string | string[] | undefined> }): void => listener(decodeURIComponent(String(request.headers.authorization ?? '')));
      server.on('request', onRequest);
      return () => server.off('request', onRequest);
    },
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

export interface StandInSuite {
  /** The file's stand-in (set before its first test). */
  readonly standIn: CosmosStandIn;
  /** Clients and directories a test opened: disposed and closed after the file's tests. */
  readonly clients: CosmosClient[];
  readonly directories: CosmosDirectory[];
}

/**
 * One stand-in for a test file: started before its tests; afterwards every directory and client
 * the tests registered is closed, the test connection options are reset, and the stand-in stops.
 */
export function useCosmosStandIn(): StandInSuite {
  const suite: { standIn: CosmosStandIn; clients: CosmosClient[]; directories: CosmosDirectory[] } = {
    standIn: undefined as unknown as CosmosStandIn,
    clients: [],
    directories: [],
  };
  beforeAll(async () => {
    suite.standIn = await startCosmosStandIn();
  });
  afterAll(async () => {
    setCosmosTestOptions(undefined);
    await Promise.all(suite.directories.map((d) => d.close()));
    suite.clients.forEach((c) => c.dispose());
    await suite.standIn?.close();
  });
  return suite;
}
