import { isRecord } from './action-request';

/**
 * The least an activity must carry before botbuilder sees it. botbuilder answers 500 for a body
 * without these; a malformed request is the client's fault, so it gets a 400 that says why.
 */
export function activityProblem(body: unknown): string | undefined {
  if (!isRecord(body)) return 'the body must be a JSON object (a Bot Framework activity)';
  if (typeof body.type !== 'string' || !body.type) return 'the activity has no "type"';
  if (!isRecord(body.conversation) || typeof body.conversation.id !== 'string') return 'the activity has no "conversation.id"';
  if (!isRecord(body.from) || typeof body.from.id !== 'string') return 'the activity has no "from.id"';
  if (typeof body.channelId !== 'string' || !body.channelId) return 'the activity has no "channelId"';
  if (body.serviceUrl !== undefined && typeof body.serviceUrl !== 'string') return '"serviceUrl" must be a string';
  return undefined;
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
