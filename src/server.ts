import { ConfigurationBotFrameworkAuthentication, type Activity, type TurnContext } from 'botbuilder';
import type { ServiceClientCredentialsFactory } from 'botframework-connector';
import * as restify from 'restify';
import { AccountLookup } from './app/account-lookup';
import { DEFAULT_NAVIGATOR_OPTIONS, Navigator } from './app/navigator';
import { DEFAULT_HOLDING_BOUNDS, OfferChanges } from './app/offer-changes';
import { SubscriptionChanges } from './app/subscription-changes';
import { NoticeSettings } from './app/notice-settings';
import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import type { Socket } from 'node:net';
import { format } from 'node:util';
import { ConfigError, describeConfig, INSECURE_SETTING, loadConfig, type Config } from './config';
import { DirectoryFileError } from './directory/directory-file';
import { DirectoryUnavailableError } from './domain/errors';
import { guardDirectory } from './directory/guarded-directory';
import type { Directory } from './directory/port';
import { createLog, type Log } from './log';
import { openStores } from './stores';
import { activityProblem, channelProblem } from './teams/activity-shape';
import { SwitchboardBot } from './teams/bot';
import { DEFAULT_DELIVERY_OPTIONS, NoticeDeliverer, type DeliveryOptions } from './teams/notice-deliverer';
import { ProactiveSender } from './teams/proactive-sender';
import { DEFAULT_DIGEST_OPTIONS, TrialDigests, type DigestOptions } from './teams/trial-digests';
import { NoticeSubscribers } from './teams/notice-subscribers';
import { FailClosedAuthentication, loginUrlFor, PUBLIC_CLOUD_SETTINGS } from './teams/fail-closed-authentication';
import { CardRenderer } from './teams/card-renderer';
import { ReusedConnectorClients } from './teams/reused-connector-clients';
import { SwitchboardAdapter } from './teams/switchboard-adapter';
import { ConversationPlaces } from './teams/conversation-places';
import { errorForLog } from './log-error';
import { ActionRouter } from './teams/router';

/** Composition root: config -> stores -> use cases -> bot -> restify. */
export interface RunningServer {
  readonly url: string;
  readonly directory: Directory;
  /** Stops accepting requests, lets turns in flight finish, flushes the stores. */
  close(): Promise<void>;
}

/** Teams activities are small; a card action with its inputs is a few KB. */
const MAX_BODY_BYTES = 256 * 1024;
const READY_TIMEOUT_MS = 2_000;
const DRAIN_TIMEOUT_MS = 10_000;

export interface ServerOptions {
  readonly log?: Log;
  /** Wraps the directory the bot uses (fault-injection tests). */
  readonly decorateDirectory?: (directory: Directory) => Directory;
  /** How long one action may take before the user is told the directory is unavailable. */
  readonly turnBudgetMs?: number;
  /**
   * Where the bot's outbound connector calls get their credentials (authenticated mode).
   * Unset, botbuilder builds them from the settings (MSAL against Entra ID, which accepts only
   * https authorities): tests that send to a loopback Bot Connector stand-in pass their own.
   */
  readonly connectorCredentials?: ServiceClientCredentialsFactory;
  /** How change notices are delivered (tests shorten the waits). */
  readonly delivery?: Partial<DeliveryOptions>;
  /** When trial digests go out, and the clock they read (tests freeze it). */
  readonly digests?: Partial<DigestOptions>;
}

