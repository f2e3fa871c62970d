import { randomUUID } from 'node:crypto';
import { idempotencyKey } from '../../src/app/subscription-changes';
import { EmbeddedDirectory } from '../../src/directory/embedded/embedded-directory';
import { DEMO_FILE, TENANT, tempDir } from '../support/directories';
import { startChildServer } from '../support/child-server';

const ALEX = '00000000-0000-0000-0000-0000000000020';

/** One confirmed change over HTTP: review `set C2TU1 q`, then press Update Subscriptions. */
async function change(url: string, quantity: number): Promise<{ actionId: string; acknowledged: Promise<boolean> }> {
  const activity = (fields: Record<string, unknown>) => ({
    id: randomUUID(),
    channelId: 'msteams',
    serviceUrl: 'https://smba.trafficmanager.net/teams/',
    from: { id: '29:alex', aadObjectId: ALEX },
    recipient: { id: '28:bot' },
    conversation: { id: 'crash-test', tenantId: TENANT },
    ...fields,
  });
  const post = (body: unknown) =>
    fetch(`${url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const review = await (await post(activity({ type: 'message', text: `set C2TU1 ${quantity}`, deliveryMode: 'expectReplies' }))).json();
  const card = review.activities[0].attachments[0].content;
  const update = card.actions.find((a: { title: string }) => a.title === 'Update Subscriptions');
  const acknowledged = post(activity({ type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb: update.verb, data: update.data } } }))
    .then(async (r) => r.status === 200 && JSON.stringify(await r.json()).includes('Subscriptions updated'))
    .catch(() => false);
  // The audit trail stores the review id as an idempotency key scoped to account and admin.
  return { actionId: idempotencyKey('acme-dental', { tenantId: TENANT, aadObjectId: ALEX }, update.data.reviewId), acknowledged };
}

describe('a server killed with SIGKILL during a stream of subscription changes', () => {
  it('keeps every acknowledged change, and the directory and its audit trail agree after restart', async () => {
    const dataDir = tempDir();
    const env = { DATA_DIR: dataDir, DIRECTORY_FILE: DEMO_FILE };
    const acknowledged: { actionId: string; quantity: number }[] = [];
    const inFlight: { actionId: string; quantity: number }[] = [];

    for (let round = 0; round < 3; round++) {
      const server = await startChildServer(env);
      const prepare = await fetch(`${server.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          type: 'message', text: 'open acme-dental', channelId: 'msteams', deliveryMode: 'expectReplies', serviceUrl: 'https://smba.trafficmanager.net/teams/',
          from: { id: '29:alex', aadObjectId: ALEX }, recipient: { id: '28:bot' }, conversation: { id: 'crash-test', tenantId: TENANT },
        }),
      });
      expect(prepare.status).toBe(200);
      // Kill at a different moment each round, while confirmations are in flight.
      const killAfter = 4 + round * 3;
      const pending: Promise<void>[] = [];
      for (let i = 0; i < killAfter + 3; i++) {
        const quantity = 20 + round * 100 + i;
        const { actionId, acknowledged: ack } = await change(server.url, quantity).catch(() => ({ actionId: '', acknowledged: Promise.resolve(false) }));
        if (!actionId) break;
        inFlight.push({ actionId, quantity });
        pending.push(ack.then((ok) => void (ok && acknowledged.push({ actionId, quantity }))));
        if (i === killAfter) await server.kill('SIGKILL');
        else if (i < killAfter) await pending[pending.length - 1];
      }
      await Promise.all(pending);
      await server.kill('SIGKILL');
    }
    expect(acknowledged.length).toBeGreaterThanOrEqual(12);

    const directory = await EmbeddedDirectory.open({ seedFile: DEMO_FILE, dataDir });
    try {
      const account = (await directory.getAccount('acme-dental'))!;
      const trail = (await directory.auditTrail('acme-dental', 1000)).reverse();
      // Every acknowledged change is there.
      const applied = new Set(trail.map((e) => e.actionId));
      for (const { actionId } of acknowledged) expect(applied.has(actionId)).toBe(true);
      // Anything else that is there was a confirmation that was sent (wholly applied, not invented).
      const sent = new Set(inFlight.map((c) => c.actionId));
      for (const entry of trail) expect(sent.has(entry.actionId)).toBe(true);
      // The audit trail and the subscriptions agree: each entry starts where the previous ended,
      // the version counts the changes, and the last entry is the quantity now.
      expect(Number(account.version)).toBe(1 + trail.length);
      let quantity = 18; // acme-dental's C2TU1 in the demo directory
      for (const entry of trail) {
        expect(entry.lines).toHaveLength(1);
        expect(entry.lines[0]!.oldQuantity).toBe(quantity);
        quantity = entry.lines[0]!.newQuantity;
      }
      expect(account.subscriptions.find((s) => s.sku === 'C2TU1')!.quantity).toBe(quantity);
    } finally {
      await directory.close();
    }
  }, 90_000);
});
