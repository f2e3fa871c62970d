import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { SETTINGS, type SettingSpec } from '../../src/config';
import { at, literal, parseBicep, resourceOf, type BicepFile, type BicepValue } from './bicep-text';

/**
 * Checks of deploy/main.bicep, each returning a list of problems (empty when the template is
 * right), so a test can run them on the real template and on broken copies of it.
 */

/** Settings the template may set that the app does not read: they configure App Service itself. */
export const PLATFORM_SETTINGS: ReadonlyMap<string, string> = new Map([
  ['WEBSITE_NODE_DEFAULT_VERSION', 'Node.js version on Windows plans'],
  ['SCM_DO_BUILD_DURING_DEPLOYMENT', 'build a zip deployment on App Service (Oryx)'],
  ['CUSTOM_BUILD_COMMAND', 'the Oryx build command'],
  ['APPLICATIONINSIGHTS_CONNECTION_STRING', 'where the Application Insights agent sends telemetry'],
  ['ApplicationInsightsAgent_EXTENSION_VERSION', 'turns the Application Insights agent on (~3 on Linux)'],
]);

/** The Cosmos DB built-in Data Contributor role. */
export const COSMOS_DATA_CONTRIBUTOR = '00000000-0000-0000-0000-000000000002';

export interface AppSetting {
  readonly name: string;
  /** The Bicep expression of the value, e.g. `'production'` or `identity.properties.clientId`. */
  readonly value: string;
}

/** The web app's siteConfig.appSettings, in order. */
export function appSettingsOf(file: BicepFile): AppSetting[] {
  const site = resourceOf(file, 'Microsoft.Web/sites');
  const list = at(site.body, 'properties', 'siteConfig', 'appSettings');
  if (!Array.isArray(list)) throw new Error('the web app has no properties.siteConfig.appSettings array');
  return list.map((entry, i) => {
    const name = literal(at(entry, 'name'));
    const value = at(entry, 'value');
    if (name === undefined || typeof value !== 'string') throw new Error(`appSettings[${i}] is not { name: '...', value: ... }`);
    return { name, value };
  });
}

/** The settings the template must set: everything production needs, and what DIRECTORY=cosmos needs. */
export function requiredSettings(settings: readonly SettingSpec[] = SETTINGS): string[] {
  return settings.filter((s) => s.requiredInProduction === true || s.requiredInProduction === 'cosmos').map((s) => s.name);
}

export function settingsProblems(src: string, settings: readonly SettingSpec[] = SETTINGS): string[] {
  const problems: string[] = [];
  const appSettings = appSettingsOf(parseBicep(src));
  const byName = new Map<string, AppSetting>();
  for (const s of appSettings) {
    if (byName.has(s.name)) problems.push(`${s.name} is set twice`);
    byName.set(s.name, s);
  }
  for (const name of requiredSettings(settings)) {
    if (!byName.has(name)) problems.push(`${name} is required in production but the template does not set it`);
  }
  for (const spec of settings.filter((s) => s.secret)) {
    if (byName.has(spec.name)) problems.push(`${spec.name} is a secret and must not be set by the template`);
  }
  const known = new Set(settings.map((s) => s.name));
  for (const s of appSettings) {
    if (!known.has(s.name) && !PLATFORM_SETTINGS.has(s.name)) problems.push(`${s.name} is neither a setting the app reads nor a known platform setting`);
  }
  const expectLiteral = (name: string, expected: string) => {
    const s = byName.get(name);
    if (s && literal(s.value) !== expected) problems.push(`${name} must be '${expected}' (is ${s.value})`);
  };
  expectLiteral('NODE_ENV', 'production');
  expectLiteral('DIRECTORY', 'cosmos');
  expectLiteral('MicrosoftAppType', 'UserAssignedMSI');
  return problems;
}

/** Replaces ${v} (and a bare v) by the literal value of var v, where v is a string var. */
function resolveVars(file: BicepFile, expr: string): string {
  const bare = file.vars.get(expr);
  if (typeof bare === 'string') return resolveVars(file, bare);
  return expr.replace(/\$\{(\w+)\}/g, (whole, name: string) => {
    const v = literal(file.vars.get(name));
    return v ?? whole;
  });
}

