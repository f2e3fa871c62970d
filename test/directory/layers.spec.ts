import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { projectPath } from '../../src/project-path';

/**
 * The directory adapters, and the bot-state storages beside them, sit below the bot: nothing
 * under src/directory reaches up into the botbuilder edge, the use cases or the composition
 * root (src/stores.ts chooses a backend; the backends do not know it).
 */
const SRC = projectPath('src');
const DIRECTORY = path.join(SRC, 'directory');
const ABOVE = ['teams', 'app', 'server.ts', 'stores.ts'].map((name) => path.join(SRC, name));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

interface Import {
  readonly file: string;
  readonly specifier: string;
  /** Where a relative specifier points, without its extension. */
  readonly target: string | undefined;
}

function importsOf(file: string): Import[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return importedFiles.map(({ fileName }) => ({
    file: path.relative(SRC, file),
    specifier: fileName,
    target: fileName.startsWith('.') ? path.resolve(path.dirname(file), fileName) : undefined,
  }));
}

const files = sources(DIRECTORY);
const imports = files.flatMap(importsOf);

it('imports nothing from the bot edge, the use cases or the composition root', () => {
  expect(imports.length).toBeGreaterThan(50);
  const upward = imports.filter(({ target }) => target !== undefined && ABOVE.some((above) => target === above.replace(/\.ts$/, '') || target.startsWith(above + path.sep)));
  expect(upward.map(({ file, specifier }) => `${file} imports ${specifier}`)).toEqual([]);
});
