import { readFileSync } from 'node:fs';
import https from 'node:https';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { projectPath } from '../../src/project-path';

/** One request on its way to the stand-in, as a fault rule sees it. */
export interface ProxiedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** The request body (a query's SQL and parameters, a document, a batch). */
  readonly body: string;
}

export type ConnectionMode = 'pass' | 'reset' | 'hang';

/** The stand-in's own certificate: a bot that trusts the stand-in's (COSMOS_TRUST_LOCAL_CERTIFICATE) trusts the proxy too. */
const STAND_IN_TLS = {
  cert: readFileSync(projectPath('node_modules', '@vercel', 'cosmosdb-server', 'cert.pem')),
  key: readFileSync(projectPath('node_modules', '@vercel', 'cosmosdb-server', 'key.pem')),
};

/**
 * The roster refresh's query (and the query plan asked for it): the only requests that ask for the
 * admin type, whether the SQL names it or passes it as a parameter.
 */
export const rosterQuery = (request: ProxiedRequest): boolean => request.method === 'POST' && asksForAdmins(request.body);

/** A search's query over the search keys (search-keys.ts). */
export const searchQuery = (request: ProxiedRequest): boolean => request.method === 'POST' && request.body.includes("c.type = 'searchKey'");

function asksForAdmins(body: string): boolean {
  if (body.includes("c.type = 'admin'")) return true;
  try {
    const query: unknown = JSON.parse(body);
    if (typeof query !== 'object' || query === null) return false;
    const { query: sql, parameters } = query as { query?: unknown; parameters?: unknown };
    return typeof sql === 'string' && sql.includes('c.type = @type') && Array.isArray(parameters)
      && parameters.some((p: { name?: unknown; value?: unknown }) => p.name === '@type' && p.value === 'admin');
  } catch {
    return false;
  }
}

/**
 * A fault proxy between one bot process and the Cosmos DB stand-in, so faults can be injected
 * into a process the test cannot reach into. At the TCP level it passes connections on, drops
 * them ('reset') or accepts them and never answers ('hang', a network black hole). Passed
 * connections are TLS-terminated with the stand-in's certificate and each HTTP request is
 * forwarded to the stand-in, unless a rule fails it: that is how one kind of request (the roster
 * refresh query) fails while every other (point reads, writes) still works.
 */
export class CosmosFaultProxy {
  private mode: ConnectionMode = 'pass';
  private failing: { readonly matches: (request: ProxiedRequest) => boolean; readonly status: number } | undefined;
  private delaying: { readonly matches: (request: ProxiedRequest) => boolean; readonly ms: number } | undefined;
  private readonly sockets = new Set<net.Socket>();
  /** How many requests a rule has failed so far. */
  failed = 0;

  private constructor(
    private readonly front: net.Server,
    private readonly tls: https.Server,
    private readonly upstream: https.Agent,
    readonly port: number,
  ) {}

  static async start(standInPort: number): Promise<CosmosFaultProxy> {
    const upstream = new https.Agent({ rejectUnauthorized: false, keepAlive: true });
    const tls = https.createServer(STAND_IN_TLS);
    let proxy: CosmosFaultProxy | undefined;
    const front = net.createServer((socket) => proxy!.accept(socket));
    await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
    proxy = new CosmosFaultProxy(front, tls, upstream, (front.address() as AddressInfo).port);
    tls.on('request', (request, response) => proxy!.forward(request, response, standInPort));
    tls.on('tlsClientError', () => undefined);
    return proxy;
  }

  /** The endpoint a bot process is given as COSMOS_ENDPOINT. */
  get endpoint(): string {
    return `https://127.0.0.1:${this.port}`;
  }

  /** Switches mode, cutting open connections so that kept-alive sockets see the change too. */
  set(mode: ConnectionMode): void {
    this.mode = mode;
    for (const socket of this.sockets) socket.destroy();
  }

  /** From now on answers every request `matches` selects with `status`, without forwarding it. */
  fail(matches: (request: ProxiedRequest) => boolean, status = 503): void {
    this.failing = { matches, status };
  }

  /** From now on holds every request `matches` selects for `ms` before forwarding it (a slow query). */
  delay(matches: (request: ProxiedRequest) => boolean, ms: number): void {
    this.delaying = { matches, ms };
  }

  /** Forwards every request again, at once. */
  heal(): void {
    this.failing = undefined;
    this.delaying = undefined;
  }

  async close(): Promise<void> {
    this.set('reset');
    this.upstream.destroy();
    await new Promise<void>((resolve) => this.front.close(() => resolve()));
  }

  private accept(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
    if (this.mode === 'reset') socket.destroy();
    else if (this.mode === 'pass') this.tls.emit('connection', socket);
    // 'hang': accepted and never answered, not even the TLS handshake.
  }

  private forward(request: IncomingMessage, response: ServerResponse, standInPort: number): void {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const seen: ProxiedRequest = { method: request.method ?? 'GET', path: request.url ?? '/', headers: request.headers, body: body.toString('utf8') };
      if (this.failing?.matches(seen)) {
        this.failed++;
        response.writeHead(this.failing.status, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ code: 'ServiceUnavailable', message: 'failed by the fault proxy' }));
        return;
      }
      const wait = this.delaying?.matches(seen) ? this.delaying.ms : 0;
      if (wait > 0) {
        const timer = setTimeout(() => this.send(seen, body, request.headers, response, standInPort), wait);
        response.on('close', () => clearTimeout(timer));
        return;
      }
      this.send(seen, body, request.headers, response, standInPort);
    });
  }

  private send(seen: ProxiedRequest, body: Buffer, headers: IncomingHttpHeaders, response: ServerResponse, standInPort: number): void {
    if (response.destroyed) return;
    const onward = https.request(
      { host: '127.0.0.1', port: standInPort, method: seen.method, path: seen.path, headers, agent: this.upstream },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    onward.on('error', () => response.destroy());
    onward.end(body);
  }
}
