import type { ActionRequest } from './action-request';
import { normalise, VERBS, type VerbTable } from './verbs';

/**
 * Text commands typed in the chat, case-insensitive, after the @mention is stripped, read from
 * the verb table's aliases and `<word> <text>` forms. Returns the same action request a card
 * button would send, marked as typed, so both go through one router and a mistake is told in
 * the words of a command. Text that is no command gets the verb `unknown`, which no table has.
 */
export function parseCommand(text: string, verbs: VerbTable = VERBS): ActionRequest {
  const trimmed = text.replace(/\s+/g, ' ').trim();
  const lower = trimmed.toLowerCase();
  const bare = lower.replace(/[.!?]+$/, '');
  for (const command of [bare, lower]) {
    const entry = verbs.alias(command);
    if (entry) return { verb: entry.verb, data: {}, source: { kind: 'typed', command } };
  }
  const space = trimmed.indexOf(' ');
  const word = space > 0 ? lower.slice(0, space) : bare;
  const entry = verbs.commandWord(word);
  const argument = entry?.argument;
  if (entry && argument) {
    const source = { kind: 'typed', command: word, example: argument.example } as const;
    const rest = space > 0 ? trimmed.slice(space + 1).trim() : '';
    const values = argument.fields.length === 1 ? [rest] : rest.split(' ');
    const data = rest && values.length === argument.fields.length ? Object.fromEntries(argument.fields.map((field, i) => [field, values[i]!])) : {};
    return { verb: entry.verb, data, source };
  }
  return { verb: 'unknown', data: { text: trimmed }, source: { kind: 'typed', command: normalise(trimmed) } };
}

/** Removes every `<at>…</at>` mention Teams puts in the text (group chats and channels). */
export function stripMentions(text: string): string {
  return text.replace(/<at>[^<]*<\/at>/gi, ' ').replace(/&nbsp;/g, ' ').trim();
}
