import https from 'node:https';
import path from 'node:path';
import { isLoopback, type CosmosSettings } from '../../config';
import { writeFileAtomic } from '../../fs/atomic-write';
import { DirectoryFileError, parseDirectoryDocument, readDirectoryFile } from '../directory-file';
import { CONTAINER_SPECS, CosmosSetupError, createContainers, openContainers } from './containers';
import { createCosmosClient, type CosmosConnectionOverrides } from './cosmos-client';
import { exportDirectory, importDirectory } from './directory-transfer';

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

export interface CliContext {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** How to reach the server, for tests against the in-process stand-in. */
  readonly connection?: CosmosConnectionOverrides;
}

const USAGE = `Usage: npm run directory -- <command>

  import <file>   Load a directory file into Cosmos DB (validated first; upserts, safe to re-run).
  export <file>   Write the Cosmos DB directory back out in the directory file format.
  init            Create the database and containers. For a local emulator or test server only:
                  in Azure the deployment creates them, and the app's role may not.

Options:
  --trust-local-certificate   Accept the self-signed certificate of a local emulator
                              (loopback endpoint with COSMOS_KEY only).

Settings come from the environment: COSMOS_ENDPOINT, COSMOS_DATABASE (default switchboard), and
COSMOS_KEY for a local server, or Entra ID (AZURE_CLIENT_ID for a managed identity, else
DefaultAzureCredential, e.g. your az login).`;

/**
 * The Cosmos settings, read as the app reads them. Not through loadConfig: that also validates
 * the bot's own settings (app id, host, ...), which mean nothing to a tool that moves data.
 */
function cosmosSettings(env: CliContext['env']): CosmosSettings {
  const value = (name: string): string | undefined => env[name]?.trim() || undefined;
  const endpoint = value('COSMOS_ENDPOINT');
  if (!endpoint) throw new CliUsageError('COSMOS_ENDPOINT is required: the Cosmos DB account endpoint, https://<account>.documents.azure.com:443/');
  if (!/^https:\/\//.test(endpoint)) throw new CliUsageError(`COSMOS_ENDPOINT must be an https:// URL (got "${endpoint}")`);
  return { kind: 'cosmos', endpoint, database: value('COSMOS_DATABASE') ?? 'switchboard', key: value('COSMOS_KEY'), managedIdentityClientId: value('AZURE_CLIENT_ID') };
}

function connectionFor(settings: CosmosSettings, trustLocal: boolean, given: CosmosConnectionOverrides | undefined): CosmosConnectionOverrides {
  if (given) return given;
  if (!trustLocal) return {};
  const host = new URL(settings.endpoint).hostname.replace(/^\[|\]$/g, '');
  if (!settings.key || !isLoopback(host)) {
    throw new CliUsageError('--trust-local-certificate is only for a local server: a loopback COSMOS_ENDPOINT with COSMOS_KEY.');
  }
  // Trusts the self-signed certificate for this client only.
  return { agent: new https.Agent({ rejectUnauthorized: false, keepAlive: true }), enableEndpointDiscovery: false };
}

class CliUsageError extends Error {}

/** Runs one command; resolves to the process exit code (0 ok, 1 failed, 2 wrong usage or settings). */
export async function runDirectoryCli(args: readonly string[], context: CliContext, io: CliIo): Promise<number> {
  const trustLocal = args.includes('--trust-local-certificate');
  const [command, file, extra] = args.filter((a) => a !== '--trust-local-certificate');
  const needsFile = command === 'import' || command === 'export';
  if (!command || !['import', 'export', 'init'].includes(command) || (needsFile ? !file || extra !== undefined : file !== undefined)) {
    io.err(USAGE);
    return 2;
  }

  let settings: CosmosSettings;
  let connection: CosmosConnectionOverrides;
  try {
    settings = cosmosSettings(context.env);
    connection = connectionFor(settings, trustLocal, context.connection);
  } catch (error) {
    if (error instanceof CliUsageError) {
      io.err(error.message);
      return 2;
    }
    throw error;
  }

  // Validate the file before touching the database, with the loader's own messages.
  const source = command === 'import' ? readOrReport(file!, io) : undefined;
  if (source === null) return 1;

  const client = createCosmosClient(settings, connection);
  try {
    if (command === 'init') {
      await createContainers(client, settings.database);
      io.out(`Database "${settings.database}" has containers ${Object.values(CONTAINER_SPECS).map((s) => `${s.id} (${s.partitionKeyPath})`).join(', ')}.`);
      return 0;
    }
    const containers = await openContainers(client, settings.database);
    const progress = (line: string): void => io.out(line);
    if (source) {
      io.out(`Importing ${file} into ${settings.endpoint} database "${settings.database}"`);
      await importDirectory(containers, source, progress);
      return 0;
    }
    const target = path.resolve(file!);
    io.out(`Exporting ${settings.endpoint} database "${settings.database}" to ${target}`);
    const doc = await exportDirectory(containers, progress);
    const text = `${JSON.stringify(doc, null, 2)}\n`;
    parseDirectoryDocument(text, target); // never write a file the loader would refuse
    await writeFileAtomic(target, text);
    io.out(`Wrote ${target}.`);
    return 0;
  } catch (error) {
    if (error instanceof CosmosSetupError || error instanceof DirectoryFileError) {
      io.err(error.message);
      return 1;
    }
    io.err(`${command} failed: ${error instanceof Error ? error.message : String(error)}`);
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
