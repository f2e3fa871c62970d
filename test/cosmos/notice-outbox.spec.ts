import { DEFAULT_NAVIGATOR_OPTIONS, Navigator } from '../../src/app/navigator';
import { SubscriptionChanges } from '../../src/app/subscription-changes';
import type { SubscriptionReviewView } from '../../src/app/views';
import { CosmosDirectory } from '../../src/directory/cosmos/cosmos-directory';
import { CosmosStateStorage } from '../../src/directory/cosmos/cosmos-state-storage';
import { LASTING_STATE_PREFIX } from '../../src/directory/stores';
import { NoticeSubscribers } from '../../src/teams/notice-subscribers';
import { readDirectoryFile } from '../../src/directory/directory-file';
import type { ChangeNotice } from '../../src/domain/notices';
import { DEFAULT_PORTAL_TEMPLATES } from '../../src/domain/portals';
import { cosmosDirectoryWith, useCosmosStandIn } from '../support/cosmos-server';
import { ALEX, DEMO_FILE, ISAIAH, TENANT } from '../support/directories';

/**
 * The Cosmos DB outbox with two instances on one database: a change's notices are created in the
 * change's own batch, and each notice is claimed (ETag-conditional lease) by one instance only.
 */
const suite = useCosmosStandIn();
const alex = { tenantId: TENANT, aadObjectId: ALEX };

async function twoInstances(): Promise<{ a: CosmosDirectory; b: CosmosDirectory }> {
  const { directory: a, containers, client } = await cosmosDirectoryWith(suite.standIn, readDirectoryFile(DEMO_FILE));
  const b = new CosmosDirectory(containers);
  suite.clients.push(client);
  suite.directories.push(a, b);
  return { a, b };
}

/** Alex changes acme-dental's C2TU1 through `directory`: Isaiah (its own Subscription Contributor) is the one to tell. */
async function changeThrough(directory: CosmosDirectory, quantity: number): Promise<void> {
  const changes = new SubscriptionChanges(directory, new Navigator(directory, { ...DEFAULT_NAVIGATOR_OPTIONS, portals: DEFAULT_PORTAL_TEMPLATES }), { maxQuantity: 10_000, historyLimit: 20 });
  const review = (await changes.review(alex, undefined, 'acme-dental', undefined, { C2TU1: String(quantity) })).view as SubscriptionReviewView;
  expect((await changes.confirm(alex, undefined, 'acme-dental', review.version, review.reviewId, review.entered)).view.view).toBe('subscriptionsUpdated');
}

describe('notice preferences and personal chats in the Cosmos DB bot state', () => {
  it('are written without the ttl that positions get, so an "off" never lapses', async () => {
    const { containers, client } = await cosmosDirectoryWith(suite.standIn, readDirectoryFile(DEMO_FILE));
    suite.clients.push(client);
    const storage = new CosmosStateStorage(containers.state, undefined, 90, (key) => key.startsWith(LASTING_STATE_PREFIX));
    const caller = { tenantId: TENANT, aadObjectId: ISAIAH };
    await new NoticeSubscribers(storage).setPreferences(caller, { changeNotices: false, digest: true, digestAt: '08:00' });
    await storage.write({ 'msteams/conversations/c/users/u/': { position: { accountId: 'a', scopeRootId: 'a' } } });
    const { resources } = await containers.state.items.query<{ key: string; ttl?: number }>('SELECT c.key, c.ttl FROM c').fetchAll();
    expect(resources.find((d) => d.key === NoticeSubscribers.preferencesKey(caller))?.ttl).toBeUndefined();
    expect(resources.find((d) => d.key === 'msteams/conversations/c/users/u/')?.ttl).toBe(90 * 86_400);
    expect(await new NoticeSubscribers(storage).preferences(caller)).toEqual({ changeNotices: false, digest: true, digestAt: '08:00', timeZone: 'UTC', reachable: false });
  });
});

describe('the Cosmos DB notice outbox', () => {
  it('hands each notice of a burst to exactly one of two instances claiming at once, and is empty once they settle them', async () => {
    const { a, b } = await twoInstances();
    for (let i = 0; i < 6; i++) await changeThrough(a, 30 + i);

    const claimedBy = new Map<string, string[]>();
    const claimed: ChangeNotice[] = [];
    const claimer = (directory: CosmosDirectory, owner: string) => async () => {
      for (let round = 0; round < 5; round++) {
        for (const notice of await directory.claimNotices({ owner, leaseMs: 60_000, limit: 2 })) {
          claimedBy.set(notice.id, [...(claimedBy.get(notice.id) ?? []), owner]);
          claimed.push(notice);
        }
      }
    };
    await Promise.all([claimer(a, 'a')(), claimer(b, 'b')()]);
    expect(claimedBy.size).toBe(6);
    expect([...claimedBy.values()].every((owners) => owners.length === 1)).toBe(true);
    expect(claimed.every((n) => n.recipient.aadObjectId === ISAIAH && n.accountId === 'acme-dental')).toBe(true);

    for (const notice of claimed) await (claimedBy.get(notice.id)![0] === 'a' ? a : b).settleNotice(notice);
    // Leases or not, nothing is left to hand out.
    expect(await a.claimNotices({ owner: 'c', leaseMs: 1, limit: 100 })).toEqual([]);
    const { resources } = await suite.directories[0]!['containers'].accounts.items.query("SELECT * FROM c WHERE c.type = 'outbox'").fetchAll();
    expect(resources).toEqual([]);
  }, 60_000);

  it('hands a notice to the other instance once the lease of one that died runs out, and not before', async () => {
    const { a, b } = await twoInstances();
    await changeThrough(a, 50);
    const [notice] = await a.claimNotices({ owner: 'a', leaseMs: 300, limit: 10 });
    expect(notice).toBeDefined();
    expect(await b.claimNotices({ owner: 'b', leaseMs: 60_000, limit: 10 })).toEqual([]);
    await new Promise((r) => setTimeout(r, 400));
    expect(await b.claimNotices({ owner: 'b', leaseMs: 60_000, limit: 10 })).toEqual([notice]);
    await b.settleNotice(notice!);
    expect(await a.claimNotices({ owner: 'a', leaseMs: 1, limit: 10 })).toEqual([]);
  }, 60_000);
});
