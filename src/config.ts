import path from 'node:path';
import { DEFAULT_PORTAL_TEMPLATES, type PortalTemplates } from './domain/portals';
import { PROJECT_ROOT } from './project-path';

/**
 * Typed configuration, read from the environment once at start-up. Every missing or wrong
 * setting is reported at once, each with its own message. Secrets are never echoed.
 */
/** MultiTenant is refused: Azure has created no multi-tenant bot registrations since July 2025. */
export type AppType = 'SingleTenant' | 'UserAssignedMSI';

export interface BotCredentials {
  readonly appId: string;
  readonly appType: AppType;
  readonly tenantId: string;
  readonly appPassword: string;
  /** Overrides of where channel tokens come from (sovereign clouds, tests). */
  readonly openIdMetadataUrl: string | undefined;
  readonly tokenIssuer: string | undefined;
}

/** How card buttons reach the bot (CARD_ACTIONS): Universal Actions with a Submit fallback, or Submit alone. */
export const CARD_ACTION_KINDS = ['execute', 'submit'] as const;
export type CardActions = (typeof CARD_ACTION_KINDS)[number];

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface EmbeddedSettings {
  readonly kind: 'embedded';
  readonly seedFile: string;
  /** Undefined keeps changes in memory only (DATA_DIR=none). */
  readonly dataDir: string | undefined;
}

export interface CosmosSettings {
  readonly kind: 'cosmos';
  readonly endpoint: string;
  readonly database: string;
  /** Account key: only for local test servers. Production authenticates with Entra ID. */
  readonly key: string | undefined;
  /** Client id of a user-assigned managed identity; otherwise DefaultAzureCredential picks one. */
  readonly managedIdentityClientId: string | undefined;
  /**
   * How far the in-memory admin roster may lag behind the database before the bot stops
   * authorizing turns (COSMOS_ROSTER_MAX_AGE_MS). Undefined (tools that only move data): the
   * directory's default.
   */
  readonly rosterMaxAgeMs?: number;
  /**
   * How often the directory checks whether an import completed, and if so drops its caches
   * (COSMOS_IMPORT_CHECK_MS). Undefined (tools that only move data): the directory's default.
   */
  readonly importCheckMs?: number;
  /**
   * How long one search may take (COSMOS_SEARCH_DEADLINE_MS). Searches have their own deadline
   * and fail-fast, so a slow search never fails navigation. Undefined: the directory's default.
   */
  readonly searchDeadlineMs?: number;
  /**
   * Days a conversation's position is kept after its last write (COSMOS_STATE_TTL_DAYS): the
   * per-item ttl of bot state. Undefined (tools that only move data): no ttl is written.
   */
  readonly stateTtlDays?: number;
  /**
   * Days an audit entry applied by the bot is kept (COSMOS_AUDIT_RETENTION_DAYS): the per-item
   * ttl that bounds a busy tree's logical partition. Undefined (tools): no ttl is written.
   */
  readonly auditRetentionDays?: number;
  /**
   * Accept the self-signed (or expired) TLS certificate of a local emulator or stand-in, for this
   * client only (COSMOS_TRUST_LOCAL_CERTIFICATE). Never in production, only for a loopback
   * endpoint with an account key.
   */
  readonly trustLocalCertificate?: boolean;
}

/**
 * Every setting Switchboard reads, for the README's table and for the deployment test that
 * checks the Bicep template sets each one production needs.
 */
export interface SettingSpec {
  readonly name: string;
  readonly description: string;
  /** What loadConfig uses when the setting is unset or blank (loadConfig reads it from here). */
  readonly default?: string;
  /** The default in production, where it differs. */
  readonly productionDefault?: string;
  /** Must be set in production (NODE_ENV=production); with DIRECTORY=cosmos when marked so. */
  readonly requiredInProduction: boolean | 'cosmos';
  readonly secret?: boolean;
}

