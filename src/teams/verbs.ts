import type { View } from '../app/views';
import { accounts } from './handlers/accounts';
import { confirm } from './handlers/confirm';
import { confirmOffers } from './handlers/confirm-offers';
import { edit } from './handlers/edit';
import { editOffers } from './handlers/edit-offers';
import { find } from './handlers/find';
import type { Handler } from './handlers/handler';
import { help } from './handlers/help';
import { history } from './handlers/history';
import { home } from './handlers/home';
import { offer } from './handlers/offer';
import { offers } from './handlers/offers';
import { notices } from './handlers/notices';
import { open } from './handlers/open';
import { portal } from './handlers/portal';
import { review } from './handlers/review';
import { reviewOffers } from './handlers/review-offers';
import { set } from './handlers/set';
import { subscriptions } from './handlers/subscriptions';
import { switchPicker } from './handlers/switch';
import { switchTo } from './handlers/switch-to';
import { up } from './handlers/up';
import { whereAmI } from './handlers/where-am-i';

type ViewKind = View['view'];
type ViewOf<K extends ViewKind> = Extract<View, { readonly view: K }>;

/**
 * How Teams re-reads a card of one view in group chats and channels (see `refreshFor` in bot.ts):
 * the verb's own Action.Execute, with the data `data` picks from the view, or no refresh at all
 * when it answers undefined (a card that changes state must never re-run by itself).
 */
export interface RefreshRule {
  readonly view: ViewKind;
  readonly data: (view: View) => Readonly<Record<string, unknown>> | undefined;
}

function refreshOn<K extends ViewKind>(kind: K, data: (view: ViewOf<K>) => Readonly<Record<string, unknown>> | undefined): RefreshRule {
  return { view: kind, data: (view) => (view.view === kind ? data(view as ViewOf<K>) : undefined) };
}

/** A typed command of the form `<word> <text>`. */
export interface TypedArgument {
  /** Lower-case words that start the command (`find`, `search`). */
  readonly words: readonly string[];
  /**
   * The data fields the text after the word fills: a single field takes all of it; several take
   * one word each, and a different number of words fills none (the handler then says what to type).
   */
  readonly fields: readonly string[];
  /** A command that works, shown when a typed one does not. */
  readonly example: string;
}

/** Everything Switchboard knows about one verb. Adding a verb is one entry here and its handler. */
export interface VerbEntry {
  /** What cards send (Action.Execute `verb`, Action.Submit `data.verb`) and what the logs call it. */
  readonly verb: string;
  readonly handler: Handler;
  /** Lower-case commands that run the verb with no data when typed ("where am i", "whereami"). */
  readonly aliases?: readonly string[];
  readonly argument?: TypedArgument;
  /** The read-only view this verb answers with, and how Teams re-reads it in group chats. */
  readonly refresh?: RefreshRule;
  /** Its line in Teams' command menu (the manifest's commandLists), in table order. */
  readonly menu?: { readonly title: string; readonly description: string };
}

/**
 * The verbs, in menu order (everyday questions first, subscription changes next, help last),
 * then the typed commands left out of the menu, then the verbs only card buttons send.
 */
