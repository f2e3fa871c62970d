import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type Ajv04Class from 'ajv-draft-04';
import type { ValidateFunction } from 'ajv-draft-04';
import type addFormatsPlugin from 'ajv-formats';
import { COMMAND_LIMITS } from './bot-commands';
import { isJsonObject, type JsonObject, type JsonValue } from './template';

/**
 * Validates a manifest against the official Teams schema, offline.
 *
 * The schema is the copy @microsoft/app-manifest bundles for the manifest's version. We do not
 * call its AppManifestUtils.validateAgainstSchema, for two reasons:
 * - without a schema argument it resolves the manifest's $schema URL and, for any URL or version
 *   it does not bundle, fetches it from the network; build machines here have no internet;
 * - the library loads the ESM-only strip-bom at start-up, which Jest on Node 20 cannot require,
 *   so the tests could not load it.
 * Instead we do what that function does for the (draft-04) Teams schemas, with the same engine
 * resolved from the library's own dependencies: ajv-draft-04, allErrors, strictTypes off, and the
 * uri, email and regex formats.
 */
const PACKAGE_DIR = path.dirname(require.resolve('@microsoft/app-manifest/package.json'));
const fromLibrary = createRequire(path.join(PACKAGE_DIR, 'package.json'));
const Ajv04 = (fromLibrary('ajv-draft-04') as { default: typeof Ajv04Class }).default;
const addFormats = (fromLibrary('ajv-formats') as { default: typeof addFormatsPlugin }).default;

export function schemaUrl(manifestVersion: string): string {
  return `https://developer.microsoft.com/json-schemas/teams/v${manifestVersion}/MicrosoftTeams.schema.json`;
}

/** The schema file @microsoft/app-manifest ships for a manifest version, if it ships one. */
export function bundledSchemaFile(manifestVersion: string): string | undefined {
  const file = path.join(PACKAGE_DIR, 'build', 'json-schemas', 'teams', `v${manifestVersion}`, 'MicrosoftTeams.schema.json');
  return /^\d+\.\d+$/.test(manifestVersion) && existsSync(file) ? file : undefined;
}

/** Compiled validators by manifest version: compiling a 130 kB schema takes a while. */
const validators = new Map<string, ValidateFunction>();

function bundledValidator(manifestVersion: string): ValidateFunction | undefined {
  const cached = validators.get(manifestVersion);
  if (cached) return cached;
  const file = bundledSchemaFile(manifestVersion);
  if (!file) return undefined;
  // The library's loader does the same clean-up: some schema versions hold \a and \v escapes JSON does not allow.
  const schema = JSON.parse(readFileSync(file, 'utf8').replace(/\\a/g, '\\u0007').replace(/\\v/g, '\\u000b')) as object;
  const ajv = new Ajv04({ allErrors: true, strictTypes: false });
  addFormats(ajv, ['uri', 'email', 'regex']);
  const validate = ajv.compile(schema);
  validators.set(manifestVersion, validate);
  return validate;
}

/** Every problem with the manifest: the official schema first, then the Teams limits it does not encode. */
export function validateManifest(manifest: JsonObject): string[] {
  const version = manifest.manifestVersion;
  if (typeof version !== 'string') return ['manifestVersion is missing'];
  const validate = bundledValidator(version);
  if (!validate) return [`manifestVersion ${version}: @microsoft/app-manifest bundles no schema for it, and validation must not fetch one from the network`];
  const problems: string[] = [];
  if (manifest.$schema !== schemaUrl(version)) problems.push(`$schema must be ${schemaUrl(version)} to match manifestVersion ${version}`);
  if (!validate(manifest)) {
    problems.push(...(validate.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message ?? 'is invalid'} (${JSON.stringify(e.params)})`));
  }
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