export const SETTINGS: readonly SettingSpec[] = [
  { name: 'NODE_ENV', description: 'development, production or test. Production refuses to start without credentials.', default: 'development', requiredInProduction: true },
  { name: 'PORT', description: 'HTTP port of /api/messages, /healthz and /readyz.', default: '3978', requiredInProduction: false },
  { name: 'HOST', description: 'Address to listen on.', default: '127.0.0.1', productionDefault: '0.0.0.0', requiredInProduction: false },
  { name: 'MicrosoftAppId', description: 'The Azure Bot\'s app (client) id. Empty means unauthenticated local development, loopback only.', requiredInProduction: true },
  { name: 'MicrosoftAppType', description: 'SingleTenant or UserAssignedMSI. MultiTenant is refused: Azure no longer creates multi-tenant bots.', requiredInProduction: true },
  { name: 'MicrosoftAppTenantId', description: 'The bot\'s Entra tenant id.', requiredInProduction: true },
  { name: 'MicrosoftAppPassword', description: 'Client secret (SingleTenant); not used with UserAssignedMSI.', requiredInProduction: false, secret: true },
  { name: 'DIRECTORY', description: 'embedded (a JSON file and local disk) or cosmos (Azure Cosmos DB).', default: 'embedded', requiredInProduction: true },
  { name: 'DIRECTORY_FILE', description: 'Embedded: the directory file that initialises the data folder.', default: 'data/demo-directory.json', requiredInProduction: false },
  { name: 'DATA_DIR', description: 'Embedded: where the live directory, journal and bot state are kept; none keeps them in memory.', default: '.switchboard', requiredInProduction: false },
  { name: 'COSMOS_ENDPOINT', description: 'Cosmos DB: account endpoint, https://<account>.documents.azure.com:443/.', requiredInProduction: 'cosmos' },
  { name: 'COSMOS_DATABASE', description: 'Cosmos DB: database id.', default: 'switchboard', requiredInProduction: 'cosmos' },
  { name: 'COSMOS_KEY', description: 'Cosmos DB: account key, for local test servers only; refused in production.', requiredInProduction: false, secret: true },
  { name: 'COSMOS_ROSTER_MAX_AGE_MS', description: 'Cosmos DB: the longest a removed admin or membership may keep access on an instance whose admin roster cannot be refreshed. Beyond it the instance answers turns that need authorization with the "directory unavailable" card, /readyz answers 503 and a warning is logged, until a refresh succeeds. The roster is refreshed at least twice within it.', default: '60000', requiredInProduction: false },
  { name: 'COSMOS_IMPORT_CHECK_MS', description: 'Cosmos DB: how often each instance reads the offer catalogue (one point read) to tell whether an import completed. When one did, it drops its cached account documents, tree data and catalogue at once, so paths, breadcrumbs, counts, listings and search all show the new import within this long.', default: '5000', requiredInProduction: false },
  { name: 'COSMOS_SEARCH_DEADLINE_MS', description: 'Cosmos DB: how long one search may take before the searcher gets the "directory unavailable" card (at most 4500, the deadline of every other call). Searches have their own deadline and fail-fast period: a slow search never makes navigation, state or changes fail fast.', default: '3000', requiredInProduction: false },
  { name: 'COSMOS_STATE_TTL_DAYS', description: 'Cosmos DB: days a conversation\'s position (bot state) is kept after its last change; then Cosmos DB deletes it and the admin starts again at home. Needs defaultTtl on the botState container (deploy/main.bicep sets it).', default: '90', requiredInProduction: false },
  { name: 'COSMOS_AUDIT_RETENTION_DAYS', description: 'Cosmos DB: days an audit entry of a subscription change is kept; then Cosmos DB deletes it, so a busy tree\'s partition stays far below its 20 GB limit (docs/cosmos.md). Export the directory to keep entries longer. Needs defaultTtl on the accounts container (deploy/main.bicep sets it).', default: '730', requiredInProduction: false },
  { name: 'COSMOS_TRUST_LOCAL_CERTIFICATE', description: 'Cosmos DB: true accepts the self-signed certificate of a local emulator or stand-in, for the Cosmos DB client only (never process-wide); loopback COSMOS_ENDPOINT with COSMOS_KEY only, refused in production (npm run dev:cosmos sets it).', requiredInProduction: false },
  { name: 'AZURE_CLIENT_ID', description: 'Cosmos DB: client id of the user-assigned managed identity to authenticate with.', requiredInProduction: 'cosmos' },
  { name: 'BASE_PORTAL_URL', description: 'Account Portal of a base account; {accountId} is replaced.', default: DEFAULT_PORTAL_TEMPLATES.basePortal, requiredInProduction: false },
  { name: 'ACCOUNT_PORTAL_URL', description: 'Account Portal (Services and Users) of a client account.', default: DEFAULT_PORTAL_TEMPLATES.accountPortal, requiredInProduction: false },
  { name: 'CUSTOMER_PORTAL_URL', description: 'Customer Portal of a client account.', default: DEFAULT_PORTAL_TEMPLATES.customerPortal, requiredInProduction: false },
  { name: 'ALLOWED_TENANTS', description: 'Comma-separated Entra tenant ids allowed to use the bot; others get a polite refusal. Empty allows every tenant.', requiredInProduction: false },
  { name: 'LOG_LEVEL', description: 'pino log level: fatal, error, warn, info, debug, trace or silent.', default: 'info', requiredInProduction: false },
  { name: 'ToBotFromChannelOpenIdMetadataUrl', description: 'botbuilder setting: where the channel\'s token signing keys are published. Leave unset for the public Azure cloud; tests point it at their own keys.', requiredInProduction: false },
  { name: 'ToBotFromChannelTokenIssuer', description: 'botbuilder setting: the issuer of channel tokens. Leave unset for the public Azure cloud.', requiredInProduction: false },
  { name: 'INSECURE_UNAUTHENTICATED_LOOPBACK', description: 'true runs without MicrosoftAppId, accepting unauthenticated requests, for local development on a loopback address only (npm start and npm run playground set it). Refused in production.', requiredInProduction: false },
  { name: 'ALLOW_EMULATOR_CHANNEL', description: 'true also lets in activities whose channelId is emulator (the Bot Framework Emulator), for local development; refused in production. Otherwise only msteams is accepted (403).', requiredInProduction: false },
  { name: 'REQUEST_TIMEOUT_MS', description: 'How long one HTTP request (headers and body) may take before it is cut off with 408; also how long a connection may take to send complete headers.', default: '30000', requiredInProduction: false },
  { name: 'MAX_CONNECTIONS', description: 'Most HTTP connections open at once; further ones are closed as they arrive.', default: '256', requiredInProduction: false },
  { name: 'CARD_ACTIONS', description: 'execute: card buttons are Action.Execute (cards update in place through Universal Actions) with an Action.Submit fallback for clients without them. submit: every button is Action.Submit only, for tenants whose Teams phone clients fail on Action.Execute; Switchboard then updates the card in place through the Bot Connector.', default: 'execute', requiredInProduction: false },
  { name: 'MAX_QUANTITY', description: 'Largest licence quantity one subscription line may be set to.', default: '10000', requiredInProduction: false },
  { name: 'DIGEST_TICK_MS', description: 'How often each instance looks for trial digests that are due (each admin\'s chosen time in their own time zone): a digest comes at most this long after its time; a new time set through another instance counts within 10 minutes.', default: '60000', requiredInProduction: false },
  { name: 'NOTICE_POLL_MS', description: 'How often each instance looks in the outbox for change notices to deliver when no change of its own wakes it: notices of a change made through another instance, or left by an instance that stopped, go out within this long (plus a lease of 60 s for the latter).', default: '5000', requiredInProduction: false },
];