/** The managed identity, the web app and the bot agree on who the bot is and where things are. */
export function wiringProblems(src: string): string[] {
  const problems: string[] = [];
  const file = parseBicep(src);
  const id = resourceOf(file, 'Microsoft.ManagedIdentity/userAssignedIdentities').symbol;
  const site = resourceOf(file, 'Microsoft.Web/sites');
  const cosmos = resourceOf(file, 'Microsoft.DocumentDB/databaseAccounts').symbol;
  const database = resourceOf(file, 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases');
  const appi = resourceOf(file, 'Microsoft.Insights/components').symbol;
  const bot = resourceOf(file, 'Microsoft.BotService/botServices');
  const settings = new Map(appSettingsOf(file).map((s) => [s.name, s.value]));

  const expect = (what: string, actual: BicepValue | undefined, ...allowed: string[]) => {
    if (typeof actual !== 'string' || !allowed.includes(actual)) problems.push(`${what} must be ${allowed.join(' or ')} (is ${JSON.stringify(actual)})`);
  };
  const clientId = `${id}.properties.clientId`;
  expect('MicrosoftAppId', settings.get('MicrosoftAppId'), clientId);
  expect('AZURE_CLIENT_ID', settings.get('AZURE_CLIENT_ID'), clientId);
  expect('MicrosoftAppTenantId', settings.get('MicrosoftAppTenantId'), 'tenant().tenantId');
  expect('COSMOS_ENDPOINT', settings.get('COSMOS_ENDPOINT'), `${cosmos}.properties.documentEndpoint`);
  const dbName = at(database.body, 'name');
  expect('COSMOS_DATABASE', settings.get('COSMOS_DATABASE'), `${database.symbol}.name`, typeof dbName === 'string' ? dbName : '(database name)');
  expect('APPLICATIONINSIGHTS_CONNECTION_STRING', settings.get('APPLICATIONINSIGHTS_CONNECTION_STRING'), `${appi}.properties.ConnectionString`);

  expect('the web app identity type', at(site.body, 'identity', 'type'), "'UserAssigned'");
  const assigned = at(site.body, 'identity', 'userAssignedIdentities');
  if (!assigned || typeof assigned === 'string' || Array.isArray(assigned) || !(`\${${id}.id}` in assigned)) {
    problems.push(`the web app must be assigned the identity ${id}`);
  }

  expect('the bot kind', at(bot.body, 'kind'), "'azurebot'");
  expect('the bot msaAppType', at(bot.body, 'properties', 'msaAppType'), "'UserAssignedMSI'");
  expect('the bot msaAppId', at(bot.body, 'properties', 'msaAppId'), clientId);
  expect('the bot msaAppMSIResourceId', at(bot.body, 'properties', 'msaAppMSIResourceId'), `${id}.id`);
  expect('the bot msaAppTenantId', at(bot.body, 'properties', 'msaAppTenantId'), 'tenant().tenantId');
  const endpoint = at(bot.body, 'properties', 'endpoint');
  const endpointText = typeof endpoint === 'string' ? resolveVars(file, endpoint) : '';
  if (endpointText !== `'https://\${${site.symbol}.properties.defaultHostName}/api/messages'`) {
    problems.push(`the bot's messaging endpoint must be https://<web app host>/api/messages (is ${endpointText || JSON.stringify(endpoint)})`);
  }
  const teams = file.resources.filter(
    (r) => r.type === 'Microsoft.BotService/botServices/channels' && literal(at(r.body, 'properties', 'channelName')) === 'MsTeamsChannel',
  );
  if (teams.length !== 1) problems.push('the bot needs one MsTeamsChannel channel');
  else expect('the Teams channel parent', at(teams[0]?.body, 'parent'), bot.symbol);
  return problems;
}

/** How the web app runs: Node 20 on Linux, HTTPS only, the compiled server, health checks. */
export function siteProblems(src: string, projectRoot: string): string[] {
  const problems: string[] = [];
  const site = resourceOf(parseBicep(src), 'Microsoft.Web/sites');
  const config = at(site.body, 'properties', 'siteConfig');
  const expect = (what: string, actual: BicepValue | undefined, expected: string) => {
    if (actual !== expected) problems.push(`${what} must be ${expected} (is ${JSON.stringify(actual)})`);
  };
  expect('kind', at(site.body, 'kind'), "'app,linux'");
  expect('httpsOnly', at(site.body, 'properties', 'httpsOnly'), 'true');
  expect('linuxFxVersion', at(config, 'linuxFxVersion'), "'NODE|22-lts'");
  expect('minTlsVersion', at(config, 'minTlsVersion'), "'1.2'");
  expect('ftpsState', at(config, 'ftpsState'), "'Disabled'");
  expect('alwaysOn', at(config, 'alwaysOn'), 'true');
  expect('healthCheckPath', at(config, 'healthCheckPath'), "'/healthz'");
  const command = literal(at(config, 'appCommandLine')) ?? '';
  // --expose-gc: the server collects once after loading an embedded directory (src/startup-collection.ts).
  const m = /^node --expose-gc (dist\/(\S+)\.js)$/.exec(command);
  if (!m) problems.push(`appCommandLine must be "node --expose-gc dist/<file>.js" (is "${command}")`);
  else if (!existsSync(path.join(projectRoot, `${m[2]}.ts`))) problems.push(`appCommandLine runs ${m[1]}, but there is no ${m[2]}.ts to compile it from`);
  return problems;
}

export interface ContainerDesign {
  readonly id: string;
  readonly partitionKey: string;
  /** Whether Cosmos DB must honour the per-item ttl the app writes (defaultTtl -1). */
  readonly perItemTtl?: boolean;
}

export interface TemplateContainer extends ContainerDesign {
  /** The container's defaultTtl expression, if it has one. */
  readonly defaultTtl: string | undefined;
  /** The name of the var holding its indexing policy. */
  readonly indexingPolicy: string | undefined;
}

/** The cosmosContainers variable: the one list of containers and their partition keys. */
export function containersOf(file: BicepFile): TemplateContainer[] {
  const list = file.vars.get('cosmosContainers');
  if (!Array.isArray(list)) throw new Error('var cosmosContainers (an array) is missing');
  return list.map((c, i) => {
    const id = literal(at(c, 'id'));
    const partitionKey = literal(at(c, 'partitionKey'));
    if (!id || !partitionKey) throw new Error(`cosmosContainers[${i}] needs literal id and partitionKey`);
    const ttl = at(c, 'ttl', 'defaultTtl');
    const policy = at(c, 'indexingPolicy');
    return { id, partitionKey, defaultTtl: typeof ttl === 'string' ? ttl : undefined, indexingPolicy: typeof policy === 'string' ? policy : undefined };
  });
}

/**
 * The document fields the app's queries filter or order by, read from the SQL in `dir`
 * (src/directory/cosmos): every `c.<field>` outside a projection (`SELECT ... FROM c`, or a
 * `*_FIELDS` list of projected fields). An excluded index path must be none of these.
 */
export function queriedFields(dir: string): Set<string> {
  const fields = new Set<string>();
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
    const text = readFileSync(path.join(dir, name), 'utf8')
      .replace(/SELECT[\s\S]*?FROM c\b/g, ' ')
      .replace(/^.*_FIELDS = .*$/gm, ' ');
    for (const m of text.matchAll(/\bc\.([A-Za-z_]\w*)/g)) fields.add(m[1]!);
  }
  return fields;
}

