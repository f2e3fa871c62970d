import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildManifest } from '../../src/packaging/build-manifest';
import { readPackagingSettings } from '../../src/packaging/settings';
import type { JsonObject } from '../../src/packaging/template';
import { bundledSchemaFile, validateManifest } from '../../src/packaging/validate-manifest';
import { PROJECT_ROOT } from '../../src/project-path';
import { BOT_ID, committedTemplate } from './fixtures';

/**
 * Our validator re-does AppManifestUtils.validateAgainstSchema with the same engine (see
 * validate-manifest.ts). This checks that the library itself, given the same bundled schema,
 * agrees. It runs the library in a plain Node process: Jest cannot load it (ESM-only strip-bom).
 */
function libraryErrors(manifest: JsonObject): string[] {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'switchboard-manifest-'));
  const file = path.join(dir, 'manifest.json');
  writeFileSync(file, JSON.stringify(manifest));
  const schema = bundledSchemaFile(String(manifest.manifestVersion));
  const script = `
    const { AppManifestUtils } = require('@microsoft/app-manifest');
    const fs = require('node:fs');
    globalThis.fetch = () => { throw new Error('validation tried the network'); };
    const [manifest, schema] = process.argv.slice(1).map((f) => JSON.parse(fs.readFileSync(f, 'utf8')));
    AppManifestUtils.validateAgainstSchema(manifest, schema).then((errors) => process.stdout.write(JSON.stringify(errors)));
  `;
  const out = execFileSync(process.execPath, ['-e', script, file, schema ?? ''], { cwd: PROJECT_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return JSON.parse(out) as string[];
}

const manifest = (): JsonObject => buildManifest(committedTemplate(), readPackagingSettings({ MicrosoftAppId: BOT_ID }), '1.0.0');

describe('agreement with @microsoft/app-manifest', () => {
  it('the library also finds the built manifest valid', () => {
    expect(validateManifest(manifest())).toEqual([]);
    expect(libraryErrors(manifest())).toEqual([]);
  });

  it('the library reports the same broken paths as we do', () => {
    const broken = { ...manifest(), id: 'not-a-guid', accentColor: 'blue' };
    const paths = (errors: string[]): string[] => errors.map((e) => e.trim().split(' ')[0] ?? '').sort();
    expect(paths(libraryErrors(broken))).toEqual(['/accentColor', '/id']);
    expect(paths(validateManifest(broken))).toEqual(['/accentColor', '/id']);
  });
});
