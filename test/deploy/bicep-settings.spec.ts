import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig, SETTINGS } from '../../src/config';
import { CONTAINER_SPECS } from '../../src/directory/cosmos/containers';
import { at, literal, mask, parseBicep, resourceOf } from './bicep-text';
import {
  appSettingsOf,
  containerProblems,
  containersOf,
  cosmosProblems,
  indexingProblems,
  PLATFORM_SETTINGS,
  queriedFields,
  requiredSettings,
  settingsProblems,
  siteProblems,
  withoutSetting,
  withSetting,
  withSettingCommentedOut,
  wiringProblems,
} from './template-checks';

/**
 * deploy/main.bicep and the app's configuration schema (SETTINGS in src/config.ts) agree: the
 * template sets every setting production needs, no secret, nothing the app does not know; and the
 * bot, the web app and Cosmos DB are wired to the one managed identity. The template is read as
 * text: there is no Bicep compiler here.
 */

const ROOT = path.resolve(__dirname, '../..');
const BICEP_PATH = path.join(ROOT, 'deploy/main.bicep');
const PARAMETERS_PATH = path.join(ROOT, 'deploy/main.parameters.json');
const bicep = readFileSync(BICEP_PATH, 'utf8');
/** The containers the Cosmos DB adapter opens, and the partition key it checks each has. */
const APP_CONTAINERS = Object.values(CONTAINER_SPECS).map((c) => ({ id: c.id, partitionKey: c.partitionKeyPath, perItemTtl: c.perItemTtl }));
/** Where the app's queries are; the indexing policies are checked against them. */
const QUERIES_DIR = path.join(ROOT, 'src/directory/cosmos');
/** Never queried, and big: each container's index must leave these out (writes cost less). */
const MUST_EXCLUDE = {
  accounts: ['/ancestors/*', '/brand/*', '/entry/*', '/notices/*', '/path/*'],
  lookups: ['/admin/*', '/roots/*'],
  botState: ['/*'],
};
/** The template's parameter that feeds each TTL setting. */
const TTL_PARAMS = { COSMOS_STATE_TTL_DAYS: 'stateTtlDays', COSMOS_AUDIT_RETENTION_DAYS: 'auditRetentionDays' };