/** The paths of an indexing policy's includedPaths or excludedPaths. */
function policyPaths(file: BicepFile, policy: string, which: 'includedPaths' | 'excludedPaths'): string[] {
  const list = at(file.vars.get(policy), which);
  if (!Array.isArray(list)) return [];
  return list.map((entry) => literal(at(entry, 'path')) ?? '?');
}

/**
 * Each container has its own indexing policy, consistent, and leaves out no path a query
 * filters or orders by; bot state (never queried) indexes nothing; `mustExclude` lists the
 * paths per container that are never queried and must stay out of the index (they make writes dearer).
 */
export function indexingProblems(src: string, queried: ReadonlySet<string>, mustExclude: Readonly<Record<string, readonly string[]>>): string[] {
  const problems: string[] = [];
  const file = parseBicep(src);
  for (const c of containersOf(file)) {
    if (!c.indexingPolicy || !file.vars.has(c.indexingPolicy)) {
      problems.push(`container ${c.id} has no indexing policy var of its own (is ${c.indexingPolicy ?? 'unset'})`);
      continue;
    }
    if (literal(at(file.vars.get(c.indexingPolicy), 'indexingMode')) !== 'consistent') problems.push(`container ${c.id}: indexingMode must be 'consistent'`);
    const excluded = policyPaths(file, c.indexingPolicy, 'excludedPaths');
    for (const p of excluded) {
      const field = /^\/(\w+)\//.exec(p)?.[1];
      if (field && queried.has(field)) problems.push(`container ${c.id} excludes ${p} from its index, but a query filters or orders by c.${field}`);
    }
    for (const p of mustExclude[c.id] ?? []) if (!excluded.includes(p)) problems.push(`container ${c.id} must exclude ${p} from its index (never queried)`);
  }
  return problems;
}

