import { InvalidActionError } from '../domain/errors';

/**
 * How an action arrived. Typed text and card buttons reach the same handlers, but what went wrong
 * is told in the words of the thing the admin used: "the command" for what they typed, "the card"
 * for a button (Action.Execute invokes and Action.Submit messages alike).
 */
export type ActionSource =
  | { readonly kind: 'execute' }
  | { readonly kind: 'submit' }
  /** `command` is the word the admin typed (`find`, `search`), `example` a command that works. */
  | { readonly kind: 'typed'; readonly command: string; readonly example?: string };

/** A verb and its data, from a card button (Action.Execute or Action.Submit) or a typed command. */
export interface ActionRequest {
  readonly verb: string;
  readonly data: Readonly<Record<string, unknown>>;
  readonly source: ActionSource;
}

/** The longest string any action field may carry; card data is client input and can be forged. */
const MAX_FIELD = 500;

function field(data: Readonly<Record<string, unknown>>, name: string): unknown {
  return Object.prototype.hasOwnProperty.call(data, name) ? data[name] : undefined;
}

/**
 * A handler's view of the action's data. Every value is checked for shape here, and a value
 * that fails says so in the words of how it arrived.
 */
export class ActionInput {
  constructor(private readonly request: Pick<ActionRequest, 'data' | 'source'>) {}

  get source(): ActionSource {
    return this.request.source;
  }

  get typed(): boolean {
    return this.request.source.kind === 'typed';
  }

  /** A string field, or undefined when it is absent or empty. */
  optional(name: string): string | undefined {
    const value = field(this.request.data, name);
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value !== 'string' || value.length > MAX_FIELD) throw new InvalidActionError(this.invalid(name));
    return value;
  }

  /** A string field that must be there; `hint` says what to send. */
  require(name: string, hint: string): string {
    const value = this.optional(name);
    if (value === undefined) throw new InvalidActionError(hint);
    return value;
  }

  /** The quantities a card carries (see enteredQuantities). Typed commands carry none: `set` sends its one as fields. */
  quantities(prefix: string): Record<string, string> {
    return this.typed ? {} : enteredQuantities(this.request.data, prefix);
  }

  /** The offer states a card carries (see enteredSwitches). Typed commands carry none: `offer` sends its one as fields. */
  switches(prefix: string): Record<string, string> {
    return this.typed ? {} : enteredSwitches(this.request.data, prefix);
  }

  private invalid(name: string): string {
    const source = this.request.source;
    if (source.kind !== 'typed') return `The button sent an invalid "${name}". Type where am i to start again.`;
    const example = source.example ? ` For example: ${source.example}` : '';
    return `The command is too long: type something shorter after "${source.command}".${example}`;
  }
}

/**
 * Normalises what Teams delivers: an `adaptiveCard/action` invoke value `{action:{verb,data}}`,
 * or an Action.Submit message value `{verb, ...data}`. Anything else is not an action.
 */
export function actionFromInvoke(value: unknown): ActionRequest {
  const action = isRecord(value) ? value.action : undefined;
  if (!isRecord(action) || typeof action.verb !== 'string') throw new InvalidActionError('The card sent an action Switchboard does not understand.');
  const data = isRecord(action.data) ? action.data : {};
  return { verb: action.verb, data, source: { kind: 'execute' } };
}

export function actionFromSubmit(value: unknown): ActionRequest | undefined {
  if (!isRecord(value) || typeof value.verb !== 'string') return undefined;
  const { verb, ...data } = value;
  return { verb: verb as string, data, source: { kind: 'submit' } };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The id prefix of the subscriptions card's quantity inputs: `qty_<SKU>` (cards/subscriptions.json). */
export const QUANTITY_INPUT_PREFIX = 'qty_';

/** The id prefix of the offers card's toggles: `offer_<SKU>` (cards/offers.json). */
export const OFFER_INPUT_PREFIX = 'offer_';

const SKU = /^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/;
const MAX_LINES = 50;

/**
 * Quantities from a card: Input.Number fields named `qty_<SKU>` (the edit card) and a
 * `quantities` object (carried by the review card's buttons). Values stay as sent, for the
 * domain to judge; only their shape is checked here.
 */
function enteredQuantities(data: Readonly<Record<string, unknown>>, prefix: string): Record<string, string> {
  return enteredBySku(data, prefix, {
    carried: 'quantities',
    fits: (value) => typeof value === 'string' || typeof value === 'number',
    unreadable: 'The card sent quantities Switchboard cannot read. Open the subscriptions again.',
    tooMany: 'The card sent more quantities than any account has subscriptions.',
  });
}

/** Offer states from a card: Input.Toggle fields named `offer_<SKU>` and an `offers` object (the review's buttons). */
function enteredSwitches(data: Readonly<Record<string, unknown>>, prefix: string): Record<string, string> {
  return enteredBySku(data, prefix, {
    carried: 'offers',
    fits: (value) => typeof value === 'string' || typeof value === 'boolean',
    unreadable: 'The card sent offer states Switchboard cannot read. Open the offers again.',
    tooMany: 'The card sent more offers than the directory has.',
  });
}

interface BySkuShape {
  /** The object the review card's buttons carry the values in. */
  readonly carried: string;
  readonly fits: (value: unknown) => boolean;
  readonly unreadable: string;
  readonly tooMany: string;
}

/** Values by SKU from `<prefix><SKU>` inputs and a carried object; only their shape is checked. */
function enteredBySku(data: Readonly<Record<string, unknown>>, prefix: string, shape: BySkuShape): Record<string, string> {
  const entered: Record<string, string> = {};
  const carried = field(data, shape.carried);
  const sources: [string, unknown][] = [
    ...(isRecord(carried) ? Object.entries(carried) : []),
    ...Object.entries(data).filter(([key]) => key.startsWith(prefix)).map(([key, value]): [string, unknown] => [key.slice(prefix.length), value]),
  ];
  if (carried !== undefined && !isRecord(carried)) throw new InvalidActionError(shape.unreadable);
  if (sources.length > MAX_LINES) throw new InvalidActionError(shape.tooMany);
  for (const [sku, value] of sources) {
    if (!SKU.test(sku) || !shape.fits(value) || String(value).length > 12) throw new InvalidActionError(shape.unreadable);
    entered[sku.toUpperCase()] = String(value).trim();
  }
  return entered;
}
