import { InvalidActionError } from '../domain/errors';

/** A verb and its data, from a card button (Action.Execute or Action.Submit) or a typed command. */
export interface ActionRequest {
  readonly verb: string;
  readonly data: Readonly<Record<string, unknown>>;
}

/** The longest string any action field may carry; card data is client input and can be forged. */
const MAX_FIELD = 500;

function field(data: Readonly<Record<string, unknown>>, name: string): unknown {
  return Object.prototype.hasOwnProperty.call(data, name) ? data[name] : undefined;
}

export function optionalString(data: Readonly<Record<string, unknown>>, name: string): string | undefined {
  const value = field(data, name);
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' || value.length > MAX_FIELD) {
    throw new InvalidActionError(`The button sent an invalid "${name}". Type where am i to start again.`);
  }
  return value;
}

export function requireString(data: Readonly<Record<string, unknown>>, name: string, hint: string): string {
  const value = optionalString(data, name);
  if (value === undefined) throw new InvalidActionError(hint);
  return value;
}

/**
 * Normalises what Teams delivers: an `adaptiveCard/action` invoke value `{action:{verb,data}}`,
 * or an Action.Submit message value `{verb, ...data}`. Anything else is not an action.
 */
export function actionFromInvoke(value: unknown): ActionRequest {
  const action = isRecord(value) ? value.action : undefined;
  if (!isRecord(action) || typeof action.verb !== 'string') throw new InvalidActionError('The card sent an action Switchboard does not understand.');
  const data = isRecord(action.data) ? action.data : {};
  return { verb: action.verb, data };
}

export function actionFromSubmit(value: unknown): ActionRequest | undefined {
  if (!isRecord(value) || typeof value.verb !== 'string') return undefined;
  const { verb, ...data } = value;
  return { verb: verb as string, data };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
