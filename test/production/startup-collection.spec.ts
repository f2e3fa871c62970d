import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { projectPath } from '../../src/project-path';
import { DEMO_FILE } from '../support/directories';

/**
 * Opening an embedded directory ends with one full collection when node runs with --expose-gc,
 * as npm start and the deployed app run it (src/startup-collection.ts says why). In a child
 * process that opens the stores as the server does, with node's gc() counted.
 */
const stores = projectPath('dist', 'src', 'stores.js');

function collectionsWhileOpening(flags: readonly string[]): number {
  if (!existsSync(stores)) throw new Error(`${stores} is missing: run npx tsc -b tsconfig.build.json (npm test does) first`);
  const script = `
    const { openStores } = require(${JSON.stringify(stores)});
    let calls = 0;
    const realGc = globalThis.gc;
    if (realGc) globalThis.gc = () => { calls++; realGc(); };
    (async () => {
      const opened = await openStores({ kind: 'embedded', seedFile: ${JSON.stringify(DEMO_FILE)}, dataDir: undefined }, () => {});
      await opened.close();
      process.stdout.write(String(calls));
    })();`;
  return Number(execFileSync(process.execPath, [...flags, '-e', script], { encoding: 'utf8', timeout: 20_000 }));
}

describe('the collection after loading an embedded directory', () => {
  it('runs when node has --expose-gc, as npm start and the deployed app give it', () => {
    expect(collectionsWhileOpening(['--expose-gc'])).toBe(1);
  });

  it('is skipped, without an error, when node runs without it (as the tests run the server)', () => {
    expect(collectionsWhileOpening([])).toBe(0);
  });
});
