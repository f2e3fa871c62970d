/**
 * A compiled copy of adaptivecards-templating's expansion rules.
 *
 * What it mirrors: adaptivecards-templating 2.3.1's Template.internalExpand and
 * internalTryEvaluateExpression, rule for rule ($data, $when, $index, arrays, null and undefined,
 * the `${path}` substitution of undefined fields). Expressions are still evaluated by
 * adaptive-expressions itself (Expression.tryEvaluate), against a memory that answers exactly as
 * the library's TemplateObjectMemory does; only plain property paths (`${account.name}`), the
 * bulk of every card, are looked up directly, with the same case-insensitive property rules.
 *
 * Why: the library walks and re-wraps the whole template on every expand; compiled once into
 * closures, the same expansion costs a fraction of it on the bot's hot path (bench/README.md).
 *
 * What it relies on: the library's parsed payload (`_preparedPayload`, private) holding
 * adaptive-expressions Expressions of the copy imported here. Both versions are pinned exactly in
 * package.json, and test/cards/engine-agreement.spec.ts renders every view the tests produce
 * with both engines and fails on any difference, so an upgrade that changes the rules fails CI.
 * If the payload is not as expected, `compileTemplate` returns undefined and the renderer uses
 * the library itself.
 */
import * as AEL from 'adaptive-expressions';
import * as ACData from 'adaptivecards-templating';
import { submitFallback, withSubmitFallbacks } from './submit-fallback';

export type Card = Record<string, unknown>;

/** The expansion scope: the library's EvaluationContext ($data already resolved, $index). */
interface Scope {
  readonly data: unknown;
  readonly index: unknown;
}

/** One render's state: the $root, and the memory expressions are evaluated against. */
interface Render {
  readonly root: unknown;
  readonly memory: TemplateMemory;
}

type Expand = (scope: Scope, render: Render) => unknown;
type Evaluate = (scope: Scope, render: Render) => { value: unknown; error?: unknown };

const RESERVED = ['$data', '$when', '$root', '$index', '$host', '$_acTemplateVersion'];
const TEMPLATE_VERSION: string = (require('adaptivecards-templating/package.json') as { version: string }).version;

/** The library's `$_acTemplateVersion` (EvaluationContext.generateVersionJson), fresh per render as there. */
function templateVersion(): Record<string, unknown> {
  const split = TEMPLATE_VERSION.split('.');
  const patch = split[2] ? split[2].split('-') : [];
  return { major: parseInt(split[0]!), minor: parseInt(split[1]!), patch: parseInt(patch[0]!), suffix: patch[1] || '' };
}

/**
 * The locale adaptive-expressions' functions fall back to when options name none: the process's
 * default, which does not change while it runs. Named here once, because string(), formatNumber()
 * and the like otherwise construct an Intl.DateTimeFormat on every call just to read it.
 */
const DEFAULT_LOCALE = Intl.DateTimeFormat().resolvedOptions().locale;
/** Options with the library's substitution of undefined fields (`${path}` or GlobalSettings' string). */
const SUBSTITUTING = new AEL.Options();
SUBSTITUTING.nullSubstitution = (path: string) => substitute(path);
SUBSTITUTING.locale = DEFAULT_LOCALE;
/** What Expression.tryEvaluate uses when given no options. */
const PLAIN = new AEL.Options();
PLAIN.locale = DEFAULT_LOCALE;

function substitute(path: string): string {
  let value: string | undefined;
  if (ACData.GlobalSettings.getUndefinedFieldValueSubstitutionString) value = ACData.GlobalSettings.getUndefinedFieldValueSubstitutionString(path);
  return value ? value : '${' + path + '}';
}

/** SimpleObjectMemory's path parsing: `a.b[0]['c']` -> ['a', 'b', '0', 'c']. */
function pathParts(path: string): string[] {
  return path
    .split(/[.[\]]+/)
    .filter((u) => u !== undefined && u !== '')
    .map((u) => ((u.startsWith('"') && u.endsWith('"')) || (u.startsWith("'") && u.endsWith("'")) ? u.substr(1, u.length - 2) : u));
}

/** adaptive-expressions' accessProperty: the first own key equal to `property` ignoring case. */
function accessProperty(instance: unknown, property: string, lower: string): unknown {
  if (!instance) return undefined;
  if (instance instanceof Map) {
    let value = instance.get(property);
    if (value === undefined) {
      const key = Array.from(instance.keys()).find((k) => (k as string).toLowerCase() === lower);
      if (key !== undefined) value = instance.get(key);
    }
    return value;
  }
  const keys = Object.keys(instance);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    if (key === property || key.toLowerCase() === lower) return (instance as Record<string, unknown>)[key];
  }
  return undefined;
}

