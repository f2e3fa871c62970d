/**
 * Just enough of Bicep's syntax to read deploy/main.bicep as text: params, vars and resources, and
 * object and array literals down to their leaves. A leaf is kept as its source text (an
 * expression), so a test can say "this setting's value is the literal 'production'" or "this
 * value is identity.properties.clientId" without compiling the template.
 *
 * Comments are ignored (a commented-out setting is not a setting), string literals are opaque
 * (a brace or a "//" inside a string is not syntax).
 */

export type BicepValue = string | BicepValue[] | { readonly [key: string]: BicepValue };

export interface BicepResource {
  readonly symbol: string;
  /** The resource type without the API version, e.g. Microsoft.Web/sites. */
  readonly type: string;
  readonly apiVersion: string;
  /** The object literal after `=` (for a loop, the object inside `[for ...: {...}]`). */
  readonly body: { readonly [key: string]: BicepValue };
}

export interface BicepParam {
  readonly name: string;
  readonly type: string;
  readonly hasDefault: boolean;
}

export interface BicepFile {
  readonly params: readonly BicepParam[];
  readonly vars: ReadonlyMap<string, BicepValue>;
  readonly resources: readonly BicepResource[];
}

/**
 * The source with comments blanked and the insides of string literals replaced by `_`, at the
 * same offsets (newlines kept). Quotes stay, so `'...'` still shows where a string is.
 */
export function mask(src: string): string {
  const out = src.split('');
  const blank = (from: number, to: number) => {
    for (let k = from; k < to; k++) if (out[k] !== '\n') out[k] = ' ';
  };
  const fill = (from: number, to: number) => {
    for (let k = from; k < to; k++) if (out[k] !== '\n') out[k] = '_';
  };
  // Modes: code at the top level, in a string, or in a ${...} interpolation (code with a brace depth).
  const stack: Array<{ kind: 'string' } | { kind: 'interp'; depth: number }> = [];
  let i = 0;
  while (i < src.length) {
    const top = stack[stack.length - 1];
    if (top?.kind === 'string') {
      if (src[i] === '\\') {
        fill(i, i + 2);
        i += 2;
      } else if (src.startsWith('${', i)) {
        stack.push({ kind: 'interp', depth: 0 });
        fill(i, i + 2);
        i += 2;
      } else if (src[i] === "'") {
        stack.pop();
        // A string nested in an interpolation is itself string content of the outer string.
        if (stack.length > 0) fill(i, i + 1);
        i += 1;
      } else {
        fill(i, i + 1);
        i += 1;
      }
      continue;
    }
    // Code (top level or inside an interpolation: its characters are string content, so filled).
    const inInterp = top?.kind === 'interp';
    if (src.startsWith("'''", i)) {
      const end = src.indexOf("'''", i + 3);
      const stop = end < 0 ? src.length : end + 3;
      fill(i + 1, stop - 1);
      i = stop;
    } else if (src.startsWith('//', i)) {
      const end = src.indexOf('\n', i);
      const stop = end < 0 ? src.length : end;
      blank(i, stop);
      i = stop;
    } else if (src.startsWith('/*', i)) {
      const end = src.indexOf('*/', i + 2);
      const stop = end < 0 ? src.length : end + 2;
      blank(i, stop);
      i = stop;
    } else if (src[i] === "'") {
      if (inInterp) fill(i, i + 1);
      stack.push({ kind: 'string' });
      i += 1;
    } else {
      if (top?.kind === 'interp') {
        if (src[i] === '{') top.depth += 1;
        else if (src[i] === '}') {
          if (top.depth === 0) stack.pop();
          else top.depth -= 1;
        }
        fill(i, i + 1);
      }
      i += 1;
    }
  }
  return out.join('');
}

const OPEN: Record<string, string> = { '{': '}', '[': ']', '(': ')' };

/** Offset of the bracket closing the one at `open`, in masked text. */
export function closing(masked: string, open: number): number {
  let depth = 0;
  for (let i = open; i < masked.length; i++) {
    const c = masked[i] as string;
    if (c in OPEN) depth += 1;
    else if (c === '}' || c === ']' || c === ')') {
      depth -= 1;
      if (depth === 0) return i;
    }
  }
  throw new Error(`unbalanced bracket at offset ${open}`);
}

/** End of an expression that starts at `from`: a newline or comma at bracket depth 0, or a closer. */
function expressionEnd(masked: string, from: number): number {
  let depth = 0;
  for (let i = from; i < masked.length; i++) {
    const c = masked[i] as string;
    if (c in OPEN) depth += 1;
    else if (c === '}' || c === ']' || c === ')') {
      if (depth === 0) return i;
      depth -= 1;
    } else if ((c === '\n' || c === ',') && depth === 0) return i;
  }
  return masked.length;
}