/** The template's containers are exactly the app's: same ids, same partition key paths. */
export function containerProblems(src: string, expected: readonly ContainerDesign[]): string[] {
  const problems: string[] = [];
  const actual = containersOf(parseBicep(src));
  for (const e of expected) {
    const a = actual.find((c) => c.id === e.id);
    if (!a) problems.push(`container ${e.id} (partition key ${e.partitionKey}) is missing from the template`);
    else if (a.partitionKey !== e.partitionKey) problems.push(`container ${e.id} has partition key ${a.partitionKey} in the template but ${e.partitionKey} in the app`);
    else if (e.perItemTtl !== undefined && (a.defaultTtl === '-1') !== e.perItemTtl) {
      problems.push(
        e.perItemTtl
          ? `container ${e.id} needs defaultTtl: -1, or Cosmos DB ignores the ttl the app writes on its items (is ${a.defaultTtl ?? 'unset'})`
          : `container ${e.id} must not expire items (defaultTtl is ${a.defaultTtl})`,
      );
    }
  }
  for (const a of actual) {
    if (!expected.some((e) => e.id === a.id)) problems.push(`container ${a.id} is in the template but the app does not use it`);
  }
  return problems;
}

/** Entra ID only, containers from the one list, Data Contributor for the app's identity. */
export function cosmosProblems(src: string): string[] {
  const problems: string[] = [];
  const file = parseBicep(src);
  const account = resourceOf(file, 'Microsoft.DocumentDB/databaseAccounts');
  const id = resourceOf(file, 'Microsoft.ManagedIdentity/userAssignedIdentities').symbol;
  if (at(account.body, 'properties', 'disableLocalAuth') !== 'true') problems.push('the Cosmos DB account must have disableLocalAuth: true');

  const containers = containersOf(file);
  const ids = containers.map((c) => c.id);
  if (new Set(ids).size !== ids.length) problems.push(`container ids repeat: ${ids.join(', ')}`);
  for (const c of containers) if (!/^\/\w+$/.test(c.partitionKey)) problems.push(`container ${c.id}: partition key ${c.partitionKey} is not a /path`);
  const loops = file.resources.filter((r) => r.type === 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers');
  if (loops.length !== 1 || !/^\[\s*for\s+(\w+)\s+in\s+cosmosContainers\s*:/.test(src.slice(src.indexOf(`resource ${loops[0]?.symbol} `)).split('=')[1]?.trim() ?? '')) {
    problems.push('containers must be created by one loop over cosmosContainers');
  }

  const assignments = file.resources.filter((r) => r.type === 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments');
  const dataContributor = assignments.filter((r) => {
    const role = at(r.body, 'properties', 'roleDefinitionId');
    return typeof role === 'string' && resolveVars(file, role).endsWith(`/sqlRoleDefinitions/${COSMOS_DATA_CONTRIBUTOR}'`);
  });
  if (dataContributor.length !== 1) problems.push(`one sqlRoleAssignment must grant the Data Contributor role (${COSMOS_DATA_CONTRIBUTOR})`);
  else if (at(dataContributor[0]?.body, 'properties', 'principalId') !== `${id}.properties.principalId`) {
    problems.push(`the Data Contributor assignment must be for ${id}.properties.principalId`);
  }
  return problems;
}

/** A copy of the template text without the app setting `name` (its whole `{ ... }` entry). */
export function withoutSetting(src: string, name: string): string {
  const [start, end] = settingSpan(src, name);
  return src.slice(0, start) + src.slice(end);
}

/** A copy with the app setting `name` commented out line by line. */
export function withSettingCommentedOut(src: string, name: string): string {
  const [start, end] = settingSpan(src, name);
  const lineStart = src.lastIndexOf('\n', start) + 1;
  return src.slice(0, lineStart) + src.slice(lineStart, end).replace(/^/gm, '// ') + src.slice(end);
}

/** A copy with an extra app setting at the start of the list. */
export function withSetting(src: string, name: string, value: string): string {
  const marker = src.indexOf('appSettings: [');
  if (marker < 0) throw new Error('no appSettings array');
  const insertAt = marker + 'appSettings: ['.length;
  return `${src.slice(0, insertAt)}\n        {\n          name: '${name}'\n          value: ${value}\n        }${src.slice(insertAt)}`;
}

function settingSpan(src: string, name: string): [number, number] {
  const at = src.indexOf(`name: '${name}'`);
  if (at < 0) throw new Error(`setting ${name} not found`);
  const open = src.lastIndexOf('{', at);
  const close = src.indexOf('}', at);
  return [open, close + 1];
}
