import { LEFT_OUT_OF_MENU, MENU_COMMANDS } from '../../src/packaging/bot-commands';
import { parseCommand } from '../../src/teams/commands';

describe('the command menu and the command parser agree', () => {
  const all = [...MENU_COMMANDS.map((c) => c.title), ...LEFT_OUT_OF_MENU];

  it.each(all)('"%s" is a command the bot understands', (title) => {
    expect(parseCommand(title).verb).not.toBe('unknown');
  });
});
