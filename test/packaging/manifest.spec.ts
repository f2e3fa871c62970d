import { buildManifest, portalHosts } from '../../src/packaging/build-manifest';
import { COMMAND_LIMITS, LEFT_OUT_OF_MENU, MENU_COMMANDS } from '../../src/packaging/bot-commands';
import { readPackagingSettings, type PackagingSettings } from '../../src/packaging/settings';
import { isJsonObject, type JsonObject, type JsonValue } from '../../src/packaging/template';
import { bundledSchemaFile, schemaUrl, validateManifest } from '../../src/packaging/validate-manifest';
import { BOT_ID, committedTemplate, developmentAppId, TEAMS_APP } from './fixtures';

const settings = (env: Record<string, string> = {}): PackagingSettings => readPackagingSettings({ MicrosoftAppId: BOT_ID, ...env });
const build = (env: Record<string, string> = {}): JsonObject => buildManifest(committedTemplate(), settings(env), '1.2.3');
const clone = (m: JsonObject): JsonObject => JSON.parse(JSON.stringify(m)) as JsonObject;

function at(value: JsonValue | undefined, ...path: (string | number)[]): JsonValue | undefined {
  let node = value;
  for (const key of path) {
    if (typeof key === 'number') node = Array.isArray(node) ? node[key] : undefined;
    else node = isJsonObject(node) ? node[key] : undefined;
  }
  return node;
}

