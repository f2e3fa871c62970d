import { randomUUID } from 'node:crypto';
import { noticeId } from '../../src/app/change-notices';
import { idempotencyKey } from '../../src/app/confirmations';
import { startChildServer, type ChildServer } from '../support/child-server';
import { startConnectorStandIn } from '../support/connector-stand-in';
import { ALEX, DEMO_FILE, MEGAN, TENANT, tempDir } from '../support/directories';
import { acceptedSends, installActivity, waitFor } from '../support/notices';

const post = (url: string, body: unknown) => fetch(`${url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

function alexSays(fields: Record<string, unknown>): Record<string, unknown> {
  return {
    id: randomUUID(),
    channelId: 'msteams',
    serviceUrl: 'https://smba.trafficmanager.net/teams/',
    from: { id: '29:alex', aadObjectId: ALEX },
    recipient: { id: '28:bot' },
    conversation: { id: 'alex-chat', tenantId: TENANT, conversationType: 'personal' },
    ...fields,
  };
}

/** Alex reviews `set T2TU80 q` on ashdown-freight and confirms; the notice id Megan's notice gets, and whether it was acknowledged. */
async function change(server: ChildServer, quantity: number): Promise<{ id: string; acknowledged: Promise<boolean> }> {
  const review = await (await post(server.url, alexSays({ type: 'message', text: `set T2TU80 ${quantity}`, deliveryMode: 'expectReplies' }))).json();
  const update = review.activities[0].attachments[0].content.actions.find((a: { title: string }) => a.title === 'Update Subscriptions');
  const acknowledged = post(server.url, alexSays({ type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb: update.verb, data: update.data } } }))
    .then(async (r) => r.status === 200 && JSON.stringify(await r.json()).includes('Subscriptions updated'))
    .catch(() => false);
  const actionId = idempotencyKey('ashdown-freight', { tenantId: TENANT, aadObjectId: ALEX }, update.data.reviewId);
  return { id: noticeId(actionId, { tenantId: TENANT, aadObjectId: MEGAN }), acknowledged };
}

describe('a server killed with SIGKILL during a burst of changes that cause notices', () => {
  it('delivers the notice of every acknowledged change after restart, each id accepted once, or twice at most when the kill fell between send and settle', async () => {
    const standIn = await startConnectorStandIn();
    const env = { DATA_DIR: tempDir(), DIRECTORY_FILE: DEMO_FILE, NOTICE_POLL_MS: '100' };
    const meganChat = 'megan-chat';
    const acknowledged: string[] = [];
    const sent: string[] = [];
    try {
      for (let round = 0; round < 2; round++) {
        const server = await startChildServer(env);
        if (round === 0) expect((await post(server.url, installActivity(standIn, { aadObjectId: MEGAN }, meganChat))).status).toBe(200);
        expect((await post(server.url, alexSays({ type: 'message', text: 'open ashdown-freight', deliveryMode: 'expectReplies' }))).status).toBe(200);
        const pending: Promise<void>[] = [];
        const killAfter = 5 + round * 3;
        for (let i = 0; i < killAfter + 2; i++) {
          const made = await change(server, 130 + round * 20 + i).catch(() => undefined);
          if (!made) break;
          sent.push(made.id);
          pending.push(made.acknowledged.then((ok) => void (ok && acknowledged.push(made.id))));
          if (i === killAfter) await server.kill('SIGKILL');
          else await pending.at(-1);
        }
        await Promise.all(pending);
        await server.kill('SIGKILL');
      }
      expect(acknowledged.length).toBeGreaterThanOrEqual(10);

      const server = await startChildServer(env);
      try {
        const delivered = () => new Set(acceptedSends(standIn, meganChat).map((c) => c.body.id as string));
        await waitFor('every acknowledged notice', () => acknowledged.every((id) => delivered().has(id)), 40_000, () => `missing ${acknowledged.filter((id) => !delivered().has(id)).join(', ')}:\n${server.output().slice(-3000)}`);
        await new Promise((r) => setTimeout(r, 500)); // anything left would go out now
        const ids = acceptedSends(standIn, meganChat).map((c) => c.body.id as string);
        // Nothing invented: every id delivered belongs to a confirmation that was sent.
        for (const id of ids) expect(sent).toContain(id);
        // Each at most twice: a resend only for a notice whose settle the kill cut off.
        const counts = new Map<string, number>();
        for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
        expect(Math.max(...counts.values())).toBeLessThanOrEqual(2);
        const resent = [...counts.values()].filter((n) => n === 2).length;
        expect(resent).toBeLessThanOrEqual(2); // one kill a round, one notice in flight each
        console.info(`notices: ${sent.length} confirmations sent, ${acknowledged.length} acknowledged, ${counts.size} delivered, ${resent} resent with the same id`);
      } finally {
        await server.kill('SIGKILL');
      }
    } finally {
      await standIn.close();
    }
  }, 120_000);
});
