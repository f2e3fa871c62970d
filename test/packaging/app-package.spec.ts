import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import { packageApp } from '../../src/packaging/app-package';
import { decodePng, ICON_SIZES, nonWhitePixels } from '../../src/packaging/icons';
import { runPackageCli } from '../../src/packaging/package-cli';
import { PackagingError } from '../../src/packaging/packaging-error';
import { projectPath } from '../../src/project-path';
import { BOT_ID, TEAMS_APP } from './fixtures';

const tempDir = (): string => mkdtempSync(path.join(os.tmpdir(), 'switchboard-package-'));

/** A copy of manifest/ that a test may break. */
function manifestCopy(): string {
  const dir = tempDir();
  for (const file of ['manifest.template.json', 'color.png', 'outline.png']) copyFileSync(projectPath('manifest', file), path.join(dir, file));
  return dir;
}

async function unzip(file: string): Promise<Map<string, Buffer>> {
  const zip = await JSZip.loadAsync(readFileSync(file));
  const entries = new Map<string, Buffer>();
  for (const entry of Object.values(zip.files)) entries.set(entry.name, await entry.async('nodebuffer'));
  return entries;
}

function captured(): { out: string[]; err: string[]; io: { out(l: string): void; err(l: string): void } } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l) => out.push(l), err: (l) => err.push(l) } };
}

describe('the app package', () => {
  const outFile = path.join(tempDir(), 'appPackage.zip');
  let entries: Map<string, Buffer>;

  beforeAll(async () => {
    await packageApp({ env: { MicrosoftAppId: BOT_ID, TEAMS_APP_ID: TEAMS_APP, BOT_DOMAIN: 'switchboard.azurewebsites.net' }, outFile });
    entries = await unzip(outFile);
  });

  it('holds exactly manifest.json, color.png and outline.png, at the root', () => {
    expect([...entries.keys()].sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
  });

  it('carries the ids from the environment in manifest.json', () => {
    const manifest = JSON.parse(entries.get('manifest.json')!.toString('utf8')) as { id: string; bots: { botId: string }[]; composeExtensions: { botId: string }[]; validDomains: string[] };
    expect(manifest.id).toBe(TEAMS_APP);
    expect(manifest.bots[0]?.botId).toBe(BOT_ID);
    expect(manifest.composeExtensions[0]?.botId).toBe(BOT_ID);
    expect(manifest.validDomains).toContain('switchboard.azurewebsites.net');
  });

  it('has a 192x192 color icon and a 32x32 outline icon that is only white or fully transparent', () => {
    const color = decodePng(entries.get('color.png')!);
    const outline = decodePng(entries.get('outline.png')!);
    expect([color.width, color.height]).toEqual([ICON_SIZES.color, ICON_SIZES.color]);
    expect([outline.width, outline.height]).toEqual([ICON_SIZES.outline, ICON_SIZES.outline]);
    expect(nonWhitePixels(outline)).toBe(0);
    // Not blank: some pixels draw the glyph, most of the icon stays transparent.
    const alphas = Array.from({ length: 32 * 32 }, (_, i) => outline.data[i * 4 + 3]!);
    expect(alphas.filter((a) => a === 255).length).toBeGreaterThan(50);
    expect(alphas.filter((a) => a === 0).length).toBeGreaterThan(32 * 32 / 2);
  });

  it('paints the color icon full-bleed in the manifest accentColor', () => {
    const manifest = JSON.parse(entries.get('manifest.json')!.toString('utf8')) as { accentColor: string };
    const color = decodePng(entries.get('color.png')!);
    const hex = `#${[0, 1, 2].map((c) => color.data[c]!.toString(16).padStart(2, '0')).join('')}`;
    expect(hex.toLowerCase()).toBe(manifest.accentColor.toLowerCase());
    for (let i = 3; i < color.data.length; i += 4) expect(color.data[i]).toBe(255);
  });

  it('writes the same bytes for the same inputs', async () => {
    const again = path.join(tempDir(), 'appPackage.zip');
    await packageApp({ env: { MicrosoftAppId: BOT_ID, TEAMS_APP_ID: TEAMS_APP, BOT_DOMAIN: 'switchboard.azurewebsites.net' }, outFile: again });
    expect(readFileSync(again).equals(readFileSync(outFile))).toBe(true);
  });
});

describe('refusing to package', () => {
  it('writes nothing when the manifest breaks the schema', async () => {
    const dir = manifestCopy();
    const template = JSON.parse(readFileSync(path.join(dir, 'manifest.template.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(path.join(dir, 'manifest.template.json'), JSON.stringify({ ...template, accentColor: 'blue' }));
    const outFile = path.join(tempDir(), 'appPackage.zip');
    await expect(packageApp({ env: { MicrosoftAppId: BOT_ID }, manifestDir: dir, outFile })).rejects.toThrow(PackagingError);
    await expect(packageApp({ env: { MicrosoftAppId: BOT_ID }, manifestDir: dir, outFile })).rejects.toThrow(/\/accentColor must match pattern/);
    expect(existsSync(outFile)).toBe(false);
  });

  it('writes nothing when an icon breaks the Teams rules', async () => {
    const dir = manifestCopy();
    copyFileSync(projectPath('manifest', 'color.png'), path.join(dir, 'outline.png'));
    const outFile = path.join(tempDir(), 'appPackage.zip');
    const attempt = packageApp({ env: { MicrosoftAppId: BOT_ID }, manifestDir: dir, outFile });
    await expect(attempt).rejects.toThrow(/outline\.png must be 32x32 pixels \(it is 192x192\)/);
    await expect(packageApp({ env: { MicrosoftAppId: BOT_ID }, manifestDir: dir, outFile })).rejects.toThrow(/outline\.png must be white on a transparent background; \d+ pixel/);
    expect(existsSync(outFile)).toBe(false);
  });
});

describe('npm run package', () => {
  it('says where it wrote the package and which ids it used', async () => {
    const outFile = path.join(tempDir(), 'appPackage.zip');
    const { out, err, io } = captured();
    expect(await runPackageCli({ env: { MicrosoftAppId: BOT_ID }, outFile }, io)).toBe(0);
    expect(err).toEqual([]);
    expect(out[0]).toMatch(/^Wrote .*appPackage\.zip$/);
    expect(out.join('\n')).toContain(`bot id       ${BOT_ID}`);
    expect(out.join('\n')).toMatch(/development id from manifest\/manifest\.template\.json/);
    expect(existsSync(outFile)).toBe(true);
  });

  it('fails with exit code 1 and a clear message, not a stack trace, without MicrosoftAppId', async () => {
    const outFile = path.join(tempDir(), 'appPackage.zip');
    const { out, err, io } = captured();
    expect(await runPackageCli({ env: {}, outFile }, io)).toBe(1);
    expect(out).toEqual([]);
    expect(err.join('\n')).toMatch(/MicrosoftAppId is not set/);
    expect(err.join('\n')).not.toMatch(/\n\s+at /);
    expect(existsSync(outFile)).toBe(false);
  });
});
