import { ActivityTypes, INVOKE_RESPONSE_KEY, TurnContext, type Activity, type BotAdapter, type ResourceResponse } from 'botbuilder';
import { SwitchboardTurnContext } from '../../src/teams/switchboard-turn-context';

/**
 * SwitchboardTurnContext sends as botbuilder's TurnContext sends, in native async code. Each case
 * runs the same sends through both and compares everything a caller or the adapter can see.
 */
const incoming = (fields: Partial<Activity> = {}): Partial<Activity> => ({
  type: ActivityTypes.Message,
  id: 'in-1',
  text: 'where am i',
  channelId: 'msteams',
  serviceUrl: 'https://smba.trafficmanager.net/emea/',
  locale: 'en-GB',
  conversation: { id: 'c1', isGroup: false, conversationType: 'personal', name: 'chat' },
  from: { id: 'u1', name: 'Alex', aadObjectId: 'a1' },
  recipient: { id: 'b1', name: 'Switchboard' },
  ...fields,
});

type Send = (context: TurnContext) => Promise<unknown>;

async function observe(make: (adapter: BotAdapter, request: Partial<Activity>) => TurnContext, request: Partial<Activity>, send: Send) {
  const toAdapter: unknown[] = [];
  const adapter = {
    sendActivities: async (_context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> => {
      toAdapter.push(structuredClone(activities));
      return activities.map((_, i) => ({ id: `sent-${i}` }));
    },
  } as unknown as BotAdapter;
  const context = make(adapter, request);
  const returned = await send(context);
  return {
    returned,
    toAdapter,
    buffered: structuredClone(context.bufferedReplyActivities),
    responded: context.responded,
    invokeResponse: context.turnState.get(INVOKE_RESPONSE_KEY),
  };
}

const cases: [string, Partial<Activity>, Send][] = [
  ['text with speak and input hint', incoming(), (c) => c.sendActivity('hello', 'hello there', 'expectingInput')],
  ['plain text', incoming(), (c) => c.sendActivity('hello')],
  ['an activity with an id and no type', incoming(), (c) => c.sendActivity({ id: 'mine', text: 'x', attachments: [] })],
  ['several, a trace among them', incoming(), (c) => c.sendActivities([{ type: ActivityTypes.Trace, name: 't' }, { text: 'a' }, { type: ActivityTypes.Message, text: 'b', locale: 'fr-FR' }])],
  ['only a trace', incoming(), (c) => c.sendActivities([{ type: ActivityTypes.Trace, name: 't' }])],
  ['expectReplies: buffered', incoming({ deliveryMode: 'expectReplies' }), (c) => c.sendActivities([{ text: 'one' }, { text: 'two', id: 'x' }])],
  ['expectReplies: an invoke response', incoming({ deliveryMode: 'expectReplies', type: ActivityTypes.Invoke }), (c) => c.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 200 } })],
  ['an invoke response to the adapter', incoming({ type: ActivityTypes.Invoke, name: 'adaptiveCard/action' }), (c) => c.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 200, body: { a: 1 } } })],
  ['a reply to a reply (replyToId from the incoming id)', incoming({ id: 'in-2', replyToId: 'older' }), (c) => c.sendActivity({ text: 'r' })],
];

describe('SwitchboardTurnContext sends as TurnContext does', () => {
  it.each(cases)('%s', async (_name, request, send) => {
    const library = await observe((a, r) => new TurnContext(a, r), request, send);
    const ours = await observe((a, r) => new SwitchboardTurnContext(a, r), request, send);
    expect(ours).toEqual(library);
    expect(JSON.stringify(ours)).toBe(JSON.stringify(library));
  });

  it('runs onSendActivities handlers, through the library', async () => {
    const send: Send = async (c) => {
      c.onSendActivities(async (_ctx, activities, next) => {
        activities.forEach((a) => (a.text = `${a.text ?? ''}!`));
        return next();
      });
      return c.sendActivity('hey');
    };
    const library = await observe((a, r) => new TurnContext(a, r), incoming(), send);
    const ours = await observe((a, r) => new SwitchboardTurnContext(a, r), incoming(), send);
    expect(ours).toEqual(library);
    expect(ours.toAdapter).toEqual([[expect.objectContaining({ text: 'hey!' })]]);
  });
});