export interface Config {
  readonly nodeEnv: 'development' | 'production' | 'test';
  readonly host: string;
  readonly port: number;
  readonly directory: EmbeddedSettings | CosmosSettings;
  readonly portals: PortalTemplates;
  /** Undefined means unauthenticated local development (loopback only). */
  readonly bot: BotCredentials | undefined;
  readonly maxQuantity: number;
  readonly noticePollMs: number;
  readonly digestTickMs: number;
  readonly cardActions: CardActions;
  /** Lower-cased tenant ids; empty allows every tenant. */
  readonly allowedTenants: readonly string[];
  readonly logLevel: LogLevel;
  readonly requestTimeoutMs: number;
  /** Most TCP connections open at once; more are closed as they arrive. */
  readonly maxConnections: number;
  /** The activity channelIds let in: msteams, plus emulator in local development when asked for. */
  readonly allowedChannels: readonly string[];
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Switchboard cannot start; fix these settings:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;
const APP_TYPES: readonly AppType[] = ['SingleTenant', 'UserAssignedMSI'];

export function isLoopback(host: string): boolean {
  return LOOPBACK.test(host);
}

/**
 * Reads the settings from `env`. A setting that is unset or blank takes its default from
 * `settings` (the SETTINGS table, which the README documents): defaults are written once.
 */
export function loadConfig(env: Env = process.env, settings: readonly SettingSpec[] = SETTINGS): Config {
  const problems: string[] = [];
  const value = (name: string): string | undefined => {
    const v = env[name]?.trim();
    return v ? v : undefined;
  };
  const specs = new Map(settings.map((s) => [s.name, s]));
  let production = false;
  /** The value set, or the table's default (its production default in production). */
  const setting = (name: string): string => {
    const spec = specs.get(name);
    return value(name) ?? (production ? spec?.productionDefault : undefined) ?? spec?.default ?? '';
  };

  const nodeEnvRaw = setting('NODE_ENV');
  if (!['development', 'production', 'test'].includes(nodeEnvRaw)) {
    problems.push(`NODE_ENV must be development, production or test (got "${nodeEnvRaw}")`);
  }
  const nodeEnv = (['development', 'production', 'test'].includes(nodeEnvRaw) ? nodeEnvRaw : 'development') as Config['nodeEnv'];
  production = nodeEnv === 'production';

  const port = integer(setting('PORT'), 'PORT', 0, 65535, problems);
  const host = setting('HOST');

  const directory = directorySettings(value, setting, production, problems);

  const portals: PortalTemplates = {
    basePortal: urlTemplate(setting('BASE_PORTAL_URL'), 'BASE_PORTAL_URL', problems),
    accountPortal: urlTemplate(setting('ACCOUNT_PORTAL_URL'), 'ACCOUNT_PORTAL_URL', problems),
    customerPortal: urlTemplate(setting('CUSTOMER_PORTAL_URL'), 'CUSTOMER_PORTAL_URL', problems),
  };

  const insecure = value(INSECURE_SETTING);
  if (insecure !== undefined && insecure !== 'true') problems.push(`${INSECURE_SETTING} must be true or unset (got "${insecure}")`);
  const bot = botCredentials(value, problems, { production, host, insecure: insecure === 'true' });

  const maxQuantity = integer(setting('MAX_QUANTITY'), 'MAX_QUANTITY', 1, 1_000_000, problems);
  const noticePollMs = integer(setting('NOTICE_POLL_MS'), 'NOTICE_POLL_MS', 50, 3_600_000, problems);
  const digestTickMs = integer(setting('DIGEST_TICK_MS'), 'DIGEST_TICK_MS', 50, 3_600_000, problems);

  const cardActions = setting('CARD_ACTIONS') as CardActions;
  if (!CARD_ACTION_KINDS.includes(cardActions)) problems.push(`CARD_ACTIONS must be execute or submit (got "${cardActions}")`);

  const requestTimeoutMs = integer(setting('REQUEST_TIMEOUT_MS'), 'REQUEST_TIMEOUT_MS', 100, 600_000, problems);
  const maxConnections = integer(setting('MAX_CONNECTIONS'), 'MAX_CONNECTIONS', 1, 100_000, problems);
  const allowedTenants = setting('ALLOWED_TENANTS').split(',').map((t) => t.trim().toLowerCase()).filter(Boolean);
  const logLevel = setting('LOG_LEVEL') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${logLevel}")`);

  const emulator = value(EMULATOR_SETTING);
  if (emulator !== undefined && emulator !== 'true') problems.push(`${EMULATOR_SETTING} must be true or unset (got "${emulator}")`);
  else if (emulator && production) problems.push(`${EMULATOR_SETTING} is never allowed in production: only Microsoft Teams vouches for the caller's identity`);
  const allowedChannels = emulator === 'true' && !production ? ['msteams', 'emulator'] : ['msteams'];

  if (problems.length > 0) throw new ConfigError(problems);
  return { nodeEnv, host, port, directory, portals, bot, maxQuantity, noticePollMs, digestTickMs, cardActions, allowedTenants, logLevel, requestTimeoutMs, maxConnections, allowedChannels };
}

function directorySettings(
  value: (name: string) => string | undefined,
  setting: (name: string) => string,
  production: boolean,
  problems: string[],
): EmbeddedSettings | CosmosSettings {
  const kind = setting('DIRECTORY');
  if (production && !value('DIRECTORY')) problems.push('DIRECTORY is required in production: cosmos (or embedded, for a single server with local disk)');
  if (kind === 'cosmos') {
    const endpoint = value('COSMOS_ENDPOINT') ?? '';
    if (!endpoint) problems.push('COSMOS_ENDPOINT is required when DIRECTORY=cosmos');
    else if (!/^https:\/\//.test(endpoint)) problems.push(`COSMOS_ENDPOINT must be an https:// URL (got "${endpoint}")`);
    const key = value('COSMOS_KEY');
    if (key && production) problems.push('COSMOS_KEY is for local test servers only; in production Switchboard authenticates to Cosmos DB with Entra ID (unset COSMOS_KEY)');
    const rosterMaxAgeMs = integer(setting('COSMOS_ROSTER_MAX_AGE_MS'), 'COSMOS_ROSTER_MAX_AGE_MS', 100, 3_600_000, problems);
    const importCheckMs = integer(setting('COSMOS_IMPORT_CHECK_MS'), 'COSMOS_IMPORT_CHECK_MS', 100, 300_000, problems);
    const searchDeadlineMs = integer(setting('COSMOS_SEARCH_DEADLINE_MS'), 'COSMOS_SEARCH_DEADLINE_MS', 200, 4500, problems);
    const stateTtlDays = integer(setting('COSMOS_STATE_TTL_DAYS'), 'COSMOS_STATE_TTL_DAYS', 1, 3650, problems);
    const auditRetentionDays = integer(setting('COSMOS_AUDIT_RETENTION_DAYS'), 'COSMOS_AUDIT_RETENTION_DAYS', 1, 3650, problems);
    const trustLocalCertificate = trustLocalCertificateSetting(value(TRUST_LOCAL_CERTIFICATE_SETTING), endpoint, key, production, problems);
    return { kind, endpoint, database: setting('COSMOS_DATABASE'), key, managedIdentityClientId: value('AZURE_CLIENT_ID'), rosterMaxAgeMs, importCheckMs, searchDeadlineMs, stateTtlDays, auditRetentionDays, trustLocalCertificate };
  }
  if (kind !== 'embedded') problems.push(`DIRECTORY must be embedded or cosmos (got "${kind}")`);
  if (production && value('COSMOS_KEY')) problems.push('COSMOS_KEY is set but DIRECTORY is not cosmos, and keys are refused in production: unset COSMOS_KEY');
  if (production && value(TRUST_LOCAL_CERTIFICATE_SETTING)) problems.push(`${TRUST_LOCAL_CERTIFICATE_SETTING} is never allowed in production: unset it`);
  const seedFile = path.resolve(PROJECT_ROOT, setting('DIRECTORY_FILE'));
  const dataDirRaw = setting('DATA_DIR');
  const dataDir = dataDirRaw === 'none' ? undefined : path.resolve(PROJECT_ROOT, dataDirRaw);
  return { kind: 'embedded', seedFile, dataDir };
}

/** Trusts a local Cosmos DB emulator's certificate, for the Cosmos DB client only. */
export const TRUST_LOCAL_CERTIFICATE_SETTING = 'COSMOS_TRUST_LOCAL_CERTIFICATE';

/** The host of an endpoint URL, without the brackets of an IPv6 address; undefined if it is no URL. */
export function endpointHost(endpoint: string): string | undefined {
  try {
    return new URL(endpoint).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return undefined;
  }
}

export function trustLocalCertificateSetting(raw: string | undefined, endpoint: string, key: string | undefined, production: boolean, problems: string[]): boolean {
  if (raw === undefined) return false;
  const name = TRUST_LOCAL_CERTIFICATE_SETTING;
  if (raw !== 'true') {
    problems.push(`${name} must be true or unset (got "${raw}")`);
    return false;
  }
  if (production) {
    problems.push(`${name} is never allowed in production: Azure Cosmos DB has a certificate that must be checked`);
    return false;
  }
  const host = endpointHost(endpoint);
  if (host !== undefined && !isLoopback(host)) {
    problems.push(`${name} is only for a local emulator on a loopback address, not ${host}: unset it to check the certificate of ${endpoint}`);
    return false;
  }
  if (!key) {
    problems.push(`${name} is only for a local emulator, which needs COSMOS_KEY: set COSMOS_KEY or unset ${name}`);
    return false;
  }
  return true;
}

/** Lets the Bot Framework Emulator's channel in, for local development only. */
export const EMULATOR_SETTING = 'ALLOW_EMULATOR_CHANNEL';

/** The one way to run without credentials: local development on loopback, asked for by name. */
export const INSECURE_SETTING = 'INSECURE_UNAUTHENTICATED_LOOPBACK';

function botCredentials(
  value: (name: string) => string | undefined,
  problems: string[],
  mode: { production: boolean; host: string; insecure: boolean },
): BotCredentials | undefined {
  const appId = value('MicrosoftAppId');
  const appType = (value('MicrosoftAppType') ?? '') as AppType;
  const tenantId = value('MicrosoftAppTenantId') ?? '';
  const appPassword = value('MicrosoftAppPassword') ?? '';
  const openIdMetadataUrl = value('ToBotFromChannelOpenIdMetadataUrl');
  const tokenIssuer = value('ToBotFromChannelTokenIssuer');

  if (!appId) {
    if (mode.production) {
      problems.push('MicrosoftAppId is required in production (NODE_ENV=production): without it anyone could post activities to the bot');
      if (!appType) problems.push(`MicrosoftAppType is required in production: one of ${APP_TYPES.join(', ')}`);
      if (!tenantId) problems.push('MicrosoftAppTenantId is required in production: the Entra tenant of the bot');
      if (mode.insecure) problems.push(`${INSECURE_SETTING} is never allowed in production`);
    } else if (!mode.insecure) {
      problems.push(`MicrosoftAppId is not set. To run without credentials for local development, set ${INSECURE_SETTING}=true (npm start does) and listen on loopback`);
    } else if (!isLoopback(mode.host)) {
      problems.push(`${INSECURE_SETTING} only works on a loopback address, not ${mode.host}: set MicrosoftAppId to listen elsewhere`);
    }
    return undefined;
  }

  if ((appType as string) === 'MultiTenant') {
    problems.push('MicrosoftAppType=MultiTenant is not supported: Azure no longer creates multi-tenant bot registrations (since July 2025); register the bot as SingleTenant or UserAssignedMSI and set MicrosoftAppTenantId');
  } else if (!APP_TYPES.includes(appType)) {
    problems.push(`MicrosoftAppType must be one of ${APP_TYPES.join(', ')}${appType ? ` (got "${appType}")` : ' (it is not set)'}`);
  }
  if (!tenantId) problems.push('MicrosoftAppTenantId is required for a SingleTenant or UserAssignedMSI bot');
  if (appType !== 'UserAssignedMSI' && !appPassword) problems.push('MicrosoftAppPassword is required unless MicrosoftAppType is UserAssignedMSI');
  if (appType === 'UserAssignedMSI' && appPassword) problems.push('MicrosoftAppPassword must not be set for a UserAssignedMSI bot: its managed identity has no secret');
  if (mode.insecure) problems.push(`${INSECURE_SETTING} cannot be combined with MicrosoftAppId: unset one of them`);
  if (Boolean(openIdMetadataUrl) !== Boolean(tokenIssuer)) {
    problems.push('ToBotFromChannelOpenIdMetadataUrl and ToBotFromChannelTokenIssuer go together: set both or neither');
  }
  if (mode.production && openIdMetadataUrl && !openIdMetadataUrl.startsWith('https://')) {
    problems.push('ToBotFromChannelOpenIdMetadataUrl must be an https:// URL in production');
  }
  return { appId, appType, tenantId, appPassword, openIdMetadataUrl, tokenIssuer };
}

export function integer(raw: string, name: string, min: number, max: number, problems: string[]): number {
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < min || n > max) {
    problems.push(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
    return min;
  }
  return n;
}

function urlTemplate(raw: string, name: string, problems: string[]): string {
  if (!raw.includes('{accountId}')) problems.push(`${name} must contain {accountId} (got "${raw}")`);
  try {
    const url = new URL(raw.replace(/\{accountId\}/g, 'x'));
    if (url.protocol !== 'https:') problems.push(`${name} must be an https:// URL (got "${raw}")`);
  } catch {
    problems.push(`${name} is not a valid URL (got "${raw}")`);
  }
  return raw;
}

/** The settings as safe to print: which mode, never a secret. */
export function describeConfig(config: Config): string {
  const auth = config.bot ? `authenticated as app ${config.bot.appId} (${config.bot.appType})` : 'UNAUTHENTICATED local development (loopback only)';
  const d = config.directory;
  const store =
    d.kind === 'cosmos'
      ? `Cosmos DB directory at ${d.endpoint} database ${d.database} (${d.key ? `account key: local test server${d.trustLocalCertificate ? ', its certificate trusted' : ''}` : d.managedIdentityClientId ? `managed identity ${d.managedIdentityClientId}` : 'DefaultAzureCredential'})`
      : d.dataDir
        ? `embedded directory from ${d.seedFile}, data in ${d.dataDir}`
        : `embedded directory from ${d.seedFile}, in memory only`;
  const tenants = config.allowedTenants.length ? `; tenants allowed: ${config.allowedTenants.length}` : '';
  return `${store}; ${auth}${tenants}`;
}
