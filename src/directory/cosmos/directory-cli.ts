import path from 'node:path';
import { parseArgs } from 'node:util';
import type { CosmosClient, PluginConfig } from '@azure/cosmos';
import { integer, TRUST_LOCAL_CERTIFICATE_SETTING, trustLocalCertificateSetting, type CosmosSettings } from '../../config';
import { writeFileAtomic } from '../../fs/atomic-write';
import { DirectoryFileError, parseDirectoryDocument, readDirectoryFile } from '../directory-file';
import { CONTAINER_SPECS, CosmosSetupError, createContainers, openContainers } from './containers';
import { createCosmosClient, type CosmosConnectionOverrides } from './cosmos-client';
import { count } from './batch-writer';
import { exportDirectory, importDirectory } from './directory-transfer';
import { DEFAULT_TRANSFER_LIMITS, describeCause, TRANSFER_LIMIT_RANGES, TRANSFER_THROTTLE_RETRY, TransferCalls, type TransferLimits } from './transfer-calls';

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

export interface CliContext {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** How to reach the server, for tests against the in-process stand-in. */
  readonly connection?: CosmosConnectionOverrides;
}

const USAGE = `Usage: npm run directory -- <command> [options]

  import <file>   Load a directory file into Cosmos DB (validated first). Writes only what differs
                  from what the database holds, so a re-run after an interruption carries on, and a
                  re-import of an unchanged file writes nothing.
  export <file>   Write the Cosmos DB directory back out in the directory file format.
  init            Create the database and containers. For a local emulator or test server only:
                  in Azure the deployment creates them, and the app's role may not.

Options:
  --request-timeout-ms <ms>   How long one request may take before it is tried again
                              (default ${DEFAULT_TRANSFER_LIMITS.requestTimeoutMs}, ${TRANSFER_LIMIT_RANGES.requestTimeoutMs.min} to ${TRANSFER_LIMIT_RANGES.requestTimeoutMs.max}).
  --retries <n>               How often a request that timed out or failed transiently (429, 5xx,
                              a lost connection) is tried again, with growing pauses (default ${DEFAULT_TRANSFER_LIMITS.retries}).
  --trust-local-certificate   Accept the self-signed certificate of a local emulator (loopback
                              endpoint with COSMOS_KEY only); the same as ${TRUST_LOCAL_CERTIFICATE_SETTING}=true.

Settings come from the environment, as the app reads them: COSMOS_ENDPOINT, COSMOS_DATABASE
(default switchboard), ${TRUST_LOCAL_CERTIFICATE_SETTING}, and COSMOS_KEY for a local server, or Entra ID
(AZURE_CLIENT_ID for a managed identity, else DefaultAzureCredential, e.g. your az login).`;

class CliUsageError extends Error {}

interface CliOptions {
  readonly command: string;
  readonly file: string | undefined;
  readonly limits: TransferLimits;
  readonly trustLocalCertificate: boolean;
}

