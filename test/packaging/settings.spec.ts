import { SETTINGS } from '../../src/config';
import { DEFAULT_PORTAL_TEMPLATES, type PortalTemplates } from '../../src/domain/portals';
import { PackagingError } from '../../src/packaging/packaging-error';
import { PORTAL_SETTINGS, readPackagingSettings } from '../../src/packaging/settings';
import { BOT_ID, TEAMS_APP } from './fixtures';

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    readPackagingSettings(env);
  } catch (e) {
    if (e instanceof PackagingError) return e.problems;
    throw e;
  }
  throw new Error('expected a PackagingError');
}

describe('packaging settings', () => {
  it('reads the ids, the bot domain and the portal templates', () => {
    expect(readPackagingSettings({ MicrosoftAppId: ` ${BOT_ID} `, TEAMS_APP_ID: TEAMS_APP, BOT_DOMAIN: 'Switchboard.AzureWebsites.net' })).toEqual({
      teamsAppId: TEAMS_APP,
      botId: BOT_ID,
      botDomain: 'switchboard.azurewebsites.net',
      portalTemplates: DEFAULT_PORTAL_TEMPLATES,
    });
  });

  it('leaves the Teams app id and the bot domain unset when they are empty', () => {
    expect(readPackagingSettings({ MicrosoftAppId: BOT_ID, TEAMS_APP_ID: ' ', BOT_DOMAIN: '' })).toMatchObject({ teamsAppId: undefined, botDomain: undefined });
  });

  it('requires MicrosoftAppId, naming the variable', () => {
    expect(problemsOf({})).toEqual([expect.stringMatching(/^MicrosoftAppId is not set: set it to the Azure Bot's Microsoft App ID \(a GUID\)/)]);
  });

  it('reports every malformed setting at once', () => {
    const problems = problemsOf({
      MicrosoftAppId: 'switchboard-bot',
      TEAMS_APP_ID: '1234',
      BOT_DOMAIN: 'https://switchboard.azurewebsites.net/api/messages',
      BASE_PORTAL_URL: 'http://admin.example/{accountId}',
      ACCOUNT_PORTAL_URL: 'https://admin.example/accounts',
      CUSTOMER_PORTAL_URL: 'https://{accountId}.customers.example/',
    });
    expect(problems).toEqual([
      expect.stringMatching(/^TEAMS_APP_ID must be a GUID .*\(got "1234"\)/),
      expect.stringMatching(/^MicrosoftAppId must be a GUID, the Azure Bot's Microsoft App ID \(got "switchboard-bot"\)/),
      expect.stringMatching(/^BOT_DOMAIN must be a host name .*without https:\/\//),
      expect.stringMatching(/^BASE_PORTAL_URL must be an https:\/\/ URL/),
      expect.stringMatching(/^ACCOUNT_PORTAL_URL must contain \{accountId\}/),
      expect.stringMatching(/^CUSTOMER_PORTAL_URL must keep \{accountId\} out of the host name/),
    ]);
  });

  it('reads the same portal variables, with the same defaults, as the server', () => {
    for (const key of Object.keys(PORTAL_SETTINGS) as (keyof PortalTemplates)[]) {
      const spec = SETTINGS.find((s) => s.name === PORTAL_SETTINGS[key]);
      expect(spec?.default).toBe(DEFAULT_PORTAL_TEMPLATES[key]);
    }
  });
});
