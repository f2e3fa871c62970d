import { ALEX } from '../support/directories';
import { CARD_MODES, BotClient, textOf } from '../support/bot-client';

const alex = { aadObjectId: ALEX };

/** Words that only make sense for something the admin clicked. */
const CARD_WORDING = /\b(card|button)\b/i;

/**
 * Typed commands and card buttons reach the same handlers, but a mistake is told in the words of
 * what the admin used: a typed command is never blamed on a card, and a card still is.
 */
describe.each(CARD_MODES)('mistakes worded for how the action arrived, over real HTTP (%s buttons)', (mode) => {
  let bot: BotClient;
  beforeAll(async () => {
    bot = await BotClient.start({}, mode);
    await bot.say(alex, 'open acme-dental');
  });
  afterAll(() => bot.close());

  const long = `find ${'dental '.repeat(286).slice(0, 1995)}`;

  it.each([
    ['constructor', 'constructor', '“constructor” is not a Switchboard command.'],
    ['__proto__', '__proto__', '“__proto__” is not a Switchboard command.'],
    ['toString', 'toString', '“toString” is not a Switchboard command.'],
    ['a 2,000-character find', long, 'The command is too long: type something shorter after "find". For example: find dental'],
    ['a 2,000-character open', `open ${'x'.repeat(1995)}`, 'The command is too long: type something shorter after "open". For example: open Contoso'],
    ['set C2TU1 -3', 'set C2TU1 -3', 'A quantity cannot be below 0: the command takes a whole number of licences. For example: set C2TU1 30'],
    ['set C2TU1 lots', 'set C2TU1 lots', '“lots” is not a quantity: the command takes a whole number of licences. For example: set C2TU1 30'],
  ])('typed %s gets a message about the command', async (_label, typed, message) => {
    const [card] = await bot.say(alex, typed);
    const text = textOf(card!);
    expect(text).toContain(message);
    expect(text).not.toMatch(CARD_WORDING);
  });

  it('leaves a typed mistake that is about the account to the subscriptions card', async () => {
    // The quantity is a number, so the command is fine; the account's own rule refuses it.
    const [card] = await bot.say(alex, 'set C2TU1 3');
    expect(textOf(card!)).toContain('18 licences are assigned to users, so the quantity cannot go below 18.');
  });

  it.each(['constructor', '__proto__', 'toString'])('a card button with the verb "%s" still gets card wording', async (verb) => {
    const clicked = textOf(await bot.execute(alex, verb));
    expect(clicked).toContain('The card sent an action Switchboard does not understand.');
    const [submitted] = await bot.submit(alex, { verb });
    expect(textOf(submitted!)).toContain('The card sent an action Switchboard does not understand.');
  });

  it('a card with an over-long query still gets card wording, from Action.Execute and Action.Submit', async () => {
    const query = long.slice('find '.length);
    expect(textOf(await bot.execute(alex, 'find', { query }))).toContain('The button sent an invalid "query"');
    const [submitted] = await bot.submit(alex, { verb: 'find', query });
    expect(textOf(submitted!)).toContain('The button sent an invalid "query"');
  });

  it('a card that sends an unreadable quantity gets the subscriptions card, as before', async () => {
    for (const quantity of ['-3', 'lots']) {
      const text = textOf(await bot.execute(alex, 'set', { sku: 'C2TU1', quantity }));
      expect(text).toContain('1 line needs attention. Nothing was applied.');
      expect(text).toContain('Enter a whole number from 0 to 10,000.');
      expect(text).not.toContain('the command');
    }
  });
});
