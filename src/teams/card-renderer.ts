import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as ACData from 'adaptivecards-templating';
import type { View } from '../app/views';
import { projectPath } from '../project-path';

/** Teams accepts messages up to 100 KB; Switchboard keeps every card under this. */
export const MAX_CARD_BYTES = 28 * 1024;

/** One template file per view. */
export const TEMPLATE_FILES: Readonly<Record<View['view'], string>> = {
  whereAmI: 'where-am-i.json',
  accountTree: 'account-tree.json',
  portalLinks: 'portal-links.json',
  switchAccount: 'switch-account.json',
  searchResults: 'search-results.json',
  help: 'help.json',
  error: 'error.json',
  subscriptions: 'subscriptions.json',
  subscriptionReview: 'subscription-review.json',
  subscriptionsUpdated: 'subscriptions-updated.json',
  subscriptionHistory: 'subscription-history.json',
  accountCard: 'account-card.json',
};

export type Card = Record<string, unknown>;

/**
 * Expands the view's template with adaptivecards-templating. Templates are parsed once at
 * start-up (building one costs milliseconds, expanding it a fraction of that).
 */
export class CardRenderer {
  private readonly templates = new Map<string, ACData.Template>();

  constructor(cardsDir: string = projectPath('cards')) {
    const files = new Set(readdirSync(cardsDir).filter((f) => f.endsWith('.json')));
    for (const [view, file] of Object.entries(TEMPLATE_FILES)) {
      if (!files.has(file)) throw new Error(`Card template ${file} for view ${view} is missing from ${cardsDir}`);
      this.templates.set(view, new ACData.Template(JSON.parse(readFileSync(path.join(cardsDir, file), 'utf8'))));
    }
  }

  render(view: View): Card {
    const template = this.templates.get(view.view);
    if (!template) throw new Error(`No card template for view ${view.view}`);
    return withSubmitFallbacks(template.expand({ $root: view }) as Card);
  }
}

/**
 * Gives every Action.Execute an Action.Submit fallback carrying the same verb and data, so
 * clients without Universal Actions (older mobile builds) still reach the same router.
 */
export function withSubmitFallbacks<T>(node: T): T {
  if (Array.isArray(node)) {
    node.forEach(withSubmitFallbacks);
  } else if (node && typeof node === 'object') {
    const record = node as Record<string, unknown>;
    for (const value of Object.values(record)) withSubmitFallbacks(value);
    if (record.type === 'Action.Execute' && record.fallback === undefined) {
      const data = (record.data && typeof record.data === 'object' ? record.data : {}) as Record<string, unknown>;
      record.fallback = {
        type: 'Action.Submit',
        ...(record.title !== undefined ? { title: record.title } : {}),
        ...(record.associatedInputs !== undefined ? { associatedInputs: record.associatedInputs } : {}),
        data: { ...data, verb: record.verb },
      };
    }
  }
  return node;
}

export function cardBytes(card: Card): number {
  return Buffer.byteLength(JSON.stringify(card), 'utf8');
}
