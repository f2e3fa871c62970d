import path from 'node:path';
import { packageApp, type PackageOptions } from './app-package';
import { PackagingError } from './packaging-error';

export interface CliOutput {
  out(line: string): void;
  err(line: string): void;
}

/**
 * `npm run package`: builds build/appPackage.zip and says where. Every failure becomes a
 * message and exit code 1, never a stack trace: the reader is an admin fixing a setting.
 */
export async function runPackageCli(options: PackageOptions, io: CliOutput): Promise<number> {
  try {
    const { outFile, manifest, settings } = await packageApp(options);
    const domains = Array.isArray(manifest.validDomains) ? manifest.validDomains.join(', ') : '';
    io.out(`Wrote ${path.relative(process.cwd(), outFile) || outFile}`);
    io.out(`  Teams app id ${String(manifest.id)}${settings.teamsAppId ? '' : ' (development id from manifest/manifest.template.json; set TEAMS_APP_ID for another)'}`);
    io.out(`  bot id       ${settings.botId}`);
    io.out(`  manifest     ${String(manifest.manifestVersion)}, version ${String(manifest.version)}`);
    io.out(`  validDomains ${domains}`);
    return 0;
  } catch (e) {
    if (e instanceof PackagingError) io.err(e.message);
    else io.err(`Cannot build the Teams app package: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}
