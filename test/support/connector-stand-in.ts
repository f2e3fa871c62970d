import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for the Bot Connector service (Teams' side of `serviceUrl`), on loopback. It speaks
 * the REST routes Switchboard calls, records every call, keeps the activities it has accepted
 * (so an update of an activity it never issued gets 404, as Teams answers), and can be told to
 * fail the next calls the way the real service does under load.
 *
 * Routes (v3 Bot Connector API):
 *   POST /v3/conversations                                  create   -> { id, activityId?, serviceUrl }
 *   POST /v3/conversations/{conversationId}/activities      send     -> { id }
 *   POST /v3/conversations/{conversationId}/activities/{id} reply    -> { id }
 *   PUT  /v3/conversations/{conversationId}/activities/{id} update   -> { id }
 */
export type ConnectorRoute = 'create' | 'send' | 'reply' | 'update';

export interface ConnectorCall {
  readonly route: ConnectorRoute;
  readonly method: string;
  readonly path: string;
  /** Decoded conversation id from the path (for create: the id the stand-in issued). */
  readonly conversationId: string;
  /** The activity id in the path (reply: the one replied to; update: the one replaced). */
  readonly activityId: string | undefined;
  /** The id the stand-in gave a new activity (send, reply, create with an activity). */
  readonly issuedId: string | undefined;
  // Test data as it came over the wire: any keeps assertions on nested card JSON short.
  readonly body: any;
  /** The Authorization header as sent (undefined when the bot sent none). */
  readonly authorization: string | undefined;
  /** What the stand-in answered (0 for a connection it reset). */
  readonly status: number;
}

/** How the next calls fail: a 429 with Retry-After (seconds), a 503, any status, or a reset connection. */
export type ConnectorFault = { readonly status: 429; readonly retryAfterSeconds?: number } | { readonly status: number } | 'reset';

export interface ConnectorStandIn {
  /** The serviceUrl to put on activities (ends with a slash, as Teams' do). */
  readonly url: string;
  /** Every call, in the order it arrived, failed ones included. */
  readonly calls: readonly ConnectorCall[];
  /** The current content of an accepted activity (after any updates). */
  activity(conversationId: string, activityId: string): any;
  /** Makes the next `count` calls (in `conversationId` only, when given) fail with `fault` (faults queue up in order). */
  failNext(count: number, fault: ConnectorFault, conversationId?: string): void;
  /** Forgets recorded calls (not the activities). */
  clearCalls(): void;
  /** Drops the faults still queued: the service is well again. */
  clearFaults(): void;
  close(): Promise<void>;
}

const ROUTES: readonly { readonly method: string; readonly pattern: RegExp; readonly route: ConnectorRoute }[] = [
  { method: 'POST', pattern: /^\/v3\/conversations\/?$/, route: 'create' },
  { method: 'POST', pattern: /^\/v3\/conversations\/([^/]+)\/activities\/?$/, route: 'send' },
  { method: 'POST', pattern: /^\/v3\/conversations\/([^/]+)\/activities\/([^/]+)$/, route: 'reply' },
  { method: 'PUT', pattern: /^\/v3\/conversations\/([^/]+)\/activities\/([^/]+)$/, route: 'update' },
];

function errorBody(code: string, message: string): string {
  return JSON.stringify({ error: { code, message } });
}

export async function startConnectorStandIn(): Promise<ConnectorStandIn> {
  const calls: ConnectorCall[] = [];
  const faults: { readonly fault: ConnectorFault; readonly conversationId: string | undefined }[] = [];
  const activities = new Map<string, any>();
  const key = (conversationId: string, activityId: string) => `${conversationId}\n${activityId}`;
  // Teams message ids are epoch milliseconds as text; kept strictly increasing here.
  let lastId = Date.now();
  const nextId = () => String(++lastId);

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = (req.url ?? '').split('?')[0]!;
      const match = ROUTES.map((r) => ({ r, m: req.method === r.method ? r.pattern.exec(path) : null })).find((x) => x.m);
      const text = Buffer.concat(chunks).toString('utf8');
      let body: any;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = text;
      }
      const authorization = req.headers.authorization;
      const record = (route: ConnectorRoute, conversationId: string, activityId: string | undefined, status: number, issuedId?: string) =>
        calls.push({ route, method: req.method ?? '', path, conversationId, activityId, issuedId, body, authorization, status });
      const answer = (status: number, json: string, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(json);
      };

      if (!match) {
        answer(404, errorBody('NotFound', `No route ${req.method} ${path}`));
        return;
      }
      const { route } = match.r;
      const conversationId = route === 'create' ? `a:${randomUUID()}` : decodeURIComponent(match.m![1]!);
      const pathActivityId = match.m![2] === undefined ? undefined : decodeURIComponent(match.m![2]);

      const queued = faults.findIndex((f) => f.conversationId === undefined || f.conversationId === conversationId);
      const fault = queued === -1 ? undefined : faults.splice(queued, 1)[0]!.fault;
      if (fault === 'reset') {
        record(route, conversationId, pathActivityId, 0);
        req.socket.destroy();
        return;
      }
      if (fault) {
        record(route, conversationId, pathActivityId, fault.status);
        const retryAfter: Record<string, string> = 'retryAfterSeconds' in fault && fault.retryAfterSeconds !== undefined ? { 'retry-after': String(fault.retryAfterSeconds) } : {};
        answer(fault.status, errorBody(fault.status === 429 ? 'TooManyRequests' : 'ServiceError', `Injected ${fault.status}`), retryAfter);
        return;
      }
      if (typeof body !== 'object' || body === null) {
        record(route, conversationId, pathActivityId, 400);
        answer(400, errorBody('BadArgument', 'The body is not a JSON object.'));
        return;
      }

      if (route === 'create') {
        const activityId = body.activity ? nextId() : undefined;
        if (activityId) activities.set(key(conversationId, activityId), body.activity);
        record(route, conversationId, undefined, 201, activityId);
        answer(201, JSON.stringify({ id: conversationId, ...(activityId ? { activityId } : {}), serviceUrl: url }));
      } else if (route === 'update') {
        if (!activities.has(key(conversationId, pathActivityId!))) {
          record(route, conversationId, pathActivityId, 404);
          answer(404, errorBody('NotFound', 'The activity to update does not exist in this conversation.'));
          return;
        }
        activities.set(key(conversationId, pathActivityId!), body);
        record(route, conversationId, pathActivityId, 200);
        answer(200, JSON.stringify({ id: pathActivityId }));
      } else {
        const id = nextId();
        activities.set(key(conversationId, id), body);
        record(route, conversationId, pathActivityId, 201, id);
        answer(201, JSON.stringify({ id }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;

  return {
    url,
    calls,
    activity: (conversationId, activityId) => activities.get(key(conversationId, activityId)),
    failNext(count, fault, conversationId) {
      for (let i = 0; i < count; i++) faults.push({ fault, conversationId });
    },
    clearFaults() {
      faults.length = 0;
    },
    clearCalls() {
      calls.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