/** A parsed path: each part, its lower-case form, and parseInt of it (for array indexes). */
interface Step {
  readonly part: string;
  readonly lower: string;
  readonly index: number;
}

const stepsOf = (path: string): Step[] => pathParts(path).map((part) => ({ part, lower: part.toLowerCase(), index: parseInt(part) }));

/** SimpleObjectMemory.getValue's walk over parsed steps, from `from`. */
function walk(from: unknown, steps: readonly Step[], start: number): unknown {
  let value: unknown;
  let current = from;
  for (let i = start; i < steps.length; i++) {
    const step = steps[i]!;
    if (!isNaN(step.index) && Array.isArray(current)) {
      // accessIndex: out of range or not a list is an error, which makes the whole value undefined.
      if (!(step.index >= 0 && step.index < current.length)) return undefined;
      value = current[step.index];
    } else {
      value = accessProperty(current, step.part, step.lower);
    }
    current = value;
  }
  return value;
}

/**
 * The memory expressions see: the same own properties, in the same order, as the library's
 * TemplateObjectMemory, and the same getValue ('$data.' before paths not starting with '$'),
 * with parsed paths cached.
 */
class TemplateMemory {
  // Declared, then assigned in this order in the constructor: Object.keys must list them as the
  // library's memory does (property lookups match the first key equal ignoring case).
  _memory!: AEL.SimpleObjectMemory;
  $root: unknown;
  $data: unknown;
  $index: unknown;
  $host: unknown;
  $_acTemplateVersion: unknown;
  private static readonly parsed = new Map<string, Step[]>();

  constructor() {
    this._memory = new AEL.SimpleObjectMemory(this);
    this.$root = undefined;
    this.$data = undefined;
    this.$index = undefined;
    this.$host = undefined;
    this.$_acTemplateVersion = undefined;
  }

  getValue(path: string): unknown {
    const actualPath = path.length > 0 && path[0] !== '$' ? '$data.' + path : path;
    if (actualPath.length === 0) return undefined;
    let steps = TemplateMemory.parsed.get(actualPath);
    if (!steps) {
      steps = stepsOf(actualPath);
      if (TemplateMemory.parsed.size < 4096) TemplateMemory.parsed.set(actualPath, steps);
    }
    return walk(this, steps, 0);
  }

  setValue(path: string, input: unknown): void {
    this._memory.setValue(path, input);
  }

  version(): string {
    return this._memory.version();
  }
}

const MEMORY_KEYS = ['_memory', '$root', '$data', '$index', '$host', '$_acTemplateVersion'] as const;

function enter(render: Render, scope: Scope): TemplateMemory {
  const m = render.memory;
  m.$data = scope.data;
  m.$index = scope.index;
  return m;
}

/**
 * A plain property path (`name`, `account.id`, `$root.maxQuantity`): an Accessor chain, as
 * FunctionUtils.tryAccumulatePath turns it into a path. Undefined when the expression is anything else.
 */
