import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as ACData from 'adaptivecards-templating';
import type { View } from '../app/views';
import { projectPath } from '../project-path';
import { guardMarkdownFields, registerPlainTextFunction } from './cards/plain-text';
import { submitOnly, withSubmitFallbacks } from './cards/submit-fallback';
import { compileTemplate, type Card } from './cards/template-expander';

export { submitOnly, withSubmitFallbacks } from './cards/submit-fallback';
export type { Card } from './cards/template-expander';

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
  offers: 'offers.json',
  offerReview: 'offer-review.json',
  offersUpdated: 'offers-updated.json',
  accountCard: 'account-card.json',
  changeNotice: 'change-notice.json',
  notices: 'notices.json',
  trialDigest: 'trial-digest.json',
};

export interface CardRendererOptions {
  /**
   * 'compiled' (the default): the compiled expander (cards/template-expander.ts). 'library':
   * adaptivecards-templating's own Template.expand. 'both': renders with both and throws if they
   * differ; the test suite runs every card it renders this way (SWITCHBOARD_CHECK_TEMPLATES=1).
   */
  readonly engine?: 'compiled' | 'library' | 'both';
  /**
   * 'execute' (the default): Action.Execute buttons, each with its Action.Submit fallback.
   * 'submit': Action.Submit only (CARD_ACTIONS=submit), for clients that fail on Action.Execute.
   */
  readonly cardActions?: 'execute' | 'submit';
}

/** Thrown in 'both' mode when the compiled expander and the library disagree. */
export class TemplateEnginesDisagreeError extends Error {
  constructor(view: string, library: string, compiled: string) {
    super(`The compiled expander and adaptivecards-templating disagree on ${view}:\n  library:  ${library.slice(0, 600)}\n  compiled: ${compiled.slice(0, 600)}`);
    this.name = 'TemplateEnginesDisagreeError';
  }
}

/**
 * Renders a view with its template under cards/. Each template is read, checked and parsed once,
 * at start-up: every expression in a markdown field is wrapped so what it yields shows as plain
 * text (cards/plain-text.ts), then adaptivecards-templating parses it.
 */
export class CardRenderer {
  private readonly expanders = new Map<string, (view: View) => Card>();
  /** What kind of buttons the cards carry (CARD_ACTIONS). */
  readonly cardActions: 'execute' | 'submit';

  constructor(cardsDir: string = projectPath('cards'), options: CardRendererOptions = {}) {
    registerPlainTextFunction();
    this.cardActions = options.cardActions ?? 'execute';
    const engine = options.engine ?? (process.env.SWITCHBOARD_CHECK_TEMPLATES === '1' ? 'both' : 'compiled');
    const files = new Set(readdirSync(cardsDir).filter((f) => f.endsWith('.json')));
    for (const [view, file] of Object.entries(TEMPLATE_FILES)) {
      if (!files.has(file)) throw new Error(`Card template ${file} for view ${view} is missing from ${cardsDir}`);
      const json = guardMarkdownFields(JSON.parse(readFileSync(path.join(cardsDir, file), 'utf8')), file);
      const template = new ACData.Template(json);
      const library = (v: View) => withSubmitFallbacks(template.expand({ $root: v }) as Card);
      const compiled = compileTemplate<View>(template) ?? library;
      this.expanders.set(view, engine === 'library' ? library : engine === 'both' ? agreeing(view, library, compiled) : compiled);
    }
  }

  render(view: View): Card {
    const expand = this.expanders.get(view.view);
    if (!expand) throw new Error(`No card template for view ${view.view}`);
    // The one place buttons change kind: templates and the verb table stay the same in both modes.
    return this.cardActions === 'submit' ? submitOnly(expand(view)) : expand(view);
  }
}

function agreeing(name: string, library: (view: View) => Card, compiled: (view: View) => Card): (view: View) => Card {
  return (view) => {
    // Separate copies: both engines may add fallbacks to actions found in the view's data.
    const want = JSON.stringify(library(structuredClone(view)));
    const card = compiled(view);
    const got = JSON.stringify(card);
    if (want !== got) throw new TemplateEnginesDisagreeError(name, want, got);
    return card;
  };
}

export function cardBytes(card: Card): number {
  return Buffer.byteLength(JSON.stringify(card), 'utf8');
}
