import { randomUUID } from 'node:crypto';
import { noticeId } from '../../src/app/change-notices';
import { idempotencyKey } from '../../src/app/subscription-changes';
import { BotClient, buttonOf, click, textOf, type Card, type Person } from './bot-client';
import type { ConnectorCall, ConnectorStandIn } from './connector-stand-in';
import { TENANT } from './directories';

/** The install of the app in a person's personal scope, as Teams sends it (through the stand-in's serviceUrl). */
export function installActivity(standIn: ConnectorStandIn, person: Person, conversationId: string, action = 'add'): Record<string, unknown> {
  return {
    id: randomUUID(),
    type: 'installationUpdate',
    action,
    channelId: 'msteams',
    serviceUrl: standIn.url,
    from: { id: `29:${person.aadObjectId}`, name: 'Test user', aadObjectId: person.aadObjectId },
    recipient: { id: '28:switchboard', name: 'Switchboard' },
    conversation: { id: conversationId, tenantId: TENANT, conversationType: 'personal' },
    channelData: { tenant: { id: TENANT } },
  };
}

/** Proactive messages the stand-in accepted in a conversation (new messages, not replies or updates). */
export function acceptedSends(standIn: ConnectorStandIn, conversationId: string): ConnectorCall[] {
  return standIn.calls.filter((c) => c.route === 'send' && c.conversationId === conversationId && c.status === 201);
}

/** The text of the card a proactive message carried. */
export function sentCardText(call: ConnectorCall): string {
  return textOf(call.body.attachments[0].content as Card);
}

/** Posts the app's install in `person`'s personal chat to a bot at `botUrl`; the HTTP status. */
export async function install(botUrl: string, standIn: ConnectorStandIn, person: Person, conversationId: string): Promise<number> {
  const response = await fetch(`${botUrl}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(installActivity(standIn, person, conversationId)) });
  return response.status;
}

export async function waitFor(what: string, condition: () => boolean, timeoutMs = 10_000, detail?: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${detail ? `: ${detail()}` : ''}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Review and confirm `set <sku> <quantity>` on an account; the ids the change's notices get, by recipient. */
export async function changeAs(client: BotClient, person: Person, accountId: string, sku: string, quantity: number): Promise<{ done: Card; noticeIdFor: (recipient: Person) => string }> {
  await client.say(person, `open ${accountId}`);
  const [review] = await client.say(person, `set ${sku} ${quantity}`);
  const reviewId = String(buttonOf(review!, 'Update Subscriptions').data.reviewId);
  const done = await click(client, person, review!, 'Update Subscriptions');
  const actionId = idempotencyKey(accountId, { tenantId: TENANT, aadObjectId: person.aadObjectId }, reviewId);
  return { done, noticeIdFor: (recipient) => noticeId(actionId, { tenantId: TENANT, aadObjectId: recipient.aadObjectId }) };
}