function parseOptions(args: readonly string[]): CliOptions {
  let parsed: ReturnType<typeof parseCliArgs>;
  try {
    parsed = parseCliArgs(args);
  } catch (error) {
    throw new CliUsageError(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
  }
  const [command, file, ...extra] = parsed.positionals;
  const needsFile = command === 'import' || command === 'export';
  if (!command || !['import', 'export', 'init'].includes(command) || (needsFile ? !file || extra.length > 0 : file !== undefined)) throw new CliUsageError(USAGE);
  const problems: string[] = [];
  const limit = (name: keyof TransferLimits, option: 'request-timeout-ms' | 'retries'): number => {
    const raw = parsed.values[option];
    const { min, max } = TRANSFER_LIMIT_RANGES[name];
    return typeof raw === 'string' ? integer(raw, `--${option}`, min, max, problems) : DEFAULT_TRANSFER_LIMITS[name];
  };
  const limits = { requestTimeoutMs: limit('requestTimeoutMs', 'request-timeout-ms'), retries: limit('retries', 'retries') };
  if (problems.length > 0) throw new CliUsageError(problems.join('\n'));
  return { command, file, limits, trustLocalCertificate: parsed.values['trust-local-certificate'] === true };
}

function parseCliArgs(args: readonly string[]) {
  return parseArgs({
    args: [...args],
    allowPositionals: true,
    strict: true,
    options: { 'request-timeout-ms': { type: 'string' }, retries: { type: 'string' }, 'trust-local-certificate': { type: 'boolean' } },
  });
}

/**
 * The Cosmos settings, read as the app reads them (COSMOS_TRUST_LOCAL_CERTIFICATE included, with
 * the same checks). Not through loadConfig: that also validates the bot's own settings (app id,
 * host, ...), which mean nothing to a tool that moves data.
 */
function cosmosSettings(env: CliContext['env'], trustFlag: boolean): CosmosSettings {
  const value = (name: string): string | undefined => env[name]?.trim() || undefined;
  const endpoint = value('COSMOS_ENDPOINT');
  if (!endpoint) throw new CliUsageError('COSMOS_ENDPOINT is required: the Cosmos DB account endpoint, https://<account>.documents.azure.com:443/');
  if (!/^https:\/\//.test(endpoint)) throw new CliUsageError(`COSMOS_ENDPOINT must be an https:// URL (got "${endpoint}")`);
  const key = value('COSMOS_KEY');
  const problems: string[] = [];
  const trustLocalCertificate = trustLocalCertificateSetting(trustFlag ? 'true' : value(TRUST_LOCAL_CERTIFICATE_SETTING), endpoint, key, value('NODE_ENV') === 'production', problems);
  if (problems.length > 0) throw new CliUsageError(problems.map((p) => (trustFlag ? p.replace(TRUST_LOCAL_CERTIFICATE_SETTING, `--trust-local-certificate (${TRUST_LOCAL_CERTIFICATE_SETTING})`) : p)).join('\n'));
  return { kind: 'cosmos', endpoint, database: value('COSMOS_DATABASE') ?? 'switchboard', key, managedIdentityClientId: value('AZURE_CLIENT_ID'), trustLocalCertificate };
}

/** Counts the requests the CLI's client sends (retries included), for the closing line. */
function requestCounter(): { plugin: PluginConfig; readonly count: () => number } {
  let n = 0;
  return {
    plugin: { on: 'request', plugin: (context, _diagnostics, next) => (n++, next(context)) },
    count: () => n,
  };
}

/** Runs one command; resolves to the process exit code (0 ok, 1 failed, 2 wrong usage or settings). */
export async function runDirectoryCli(args: readonly string[], context: CliContext, io: CliIo): Promise<number> {
  let options: CliOptions;
  let settings: CosmosSettings;
  try {
    options = parseOptions(args);
    settings = cosmosSettings(context.env, options.trustLocalCertificate);
  } catch (error) {
    if (error instanceof CliUsageError) {
      io.err(error.message);
      return 2;
    }
    throw error;
  }
  const { command, file, limits } = options;

  // Validate the file before touching the database, with the loader's own messages.
  const source = command === 'import' ? readOrReport(file!, io) : undefined;
  if (source === null) return 1;

  const requests = requestCounter();
  const started = performance.now();
  let client: CosmosClient;
  try {
    client = createCosmosClient(settings, {
      ...context.connection,
      plugins: [...(context.connection?.plugins ?? []), requests.plugin],
      requestTimeoutMs: limits.requestTimeoutMs,
      throttleRetry: TRANSFER_THROTTLE_RETRY,
    });
  } catch (error) {
    io.err(`${command} failed: ${describeCause(error)}`);
    return 2;
  }
  const calls = new TransferCalls(limits);
  const cost = (): string => `${count(requests.count())} requests to Cosmos DB in ${((performance.now() - started) / 1000).toFixed(1)} s`;
  try {
    if (command === 'init') {
      await createContainers(client, settings.database);
      io.out(`Database "${settings.database}" has containers ${Object.values(CONTAINER_SPECS).map((s) => `${s.id} (${s.partitionKeyPath})`).join(', ')}.`);
      return 0;
    }
    const containers = await openContainers(client, settings.database);
    const progress = (line: string): void => io.out(line);
    if (source) {
      io.out(`Importing ${file} into ${settings.endpoint} database "${settings.database}" (request timeout ${count(limits.requestTimeoutMs)} ms, ${limits.retries} retries)`);
      await importDirectory(containers, source, progress, { calls });
      io.out(cost());
      return 0;
    }
    const target = path.resolve(file!);
    io.out(`Exporting ${settings.endpoint} database "${settings.database}" to ${target}`);
    const doc = await exportDirectory(containers, progress, { calls });
    const text = `${JSON.stringify(doc, null, 2)}\n`;
    parseDirectoryDocument(text, target); // never write a file the loader would refuse
    await writeFileAtomic(target, text);
    io.out(`Wrote ${target}. ${cost()}`);
    return 0;
  } catch (error) {
    if (error instanceof CosmosSetupError || error instanceof DirectoryFileError) {
      io.err(error.message);
      return 1;
    }
    io.err(`${command} failed: ${describeCause(error)}`);
    if (command === 'import') io.err(`Run the same import again to carry on: what is already written is compared and skipped. (${cost()})`);
    return 1;
  } finally {
    client.dispose();
  }
}

/** The validated file, or null after printing why it cannot be imported. */
function readOrReport(file: string, io: CliIo): ReturnType<typeof readDirectoryFile> | null {
  try {
    return readDirectoryFile(path.resolve(file));
  } catch (error) {
    if (error instanceof DirectoryFileError) {
      io.err(error.message);
      return null;
    }
    throw error;
  }
}
