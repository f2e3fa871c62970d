import { formatCount, shorten } from '../domain/numbers';
import type { AccountRef, RecentAccount, ScopeChoice, SwitchView } from './views';

/**
 * The switch picker's shape, kept short enough for a phone whatever the number of accounts:
 * - the picker holds every account up to the static-choice limit; beyond it (typeahead) only a
 *   few, the current one among them, and the client asks the bot for the rest as the admin types;
 * - the accounts are spelled out below the picker, with their paths, only when there are a few;
 * - choice labels are shortened with "…" rather than clipped by the client.
 */
export const LISTED_CHOICES = 8;
export const TYPEAHEAD_SEED_CHOICES = 10;
export const CHOICE_LABEL_CHARS = 48;

/** "Hartley & Co Solicitors LLP · Northwind Voice": the brand only when it is not the name itself. */
export function choiceLabel(name: string, brandName: string): string {
  return shorten(brandName === name ? name : `${name} · ${brandName}`, CHOICE_LABEL_CHARS);
}

/**
 * `all` are the admin's scope roots, `wanted` those a filter kept (the same list without one), in
 * the order they should be offered; `filter` is the text typed after `switch`.
 */
export function switchView(
  current: AccountRef,
  all: readonly ScopeChoice[],
  wanted: readonly ScopeChoice[],
  staticChoiceLimit: number,
  filter?: string,
  recent: readonly RecentAccount[] = [],
): SwitchView {
  // A filter that kept few enough gets static choices, however many accounts there are in all.
  const typeahead = wanted.length > staticChoiceLimit;
  const choices = typeahead ? seed(wanted, TYPEAHEAD_SEED_CHOICES) : wanted.slice(0, staticChoiceLimit);
  const hidden = wanted.length - choices.length;
  return {
    view: 'switchAccount',
    current,
    recent,
    choices,
    listed: wanted.length <= LISTED_CHOICES ? choices : [],
    typeahead,
    total: all.length,
    totalText: formatCount(all.length),
    ...(hidden > 0
      ? { moreHint: `The picker lists ${formatCount(choices.length)} of ${formatCount(wanted.length)}: type part of a name in it to find the others.` }
      : wanted.length > LISTED_CHOICES
        ? { moreHint: 'Open the picker to see them all, or type in it to narrow the list.' }
        : {}),
    ...(filter !== undefined ? { filter, filterNote: `${formatCount(wanted.length)} of your ${formatCount(all.length)} accounts match “${filter}”.` } : {}),
  };
}

/** The first `n` choices, the current one kept among them (it is the picker's preset value). */
function seed(choices: readonly ScopeChoice[], n: number): ScopeChoice[] {
  const first = choices.slice(0, n);
  const current = choices.find((c) => c.current);
  if (!current || first.includes(current)) return first;
  return [current, ...first.slice(0, n - 1)];
}
