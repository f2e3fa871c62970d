import { promises as fs } from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import { projectPath } from '../project-path';
import { buildManifest } from './build-manifest';
import { iconProblems } from './icons';
import { PackagingError } from './packaging-error';
import { readPackagingSettings, type PackagingSettings } from './settings';
import { isJsonObject, type JsonObject, type JsonValue } from './template';
import { validateManifest } from './validate-manifest';

/**
 * Writes the Teams app package: manifest.json and the two icons, at the root of a zip, as Teams
 * requires. Validates first and writes nothing when anything is wrong.
 */
export interface PackageOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Holds manifest.template.json and the icons. */
  readonly manifestDir?: string;
  readonly outFile?: string;
}

export interface PackageResult {
  readonly outFile: string;
  readonly manifest: JsonObject;
  readonly settings: PackagingSettings;
}

export const DEFAULT_OUT_FILE = projectPath('build', 'appPackage.zip');

/** Zip entries get this fixed time so that the same inputs give the same bytes. */
const FIXED_DATE = new Date(Date.UTC(2026, 0, 1));

export async function packageApp(options: PackageOptions): Promise<PackageResult> {
  const manifestDir = options.manifestDir ?? projectPath('manifest');
  const outFile = options.outFile ?? DEFAULT_OUT_FILE;
  const settings = readPackagingSettings(options.env);
  const template = await readJson(path.join(manifestDir, 'manifest.template.json'));
  const manifest = buildManifest(template, settings, await appVersion());

  const problems = validateManifest(manifest);
  if (problems.length > 0) throw new PackagingError('The manifest is not valid; no package was written', problems);

  const icons = iconFiles(manifest);
  const color = await readFile(path.join(manifestDir, icons.color));
  const outline = await readFile(path.join(manifestDir, icons.outline));
  const iconIssues = [...iconProblems('color', icons.color, color), ...iconProblems('outline', icons.outline, outline)];
  if (iconIssues.length > 0) throw new PackagingError('The icons break the Teams rules; no package was written', iconIssues);

  const zip = await zipAppPackage(manifest, { [icons.color]: color, [icons.outline]: outline });
  await writeAtomically(outFile, zip);
  return { outFile, manifest, settings };
}

export async function zipAppPackage(manifest: JsonObject, icons: Readonly<Record<string, Buffer>>): Promise<Buffer> {
  const zip = new JSZip();
  zip.file('manifest.json', `${JSON.stringify(manifest, null, 2)}\n`, { date: FIXED_DATE });
  for (const [name, data] of Object.entries(icons)) zip.file(name, data, { date: FIXED_DATE });
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', platform: 'UNIX' });
}

/** The icon file names the manifest refers to; they are the names inside the zip too. */
function iconFiles(manifest: JsonObject): { color: string; outline: string } {
  const icons = manifest.icons;
  if (isJsonObject(icons) && typeof icons.color === 'string' && typeof icons.outline === 'string') {
    return { color: icons.color, outline: icons.outline };
  }
  throw new PackagingError('The manifest is not valid', ['icons.color and icons.outline must name the icon files']);
}

async function appVersion(): Promise<string> {
  const pkg = await readJson(projectPath('package.json'));
  if (isJsonObject(pkg) && typeof pkg.version === 'string') return pkg.version;
  throw new PackagingError('Cannot build the Teams app package', ['package.json has no version']);
}

async function readFile(file: string): Promise<Buffer> {
  try {
    return await fs.readFile(file);
  } catch (e) {
    throw new PackagingError('Cannot build the Teams app package', [`cannot read ${file}: ${e instanceof Error ? e.message : String(e)}`]);
  }
}

async function readJson(file: string): Promise<JsonValue> {
  const text = (await readFile(file)).toString('utf8');
  try {
    return JSON.parse(text) as JsonValue;
  } catch (e) {
    throw new PackagingError('Cannot build the Teams app package', [`${file} is not valid JSON: ${e instanceof Error ? e.message : String(e)}`]);
  }
}

/** Temp file then rename: an interrupted run never leaves a half-written zip to upload. */
async function writeAtomically(file: string, data: Buffer): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(tmp, data);
  await fs.rename(tmp, file);
}