function skipSpace(masked: string, i: number): number {
  while (i < masked.length && /[\s,]/.test(masked[i] as string)) i++;
  return i;
}

/** Parses the value starting at `from`; returns it and the offset just after it. */
function parseValue(src: string, masked: string, from: number): { value: BicepValue; end: number } {
  const start = skipSpace(masked, from);
  const c = masked[start];
  if (c === '{' || c === '[') {
    const close = closing(masked, start);
    const after = masked.slice(close + 1, expressionEnd(masked, close + 1)).trim();
    // `{...}.x`, `[...][0]`: an expression, not a literal; so is a `[for ...]` loop.
    const inner = masked.slice(start + 1, close).trim();
    if (after === '' && !(c === '[' && /^for\s/.test(inner))) {
      return { value: c === '{' ? parseObject(src, masked, start, close) : parseArray(src, masked, start, close), end: close + 1 };
    }
  }
  const end = expressionEnd(masked, start);
  return { value: src.slice(start, end).trim(), end };
}

function parseObject(src: string, masked: string, open: number, close: number): { [key: string]: BicepValue } {
  const result: { [key: string]: BicepValue } = {};
  let i = skipSpace(masked, open + 1);
  while (i < close) {
    const colon = masked.indexOf(':', i);
    if (colon < 0 || colon > close) throw new Error(`expected "key:" at offset ${i}: ${src.slice(i, i + 40)}`);
    const rawKey = src.slice(i, colon).trim();
    const key = /^'.*'$/s.test(rawKey) ? rawKey.slice(1, -1) : rawKey;
    const { value, end } = parseValue(src, masked, colon + 1);
    result[key] = value;
    i = skipSpace(masked, end);
  }
  return result;
}

function parseArray(src: string, masked: string, open: number, close: number): BicepValue[] {
  const items: BicepValue[] = [];
  let i = skipSpace(masked, open + 1);
  while (i < close) {
    const { value, end } = parseValue(src, masked, i);
    items.push(value);
    i = skipSpace(masked, end);
  }
  return items;
}

/** Reads the params, vars and resources of a Bicep file. */
export function parseBicep(src: string): BicepFile {
  const masked = mask(src);
  const params: BicepParam[] = [];
  const vars = new Map<string, BicepValue>();
  const resources: BicepResource[] = [];

  for (const m of masked.matchAll(/^param\s+(\w+)\s+([^\n]*)$/gm)) {
    const rest = m[2] as string;
    const eq = rest.indexOf('=');
    params.push({ name: m[1] as string, type: (eq < 0 ? rest : rest.slice(0, eq)).trim(), hasDefault: eq >= 0 });
  }
  for (const m of masked.matchAll(/^var\s+(\w+)\s*=/gm)) {
    vars.set(m[1] as string, parseValue(src, masked, (m.index as number) + m[0].length).value);
  }
  for (const m of masked.matchAll(/^resource\s+(\w+)\s+'/gm)) {
    const quote = (m.index as number) + m[0].length - 1;
    const typeEnd = masked.indexOf("'", quote + 1);
    const [type, apiVersion] = src.slice(quote + 1, typeEnd).split('@') as [string, string];
    const eq = masked.indexOf('=', typeEnd);
    // `= {`, `= if (cond) {` or `= [for x in xs: {`: the body is the first object literal.
    const open = masked.indexOf('{', eq);
    const body = parseObject(src, masked, open, closing(masked, open));
    resources.push({ symbol: m[1] as string, type, apiVersion, body });
  }
  return { params, vars, resources };
}

/** Follows a path of keys into a parsed value; undefined when it is not there. */
export function at(value: BicepValue | undefined, ...path: Array<string | number>): BicepValue | undefined {
  let v: BicepValue | undefined = value;
  for (const key of path) {
    if (v === undefined || typeof v === 'string') return undefined;
    v = Array.isArray(v) ? (typeof key === 'number' ? v[key] : undefined) : typeof key === 'string' ? v[key] : undefined;
  }
  return v;
}

/** The text of a plain string literal ('production'), or undefined for any other expression. */
export function literal(value: BicepValue | undefined): string | undefined {
  if (typeof value !== 'string') return undefined;
  const m = /^'((?:[^'\\$]|\\.|\$(?!\{))*)'$/s.exec(value);
  return m ? (m[1] as string).replace(/\\(.)/g, '$1') : undefined;
}

/** The one resource of a type; throws when there is none or more than one. */
export function resourceOf(file: BicepFile, type: string): BicepResource {
  const found = file.resources.filter((r) => r.type.toLowerCase() === type.toLowerCase());
  if (found.length !== 1) throw new Error(`expected one ${type} resource, found ${found.length}`);
  return found[0] as BicepResource;
}
