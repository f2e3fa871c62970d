import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { loadConfig, SETTINGS, type Config, type SettingSpec } from '../../src/config';
import { PROJECT_ROOT } from '../../src/project-path';

/**
 * Defaults are written once, in the SETTINGS table the README documents: what loadConfig uses
 * for an unset setting is the table's default, for every setting that has one.
 */
const DEV = { INSECURE_UNAUTHENTICATED_LOOPBACK: 'true' };
const PRODUCTION = {
  NODE_ENV: 'production',
  DIRECTORY: 'embedded',
  MicrosoftAppId: randomUUID(),
  MicrosoftAppType: 'UserAssignedMSI',
  MicrosoftAppTenantId: randomUUID(),
};
const COSMOS = { ...DEV, NODE_ENV: 'test', DIRECTORY: 'cosmos', COSMOS_ENDPOINT: 'https://127.0.0.1:8081/', COSMOS_KEY: 'k' };

/** Where each defaulted setting ends up in Config, as the text the table writes, and the environment it needs. */
const READERS: Readonly<Record<string, { env?: Record<string, string>; read: (config: Config) => string | undefined }>> = {
  NODE_ENV: { read: (c) => c.nodeEnv },
  PORT: { read: (c) => String(c.port) },
  HOST: { read: (c) => c.host },
  DIRECTORY: { read: (c) => c.directory.kind },
  DIRECTORY_FILE: { read: (c) => (c.directory.kind === 'embedded' ? path.relative(PROJECT_ROOT, c.directory.seedFile) : undefined) },
  DATA_DIR: { read: (c) => (c.directory.kind === 'embedded' && c.directory.dataDir ? path.relative(PROJECT_ROOT, c.directory.dataDir) : undefined) },
  COSMOS_DATABASE: { env: COSMOS, read: (c) => (c.directory.kind === 'cosmos' ? c.directory.database : undefined) },
  COSMOS_ROSTER_MAX_AGE_MS: { env: COSMOS, read: (c) => (c.directory.kind === 'cosmos' ? String(c.directory.rosterMaxAgeMs) : undefined) },
  COSMOS_IMPORT_CHECK_MS: { env: COSMOS, read: (c) => (c.directory.kind === 'cosmos' ? String(c.directory.importCheckMs) : undefined) },
  COSMOS_SEARCH_DEADLINE_MS: { env: COSMOS, read: (c) => (c.directory.kind === 'cosmos' ? String(c.directory.searchDeadlineMs) : undefined) },
  COSMOS_STATE_TTL_DAYS: { env: COSMOS, read: (c) => (c.directory.kind === 'cosmos' ? String(c.directory.stateTtlDays) : undefined) },
  COSMOS_AUDIT_RETENTION_DAYS: { env: COSMOS, read: (c) => (c.directory.kind === 'cosmos' ? String(c.directory.auditRetentionDays) : undefined) },
  BASE_PORTAL_URL: { read: (c) => c.portals.basePortal },
  ACCOUNT_PORTAL_URL: { read: (c) => c.portals.accountPortal },
  CUSTOMER_PORTAL_URL: { read: (c) => c.portals.customerPortal },
  LOG_LEVEL: { read: (c) => c.logLevel },
  REQUEST_TIMEOUT_MS: { read: (c) => String(c.requestTimeoutMs) },
  MAX_CONNECTIONS: { read: (c) => String(c.maxConnections) },
  MAX_QUANTITY: { read: (c) => String(c.maxQuantity) },
  NOTICE_POLL_MS: { read: (c) => String(c.noticePollMs) },
  DIGEST_TICK_MS: { read: (c) => String(c.digestTickMs) },
  CARD_ACTIONS: { read: (c) => c.cardActions },
};

const defaulted = SETTINGS.filter((s): s is SettingSpec & { default: string } => s.default !== undefined);

describe('setting defaults come from the SETTINGS table', () => {
  it('knows where every defaulted setting lands in Config (a new default must be added here)', () => {
    expect(defaulted.map((s) => s.name).sort()).toEqual(Object.keys(READERS).sort());
  });

  it.each(defaulted.map((s) => [s.name, s] as const))('%s: unset, loadConfig gives the table’s default', (name, spec) => {
    const reader = READERS[name]!;
    expect(reader.read(loadConfig(reader.env ?? DEV))).toBe(spec.default);
  });

  it.each(SETTINGS.filter((s) => s.productionDefault !== undefined).map((s) => [s.name, s] as const))(
    '%s: unset in production, loadConfig gives the table’s production default',
    (name, spec) => {
      expect(READERS[name]!.read(loadConfig(PRODUCTION))).toBe(spec.productionDefault);
    },
  );

  it('reads them from the table it is given, not from literals of its own', () => {
    const changed: Record<string, string> = {
      PORT: '4000',
      HOST: '::1',
      LOG_LEVEL: 'warn',
      MAX_QUANTITY: '50',
      CARD_ACTIONS: 'submit',
      REQUEST_TIMEOUT_MS: '1234',
      MAX_CONNECTIONS: '7',
      DATA_DIR: 'elsewhere',
      BASE_PORTAL_URL: 'https://portal.example.com/base/{accountId}',
    };
    const table = SETTINGS.map((s) => (changed[s.name] ? { ...s, default: changed[s.name] } : s));
    const config = loadConfig(DEV, table);
    for (const [name, expected] of Object.entries(changed)) expect({ name, value: READERS[name]!.read(config) }).toEqual({ name, value: expected });
  });
});
