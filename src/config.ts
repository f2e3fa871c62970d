import path from 'node:path';
import { DEFAULT_PORTAL_TEMPLATES, type PortalTemplates } from './domain/portals';
import { PROJECT_ROOT } from './project-path';

/**
 * Typed configuration, read from the environment once at start-up. Every missing or wrong
 * setting is reported at once, each with its own message. Secrets are never echoed.
 */
export type AppType = 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';

export interface BotCredentials {
  readonly appId: string;
  readonly appType: AppType;
  readonly tenantId: string;
  readonly appPassword: string;
}

export interface Config {
  readonly nodeEnv: 'development' | 'production' | 'test';
  readonly host: string;
  readonly port: number;
  readonly directory: { readonly kind: 'embedded'; readonly seedFile: string; readonly dataDir: string | undefined };
  readonly portals: PortalTemplates;
  /** Undefined means unauthenticated local development (loopback only). */
  readonly bot: BotCredentials | undefined;
  readonly maxQuantity: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Switchboard cannot start; fix these settings:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;
const APP_TYPES: readonly AppType[] = ['MultiTenant', 'SingleTenant', 'UserAssignedMSI'];

export function isLoopback(host: string): boolean {
  return LOOPBACK.test(host);
}

export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const value = (name: string): string | undefined => {
    const v = env[name]?.trim();
    return v ? v : undefined;
  };

  const nodeEnvRaw = value('NODE_ENV') ?? 'development';
  if (!['development', 'production', 'test'].includes(nodeEnvRaw)) {
    problems.push(`NODE_ENV must be development, production or test (got "${nodeEnvRaw}")`);
  }
  const nodeEnv = (['development', 'production', 'test'].includes(nodeEnvRaw) ? nodeEnvRaw : 'development') as Config['nodeEnv'];
  const production = nodeEnv === 'production';

  const port = integer(value('PORT') ?? '3978', 'PORT', 0, 65535, problems);
  const host = value('HOST') ?? (production ? '0.0.0.0' : '127.0.0.1');

  const kind = value('DIRECTORY') ?? 'embedded';
  if (kind !== 'embedded') problems.push(`DIRECTORY must be "embedded" (got "${kind}")`);
  const seedFile = path.resolve(PROJECT_ROOT, value('DIRECTORY_FILE') ?? 'data/demo-directory.json');
  const dataDirRaw = value('DATA_DIR') ?? '.switchboard';
  const dataDir = dataDirRaw === 'none' ? undefined : path.resolve(PROJECT_ROOT, dataDirRaw);

  const portals: PortalTemplates = {
    basePortal: urlTemplate(value('BASE_PORTAL_URL') ?? DEFAULT_PORTAL_TEMPLATES.basePortal, 'BASE_PORTAL_URL', problems),
    accountPortal: urlTemplate(value('ACCOUNT_PORTAL_URL') ?? DEFAULT_PORTAL_TEMPLATES.accountPortal, 'ACCOUNT_PORTAL_URL', problems),
    customerPortal: urlTemplate(value('CUSTOMER_PORTAL_URL') ?? DEFAULT_PORTAL_TEMPLATES.customerPortal, 'CUSTOMER_PORTAL_URL', problems),
  };

  const appId = value('MicrosoftAppId');
  let bot: BotCredentials | undefined;
  if (appId) {
    const appType = (value('MicrosoftAppType') ?? '') as AppType;
    const tenantId = value('MicrosoftAppTenantId') ?? '';
    const appPassword = value('MicrosoftAppPassword') ?? '';
    if (!APP_TYPES.includes(appType)) problems.push(`MicrosoftAppType must be one of ${APP_TYPES.join(', ')}${appType ? ` (got "${appType}")` : ' (it is not set)'}`);
    if (appType !== 'MultiTenant' && !tenantId) problems.push('MicrosoftAppTenantId is required for a SingleTenant or UserAssignedMSI bot');
    if (appType !== 'UserAssignedMSI' && !appPassword) problems.push('MicrosoftAppPassword is required unless MicrosoftAppType is UserAssignedMSI');
    bot = { appId, appType, tenantId, appPassword };
  } else if (production) {
    problems.push('MicrosoftAppId is required in production (NODE_ENV=production): without it anyone could post activities to the bot');
  } else if (!isLoopback(host)) {
    problems.push(`MicrosoftAppId is required when listening on ${host}: unauthenticated mode is for loopback (127.0.0.1) only`);
  }

  const maxQuantity = integer(value('MAX_QUANTITY') ?? '10000', 'MAX_QUANTITY', 1, 1_000_000, problems);

  if (problems.length > 0) throw new ConfigError(problems);
  return { nodeEnv, host, port, directory: { kind: 'embedded', seedFile, dataDir }, portals, bot, maxQuantity };
}

function integer(raw: string, name: string, min: number, max: number, problems: string[]): number {
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
  const store = config.directory.dataDir ? `embedded directory from ${config.directory.seedFile}, data in ${config.directory.dataDir}` : `embedded directory from ${config.directory.seedFile}, in memory only`;
  return `${store}; ${auth}`;
}