function accessorPath(expression: AEL.Expression): string | undefined {
  let path = '';
  let left: AEL.Expression | undefined = expression;
  while (left !== undefined) {
    if (left.type !== AEL.ExpressionType.Accessor) return undefined;
    const name = left.children[0];
    if (!(name instanceof AEL.Constant) || typeof name.value !== 'string' || left.children.length > 2) return undefined;
    path = name.value + '.' + path;
    left = left.children.length === 2 ? left.children[1] : undefined;
  }
  path = path.replace(/(\.*$)/g, '').replace(/(\.\[)/g, '[');
  return path === '' ? undefined : path;
}

/**
 * Reads a plain path as TemplateMemory.getValue would, its first step (on the memory itself,
 * whose keys are known) resolved once, here.
 */
function pathReader(path: string): (data: unknown, index: unknown, memory: TemplateMemory) => unknown {
  const actualPath = path[0] !== '$' ? '$data.' + path : path;
  const steps = stepsOf(actualPath);
  const first = steps[0]!;
  const key = MEMORY_KEYS.find((k) => k === first.part || k.toLowerCase() === first.lower);
  if (key === undefined) return () => undefined;
  const rest = steps.length > 1;
  switch (key) {
    case '$data':
      return (data) => (rest ? walk(data, steps, 1) : data);
    case '$index':
      return (_data, index) => (rest ? walk(index, steps, 1) : index);
    default:
      return (_data, _index, memory) => (rest ? walk(memory[key], steps, 1) : memory[key]);
  }
}

/** The Accessor evaluator on a plain path: the memory's value, or the substitution when asked for and undefined. */
function compileAccessor(path: string, substituting: boolean): Evaluate {
  const reader = pathReader(path);
  const read = (scope: Scope, render: Render): unknown => reader(scope.data, scope.index, render.memory);
  return substituting
    ? (scope, render) => {
        const value = read(scope, render);
        return { value: value !== undefined ? value : substitute(path) };
      }
    : (scope, render) => ({ value: read(scope, render) });
}

/**
 * Gives every plain-path Accessor inside `expression` an evaluator that, when evaluated against a
 * TemplateMemory, reads the path directly (what Accessor.evaluator computes: the memory's value,
 * else options' substitution); against any other memory (inside a lambda such as where()) the
 * original evaluator runs. The parsed template is this renderer's own, so nothing else sees it.
 */
function speedUpAccessors(expression: AEL.Expression): void {
  const path = accessorPath(expression);
  if (path !== undefined) {
    const reader = pathReader(path);
    const original = expression.evaluator;
    const fast = Object.create(original) as AEL.ExpressionEvaluator;
    fast.tryEvaluate = (expr, state, options) => {
      if (!(state instanceof TemplateMemory)) return original.tryEvaluate(expr, state, options);
      const value = reader(state.$data, state.$index, state);
      return { value: value !== undefined ? value : options.nullSubstitution !== undefined ? options.nullSubstitution(path) : undefined, error: undefined } as unknown as AEL.ValueWithError;
    };
    (expression as { evaluator: AEL.ExpressionEvaluator }).evaluator = fast;
    return;
  }
  for (const child of expression.children) speedUpAccessors(child);
}

/**
 * Template.internalTryEvaluateExpression: a concatenation (an interpolated string) evaluated part
 * by part when substituting, each failed part shown as `${part}`; anything else evaluated whole.
 */
function compileExpression(expression: AEL.Expression, substituting: boolean): Evaluate {
  speedUpAccessors(expression);
  const options = substituting ? SUBSTITUTING : PLAIN;
  const generic: Evaluate = (scope, render) => expression.tryEvaluate(enter(render, scope), options);
  if (expression.type === AEL.ExpressionType.Concat && substituting) {
    const parts = expression.children.map((child): Evaluate => {
      if (child instanceof AEL.Constant) {
        const value: unknown = child.value;
        return () => ({ value });
      }
      const path = accessorPath(child);
      if (path !== undefined) return compileAccessor(path, true);
      return (scope, render) => child.tryEvaluate(enter(render, scope), options);
    });
    const shown = expression.children.map((child) => '${' + child.toString() + '}');
    return (scope, render) => {
      let result = '';
      for (let i = 0; i < parts.length; i++) {
        let evaluation: { value: unknown; error?: unknown };
        try {
          evaluation = parts[i]!(scope, render);
        } catch (error) {
          evaluation = { value: undefined, error };
        }
        if (evaluation.error) evaluation.value = shown[i];
        result += (evaluation.value as { toString(): string }).toString();
      }
      return { value: result, error: undefined };
    };
  }
  const path = accessorPath(expression);
  return path !== undefined ? compileAccessor(path, substituting) : generic;
}

/** Template.internalExpand for one prepared node. */
function compileNode(node: unknown): Expand {
  if (Array.isArray(node)) {
    const items = node.map(compileNode);
    return (scope, render) => {
      const out: unknown[] = [];
      for (const item of items) {
        const expanded = item(scope, render);
        if (expanded !== null) {
          if (Array.isArray(expanded)) for (const e of expanded) out.push(e);
          else out.push(expanded);
        }
      }
      return out;
    };
  }
  if (node instanceof AEL.Expression) {
    const evaluate = compileExpression(node, true);
    return (scope, render) => {
      const evaluation = evaluate(scope, render);
      if (evaluation.error) throw new Error(evaluation.error as string);
      // Whatever an expression returns is part of the card: give any actions in it their fallbacks.
      return withSubmitFallbacks(evaluation.value);
    };
  }
  if (typeof node === 'object' && node !== null) return compileObject(node as Record<string, unknown>);
  return () => node;
}

function compileObject(node: Record<string, unknown>): Expand {
  const when = node['$when'];
  const dataContext = node['$data'];
  const whenExpression = when instanceof AEL.Expression ? compileExpression(when, false) : undefined;
  const dataExpression = dataContext instanceof AEL.Expression ? compileExpression(dataContext, true) : undefined;
  const keys = Object.keys(node).filter((key) => !RESERVED.includes(key));
  const values = keys.map((key) => compileNode(node[key]));
  // Only an object whose type is Action.Execute, or set by an expression, can need a fallback.
  const type = keys.includes('type') ? node['type'] : undefined;
  const mayBeAction = type instanceof AEL.Expression || type === 'Action.Execute';

  const at = (key: string) => keys.indexOf(key);
  const [typeAt, fallbackAt, titleAt, inputsAt, dataAt, verbAt] = ['type', 'fallback', 'title', 'associatedInputs', 'data', 'verb'].map(at) as [number, number, number, number, number, number];

  const single = (scope: Scope, render: Render): Record<string, unknown> => {
    const result: Record<string, unknown> = {};
    if (!mayBeAction) {
      for (let k = 0; k < keys.length; k++) {
        const value = values[k]!(scope, render);
        if (value !== undefined) result[keys[k]!] = value;
      }
      return result;
    }
    // The fallback rule, reading the values just built instead of the object's properties.
    const got: unknown[] = new Array(keys.length);
    for (let k = 0; k < keys.length; k++) {
      const value = values[k]!(scope, render);
      got[k] = value;
      if (value !== undefined) result[keys[k]!] = value;
    }
    const value = (i: number) => (i < 0 ? undefined : got[i]);
    if (value(typeAt) === 'Action.Execute' && value(fallbackAt) === undefined) {
      result.fallback = submitFallback({ title: value(titleAt), associatedInputs: value(inputsAt), data: value(dataAt), verb: value(verbAt) });
    }
    return result;
  };
  const kept = (scope: Scope, render: Render): boolean => {
    if (whenExpression) {
      const evaluation = whenExpression(scope, render);
      return !evaluation.error && typeof evaluation.value === 'boolean' && evaluation.value;
    }
    // A $when that is not an expression drops the object.
    return !when;
  };

  if (dataContext === undefined) {
    return (scope, render) => (kept(scope, render) ? single(scope, render) : null);
  }
  return (scope, render) => {
    let contexts: unknown = dataContext;
    if (dataExpression) {
      const evaluation = dataExpression(scope, render);
      if (evaluation.error) throw new Error(evaluation.error as string);
      contexts = evaluation.value;
    }
    const isArray = Array.isArray(contexts);
    const list = isArray ? (contexts as unknown[]) : [contexts];
    // As in the library, $data and $index carry over from one item to the next within the node.
    let data = scope.data;
    let index = scope.index;
    const result: Record<string, unknown>[] = [];
    for (let i = 0; i < list.length; i++) {
      if (isArray) index = i;
      if (list[i] !== undefined) data = list[i];
      const inner: Scope = { data, index };
      if (kept(inner, render)) result.push(single(inner, render));
    }
    return result.length === 0 ? null : result.length === 1 ? result[0] : result;
  };
}

/**
 * Compiles a parsed template, or returns undefined if this version of adaptivecards-templating
 * does not hold its parsed payload as expected (the renderer then uses Template.expand itself).
 */
export function compileTemplate<V>(template: ACData.Template): ((view: V) => Card) | undefined {
  const prepared = (template as unknown as { _preparedPayload?: unknown })._preparedPayload;
  if (prepared === undefined || !usesThisExpressionLibrary(prepared)) return undefined;
  const expand = compileNode(prepared);
  return (view) => {
    const memory = new TemplateMemory();
    memory.$root = view;
    memory.$_acTemplateVersion = templateVersion();
    // At the top, $data is $root and $index is undefined (the library's EvaluationContext).
    const value = expand({ data: view, index: undefined }, { root: view, memory });
    return value as Card;
  };
}

/** True when every parsed expression in the payload is an adaptive-expressions Expression of the copy imported here. */
function usesThisExpressionLibrary(node: unknown): boolean {
  if (Array.isArray(node)) return node.every(usesThisExpressionLibrary);
  if (node instanceof AEL.Expression) return true;
  if (typeof node === 'object' && node !== null) {
    // A parsed expression from another copy of adaptive-expressions would look like an object with children.
    if ('children' in node && 'type' in node && 'evaluator' in node) return false;
    return Object.values(node).every(usesThisExpressionLibrary);
  }
  return true;
}
