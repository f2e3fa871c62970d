/**
 * The one rule for Action.Submit fallbacks: every Action.Execute gets an Action.Submit carrying
 * the same title, inputs and data plus the verb, so a client without Universal Actions still
 * reaches the same router. Both template engines build fallbacks through `submitFallback`.
 */
export interface ExecuteParts {
  readonly title: unknown;
  readonly associatedInputs: unknown;
  readonly data: unknown;
  readonly verb: unknown;
}

/** The fallback for an Action.Execute with these parts; keys in this order: type, title, associatedInputs, data. */
export function submitFallback(parts: ExecuteParts): Record<string, unknown> {
  const fallback: Record<string, unknown> = { type: 'Action.Submit' };
  if (parts.title !== undefined) fallback.title = parts.title;
  if (parts.associatedInputs !== undefined) fallback.associatedInputs = parts.associatedInputs;
  fallback.data = { ...(parts.data && typeof parts.data === 'object' ? parts.data : {}), verb: parts.verb };
  return fallback;
}

/** Gives every Action.Execute in `node` (that has none) its fallback, in place. */
export function withSubmitFallbacks<T>(node: T): T {
  if (Array.isArray(node)) {
    node.forEach(withSubmitFallbacks);
  } else if (node && typeof node === 'object') {
    const record = node as Record<string, unknown>;
    for (const value of Object.values(record)) withSubmitFallbacks(value);
    if (record.type === 'Action.Execute' && record.fallback === undefined) record.fallback = submitFallback(record as unknown as ExecuteParts);
  }
  return node;
}

/**
 * Submit-only cards (CARD_ACTIONS=submit): every Action.Execute in `node` becomes the
 * Action.Submit its fallback would be, keeping its other properties (style, id, tooltip), in
 * place. For Teams clients that know Action.Execute but fail on it, where a fallback never runs.
 */
export function submitOnly<T>(node: T): T {
  if (Array.isArray(node)) {
    node.forEach(submitOnly);
  } else if (node && typeof node === 'object') {
    const record = node as Record<string, unknown>;
    for (const value of Object.values(record)) submitOnly(value);
    if (record.type === 'Action.Execute') {
      const { type: _type, verb, fallback: _fallback, title, associatedInputs, data, ...rest } = record;
      const submit = { ...submitFallback({ title, associatedInputs, data, verb }), ...rest };
      for (const key of Object.keys(record)) delete record[key];
      Object.assign(record, submit);
    }
  }
  return node;
}