export const VERB_ENTRIES: readonly VerbEntry[] = [
  {
    verb: 'whereAmI',
    handler: whereAmI,
    aliases: ['where am i', 'where', 'whereami', "where's this"],
    refresh: refreshOn('whereAmI', () => ({})),
    menu: { title: 'where am i', description: 'Which account you are on, and the path to it from your base account' },
  },
  {
    verb: 'find',
    handler: find,
    argument: { words: ['find', 'search'], fields: ['query'], example: 'find dental' },
    menu: { title: 'find', description: 'find <text>: search the accounts you administer by name or id' },
  },
  {
    verb: 'open',
    handler: open,
    argument: { words: ['open'], fields: ['reference'], example: 'open Contoso' },
    menu: { title: 'open', description: 'open <name or id>: go to an account' },
  },
  {
    verb: 'accounts',
    handler: accounts,
    aliases: ['accounts', 'sub accounts'],
    refresh: refreshOn('accountTree', (view) => ({ accountId: view.parent.id })),
    menu: { title: 'accounts', description: 'The sub accounts of the current account' },
  },
  {
    verb: 'switch',
    handler: switchPicker,
    aliases: ['switch', 'switch account'],
    argument: { words: ['switch'], fields: ['text'], example: 'switch north' },
    menu: { title: 'switch', description: 'switch [text]: switch to another account you administer' },
  },
  {
    verb: 'portal',
    handler: portal,
    aliases: ['portal', 'portals'],
    refresh: refreshOn('portalLinks', (view) => ({ accountId: view.account.id })),
    menu: { title: 'portal', description: 'Account Portal and Customer Portal links for the current account' },
  },
  {
    verb: 'subscriptions',
    handler: subscriptions,
    aliases: ['subscriptions', 'subs', 'licences', 'licenses'],
    // The editable card holds quantities being typed: refreshing it would wipe them.
    refresh: refreshOn('subscriptions', (view) => (view.editable ? undefined : { accountId: view.account.id })),
    menu: { title: 'subscriptions', description: 'Subscriptions and licence quantities of the current account' },
  },
  {
    verb: 'set',
    handler: set,
    argument: { words: ['set'], fields: ['sku', 'quantity'], example: 'set C2TU1 30' },
    menu: { title: 'set', description: 'set <sku> <quantity>: change a licence quantity, e.g. set C2TU1 25' },
  },
  {
    verb: 'history',
    handler: history,
    aliases: ['history'],
    refresh: refreshOn('subscriptionHistory', (view) => ({ accountId: view.account.id })),
    menu: { title: 'history', description: 'Recent subscription changes on the current account' },
  },
  {
    verb: 'help',
    handler: help,
    aliases: ['help', '?', 'hi', 'hello'],
    menu: { title: 'help', description: 'What Switchboard can do, including up and home' },
  },
  // Left out of the menu to stay within Teams' 10 commands: both are a button on every
  // "where am i" card ("Go up", "Home"), the help card lists them, and typing them works.
  { verb: 'up', handler: up, aliases: ['up', 'go up'] },
  { verb: 'home', handler: home, aliases: ['home'] },
  // Left out of the menu too (it is full): an *Offers* button on the "where am i" card of every
  // base level, and on the help card.
  {
    verb: 'offers',
    handler: offers,
    aliases: ['offers'],
    // The editable card holds toggles being set: refreshing it would reset them.
    refresh: refreshOn('offers', (view) => (view.editable ? undefined : { accountId: view.account.id })),
  },
  { verb: 'offer', handler: offer, argument: { words: ['offer'], fields: ['sku', 'state'], example: 'offer C2TUT off' } },
  // Left out of the menu too: on the help card, and what a notice's reader types to stop them.
  { verb: 'notices', handler: notices, argument: { words: ['notices'], fields: ['setting'], example: 'notices off' } },
  // Sent only by card buttons.
  { verb: 'switchTo', handler: switchTo },
  { verb: 'review', handler: review },
  { verb: 'edit', handler: edit },
  { verb: 'confirm', handler: confirm },
  { verb: 'reviewOffers', handler: reviewOffers },
  { verb: 'editOffers', handler: editOffers },
  { verb: 'confirmOffers', handler: confirmOffers },
];

/** The table, checked once and indexed for the router, the command parser, the refresh rule and the manifest. */
export class VerbTable {
  private readonly byVerb = new Map<string, VerbEntry>();
  private readonly byAlias = new Map<string, VerbEntry>();
  private readonly byWord = new Map<string, VerbEntry>();
  private readonly byView = new Map<ViewKind, VerbEntry>();

  constructor(readonly entries: readonly VerbEntry[]) {
    const claim = <K>(map: Map<K, VerbEntry>, key: K, entry: VerbEntry, what: string): void => {
      const holder = map.get(key);
      if (holder) throw new Error(`The verb table gives ${what} "${String(key)}" to both ${holder.verb} and ${entry.verb}.`);
      map.set(key, entry);
    };
    for (const entry of entries) {
      claim(this.byVerb, entry.verb, entry, 'the verb');
      for (const alias of entry.aliases ?? []) claim(this.byAlias, normalise(alias), entry, 'the command');
      for (const word of entry.argument?.words ?? []) {
        if (/\s/.test(word) || word !== word.toLowerCase()) throw new Error(`The verb table's command word "${word}" (${entry.verb}) must be one lower-case word.`);
        claim(this.byWord, word, entry, 'the command word');
      }
      if (entry.argument && entry.argument.fields.length === 0) throw new Error(`The verb table's ${entry.verb} takes text but names no field for it.`);
      if (entry.refresh) claim(this.byView, entry.refresh.view, entry, 'the refresh of view');
    }
  }

  handler(verb: string): Handler | undefined {
    return this.byVerb.get(verb)?.handler;
  }

  /** The verb a whole typed command (already lower-case, single-spaced) runs. */
  alias(command: string): VerbEntry | undefined {
    return this.byAlias.get(command);
  }

  /** The verb whose `<word> <text>` command starts with `word`. */
  commandWord(word: string): VerbEntry | undefined {
    return this.byWord.get(word);
  }

  /** The Action.Execute that re-reads `view` in group chats, or undefined when it must not refresh. */
  refresh(view: View): { readonly verb: string; readonly data: Readonly<Record<string, unknown>> } | undefined {
    const entry = this.byView.get(view.view);
    const data = entry?.refresh?.data(view);
    return entry && data ? { verb: entry.verb, data } : undefined;
  }

  /** The command menu, in table order. */
  menu(): { readonly title: string; readonly description: string }[] {
    return this.entries.flatMap((e) => (e.menu ? [{ title: e.menu.title, description: e.menu.description }] : []));
  }

  /** Typed commands not in the menu: the first alias or word of each verb that has no menu line. */
  leftOutOfMenu(): string[] {
    return this.entries.flatMap((e) => {
      const typed = e.aliases?.[0] ?? e.argument?.words[0];
      return !e.menu && typed !== undefined ? [typed] : [];
    });
  }
}

/** Typed text as the table's commands are written: single spaces, lower case. */
export function normalise(text: string): string {
  return text.replace(/\s+/g, ' ').trim().toLowerCase();
}

export const VERBS = new VerbTable(VERB_ENTRIES);
