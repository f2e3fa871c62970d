import { JSDOM } from 'jsdom';
import MarkdownIt from 'markdown-it';

/**
 * Microsoft's own Adaptive Cards renderer (the `adaptivecards` package), run under jsdom: the
 * same parser a client uses. Unknown elements, bad properties and version problems come back
 * as parse and validation events.
 */
const dom = new JSDOM('<!doctype html><html><body></body></html>', { pretendToBeVisual: true });
const g = globalThis as Record<string, unknown>;
const win = dom.window as unknown as Record<string, unknown>;
g.window = dom.window;
// The renderer checks `instanceof HTMLButtonElement` and friends: expose the DOM's globals.
for (const key of Object.getOwnPropertyNames(win)) {
  if (g[key] === undefined && (/^(HTML|SVG|Node|Element|Event|Document|Text|CSS|getComputedStyle|navigator|document)/.test(key))) g[key] = win[key];
}
// jsdom has no innerText, which the renderer uses for TextRuns: as a browser does for plain text, set the text.
Object.defineProperty((dom.window as unknown as { HTMLElement: { prototype: object } }).HTMLElement.prototype, 'innerText', {
  configurable: true,
  get(this: HTMLElement) {
    return this.textContent;
  },
  set(this: HTMLElement, value: string) {
    this.textContent = value;
  },
});
// eslint-disable-next-line @typescript-eslint/no-require-imports
const AC = require('adaptivecards/dist/adaptivecards.js');

/**
 * Markdown the way the Agents Playground does it: its renderer falls back to markdown-it with its
 * defaults (`window.markdownit().render(text)`). `html: true` stands in for hosts that pass raw
 * HTML through (where `<Ltd>` vanished); both must show Switchboard's cards as written.
 */
export type MarkdownHost = 'markdown-it' | 'markdown-it+html';
let markdown = new MarkdownIt();
export function useMarkdownHost(host: MarkdownHost): void {
  markdown = new MarkdownIt({ html: host === 'markdown-it+html' });
}
AC.AdaptiveCard.onProcessMarkdown = (text: string, result: { outputHtml?: string; didProcess: boolean }) => {
  result.outputHtml = markdown.render(text);
  result.didProcess = true;
};

/** Teams shows at most six card-level actions. */
const hostConfig = new AC.HostConfig({ actions: { maxActions: 6 }, supportsInteractivity: true });

export interface ParsedCard {
  /** Parse and validation problems, as the renderer words them. */
  readonly problems: string[];
  /** The rendered HTML's text content. */
  readonly renderedText: string;
  /** The rendered card, to look for links and markup. */
  readonly element: HTMLElement | undefined;
}

export function parseAndRender(json: unknown, version: '1.3' | '1.5' = '1.5'): ParsedCard {
  const card = new AC.AdaptiveCard();
  card.hostConfig = hostConfig;
  const context = new AC.SerializationContext(version === '1.3' ? AC.Versions.v1_3 : AC.Versions.v1_5);
  card.parse(json, context);
  const problems: string[] = [];
  for (let i = 0; i < context.eventCount; i++) problems.push(`parse: ${context.getEventAt(i).message}`);
  const validation = card.validateProperties();
  for (const event of validation.validationEvents) problems.push(`validate: ${event.message}`);
  const element: HTMLElement | undefined = card.render();
  return { problems, renderedText: element?.textContent ?? '', element };
}

/** The renderer's own card object, parsed and rendered, to read inputs and run client-side actions. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function renderedCard(json: unknown): any {
  const card = new AC.AdaptiveCard();
  card.hostConfig = hostConfig;
  card.parse(json, new AC.SerializationContext(AC.Versions.v1_5));
  card.render();
  return card;
}
