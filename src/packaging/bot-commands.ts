/**
 * The text commands the bot offers in Teams' command menu (the manifest's commandLists).
 *
 * Manifest 1.24 raised the schema's limit to 12 commands a list for Copilot Studio agents, but
 * we keep to the classic Teams limits (10 commands, 32-character titles, 128-character
 * descriptions) so the menu shows the same in every Teams client.
 *
 * Left out to stay within 10: `up` and `home`. Both are a button on every "where am i" card
 * ("Go up", "Home"), the help card lists them, and typing them still works.
 */
export type BotScope = 'personal' | 'team' | 'groupChat';

export const BOT_SCOPES: readonly BotScope[] = ['personal', 'team', 'groupChat'];

export const COMMAND_LIMITS = { commandsPerList: 10, title: 32, description: 128 } as const;

export interface BotCommand {
  readonly title: string;
  readonly description: string;
}

/** Menu order: the everyday questions first, subscription changes next, help last. */
export const MENU_COMMANDS: readonly BotCommand[] = [
  { title: 'where am i', description: 'Which account you are on, and the path to it from your base account' },
  { title: 'find', description: 'find <text>: search the accounts you administer by name or id' },
  { title: 'open', description: 'open <name or id>: go to an account' },
  { title: 'accounts', description: 'The sub accounts of the current account' },
  { title: 'switch', description: 'Switch to another account you administer' },
  { title: 'portal', description: 'Account Portal and Customer Portal links for the current account' },
  { title: 'subscriptions', description: 'Subscriptions and licence quantities of the current account' },
  { title: 'set', description: 'set <sku> <quantity>: change a licence quantity, e.g. set C2TU1 25' },
  { title: 'history', description: 'Recent subscription changes on the current account' },
  { title: 'help', description: 'What Switchboard can do, including up and home' },
];

/** The commands not in the menu, and why: see the header. */
export const LEFT_OUT_OF_MENU: readonly string[] = ['up', 'home'];

export interface CommandList {
  readonly scopes: readonly BotScope[];
  readonly commands: readonly BotCommand[];
}

/** One list a scope: Teams asks for a separate command list for each scope the bot supports. */
export function commandLists(commands: readonly BotCommand[] = MENU_COMMANDS, scopes: readonly BotScope[] = BOT_SCOPES): CommandList[] {
  return scopes.map((scope) => ({ scopes: [scope], commands: commands.map(({ title, description }) => ({ title, description })) }));
}
