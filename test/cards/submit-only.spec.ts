import { readFileSync } from 'node:fs';
import type { DirectoryDocument } from '../../src/domain/directory-document';
import { projectPath } from '../../src/project-path';
import { CardRenderer, cardBytes, MAX_CARD_BYTES } from '../../src/teams/card-renderer';
import { parseAndRender } from '../support/adaptive-cards';
import { actionsOf, type Card } from '../support/bot-client';
import { viewsOf } from './view-corpus';

/**
 * CARD_ACTIONS=submit: for every view the use cases give on the demo directory, the card has the
 * same buttons in the same places as the default card, each one the Action.Submit its fallback
 * would be (same title, inputs, data and verb), keeping its style, and nothing else changes.
 */
describe('submit-only cards (CARD_ACTIONS=submit)', () => {
  const execute = new CardRenderer();
  const submit = new CardRenderer(undefined, { cardActions: 'submit' });

  it('turn every Action.Execute into its Action.Submit fallback and change nothing else', async () => {
    const demo = JSON.parse(readFileSync(projectPath('data', 'demo-directory.json'), 'utf8')) as DirectoryDocument;
    const views = await viewsOf(demo, 100, 1);
    expect(new Set(views.map((v) => v.view)).size).toBeGreaterThanOrEqual(12);
    const submits: Card[] = [];
    const parsed = new Set<string>();
    for (const view of views) {
      const withExecute = execute.render(structuredClone(view));
      const submitOnly = submit.render(structuredClone(view));
      expect(actionsOf(submitOnly).filter((a) => a.type === 'Action.Execute')).toEqual([]);
      // Replace each Action.Execute of the default card by what its fallback says, by hand here.
      const expected = JSON.parse(JSON.stringify(withExecute), (_key, value: Card) => {
        if (value?.type !== 'Action.Execute') return value;
        const { type: _type, verb: _verb, fallback, title: _title, associatedInputs: _inputs, data: _data, ...rest } = value;
        return { ...fallback, ...rest };
      });
      expect(submitOnly).toEqual(expected);
      // Microsoft's renderer (slow: once per kind of view) finds no problem the default card does not have too.
      if (!parsed.has(view.view) && parsed.add(view.view)) expect(parseAndRender(submitOnly, withExecute.version as '1.5').problems).toEqual(parseAndRender(withExecute, withExecute.version as '1.5').problems);
      expect(cardBytes(submitOnly)).toBeLessThan(MAX_CARD_BYTES);
      submits.push(...actionsOf(submitOnly).filter((a) => a.type === 'Action.Submit'));
    }
    expect(submits.length).toBeGreaterThan(100);
    expect(submits).toContainEqual(expect.objectContaining({ title: 'Review changes', style: 'positive', data: expect.objectContaining({ verb: 'review' }) }));
  });
});