export async function startServer(config: Config, options: ServerOptions = {}): Promise<RunningServer> {
  const log = options.log ?? createLog(config.logLevel);
  const stores = await openStores(config.directory, (err) => log.error({ err }, 'could not save bot state'), log);
  const raw = options.decorateDirectory ? options.decorateDirectory(stores.directory) : stores.directory;
  const directory = guardDirectory(raw, (method, err) => log.error({ method, err: err instanceof Error ? { type: err.name, message: err.message } : String(err) }, 'directory call failed'));

  const navigator = new Navigator(directory, { ...DEFAULT_NAVIGATOR_OPTIONS, portals: config.portals });
  // Set once the adapter exists: a change applied before that wakes nothing, and the first poll finds it.
  let deliverer: NoticeDeliverer | undefined;
  const subscriptions = new SubscriptionChanges(directory, navigator, { maxQuantity: config.maxQuantity, historyLimit: 20, onNotices: () => deliverer?.changed() });
  const offers = new OfferChanges(directory, navigator, { holdings: DEFAULT_HOLDING_BOUNDS, onNotices: () => deliverer?.changed() });
  const subscribers = new NoticeSubscribers(stores.state);
  // Set once the adapter exists, before the first turn.
  let digests: TrialDigests | undefined;
  const notices = new NoticeSettings(navigator.access, subscribers, { sendNow: (caller) => digests!.sendNow(caller) });
  const router = new ActionRouter({ navigator, subscriptions, offers, notices }, log, options.turnBudgetMs);
  const renderer = new CardRenderer(undefined, { cardActions: config.cardActions });
  const bot = new SwitchboardBot({
    router,
    lookup: new AccountLookup(directory, navigator, config.portals),
    renderer,
    places: new ConversationPlaces(stores.state),
    log,
    allowedTenants: config.allowedTenants,
    subscribers,
  });

  const auth = new FailClosedAuthentication(
    new ReusedConnectorClients(new ConfigurationBotFrameworkAuthentication(authSettings(config), options.connectorCredentials)),
    (reason) => log.warn({ reason }, 'request rejected: not authenticated'),
    config.bot ? (config.bot.tokenIssuer ?? PUBLIC_CLOUD_SETTINGS.ToBotFromChannelTokenIssuer) : undefined,
  );
  const adapter = new SwitchboardAdapter(auth);
  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    log.error({ correlationId: context.activity.id, activityType: context.activity.type, err: { type: error.name, message: error.message } }, 'turn failed');
  };
  const delivery = { ...DEFAULT_DELIVERY_OPTIONS, pollMs: config.noticePollMs, ...options.delivery };
  const sender = new ProactiveSender(adapter, config.bot?.appId ?? '', { ...delivery, log });
  deliverer = new NoticeDeliverer({ directory, subscribers, renderer, sender, owner: randomUUID(), log }, delivery);
  digests = new TrialDigests({ directory, subscribers, renderer, sender, log }, { ...DEFAULT_DIGEST_OPTIONS, tickMs: config.digestTickMs, ...options.digests });
  digests.start();
  deliverer.start();

  const server = restify.createServer({ name: 'switchboard', handleUncaughtExceptions: false });
  server.server.requestTimeout = config.requestTimeoutMs;
  server.server.headersTimeout = config.requestTimeoutMs;
  server.server.maxConnections = config.maxConnections;
  limitHeaderTime(server.server, config.requestTimeoutMs);
  server.pre(timeLimit(config.requestTimeoutMs));
  server.pre(identityEncodingOnly);
  server.pre(jsonBodiesOnly);
  // JSON only: restify's bodyParser would hand multipart bodies to formidable (written to the
  // temp folder before any handler runs, beyond maxBodySize) and parse urlencoded forms.
  // jsonBodyParser hands its options to bodyReader, which enforces maxBodySize (413); the
  // typings leave the option out.
  const jsonOptions: restify.plugins.JsonBodyParserOptions & { maxBodySize: number } = { maxBodySize: MAX_BODY_BYTES, mapParams: false };
  const readJson = restify.plugins.jsonBodyParser(jsonOptions);

  let inFlight = 0;
  let draining = false;
  server.post('/api/messages', ...readJson, async (req: restify.Request, res: restify.Response) => {
    if (draining) {
      res.send(503, { error: 'ShuttingDown', message: 'Switchboard is restarting; try again in a moment.' });
      return;
    }
    const problem = activityProblem(req.body);
    if (problem) {
      res.send(400, { error: 'BadRequest', message: problem });
      return;
    }
    const channel = channelProblem(req.body, config.allowedChannels);
    if (channel) {
      log.warn({ channelId: channel.channelId, reason: channel.reason }, 'request refused: channel not allowed');
      res.send(403, { error: 'Forbidden', message: 'Switchboard accepts activities from Microsoft Teams only.' });
      return;
    }
    inFlight++;
    try {
      const answer = await adapter.answer(authorizationOf(req), req.body as Activity, (context) => bot.run(context));
      if (answer.body === undefined) {
        res.status(answer.status);
        res.end();
      } else {
        res.send(answer.status, answer.body);
      }
    } catch (err) {
      log.error({ err: errorForLog(err, { stack: true }) }, 'request failed');
      if (!res.headersSent) res.send(500, { error: 'InternalError', message: 'Something went wrong.' });
    } finally {
      inFlight--;
    }
  });
  server.get('/healthz', async (_req, res) => {
    res.send(200, { status: 'ok' });
  });
  server.get('/readyz', async (_req, res) => {
    if (draining) {
      res.send(503, { status: 'shutting down' });
      return;
    }
    const problem = await withTimeout(directory.ping(), READY_TIMEOUT_MS).then(() => undefined, (error: unknown) => error);
    // Only a reason written for operators is shown: this endpoint answers anyone who asks.
    const reason = problem instanceof DirectoryUnavailableError ? problem.reason : undefined;
    res.send(problem === undefined ? 200 : 503, problem === undefined ? { status: 'ready' } : { status: 'directory unavailable', ...(reason ? { reason } : {}) });
  });
  server.on('restifyError', (req, res, err: Error & { statusCode?: number }, callback: () => void) => {
    if ((err.statusCode ?? 500) >= 500) log.error({ err: { type: err.name, message: err.message }, path: req.path() }, 'http error');
    // Restify's own error bodies carry a code and message, never a stack trace.
    callback();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const address = server.address();
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${address.port}`;

  let closing: Promise<void> | undefined;
  return {
    url,
    directory,
    close() {
      closing ??= (async () => {
        draining = true;
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        const deadline = Date.now() + DRAIN_TIMEOUT_MS;
        while (inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
        server.server.closeIdleConnections?.();
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([stopped, new Promise((r) => (timer = setTimeout(r, Math.max(0, deadline - Date.now()))))]);
        clearTimeout(timer);
        server.server.closeAllConnections?.();
        await sender.stop(Promise.all([deliverer?.stop(), digests?.stop()]));
        await stores.close();
      })();
      return closing;
    },
  };
}

/**
 * botbuilder's own settings. With no app id it accepts unauthenticated requests (allowed only
 * when asked for, on loopback: see config.ts). Overriding where channel tokens come from makes
 * botbuilder read every cloud setting, so the public cloud's are passed with the override.
 */
function authSettings(config: Config): Record<string, string> {
  if (!config.bot) return {};
  const { appId, appType, tenantId, appPassword, openIdMetadataUrl, tokenIssuer } = config.bot;
  return {
    MicrosoftAppId: appId,
    MicrosoftAppType: appType,
    MicrosoftAppTenantId: tenantId,
    MicrosoftAppPassword: appPassword,
    ...(openIdMetadataUrl && tokenIssuer
      ? {
          ...PUBLIC_CLOUD_SETTINGS,
          ToChannelFromBotLoginUrl: loginUrlFor(tenantId),
          ToBotFromChannelOpenIdMetadataUrl: openIdMetadataUrl,
          ToBotFromChannelTokenIssuer: tokenIssuer,
          // Tokens claiming to come from the Emulator are checked against the same keys, not fetched from elsewhere.
          ToBotFromEmulatorOpenIdMetadataUrl: openIdMetadataUrl,
        }
      : {}),
  };
}

/** The Authorization header as sent ('' when there is none, which only loopback development accepts). */
function authorizationOf(req: restify.Request): string {
  const header = req.headers.authorization;
  return typeof header === 'string' ? header : '';
}

/**
 * Cuts a connection whose request headers are not complete within `ms` of the connection opening
 * (or of the previous response on a kept-alive connection). Node enforces headersTimeout only
 * when it checks its connections, about every 30 s, so a client dribbling header bytes would
 * otherwise hold a connection far longer than REQUEST_TIMEOUT_MS.
 */
function limitHeaderTime(server: http.Server, ms: number): void {
  const timers = new WeakMap<Socket, NodeJS.Timeout>();
  const body = JSON.stringify({ error: 'RequestTimeout', message: `The request headers took longer than ${ms} ms.` });
  const timeout = `HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
  const arm = (socket: Socket) => {
    clearTimeout(timers.get(socket));
    const timer = setTimeout(() => {
      if (socket.destroyed) return;
      socket.end(timeout);
      setTimeout(() => socket.destroy(), 1_000).unref();
    }, ms);
    timer.unref();
    timers.set(socket, timer);
  };
  server.on('connection', (socket: Socket) => {
    arm(socket);
    socket.once('close', () => clearTimeout(timers.get(socket)));
  });
  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    const socket = req.socket;
    clearTimeout(timers.get(socket));
    res.once('finish', () => {
      if (!socket.destroyed) arm(socket);
    });
  });
}

