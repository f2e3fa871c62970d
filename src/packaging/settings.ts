import { DEFAULT_PORTAL_TEMPLATES, type PortalTemplates } from '../domain/portals';
import { PackagingError } from './packaging-error';

/**
 * The settings the app package is built from. Only ids and hosts: packaging never needs the
 * bot's secret, so it reads these few variables itself rather than the server's loadConfig
 * (which would demand MicrosoftAppPassword and friends).
 */
export interface PackagingSettings {
  /** Undefined: the development id committed in manifest/manifest.template.json. */
  readonly teamsAppId: string | undefined;
  readonly botId: string;
  /** Host of the messaging endpoint, added to validDomains when set. */
  readonly botDomain: string | undefined;
  readonly portalTemplates: PortalTemplates;
}

export const TEAMS_APP_ID = 'TEAMS_APP_ID';
export const BOT_APP_ID = 'MicrosoftAppId';
export const BOT_DOMAIN = 'BOT_DOMAIN';

/** The server's portal settings (src/config.ts SETTINGS), by PortalTemplates key. */
export const PORTAL_SETTINGS: Readonly<Record<keyof PortalTemplates, string>> = {
  basePortal: 'BASE_PORTAL_URL',
  accountPortal: 'ACCOUNT_PORTAL_URL',
  customerPortal: 'CUSTOMER_PORTAL_URL',
};

type Env = Readonly<Record<string, string | undefined>>;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HOST_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$/i;

export function readPackagingSettings(env: Env): PackagingSettings {
  const problems: string[] = [];
  const value = (name: string): string | undefined => env[name]?.trim() || undefined;

  const teamsAppId = value(TEAMS_APP_ID);
  if (teamsAppId !== undefined && !GUID.test(teamsAppId)) {
    problems.push(`${TEAMS_APP_ID} must be a GUID such as 3f2504e0-4f89-41d3-9a0c-0305e82c3301, the Teams app id (got "${teamsAppId}"); unset it to use the development id`);
  }

  const botId = value(BOT_APP_ID) ?? '';
  if (!botId) {
    problems.push(`${BOT_APP_ID} is not set: set it to the Azure Bot's Microsoft App ID (a GUID), the id Teams sends the bot's messages to`);
  } else if (!GUID.test(botId)) {
    problems.push(`${BOT_APP_ID} must be a GUID, the Azure Bot's Microsoft App ID (got "${botId}")`);
  }

  const botDomain = value(BOT_DOMAIN)?.toLowerCase();
  if (botDomain !== undefined && !HOST_NAME.test(botDomain)) {
    problems.push(`${BOT_DOMAIN} must be a host name such as switchboard.azurewebsites.net, without https:// or a path (got "${botDomain}")`);
  }

  const portalTemplates: PortalTemplates = {
    basePortal: value(PORTAL_SETTINGS.basePortal) ?? DEFAULT_PORTAL_TEMPLATES.basePortal,
    accountPortal: value(PORTAL_SETTINGS.accountPortal) ?? DEFAULT_PORTAL_TEMPLATES.accountPortal,
    customerPortal: value(PORTAL_SETTINGS.customerPortal) ?? DEFAULT_PORTAL_TEMPLATES.customerPortal,
  };
  for (const key of Object.keys(PORTAL_SETTINGS) as (keyof PortalTemplates)[]) {
    const problem = portalTemplateProblem(PORTAL_SETTINGS[key], portalTemplates[key]);
    if (problem) problems.push(problem);
  }

  if (problems.length > 0) throw new PackagingError('Cannot build the Teams app package; fix these settings', problems);
  return { teamsAppId, botId, botDomain, portalTemplates };
}

/**
 * The host a portal URL template points at. Link unfurling registers fixed domains, so the host
 * may not depend on {accountId}: filling it with two different ids must give the same host.
 */
export function portalHost(template: string): string {
  return new URL(template.replace(/\{accountId\}/g, 'a')).hostname.toLowerCase();
}

function portalTemplateProblem(name: string, template: string): string | undefined {
  let url: URL;
  try {
    url = new URL(template.replace(/\{accountId\}/g, 'a'));
  } catch {
    return `${name} is not a valid URL (got "${template}")`;
  }
  if (url.protocol !== 'https:') return `${name} must be an https:// URL (got "${template}")`;
  if (!template.includes('{accountId}')) return `${name} must contain {accountId} (got "${template}")`;
  if (new URL(template.replace(/\{accountId\}/g, 'b')).hostname !== url.hostname) {
    return `${name} must keep {accountId} out of the host name: link unfurling registers fixed domains (got "${template}")`;
  }
  return undefined;
}