describe('deploy/main.bicep app settings against SETTINGS', () => {
  const names = appSettingsOf(parseBicep(bicep)).map((s) => s.name);

  it('has no problems', () => {
    expect(settingsProblems(bicep)).toEqual([]);
  });

  it.each(requiredSettings())('sets %s, which production with DIRECTORY=cosmos requires', (name) => {
    expect(names).toContain(name);
  });

  it('covers both kinds of required setting', () => {
    const required = requiredSettings();
    expect(SETTINGS.filter((s) => s.requiredInProduction === true).every((s) => required.includes(s.name))).toBe(true);
    expect(SETTINGS.filter((s) => s.requiredInProduction === 'cosmos').every((s) => required.includes(s.name))).toBe(true);
    expect(required).toEqual(expect.arrayContaining(['NODE_ENV', 'MicrosoftAppId', 'DIRECTORY', 'COSMOS_ENDPOINT', 'AZURE_CLIENT_ID']));
  });

  it('sets no secret', () => {
    const secrets = SETTINGS.filter((s) => s.secret).map((s) => s.name);
    expect(secrets).toEqual(expect.arrayContaining(['COSMOS_KEY', 'MicrosoftAppPassword']));
    expect(names.filter((n) => secrets.includes(n))).toEqual([]);
    // Not even in a comment or another resource.
    expect(mask(bicep)).not.toMatch(/COSMOS_KEY|MicrosoftAppPassword/);
    expect(bicep).not.toMatch(/listKeys\(|primaryMasterKey/);
  });

  it('runs in production against Cosmos DB', () => {
    const settings = new Map(appSettingsOf(parseBicep(bicep)).map((s) => [s.name, literal(s.value)]));
    expect(settings.get('NODE_ENV')).toBe('production');
    expect(settings.get('DIRECTORY')).toBe('cosmos');
  });

  it('sets only settings the app reads or App Service knows', () => {
    const known = new Set([...SETTINGS.map((s) => s.name), ...PLATFORM_SETTINGS.keys()]);
    expect(names.filter((n) => !known.has(n))).toEqual([]);
  });

  it('gives settings the app would start with', () => {
    // Values the template computes at deployment time, replaced by realistic ones.
    const deployed: Record<string, string> = {
      COSMOS_ENDPOINT: 'https://switchboard-cosmos-abc123.documents.azure.com:443/',
      COSMOS_DATABASE: 'switchboard',
      AZURE_CLIENT_ID: '11111111-2222-3333-4444-555555555555',
      MicrosoftAppId: '11111111-2222-3333-4444-555555555555',
      MicrosoftAppTenantId: '66666666-7777-8888-9999-000000000000',
      // The cardActions parameter's default.
      CARD_ACTIONS: 'execute',
      // The stateTtlDays and auditRetentionDays parameters' defaults.
      COSMOS_STATE_TTL_DAYS: '90',
      COSMOS_AUDIT_RETENTION_DAYS: '730',
    };
    const env: Record<string, string> = {};
    for (const s of appSettingsOf(parseBicep(bicep))) env[s.name] = literal(s.value) ?? deployed[s.name] ?? 'computed-at-deployment';
    const config = loadConfig(env);
    expect(config.nodeEnv).toBe('production');
    expect(config.host).toBe('0.0.0.0');
    expect(config.directory).toMatchObject({ kind: 'cosmos', key: undefined, managedIdentityClientId: deployed.AZURE_CLIENT_ID });
    expect(config.bot).toMatchObject({ appId: deployed.MicrosoftAppId, appType: 'UserAssignedMSI', appPassword: '' });
    expect(config.cardActions).toBe('execute');
  });
});

describe('deploy/main.bicep wiring', () => {
  it('uses the managed identity as the bot, the web app and the Cosmos DB client', () => {
    expect(wiringProblems(bicep)).toEqual([]);
  });

  it('runs the compiled server on Node 22 LTS, HTTPS only, with health checks', () => {
    expect(siteProblems(bicep, ROOT)).toEqual([]);
    // The health check path is one the server serves; the start command is the package's.
    expect(readFileSync(path.join(ROOT, 'src/server.ts'), 'utf8')).toContain("'/healthz'");
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
    const command = literal(at(resourceOf(parseBicep(bicep), 'Microsoft.Web/sites').body, 'properties', 'siteConfig', 'appCommandLine'));
    // The same program as npm start, without the flag that allows unauthenticated local development.
    expect(pkg.scripts?.start).toBe(`${command} --insecure-unauthenticated-loopback`);
    expect(command).not.toContain('insecure');
  });

  it('has Cosmos DB with local auth disabled, containers from one list and Data Contributor for the identity', () => {
    expect(cosmosProblems(bicep)).toEqual([]);
    expect(containersOf(parseBicep(bicep)).length).toBeGreaterThan(0);
  });

  it('creates exactly the containers the Cosmos DB adapter opens, with its partition keys', () => {
    expect(APP_CONTAINERS.length).toBeGreaterThan(0);
    expect(containerProblems(bicep, APP_CONTAINERS)).toEqual([]);
  });

  it('gives each container an indexing policy that leaves out only what no query filters or orders by', () => {
    const queried = queriedFields(QUERIES_DIR);
    // The reader sees the real queries: filters and sort keys, not projected fields.
    expect([...queried]).toEqual(expect.arrayContaining(['rootId', 'type', 'parentId', 'childKey', 'key', 'searchKey', 'lineage', 'accountId', 'seq', 'pk', '_ts']));
    expect(queried.has('ancestors')).toBe(false);
    expect(queried.has('path')).toBe(false);
    expect(indexingProblems(bicep, queried, MUST_EXCLUDE)).toEqual([]);
    expect(containersOf(parseBicep(bicep)).map((c) => c.indexingPolicy)).toEqual(['accountsIndexingPolicy', 'lookupsIndexingPolicy', 'botStateIndexingPolicy']);
  });

  it('creates each container with its own indexing policy and TTL', () => {
    const loop = resourceOf(parseBicep(bicep), 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers');
    const resource = at(loop.body, 'properties', 'resource');
    expect(typeof resource).toBe('string');
    expect(String(resource)).toMatch(/^union\(\{[\s\S]*indexingPolicy: c\.indexingPolicy[\s\S]*\}, c\.ttl\)$/);
  });

  it.each(Object.entries(TTL_PARAMS))('sets %s from the parameter %s, whose default is the app\'s', (setting, param) => {
    const settings = new Map(appSettingsOf(parseBicep(bicep)).map((s) => [s.name, s.value]));
    expect(settings.get(setting)).toBe(`string(${param})`);
    const declared = new RegExp(`^param ${param} int = (\\d+)$`, 'm').exec(mask(bicep));
    expect(declared?.[1]).toBe(SETTINGS.find((s) => s.name === setting)?.default);
  });

  it('has workspace-based Application Insights', () => {
    const file = parseBicep(bicep);
    const appi = resourceOf(file, 'Microsoft.Insights/components');
    const workspace = resourceOf(file, 'Microsoft.OperationalInsights/workspaces');
    expect(at(appi.body, 'properties', 'WorkspaceResourceId')).toBe(`${workspace.symbol}.id`);
  });

  it('outputs what the README and packaging need', () => {
    const outputs = [...mask(bicep).matchAll(/^output\s+(\w+)\s/gm)].map((m) => m[1]);
    expect(outputs).toEqual(expect.arrayContaining(['botId', 'webAppName', 'appHostname', 'messagingEndpoint', 'cosmosEndpoint']));
  });
});

describe('deploy/main.parameters.json', () => {
  const file = parseBicep(bicep);
  const parameters = JSON.parse(readFileSync(PARAMETERS_PATH, 'utf8')) as {
    $schema?: string;
    contentVersion?: string;
    parameters?: Record<string, { value?: unknown }>;
  };

  it('is a deployment parameters file', () => {
    expect(parameters.$schema).toMatch(/deploymentParameters\.json#$/);
    expect(parameters.contentVersion).toBe('1.0.0.0');
    expect(typeof parameters.parameters).toBe('object');
    for (const [name, p] of Object.entries(parameters.parameters ?? {})) expect([name, 'value' in p]).toEqual([name, true]);
  });

  it('names only parameters the template declares', () => {
    const declared = file.params.map((p) => p.name);
    expect(Object.keys(parameters.parameters ?? {}).filter((n) => !declared.includes(n))).toEqual([]);
  });

  it('gives every parameter that has no default', () => {
    const missing = file.params.filter((p) => !p.hasDefault && !(p.name in (parameters.parameters ?? {})));
    expect(missing.map((p) => p.name)).toEqual([]);
  });

  it('uses a name prefix that fits every resource name', () => {
    expect(parameters.parameters?.namePrefix?.value).toMatch(/^[a-z][a-z0-9-]{2,19}$/);
  });
});

describe('the checks fail on a broken template', () => {
  it.each(requiredSettings())('when %s is removed', (name) => {
    expect(settingsProblems(withoutSetting(bicep, name))).toContainEqual(expect.stringContaining(`${name} is required`));
  });

  it('when a required setting is only in a comment', () => {
    expect(settingsProblems(withSettingCommentedOut(bicep, 'COSMOS_ENDPOINT'))).toContainEqual(expect.stringContaining('COSMOS_ENDPOINT is required'));
  });

  it.each(['COSMOS_KEY', 'MicrosoftAppPassword'])('when the secret %s is set', (name) => {
    expect(settingsProblems(withSetting(bicep, name, "'hunter2'"))).toContainEqual(expect.stringContaining(`${name} is a secret`));
  });

  it('when a setting is unknown to the app and the platform', () => {
    expect(settingsProblems(withSetting(bicep, 'COSMOS_ENDPIONT', "'https://x'"))).toContainEqual(expect.stringContaining('COSMOS_ENDPIONT is neither'));
  });

  it('when a setting is set twice', () => {
    expect(settingsProblems(withSetting(bicep, 'NODE_ENV', "'production'"))).toContainEqual('NODE_ENV is set twice');
  });

  it('when NODE_ENV is not production or DIRECTORY not cosmos', () => {
    const dev = bicep.replace(/(name: 'NODE_ENV'\s+value: )'production'/, "$1'development'");
    expect(dev).not.toBe(bicep);
    expect(settingsProblems(dev)).toContainEqual(expect.stringContaining("NODE_ENV must be 'production'"));
    const embedded = bicep.replace(/(name: 'DIRECTORY'\s+value: )'cosmos'/, "$1'embedded'");
    expect(embedded).not.toBe(bicep);
    expect(settingsProblems(embedded)).toContainEqual(expect.stringContaining("DIRECTORY must be 'cosmos'"));
  });

  it('when Cosmos DB allows keys', () => {
    const keys = bicep.replace('disableLocalAuth: true', 'disableLocalAuth: false');
    expect(keys).not.toBe(bicep);
    expect(cosmosProblems(keys)).toContainEqual(expect.stringContaining('disableLocalAuth'));
  });

  it('when the bot and the app disagree on the app id', () => {
    const other = bicep.replace(/msaAppId: [^\n]+/, "msaAppId: '00000000-0000-0000-0000-000000000001'");
    expect(other).not.toBe(bicep);
    expect(wiringProblems(other)).toContainEqual(expect.stringContaining('msaAppId'));
  });

  it('when a container is missing, extra or partitioned differently from the app', () => {
    const moved = bicep.replace(/(id: 'botState'\s+partitionKey: )'\/id'/, "$1'/key'");
    expect(moved).not.toBe(bicep);
    expect(containerProblems(moved, APP_CONTAINERS)).toEqual([expect.stringContaining('botState has partition key /key')]);
    const renamed = bicep.replace("id: 'lookups'", "id: 'admins'");
    expect(containerProblems(renamed, APP_CONTAINERS)).toEqual([
      expect.stringContaining('lookups (partition key /pk) is missing'),
      expect.stringContaining('admins is in the template but the app does not use it'),
    ]);
  });

  it('when a container would ignore the ttl the app writes, or expire what must stay', () => {
    const noTtl = bicep.replace(/(id: 'botState'[\s\S]*?ttl: )\{\s*defaultTtl: -1\s*\}/, '$1{}');
    expect(noTtl).not.toBe(bicep);
    expect(containerProblems(noTtl, APP_CONTAINERS)).toEqual([expect.stringContaining('botState needs defaultTtl: -1')]);
    const expiring = bicep.replace(/(id: 'lookups'[\s\S]*?ttl: )\{\}/, '$1{\n      defaultTtl: -1\n    }');
    expect(expiring).not.toBe(bicep);
    expect(containerProblems(expiring, APP_CONTAINERS)).toEqual([expect.stringContaining('lookups must not expire items')]);
  });

  it('when an index leaves out a path a query filters on, or keeps one it should leave out', () => {
    const queried = queriedFields(QUERIES_DIR);
    const noChildKey = bicep.replace("path: '/entry/*'", "path: '/entry/*'\n    }\n    {\n      path: '/childKey/?'");
    expect(noChildKey).not.toBe(bicep);
    expect(indexingProblems(noChildKey, queried, MUST_EXCLUDE)).toEqual([expect.stringContaining('excludes /childKey/? from its index, but a query filters or orders by c.childKey')]);
    const indexedEntry = bicep.replace("path: '/entry/*'", "path: '/ordinal/?'");
    expect(indexingProblems(indexedEntry, queried, MUST_EXCLUDE)).toEqual([expect.stringContaining('accounts must exclude /entry/*')]);
  });

  it('when the role assignment is not Data Contributor', () => {
    const reader = bicep.replace("var cosmosDataContributorRoleId = '00000000-0000-0000-0000-000000000002'", "var cosmosDataContributorRoleId = '00000000-0000-0000-0000-000000000001'");
    expect(reader).not.toBe(bicep);
    expect(cosmosProblems(reader)).toContainEqual(expect.stringContaining('Data Contributor'));
  });

  it('when the web app runs another Node version or skips the health check', () => {
    const node18 = bicep.replace("'NODE|22-lts'", "'NODE|18-lts'").replace("healthCheckPath: '/healthz'", "healthCheckPath: '/'");
    expect(siteProblems(node18, ROOT)).toEqual([expect.stringContaining('linuxFxVersion'), expect.stringContaining('healthCheckPath')]);
  });
});

describe('the Bicep reader', () => {
  it('ignores comments and keeps string contents opaque', () => {
    const src = [
      "var a = 'x // not a comment { ['",
      '// var b = 1',
      "/* var c = 'y' */",
      "var d = '${e('}')}'",
      'var f = {',
      "  g: 'h'",
      "  '${i.id}': {}",
      '  j: k ? {} : {',
      '    l: 1',
      '  }',
      '}',
    ].join('\n');
    const file = parseBicep(src);
    expect([...file.vars.keys()]).toEqual(['a', 'd', 'f']);
    expect(file.vars.get('a')).toBe("'x // not a comment { ['");
    expect(literal(file.vars.get('a'))).toBe('x // not a comment { [');
    expect(literal(file.vars.get('d'))).toBeUndefined();
    expect(file.vars.get('f')).toEqual({ g: "'h'", '${i.id}': {}, j: 'k ? {} : {\n    l: 1\n  }' });
  });
});