/**
 * Cuts off a request that has not finished (headers and body) in time. Node checks its own
 * request timeout only every 30 s, which restify does not let us change.
 */
function timeLimit(ms: number): restify.RequestHandler {
  return (req, res, next) => {
    const timer = setTimeout(() => {
      if (!res.headersSent) res.send(408, { error: 'RequestTimeout', message: `The request took longer than ${ms} ms.` });
      req.socket.destroy();
    }, ms);
    res.once('close', () => clearTimeout(timer));
    res.once('finish', () => clearTimeout(timer));
    next();
  };
}

/** Compressed bodies would get past the size limit (it counts compressed bytes): Teams never sends them. */
const identityEncodingOnly: restify.RequestHandler = (req, res, next) => {
  const encoding = (req.headers['content-encoding'] ?? 'identity').toString().trim().toLowerCase();
  if (encoding !== 'identity' && encoding !== '') {
    res.send(415, { error: 'UnsupportedMediaType', message: 'Compressed request bodies are not accepted.' });
    return next(false);
  }
  return next();
};

/**
 * Activities arrive as JSON. Every other body (multipart uploads, urlencoded forms a web page can
 * post cross-site, text) is refused before it is read: the connection is closed after the 415
 * so the rest of an upload is never taken in.
 */
const jsonBodiesOnly: restify.RequestHandler = (req, res, next) => {
  if (req.method !== 'POST' || isJsonContentType(req.headers['content-type'])) return next();
  res.setHeader('connection', 'close');
  res.send(415, { error: 'UnsupportedMediaType', message: 'Send the activity as application/json.' });
  return next(false);
};

