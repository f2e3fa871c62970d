import * as AEL from 'adaptive-expressions';

/**
 * Text that Switchboard did not write (account, brand, offer and admin names, typed queries,
 * error details naming them) is data, never markup. Hosts render TextBlock.text and FactSet
 * titles and values as markdown (Teams; the Agents Playground through markdown-it), so:
 *
 * 1. Templates show such text in RichTextBlock TextRuns, which no host parses as markdown, so
 *    it displays exactly as written on every host, phones included (a backslash escape would
 *    not: Teams on Android and iOS show the backslashes).
 * 2. The renderer, as it loads each template, wraps every `${…}` found in a markdown field in
 *    `plainText(…)`, which escapes what the expression yields for markdown-it and Teams desktop.
 *    Literal template text is Switchboard's own markup and stays as written ("**you are here**").
 *    A template cannot forget this: it happens to every markdown field of every template.
 * 3. Literal template text in a markdown field may not hold `<` or `&`: hosts drop what looks
 *    like HTML ("open <name>" showed as "open "). Such a template is refused at start-up.
 */

/** The function name templates get wrapped in; registered once with adaptive-expressions. */
export const PLAIN_TEXT_FUNCTION = 'plainText';

/**
 * Registers `plainText` with adaptive-expressions. adaptivecards-templating resolves a template's
 * functions from the standard function table only (Template.parseInterpolatedString's lookup), so
 * that is where it goes; both template engines then evaluate it the same way. Idempotent.
 */
export function registerPlainTextFunction(): void {
  const table = AEL.ExpressionFunctions.standardFunctions as Map<string, AEL.ExpressionEvaluator>;
  if (table.has(PLAIN_TEXT_FUNCTION)) return;
  table.set(PLAIN_TEXT_FUNCTION, new AEL.ExpressionEvaluator(PLAIN_TEXT_FUNCTION, AEL.FunctionUtils.apply((args: unknown[]) => escapeMarkdown(args[0])), AEL.ReturnType.String));
}

/** Characters that start or end markdown anywhere in a line (CommonMark, markdown-it, Teams' subset); `<` and `&` stop HTML and entities. */
const INLINE = /[\\`*~[\]<&|]/g;
/** `_` opens or closes emphasis only beside a non-alphanumeric character (CommonMark); `a_b` is left alone. */
const UNDERSCORE = /(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu;
/**
 * What starts a block at a line's start, as CommonMark needs it: a heading (`#` then a space),
 * a quote (`>`), a bullet or ordered list (`-`, `+`, `1.`, `1)` then a space), or a setext
 * underline (a line of only `=` or `-`). Only these get escaped, so "+£10.00" or "-3" stay as
 * they are.
 */
const BLOCK_START = /^([ \t]*)(?:(#{1,6}|[-+])(?=[ \t]|$)|(>)|(\d{1,9})(?=[.)](?:[ \t]|$))|([=-])(?=[=-]*[ \t]*$))/;

/**
 * Escapes a value for a markdown field so markdown-it shows it as written: inline
 * metacharacters get a backslash, and so does whatever would start a block at a line's start.
 * Values without such characters (counts, prices, dates, kind labels) come back unchanged.
 */
export function escapeMarkdown(value: unknown): string {
  const text = value === undefined || value === null ? '' : String(value);
  return text
    .split('\n')
    .map((line) => {
      const escaped = line.replace(INLINE, '\\$&').replace(UNDERSCORE, '\\_');
      const start = BLOCK_START.exec(escaped);
      if (!start) return escaped;
      const indent = start[1]!;
      // An ordered-list number is escaped on the '.' or ')' after it; any other marker on itself.
      if (start[4] !== undefined) return `${indent}${start[4]}\\${escaped.slice(start[0].length)}`;
      return `${indent}\\${escaped.slice(indent.length)}`;
    })
    .join('\n');
}

/** A template that puts literal HTML-looking text into a markdown field. */
export class UnsafeTemplateError extends Error {
  constructor(file: string, where: string, text: string) {
    super(`Card template ${file}: the text "${text}" at ${where} holds "<" or "&", which markdown hosts treat as HTML; write it another way (e.g. ‹name›)`);
    this.name = 'UnsafeTemplateError';
  }
}

/**
 * Returns a copy of the template JSON with every expression in a markdown field wrapped in
 * plainText(…). Throws UnsafeTemplateError for literal `<` or `&` in a markdown field.
 */
export function guardMarkdownFields(template: unknown, file: string): unknown {
  const walk = (node: unknown, where: string, inFacts: boolean): unknown => {
    if (Array.isArray(node)) return node.map((item, i) => walk(item, `${where}[${i}]`, inFacts));
    if (!node || typeof node !== 'object') return node;
    const record = node as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(record)) {
      const path = `${where}.${key}`;
      const markdown = (record.type === 'TextBlock' && key === 'text') || (inFacts && (key === 'title' || key === 'value'));
      if (markdown && typeof value === 'string') out[key] = guardText(value, file, path);
      else out[key] = walk(value, path, record.type === 'FactSet' && key === 'facts');
    }
    return out;
  };
  return walk(template, '$', false);
}

function guardText(text: string, file: string, where: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const start = text.indexOf('${', i);
    const literal = start < 0 ? text.slice(i) : text.slice(i, start);
    if (/[<&]/.test(literal)) throw new UnsafeTemplateError(file, where, text);
    out += literal;
    if (start < 0) break;
    const end = expressionEnd(text, start + 2);
    if (end < 0) return out + text.slice(start); // not a complete expression: the templating library shows it as text
    out += '${' + PLAIN_TEXT_FUNCTION + '(' + text.slice(start + 2, end) + ')}';
    i = end + 1;
  }
  return out;
}

/** The index of the `}` closing an expression that starts at `from`, skipping quoted strings and nested braces; -1 if none. */
function expressionEnd(text: string, from: number): number {
  let depth = 0;
  let quote: string | undefined;
  for (let i = from; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"' || c === '`') quote = c;
    else if (c === '{') depth++;
    else if (c === '}') {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}
