import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { AppManifestUtils, type AppManifest } from '@microsoft/app-manifest';
import { COMMAND_LIMITS } from './bot-commands';
import { isJsonObject, type JsonObject, type JsonValue } from './template';

/**
 * Validates a manifest against the official Teams schema, offline.
 *
 * AppManifestUtils.validateAgainstSchema(manifest) alone resolves the schema from the manifest's
 * $schema URL: it maps developer.microsoft.com URLs to the copies bundled in
 * @microsoft/app-manifest, but any other URL (or a version it does not bundle) is fetched from
 * the network. Build machines here have no internet and a build must not depend on one, so we
 * load the bundled schema for the manifest's version ourselves and pass it in; the library then
 * only compiles it with ajv (draft-04) and validates.
 */
type BundledSchema = NonNullable<Parameters<typeof AppManifestUtils.validateAgainstSchema>[1]>;

export function schemaUrl(manifestVersion: string): string {
  return `https://developer.microsoft.com/json-schemas/teams/v${manifestVersion}/MicrosoftTeams.schema.json`;
}

/** The schema file @microsoft/app-manifest ships for a manifest version, if it ships one. */
export function bundledSchemaFile(manifestVersion: string): string | undefined {
  const packageDir = path.dirname(require.resolve('@microsoft/app-manifest/package.json'));
  const file = path.join(packageDir, 'build', 'json-schemas', 'teams', `v${manifestVersion}`, 'MicrosoftTeams.schema.json');
  return /^\d+\.\d+$/.test(manifestVersion) && existsSync(file) ? file : undefined;
}

export function loadBundledSchema(manifestVersion: string): BundledSchema | undefined {
  const file = bundledSchemaFile(manifestVersion);
  if (!file) return undefined;
  // The library's own loader does the same clean-up: some schema versions hold \a and \v escapes JSON does not allow.
  const text = readFileSync(file, 'utf8').replace(/\\a/g, '\\u0007').replace(/\\v/g, '\\u000b');
  // A JSON schema file is by definition the library's schema type; nothing to check at run time.
  return JSON.parse(text) as BundledSchema;
}

/** Every problem with the manifest: the official schema first, then the Teams limits it does not encode. */
export async function validateManifest(manifest: JsonObject): Promise<string[]> {
  const version = manifest.manifestVersion;
  if (typeof version !== 'string') return ['manifestVersion is missing'];
  const schema = loadBundledSchema(version);
  if (!schema) return [`manifestVersion ${version}: @microsoft/app-manifest bundles no schema for it, and validation must not fetch one from the network`];
  const problems: string[] = [];
  if (manifest.$schema !== schemaUrl(version)) problems.push(`$schema must be ${schemaUrl(version)} to match manifestVersion ${version}`);
  // The library types manifests nominally; it JSON-round-trips the object and validates the JSON.
  const schemaErrors = await AppManifestUtils.validateAgainstSchema(manifest as unknown as AppManifest, schema);
  problems.push(...schemaErrors.map((e) => (e.startsWith(' ') ? `(root)${e}` : e)));
  problems.push(...commandListProblems(manifest));
  return problems;
}

/** The classic Teams command-menu limits (see bot-commands.ts), stricter than the 1.24+ schema. */
export function commandListProblems(manifest: JsonObject): string[] {
  const problems: string[] = [];
  const bots = Array.isArray(manifest.bots) ? manifest.bots : [];
  bots.forEach((bot, b) => {
    const lists = isJsonObject(bot) && Array.isArray(bot.commandLists) ? bot.commandLists : [];
    lists.forEach((list, l) => {
      const commands = isJsonObject(list) && Array.isArray(list.commands) ? list.commands : [];
      const where = `/bots/${b}/commandLists/${l}`;
      if (commands.length > COMMAND_LIMITS.commandsPerList) problems.push(`${where} has ${commands.length} commands; Teams shows at most ${COMMAND_LIMITS.commandsPerList}`);
      commands.forEach((command: JsonValue, c) => {
        if (!isJsonObject(command)) return;
        const { title, description } = command;
        if (typeof title === 'string' && title.length > COMMAND_LIMITS.title) problems.push(`${where}/commands/${c} title "${title}" is longer than ${COMMAND_LIMITS.title} characters`);
        if (typeof description === 'string' && description.length > COMMAND_LIMITS.description) problems.push(`${where}/commands/${c} description is longer than ${COMMAND_LIMITS.description} characters`);
      });
    });
  });
  return problems;
}