/** `application/json`, optionally with `charset=utf-8` (any case, quoted or not), and nothing else. */
function isJsonContentType(header: string | undefined): boolean {
  if (!header) return false;
  const [type, ...parameters] = header.split(';').map((part) => part.trim().toLowerCase());
  if (type !== 'application/json') return false;
  return parameters.every((p) => p === '' || /^charset=("?)utf-8\1$/.test(p));
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

async function main(): Promise<void> {
  let config: Config;
  try {
    // `npm start` passes this flag: asking for unauthenticated local development by name.
    const insecure = process.argv.includes('--insecure-unauthenticated-loopback') ? { [INSECURE_SETTING]: 'true' } : {};
    config = loadConfig({ ...process.env, ...insecure });
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const log = createLog(config.logLevel);
  // Libraries that print to the console (botbuilder prints stack traces on rejected tokens) go
  // through the structured log as single lines instead.
  console.error = (...args: unknown[]) => log.warn({ source: 'console' }, format(...args).split('\n')[0]!);
  console.warn = console.error;
  let running: RunningServer;
  try {
    running = await startServer(config, { log });
  } catch (error) {
    // A bad directory file or an unusable Cosmos DB is the operator's to fix: say all that is
    // wrong, every line of it, and no stack trace. Straight to stderr: console.error now keeps
    // only a first line.
    const message = error instanceof DirectoryFileError ? error.message : `Switchboard could not start: ${error instanceof Error ? error.message : String(error)}`;
    log.flush();
    process.stderr.write(`${message}\n`);
    process.exit(1);
  }
  log.info({ url: `${running.url}/api/messages` }, `Switchboard listening on ${running.url}/api/messages (${describeConfig(config)})`);
  const stop = (signal: string) => {
    log.info({ signal }, 'shutting down: finishing turns in flight');
    void running.close().then(
      () => {
        log.info({}, 'stopped');
        log.flush();
        process.exit(0);
      },
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

if (require.main === module) void main();
