import type { BotHandler } from 'botbuilder';
import { SwitchboardBot } from '../../src/teams/bot';

/**
 * The bot answers messages and card actions itself (dispatch), not through ActivityHandler's
 * handler lists, so a handler registered for them would never run. Registering one fails loudly.
 */
describe('SwitchboardBot handler registration', () => {
  const bot = Object.create(SwitchboardBot.prototype) as SwitchboardBot;
  const handler: BotHandler = async (_context, next) => next();

  it.each([
    ['onTurn', () => bot.onTurn(handler)],
    ['onMessage', () => bot.onMessage(handler)],
    ['onDialog', () => bot.onDialog(handler)],
  ])('%s throws, naming where to add the behaviour', (_name, register) => {
    expect(register).toThrow(/answers messages and card actions in dispatch\(\)/);
  });
});
