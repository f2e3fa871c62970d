import type { ActionRequest } from './action-request';

/**
 * Text commands typed in the chat, case-insensitive, after the @mention is stripped.
 * Returns the same action request a card button would send, so both go through one router.
 */
const SIMPLE: Record<string, string> = {
  'where am i': 'whereAmI',
  where: 'whereAmI',
  whereami: 'whereAmI',
  "where's this": 'whereAmI',
  accounts: 'accounts',
  'sub accounts': 'accounts',
  up: 'up',
  'go up': 'up',
  home: 'home',
  switch: 'switch',
  'switch account': 'switch',
  portal: 'portal',
  portals: 'portal',
  subscriptions: 'subscriptions',
  subs: 'subscriptions',
  licences: 'subscriptions',
  licenses: 'subscriptions',
  history: 'history',
  help: 'help',
  '?': 'help',
  hi: 'help',
  hello: 'help',
};

const WITH_ARGUMENT: Record<string, { verb: string; field: string }> = {
  open: { verb: 'open', field: 'reference' },
  find: { verb: 'find', field: 'query' },
  search: { verb: 'find', field: 'query' },
};

export function parseCommand(text: string): ActionRequest {
  const trimmed = text.replace(/\s+/g, ' ').trim();
  const lower = trimmed.toLowerCase().replace(/[.!?]+$/, '');
  const simple = SIMPLE[lower] ?? SIMPLE[trimmed.toLowerCase()];
  if (simple) return { verb: simple, data: {} };
  const setCommand = /^set\s+(\S+)\s+(\S+)$/i.exec(trimmed);
  if (setCommand) return { verb: 'set', data: { sku: setCommand[1]!, quantity: setCommand[2]! } };
  if (/^set(\s|$)/i.test(trimmed)) return { verb: 'set', data: {} };
  const space = trimmed.indexOf(' ');
  if (space > 0) {
    const head = trimmed.slice(0, space).toLowerCase();
    const argument = WITH_ARGUMENT[head];
    if (argument) return { verb: argument.verb, data: { [argument.field]: trimmed.slice(space + 1).trim() } };
  }
  if (WITH_ARGUMENT[lower]) return { verb: WITH_ARGUMENT[lower].verb, data: { [WITH_ARGUMENT[lower].field]: '' } };
  return { verb: 'unknown', data: { text: trimmed } };
}

/** Removes every `<at>…</at>` mention Teams puts in the text (group chats and channels). */
export function stripMentions(text: string): string {
  return text.replace(/<at>[^<]*<\/at>/gi, ' ').replace(/&nbsp;/g, ' ').trim();
}
