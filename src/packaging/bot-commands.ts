import { VERBS } from '../teams/verbs';

/**
 * The text commands the bot offers in Teams' command menu (the manifest's commandLists), read
 * from the verb table (src/teams/verbs.ts): each verb's `menu` line, in table order.
 *
 * Manifest 1.24 raised the schema's limit to 12 commands a list for Copilot Studio agents, but
 * we keep to the classic Teams limits (10 commands, 32-character titles, 128-character
 * descriptions) so the menu shows the same in every Teams client.
 *
 * Left out to stay within 10: `up` and `home` (the table says why).
 */
export type BotScope = 'personal' | 'team' | 'groupChat';

export const BOT_SCOPES: readonly BotScope[] = ['personal', 'team', 'groupChat'];

export const COMMAND_LIMITS = { commandsPerList: 10, title: 32, description: 128 } as const;

export interface BotCommand {
  readonly title: string;
  readonly description: string;
}

/** Menu order: the everyday questions first, subscription changes next, help last. */
export const MENU_COMMANDS: readonly BotCommand[] = VERBS.menu();

/** The typed commands not in the menu, and why: see the header. */
export const LEFT_OUT_OF_MENU: readonly string[] = VERBS.leftOutOfMenu();

export interface CommandList {
  readonly scopes: readonly BotScope[];
  readonly commands: readonly BotCommand[];
}

/** One list a scope: Teams asks for a separate command list for each scope the bot supports. */
export function commandLists(commands: readonly BotCommand[] = MENU_COMMANDS, scopes: readonly BotScope[] = BOT_SCOPES): CommandList[] {
  return scopes.map((scope) => ({ scopes: [scope], commands: commands.map(({ title, description }) => ({ title, description })) }));
}
