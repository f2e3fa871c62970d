import { DEFAULT_NAVIGATOR_OPTIONS, Navigator } from '../../src/app/navigator';
import { SubscriptionChanges } from '../../src/app/subscription-changes';
import type { SubscriptionReviewView, SubscriptionsView } from '../../src/app/views';
import { CosmosDirectory } from '../../src/directory/cosmos/cosmos-directory';
import { readDirectoryFile } from '../../src/directory/directory-file';
import type { Directory } from '../../src/directory/port';
import { DEFAULT_PORTAL_TEMPLATES } from '../../src/domain/portals';
import { cosmosDirectoryWith, useCosmosStandIn } from '../support/cosmos-server';
import { ALEX, DEMO_FILE, TENANT } from '../support/directories';

/**
 * Two instances of the app on one database, each with its own account cache (30 s, as in
 * production). A change made through one instance may show late on the other when reading, but
 * never changes the answer of a write: the version a confirmation is checked against is read fresh.
 */
const suite = useCosmosStandIn();
const { clients, directories } = suite;

const alex = { tenantId: TENANT, aadObjectId: ALEX };

async function twoInstances(): Promise<{ a: CosmosDirectory; b: CosmosDirectory }> {
  const { directory: a, containers, client } = await cosmosDirectoryWith(suite.standIn, readDirectoryFile(DEMO_FILE));
  const b = new CosmosDirectory(containers);
  clients.push(client);
  directories.push(a, b);
  return { a, b };
}

function subscriptionsOver(directory: Directory): SubscriptionChanges {
  const navigator = new Navigator(directory, { ...DEFAULT_NAVIGATOR_OPTIONS, portals: DEFAULT_PORTAL_TEMPLATES });
  return new SubscriptionChanges(directory, navigator, { maxQuantity: 10_000, historyLimit: 20 });
}

async function reviewed(changes: SubscriptionChanges, quantity: number): Promise<SubscriptionReviewView> {
  const { view } = await changes.review(alex, undefined, 'acme-dental', undefined, { C2TU1: String(quantity) });
  expect(view.view).toBe('subscriptionReview');
  return view as SubscriptionReviewView;
}

const confirmOf = (changes: SubscriptionChanges, review: SubscriptionReviewView) =>
  changes.confirm(alex, undefined, 'acme-dental', review.version, review.reviewId, review.entered);

describe('a confirmation on another instance than the change before it', () => {
  it('reads the account fresh when asked to, whatever the cache holds', async () => {
    const { a, b } = await twoInstances();
    expect((await b.getAccount('acme-dental'))?.version).toBe('1'); // now in B's cache
    const applied = await subscriptionsOver(a).confirm(alex, undefined, 'acme-dental', '1', (await reviewed(subscriptionsOver(a), 30)).reviewId, { C2TU1: '30' });
    expect(applied.view.view).toBe('subscriptionsUpdated');
    expect((await b.getAccount('acme-dental'))?.version).toBe('1'); // a read may lag ...
    expect(await b.getAccount('acme-dental', { fresh: true })).toMatchObject({ version: '2' }); // ... a fresh one never does
  });

  it('applies a review made on A right after a change on A, confirmed through B', async () => {
    const { a, b } = await twoInstances();
    const onA = subscriptionsOver(a);
    const onB = subscriptionsOver(b);
    // B has the account in its cache before the change.
    expect(((await onB.show(alex, undefined, 'acme-dental')).view as SubscriptionsView).version).toBe('1');
    expect((await confirmOf(onA, await reviewed(onA, 30))).view.view).toBe('subscriptionsUpdated');

    const review = await reviewed(onA, 40);
    expect(review.version).toBe('2');
    const confirmed = await confirmOf(onB, review);
    expect(confirmed.view).toMatchObject({ view: 'subscriptionsUpdated', changes: [{ sku: 'C2TU1', oldQuantity: 30, newQuantity: 40 }] });
    expect(await a.getAccount('acme-dental', { fresh: true })).toMatchObject({ version: '3' });
  });

  it('answers a confirmation sent to A and B at once as applied on both, when A lands it between B\'s replay check and B\'s version check', async () => {
    const { a, b } = await twoInstances();
    const onA = subscriptionsOver(a);
    const review = await reviewed(onA, 30);
    let landedOnA = false;
    // B looks for the confirmation (not there yet); A applies it; only then does B read the account.
    const interleaved = new Proxy(b, {
      get(target, property, receiver) {
        if (property !== 'findChange') return Reflect.get(target, property, receiver);
        return async (accountId: string, actionId: string) => {
          const found = await target.findChange(accountId, actionId);
          if (!landedOnA) {
            landedOnA = true;
            expect((await confirmOf(onA, review)).view.view).toBe('subscriptionsUpdated');
          }
          return found;
        };
      },
    });
    const onB = await confirmOf(subscriptionsOver(interleaved), review);
    expect(landedOnA).toBe(true);
    expect(onB.view).toMatchObject({ view: 'subscriptionsUpdated', changes: [{ sku: 'C2TU1', oldQuantity: 18, newQuantity: 30 }] });
    expect(await a.auditTrail('acme-dental', 10)).toHaveLength(1);
  });
});
