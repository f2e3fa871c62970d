import { readFileSync } from 'node:fs';
import type { View } from '../../src/app/views';
import type { DirectoryDocument } from '../../src/domain/directory-document';
import { projectPath } from '../../src/project-path';
import { CardRenderer } from '../../src/teams/card-renderer';
import { COSMOS_SIZE, generateDirectory, prng } from '../../bench/synthetic';
import { mutate, viewsOf } from './view-corpus';

/**
 * The compiled expander (src/teams/cards/template-expander.ts) mirrors adaptivecards-templating's
 * rules: for every view the use cases give over the demo and a synthetic directory, and for
 * mutations of each, both engines give byte-identical cards or the same error. An upgrade of
 * either library that changes the rules fails here. (The suite also renders every card it
 * produces with both engines: SWITCHBOARD_CHECK_TEMPLATES=1, set in jest.config.js.)
 */
function rendered(renderer: CardRenderer, view: View): string {
  try {
    // A fresh copy each time: both engines may add fallbacks to actions found in view data.
    return JSON.stringify(renderer.render(structuredClone(view)));
  } catch (error) {
    return `THROWS ${(error as Error).constructor.name}: ${(error as Error).message}`;
  }
}

describe('the compiled card expander and adaptivecards-templating', () => {
  const library = new CardRenderer(undefined, { engine: 'library' });
  const compiled = new CardRenderer(undefined, { engine: 'compiled' });

  it('give the same card for every view of the demo and a synthetic directory, and for mutations of them', async () => {
    const demo = JSON.parse(readFileSync(projectPath('data', 'demo-directory.json'), 'utf8')) as DirectoryDocument;
    const views = [...(await viewsOf(demo, 100, 1)), ...(await viewsOf(generateDirectory(COSMOS_SIZE).doc, 3, 2))];
    const kinds = new Set(views.map((v) => v.view));
    expect(kinds.size).toBeGreaterThanOrEqual(12);
    expect([...kinds]).toEqual(expect.arrayContaining(['offers', 'offerReview', 'offersUpdated']));
    const rand = prng(99);
    const differences: string[] = [];
    for (const view of views) {
      for (const variant of [view, mutate(view, rand), mutate(view, rand), mutate(view, rand)]) {
        const want = rendered(library, variant);
        const got = rendered(compiled, variant);
        if (want !== got && differences.length < 5) differences.push(`${variant.view}:\n  library:  ${want.slice(0, 300)}\n  compiled: ${got.slice(0, 300)}`);
      }
    }
    expect(differences).toEqual([]);
  }, 120_000);
});
