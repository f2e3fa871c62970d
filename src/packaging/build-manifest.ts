import { commandLists } from './bot-commands';
import { PackagingError } from './packaging-error';
import { portalHost, type PackagingSettings } from './settings';
import { fillTemplate, isJsonObject, type JsonObject, type JsonValue } from './template';

/**
 * Builds manifest.json from the template and the settings. Pure: no files, no environment, so
 * tests can build manifests for any settings.
 */
export function buildManifest(template: JsonValue, settings: PackagingSettings, appVersion: string): JsonObject {
  const hosts = portalHosts(settings);
  const manifest = fillTemplate(template, {
    APP_VERSION: appVersion,
    TEAMS_APP_ID: settings.teamsAppId,
    MicrosoftAppId: settings.botId,
    COMMAND_LISTS: commandLists().map((list) => ({ scopes: [...list.scopes], commands: list.commands.map((c) => ({ ...c })) })),
    PORTAL_HOSTS: hosts,
    VALID_DOMAINS: settings.botDomain && !hosts.includes(settings.botDomain) ? [...hosts, settings.botDomain] : hosts,
  });
  if (!isJsonObject(manifest)) throw new PackagingError('manifest/manifest.template.json is not a manifest', ['the template must be a JSON object']);
  return manifest;
}

/** The distinct hosts of the three portal templates: the links the bot unfurls. */
export function portalHosts(settings: Pick<PackagingSettings, 'portalTemplates'>): string[] {
  const { basePortal, accountPortal, customerPortal } = settings.portalTemplates;
  return [...new Set([basePortal, accountPortal, customerPortal].map(portalHost))];
}
