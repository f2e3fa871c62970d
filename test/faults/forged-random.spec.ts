import { MemoryStorage } from 'botbuilder';
import fc from 'fast-check';
import { NoticeSettings } from '../../src/app/notice-settings';
import { NoticeSubscribers } from '../../src/teams/notice-subscribers';
import { DEFAULT_NAVIGATOR_OPTIONS, Navigator } from '../../src/app/navigator';
import { OfferChanges } from '../../src/app/offer-changes';
import { SubscriptionChanges } from '../../src/app/subscription-changes';
import type { AccountRecord, AdminRecord, DirectoryDocument } from '../../src/domain/directory-document';
import type { Position } from '../../src/domain/navigation';
import { DEFAULT_PORTAL_TEMPLATES } from '../../src/domain/portals';
import { ROLES } from '../../src/domain/roles';
import { EmbeddedDirectory } from '../../src/directory/embedded/embedded-directory';
import { ActionRouter } from '../../src/teams/router';
import { OFFERS, TENANT, writeDirectory } from '../support/directories';

/**
 * Random trees, random memberships, random targets: every action aimed at an account outside
 * the caller's scopes is refused, moves no one, and changes no data. Runs the real router and
 * use cases on the real embedded directory, without HTTP, so many directories fit in seconds.
 */
const directoryArb = fc
  .record({
    size: fc.integer({ min: 2, max: 40 }),
    parents: fc.array(fc.nat(), { minLength: 40, maxLength: 40 }),
    roots: fc.integer({ min: 1, max: 3 }),
    memberships: fc.array(fc.tuple(fc.nat(), fc.subarray([...ROLES], { minLength: 1 })), { minLength: 1, maxLength: 3 }),
  })
  .map(({ size, parents, roots, memberships }): DirectoryDocument => {
    const accounts: AccountRecord[] = [];
    for (let i = 0; i < size; i++) {
      const isRoot = i < roots;
      accounts.push({
        id: `a${i}`,
        name: `Account ${i}`,
        parentId: isRoot ? null : `a${parents[i]! % i}`,
        kind: isRoot ? 'partner' : i % 5 === 0 ? 'reseller' : 'customer',
        enabledOffers: ['C2TU1', 'T2TU1'],
        ...(isRoot ? {} : { subscriptions: [{ sku: 'C2TU1', quantity: 10, assigned: 2 }] }),
      });
    }
    const admin: AdminRecord = {
      tenantId: TENANT,
      aadObjectId: 'fuzzed-admin',
      name: 'Fuzzed Admin',
      email: 'fuzz@example.com',
      memberships: memberships.map(([n, roles]) => ({ accountId: `a${n % size}`, roles })),
    };
    return { offers: OFFERS, accounts, admins: [admin] };
  });

function within(doc: DirectoryDocument, id: string, roots: ReadonlySet<string>): boolean {
  const byId = new Map(doc.accounts.map((a) => [a.id, a]));
  for (let current: string | null = id; current !== null; current = byId.get(current)?.parentId ?? null) if (roots.has(current)) return true;
  return false;
}

describe('forged actions across random directories', () => {
  it('refuse every out-of-scope target, move no one and change nothing', async () => {
    await fc.assert(
      fc.asyncProperty(directoryArb, fc.nat(), fc.constantFrom('open', 'accounts', 'portal', 'subscriptions', 'history', 'review', 'confirm', 'switchTo', 'offers', 'reviewOffers', 'editOffers', 'confirmOffers'), async (doc, pick, verb) => {
        const scope = new Set(doc.admins[0]!.memberships.map((m) => m.accountId));
        const outside = doc.accounts.filter((a) => !within(doc, a.id, scope));
        fc.pre(outside.length > 0);
        const target = outside[pick % outside.length]!.id;
        const directory = await EmbeddedDirectory.open({ seedFile: writeDirectory(doc) });
        const navigator = new Navigator(directory, { ...DEFAULT_NAVIGATOR_OPTIONS, portals: DEFAULT_PORTAL_TEMPLATES });
        const subscriptions = new SubscriptionChanges(directory, navigator, { maxQuantity: 100, historyLimit: 20 });
        const router = new ActionRouter({ navigator, subscriptions, offers: new OfferChanges(directory, navigator), notices: new NoticeSettings(navigator.access, new NoticeSubscribers(new MemoryStorage())) }, { error: () => undefined });
        const caller = { tenantId: TENANT, aadObjectId: 'fuzzed-admin' };
        const position: Position = { accountId: doc.admins[0]!.memberships[0]!.accountId, scopeRootId: doc.admins[0]!.memberships[0]!.accountId };
        const before = JSON.stringify(directory.toDocument());
        const data = { accountId: target, scopeRootId: target, version: '1', reviewId: '3f2b8c1e-0000-4000-8000-000000000001', quantities: { C2TU1: '11' }, qty_C2TU1: '11', offers: { C2TU1: 'off', T2TU1: 'on' }, offer_C2TU1: 'false' };
        const result = await router.route({ verb, data, source: { kind: 'execute' } }, caller, position);
        expect(result.position).toBeUndefined();
        expect(result.view.view).toBe('error');
        expect(result.view.view === 'error' && result.view.code).toMatch(/notFound|notAllowed/);
        expect(JSON.stringify(directory.toDocument())).toBe(before);
        await directory.close();
      }),
      { numRuns: 150, interruptAfterTimeLimit: 30_000 },
    );
  }, 60_000);
});
