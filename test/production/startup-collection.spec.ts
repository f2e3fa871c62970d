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

/** How often gc() ran while opening the demo directory, and the name of an account read from it afterwards. */
function collectionsWhileOpening(flags: readonly string[]): { calls: number; opened: string | null } {
  if (!existsSync(stores)) throw new Error(`${stores} is missing: run npx tsc -b tsconfig.build.json (npm test does) first`);
  const script = `
    const { openStores } = require(${JSON.stringify(stores)});
    let calls = 0;
    const realGc = globalThis.gc;
    if (realGc) globalThis.gc = () => { calls++; realGc(); };
    (async () => {
      const opened = await openStores({ kind: 'embedded', seedFile: ${JSON.stringify(DEMO_FILE)}, dataDir: undefined }, () => {});
      const account = await opened.directory.getAccount('northwind');
      await opened.close();
      process.stdout.write(JSON.stringify({ calls, opened: account?.name ?? null }));
    })();`;
  return JSON.parse(execFileSync(process.execPath, [...flags, '-e', script], { encoding: 'utf8', timeout: 20_000 })) as { calls: number; opened: string | null };
}

describe('the collection after loading an embedded directory', () => {
  it('runs when node has --expose-gc, as npm start and the deployed app give it', () => {
    expect(collectionsWhileOpening(['--expose-gc'])).toEqual({ calls: 1, opened: 'Northwind Voice' });
  });

  it('is skipped, without an error, when node runs without it (as the tests run the server)', () => {
    expect(collectionsWhileOpening([])).toEqual({ calls: 0, opened: 'Northwind Voice' });
  });
});
