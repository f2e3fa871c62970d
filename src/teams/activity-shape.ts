import { isRecord } from './action-request';

/**
 * The least an activity must carry before botbuilder sees it, and the shape of every field that
 * botbuilder or Switchboard reads without looking. botbuilder answers 500 for a body without
 * these, and a field of the wrong type (a numeric `text`, `entities` that is not an array, a
 * mention without `mentioned`) fails the turn inside its mention handling, so the user got no
 * reply at all. A malformed request is the client's fault: it gets a 400 that says why.
 */
export function activityProblem(body: unknown): string | undefined {
  if (!isRecord(body)) return 'the body must be a JSON object (a Bot Framework activity)';
  if (typeof body.type !== 'string' || !body.type) return 'the activity has no "type"';
  if (!isRecord(body.conversation) || typeof body.conversation.id !== 'string') return 'the activity has no "conversation.id"';
  if (!isRecord(body.from) || typeof body.from.id !== 'string') return 'the activity has no "from.id"';
  if (typeof body.channelId !== 'string' || !body.channelId) return 'the activity has no "channelId"';
  if (body.serviceUrl !== undefined && typeof body.serviceUrl !== 'string') return '"serviceUrl" must be a string';
  // TurnContext.removeRecipientMention reads recipient.id on every message.
  if (!isRecord(body.recipient) || typeof body.recipient.id !== 'string') return 'the activity has no "recipient.id"';
  if (!optional(body.conversation.tenantId, isString)) return '"conversation.tenantId" must be a string';
  if (!optional(body.from.aadObjectId, isString)) return '"from.aadObjectId" must be a string';
  if (body.text !== undefined && body.text !== null && typeof body.text !== 'string') return '"text" must be a string';
  const entities = entitiesProblem(body);
  if (entities) return entities;
  if (!optional(body.attachments, (a) => Array.isArray(a) && a.every(isRecord))) return '"attachments" must be an array of objects';
  if (body.channelData !== undefined && body.channelData !== null && !isRecord(body.channelData)) return '"channelData" must be an object';
  for (const name of ['membersAdded', 'membersRemoved'] as const) {
    if (!optional(body[name], (m) => Array.isArray(m) && m.every((a) => isRecord(a) && typeof a.id === 'string'))) {
      return `"${name}" must be an array of accounts with a string "id"`;
    }
  }
  return undefined;
}

/** botbuilder's getMentions walks `entities` as an array and lower-cases each `type`; removeMentionText reads `mentioned.id` and edits `text`. */
function entitiesProblem(body: Record<string, unknown>): string | undefined {
  if (body.entities === undefined) return undefined;
  if (!Array.isArray(body.entities)) return '"entities" must be an array';
  let mentions = false;
  for (const entity of body.entities as unknown[]) {
    if (!isRecord(entity) || typeof entity.type !== 'string') return 'each of "entities" must be an object with a string "type"';
    if (entity.type.toLowerCase() !== 'mention') continue;
    mentions = true;
    if (!isRecord(entity.mentioned) || typeof entity.mentioned.id !== 'string') return 'a mention entity needs "mentioned.id" (a string)';
    if (!optional(entity.text, isString)) return 'a mention entity\'s "text" must be a string';
  }
  if (mentions && typeof body.text !== 'string') return 'a message with a mention needs its "text"';
  return undefined;
}

const isString = (value: unknown): value is string => typeof value === 'string';

/** Absent, or of the right shape. */
function optional(value: unknown, check: (value: unknown) => boolean): boolean {
  return value === undefined || check(value);
}

/**
 * Switchboard trusts `from.aadObjectId` as the caller's identity, which only the Teams channel
 * vouches for; botbuilder never checks `channelId` against the token. So only the channels
 * allowed (msteams, and the emulator in local development when asked for by name) get in.
 */
export function channelProblem(body: Record<string, unknown>, allowed: readonly string[]): { channelId: string; reason: string } | undefined {
  const channelId = String(body.channelId);
  if (allowed.includes(channelId)) return undefined;
  return { channelId: channelId.slice(0, 60), reason: `channel "${channelId.slice(0, 60)}" is not one of ${allowed.join(', ')}` };
}
