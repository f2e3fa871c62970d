import { randomUUID } from 'node:crypto';
import { ALEX } from '../support/directories';
import { startLoggedServer, teamsActivity, type LoggedServer } from '../support/logged-server';

/**
 * A message whose fields have the wrong shape used to get no reply at all: the turn failed inside
 * botbuilder's mention handling (`.replace`, `.toLowerCase`, `recipient.id`) and the client got a
 * bare 500. Such activities get a 400 naming the field, before any turn runs; activities of the
 * right shape are unaffected.
 */
const alex = { aadObjectId: ALEX };

describe('activities whose fields have the wrong shape', () => {
  let bot: LoggedServer;
  beforeAll(async () => {
    bot = await startLoggedServer();
  });
  afterAll(() => bot.close());

  const message = (fields: Record<string, unknown>) => teamsActivity(alex, `conv-${randomUUID()}`, { type: 'message', text: 'where am i', ...fields });
  const mention = { type: 'mention', text: '<at>Switchboard</at>', mentioned: { id: '28:switchboard', name: 'Switchboard' } };

  it.each<[string, Record<string, unknown>, string]>([
    ['a numeric text', { text: 42 }, '"text" must be a string'],
    ['an object as text', { text: { value: 'where am i' } }, '"text" must be a string'],
    ['entities as an object', { entities: { type: 'mention' } }, '"entities" must be an array'],
    ['entities as a string', { entities: 'mention' }, '"entities" must be an array'],
    ['null entities', { entities: null }, '"entities" must be an array'],
    ['an entity that is not an object', { entities: ['mention'] }, 'each of "entities" must be an object with a string "type"'],
    ['an entity without a type', { entities: [{ text: 'x' }] }, 'each of "entities" must be an object with a string "type"'],
    ['a mention without "mentioned"', { entities: [{ type: 'mention', text: '<at>x</at>' }] }, 'a mention entity needs "mentioned.id" (a string)'],
    ['a mention whose text is not a string', { entities: [{ ...mention, text: 5 }] }, 'a mention entity\'s "text" must be a string'],
    ['a mention on a message without text', { text: undefined, entities: [mention] }, 'a message with a mention needs its "text"'],
    ['no recipient', { recipient: undefined }, 'the activity has no "recipient.id"'],
    ['a numeric recipient id', { recipient: { id: 28 } }, 'the activity has no "recipient.id"'],
    ['attachments as an object', { attachments: { contentType: 'x' } }, '"attachments" must be an array of objects'],
    ['an attachment that is not an object', { attachments: ['x'] }, '"attachments" must be an array of objects'],
    ['channelData as a string', { channelData: 'tenant' }, '"channelData" must be an object'],
    ['a numeric conversation tenant id', { conversation: { id: 'c', tenantId: 5 } }, '"conversation.tenantId" must be a string'],
    ['a numeric from.aadObjectId', { from: { id: 'x', aadObjectId: 7 } }, '"from.aadObjectId" must be a string'],
    ['membersAdded as an object', { type: 'conversationUpdate', membersAdded: { id: 'x' } }, '"membersAdded" must be an array of accounts with a string "id"'],
    ['a member that is null', { type: 'conversationUpdate', membersAdded: [null] }, '"membersAdded" must be an array of accounts with a string "id"'],
  ])('answers %s with 400 saying what is wrong', async (_what, fields, expected) => {
    const activity = message(fields);
    const reply = await bot.post(activity);
    expect({ status: reply.status, body: reply.body }).toEqual({ status: 400, body: { error: 'BadRequest', message: expected } });
    expect(bot.records().filter((r) => r.correlationId === activity.id)).toEqual([]);
  });

  it.each<[string, Record<string, unknown>]>([
    ['plain text', {}],
    ['null text (a card submit)', { text: null, value: { verb: 'whereAmI' } }],
    ['a mention of the bot', { text: '<at>Switchboard</at> where am i', entities: [mention] }],
    ['a clientInfo entity', { entities: [{ type: 'clientInfo', locale: 'en-GB' }] }],
    ['an attachment', { attachments: [{ contentType: 'text/html', content: '<p>where am i</p>' }] }],
  ])('still answers a message with %s', async (_what, fields) => {
    const reply = await bot.post(message(fields));
    expect(reply.status).toBe(200);
    expect(reply.body.activities.length).toBeGreaterThanOrEqual(1);
  });

  it('logged no server error', () => {
    expect(bot.records().filter((r) => r.level >= 50)).toEqual([]);
  });
});