describe('the manifest against the official schema, offline', () => {
  const realFetch = globalThis.fetch;
  const fetchSpy = jest.fn(() => Promise.reject(new Error('no network in this test')));
  beforeAll(() => {
    globalThis.fetch = fetchSpy as unknown as typeof fetch;
  });
  afterAll(() => {
    globalThis.fetch = realFetch;
  });

  it('validates the built manifest without touching the network', () => {
    const manifest = build({ TEAMS_APP_ID: TEAMS_APP, BOT_DOMAIN: 'switchboard.azurewebsites.net' });
    expect(validateManifest(manifest)).toEqual([]);
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('uses a manifest version whose schema @microsoft/app-manifest bundles, named by $schema', () => {
    const manifest = build();
    const version = String(manifest.manifestVersion);
    expect(bundledSchemaFile(version)).toBeDefined();
    expect(manifest.$schema).toBe(schemaUrl(version));
  });

  it('reports a manifest without a bot id as invalid', () => {
    const broken = clone(build());
    const bot = at(broken, 'bots', 0);
    if (!isJsonObject(bot)) throw new Error('no bot in the manifest');
    delete bot.botId;
    expect(validateManifest(broken)).toEqual(expect.arrayContaining([expect.stringMatching(/^\/bots\/0 must have required property 'botId'/)]));
  });

  it('reports an app id that is not a GUID, an unknown property and a too long short name', () => {
    const broken = clone(build());
    broken.id = 'switchboard';
    broken.botName = 'extra';
    broken.name = { short: 'Switchboard for Call2Teams partners', full: 'x' };
    const problems = validateManifest(broken);
    expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(/^\/id must match pattern/), expect.stringMatching(/additional properties/), expect.stringMatching(/^\/name\/short/)]));
  });

  it('refuses a manifest version the library bundles no schema for, rather than fetching one', () => {
    const broken = { ...clone(build()), manifestVersion: '9.99', $schema: schemaUrl('9.99') };
    expect(validateManifest(broken)).toEqual([expect.stringMatching(/bundles no schema .* network/)]);
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('reports a $schema that does not match manifestVersion', () => {
    const broken = { ...clone(build()), $schema: schemaUrl('1.19') };
    expect(validateManifest(broken)).toEqual([expect.stringMatching(/^\$schema must be/)]);
  });
});

describe('what the manifest says', () => {
  it('takes the app and bot ids from the settings, the bot id in both the bot and the message extension', () => {
    const manifest = build({ TEAMS_APP_ID: TEAMS_APP });
    expect(manifest.id).toBe(TEAMS_APP);
    expect(at(manifest, 'bots', 0, 'botId')).toBe(BOT_ID);
    expect(at(manifest, 'composeExtensions', 0, 'botId')).toBe(BOT_ID);
    expect(manifest.version).toBe('1.2.3');
  });

  it('falls back to the development Teams app id committed in the template', () => {
    expect(build().id).toBe(developmentAppId());
  });

  it('offers the bot in personal, team and group chats, conversational and without files', () => {
    const bot = at(build(), 'bots', 0);
    expect(at(bot, 'scopes')).toEqual(['personal', 'team', 'groupChat']);
    expect(at(bot, 'isNotificationOnly')).toBe(false);
    expect(at(bot, 'supportsFiles')).toBe(false);
    expect(build().permissions).toEqual(['identity', 'messageTeamMembers']);
  });

  it('has one command list a scope, each within the Teams limits', () => {
    const lists = at(build(), 'bots', 0, 'commandLists');
    if (!Array.isArray(lists)) throw new Error('no commandLists');
    expect(lists.map((l) => at(l, 'scopes'))).toEqual([['personal'], ['team'], ['groupChat']]);
    for (const list of lists) {
      const commands = at(list, 'commands');
      if (!Array.isArray(commands)) throw new Error('no commands');
      expect(commands.length).toBeLessThanOrEqual(COMMAND_LIMITS.commandsPerList);
      for (const command of commands) {
        expect(String(at(command, 'title')).length).toBeLessThanOrEqual(COMMAND_LIMITS.title);
        expect(String(at(command, 'description')).length).toBeLessThanOrEqual(COMMAND_LIMITS.description);
      }
      expect(commands.map((c) => at(c, 'title'))).toEqual(MENU_COMMANDS.map((c) => c.title));
    }
  });

  it('reports a command list longer than Teams shows, although the 1.24+ schema allows 12', () => {
    const broken = clone(build());
    const commands = at(broken, 'bots', 0, 'commandLists', 0, 'commands');
    if (!Array.isArray(commands)) throw new Error('no commands');
    commands.push({ title: 'up', description: 'One level up' });
    expect(validateManifest(broken)).toEqual([expect.stringMatching(/commandLists\/0 has 11 commands; Teams shows at most 10/)]);
  });

  it('lists every text command in the menu except the ones left out on purpose', () => {
    const all = ['where am i', 'accounts', 'open', 'up', 'home', 'find', 'switch', 'portal', 'help', 'subscriptions', 'set', 'history', 'offers', 'offer', 'notices'];
    expect([...MENU_COMMANDS.map((c) => c.title), ...LEFT_OUT_OF_MENU].sort()).toEqual([...all].sort());
  });

  it('searches accounts from the compose box and command box with a "Find account" query command', () => {
    expect(at(build(), 'composeExtensions', 0, 'commands')).toEqual([
      expect.objectContaining({
        id: 'findAccount',
        type: 'query',
        title: 'Find account',
        initialRun: false,
        context: ['compose', 'commandBox'],
        parameters: [expect.objectContaining({ name: 'query', title: 'Account name' })],
      }),
    ]);
  });

  it('unfurls links to the default portal host, and allows it as a valid domain', () => {
    const manifest = build();
    expect(at(manifest, 'composeExtensions', 0, 'messageHandlers')).toEqual([{ type: 'link', value: { domains: ['admin.call2teams.com'] } }]);
    expect(manifest.validDomains).toEqual(['admin.call2teams.com']);
  });

  it('derives the hosts from the three portal settings, and adds BOT_DOMAIN to validDomains', () => {
    const manifest = build({
      BASE_PORTAL_URL: 'https://Portal.Fabrikam.example/base/{accountId}',
      ACCOUNT_PORTAL_URL: 'https://portal.fabrikam.example/acct/{accountId}/services?tab=users',
      CUSTOMER_PORTAL_URL: 'https://customers.fabrikam.example/c/{accountId}',
      BOT_DOMAIN: 'switchboard.azurewebsites.net',
    });
    expect(at(manifest, 'composeExtensions', 0, 'messageHandlers', 0, 'value', 'domains')).toEqual(['portal.fabrikam.example', 'customers.fabrikam.example']);
    expect(manifest.validDomains).toEqual(['portal.fabrikam.example', 'customers.fabrikam.example', 'switchboard.azurewebsites.net']);
    expect(validateManifest(manifest)).toEqual([]);
  });

  it('does not repeat a host', () => {
    expect(portalHosts(settings())).toEqual(['admin.call2teams.com']);
    expect(build({ BOT_DOMAIN: 'admin.call2teams.com' }).validDomains).toEqual(['admin.call2teams.com']);
  });
});
