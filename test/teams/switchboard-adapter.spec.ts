import { ActivityTypes, ConfigurationBotFrameworkAuthentication, type Activity, type TurnContext } from 'botbuilder';
import { SwitchboardAdapter } from '../../src/teams/switchboard-adapter';

/**
 * The adapter runs a turn's steps itself (not through CloudAdapterBase.processActivity). These
 * are the answers botbuilder gave that no end-to-end test reaches: a turn whose logic throws,
 * an invoke nobody answered, and adapter middleware, which this adapter does not run.
 */
const activity = (fields: Partial<Activity>): Activity =>
  ({
    id: 'a1',
    channelId: 'msteams',
    serviceUrl: 'https://smba.trafficmanager.net/emea/',
    conversation: { id: 'c1' },
    from: { id: 'u1' },
    recipient: { id: 'b1' },
    ...fields,
  }) as Activity;

describe('SwitchboardAdapter turns', () => {
  const adapter = () => new SwitchboardAdapter(new ConfigurationBotFrameworkAuthentication({}));

  it('hands a failing turn to onTurnError; an invoke left unanswered is a 501, as botbuilder answers it', async () => {
    const a = adapter();
    const seen: string[] = [];
    a.onTurnError = async (_context, error) => {
      seen.push(error.message);
    };
    const answer = await a.answer('', activity({ type: ActivityTypes.Invoke, name: 'adaptiveCard/action' }), async () => {
      throw new Error('boom');
    });
    expect(seen).toEqual(['boom']);
    expect(answer).toEqual({ status: 501, body: undefined });
  });

  it('rethrows a failing turn when there is no onTurnError', async () => {
    await expect(adapter().answer('', activity({ type: ActivityTypes.Message, text: 'hi' }), async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
  });

  it('answers expectReplies with the replies the turn sent, and an invoke with its invoke response', async () => {
    const a = adapter();
    const replies = await a.answer('', activity({ type: ActivityTypes.Message, text: 'hi', deliveryMode: 'expectReplies', locale: 'en-GB' }), async (context: TurnContext) => {
      expect(context.locale).toBe('en-GB');
      await context.sendActivity('one');
      await context.sendActivity('two');
    });
    expect(replies.status).toBe(200);
    expect((replies.body as { activities: Activity[] }).activities.map((r) => r.text)).toEqual(['one', 'two']);

    const invoke = await a.answer('', activity({ type: ActivityTypes.Invoke, name: 'adaptiveCard/action' }), async (context) => {
      await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 200, body: { ok: true } } });
    });
    expect(invoke).toEqual({ status: 200, body: { ok: true } });
  });

  it('refuses middleware, which it would not run', () => {
    expect(() => adapter().use(async (_context, next) => next())).toThrow(/runs no middleware/);
  });
});
