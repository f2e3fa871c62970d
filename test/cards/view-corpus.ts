import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AccountLookup } from '../../src/app/account-lookup';
import { noticeView } from '../../src/app/change-notices';
import { errorView, unknownCommandView } from '../../src/app/error-view';
import { DEFAULT_NAVIGATOR_OPTIONS, Navigator } from '../../src/app/navigator';
import { DEFAULT_HOLDING_BOUNDS, OfferChanges } from '../../src/app/offer-changes';
import { SubscriptionChanges } from '../../src/app/subscription-changes';
import { trialDigestFor } from '../../src/app/trial-digest';
import type { View } from '../../src/app/views';
import { addDays } from '../../src/domain/trials';
import { EmbeddedDirectory } from '../../src/directory/embedded/embedded-directory';
import type { DirectoryDocument } from '../../src/domain/directory-document';
import { DEFAULT_PORTAL_TEMPLATES } from '../../src/domain/portals';
import { prng } from '../../bench/synthetic';

/**
 * A corpus of views for checking the card renderer: every view the use cases give over a
 * directory (errors included), and mutations of them (fields missing, null, of the wrong type,
 * in another case) that a template must survive the same way in both engines.
 */
/** Every view the use cases give for the admins of `doc`, errors included. */
export async function viewsOf(doc: DirectoryDocument, admins: number, seed: number): Promise<View[]> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'switchboard-verify-'));
  const seedFile = path.join(dir, 'directory.json');
  writeFileSync(seedFile, JSON.stringify(doc));
  const directory = await EmbeddedDirectory.open({ seedFile });
  const portals = DEFAULT_PORTAL_TEMPLATES;
  const navigator = new Navigator(directory, { ...DEFAULT_NAVIGATOR_OPTIONS, portals });
  let n = 0;
  const subscriptions = new SubscriptionChanges(directory, navigator, {
    maxQuantity: 10_000,
    historyLimit: 20,
    newId: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
    now: () => new Date(Date.UTC(2026, 10, 26, 22, n % 60)),
  });
  const offers = new OfferChanges(directory, navigator, {
    holdings: DEFAULT_HOLDING_BOUNDS,
    newId: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
    now: () => new Date(Date.UTC(2026, 10, 26, 22, n % 60)),
  });
  const lookup = new AccountLookup(directory, navigator, portals);
  const skus = doc.offers.map((o) => o.sku);
  const rand = prng(seed);
  const views: View[] = [];
  const add = async (work: () => Promise<{ view: View } | View | undefined>) => {
    try {
      const result = await work();
      if (result) views.push('view' in result && typeof result.view === 'object' ? (result as { view: View }).view : (result as View));
    } catch (error) {
      views.push(errorView(error));
    }
  };
  const ids = doc.accounts.map((a) => a.id);
  const anyId = () => ids[Math.floor(rand() * ids.length)]!;
  for (const admin of doc.admins.slice(0, admins)) {
    const caller = { tenantId: admin.tenantId, aadObjectId: admin.aadObjectId };
    const roots = admin.memberships.map((m) => m.accountId);
    const here = await navigator.here(caller, undefined).catch(() => undefined);
    const position = here ? { accountId: here.account.id, scopeRootId: here.scopeRootId } : undefined;
    const inScope = [...roots, ...roots.flatMap((r) => directory['index'].childIds(r).slice(0, 3))];
    // Recently visited: some in scope (hostile names among them), one that may not be, one unknown.
    const recents = [...inScope.slice(-4), anyId(), 'no-such-account'];
    await add(async () => navigator.describe(await navigator.here(caller, position)));
    for (const id of [...inScope, anyId()]) {
      await add(() => navigator.open(caller, position, id));
      await add(() => navigator.children(caller, position, id));
      await add(() => navigator.portals(caller, position, id));
      await add(() => subscriptions.show(caller, position, id));
      await add(() => subscriptions.history(caller, position, id));
      const account = doc.accounts.find((a) => a.id === id);
      const sku = account?.subscriptions?.[0]?.sku ?? 'C2TU1';
      const current = account?.subscriptions?.[0]?.quantity ?? 0;
      for (const quantity of [String(current + 2), '0', '-1', 'abc', '99999999', String(current)]) {
        await add(() => subscriptions.review(caller, position, id, '1', { [sku]: quantity }));
        await add(() => subscriptions.edit(caller, position, id, { [sku]: quantity, BOGUS: '1' }));
      }
      await add(() => subscriptions.review(caller, position, id, '0', { [sku]: String(current + 1) }));
      await add(async () => {
        const review = await subscriptions.review(caller, position, id, undefined, { [sku]: String(current + 3) });
        if (review.view.view !== 'subscriptionReview') return review;
        const { reviewId, version, entered } = review.view;
        await subscriptions.confirm(caller, position, id, version, reviewId, entered);
        return subscriptions.confirm(caller, position, id, version, reviewId, entered);
      });
      await add(() => offers.show(caller, position, id));
      for (const [i, sku] of [skus[0], skus[skus.length - 1], 'NOPE'].entries()) {
        const state = i % 2 === 0 ? 'off' : 'on';
        await add(() => offers.review(caller, position, id, undefined, { [sku!]: state }));
        await add(() => offers.review(caller, position, id, undefined, { [sku!]: 'maybe' }));
        await add(() => offers.edit(caller, position, id, { [sku!]: state }));
      }
      await add(() => offers.review(caller, position, id, '0', { [skus[0]!]: 'off' }));
      await add(() => subscriptions.history(caller, position, id));
      await add(async () => (await lookup.unfurl(caller, `https://admin.call2teams.com/customer/${id}`)) ?? undefined);
    }
    // Every reseller's offers (most lie outside this admin's scope: errors, which belong here too).
    for (const reseller of doc.accounts.filter((a) => a.kind === 'reseller').slice(0, 6)) {
      const id = reseller.id;
      await add(() => offers.show(caller, position, id));
      const held = reseller.enabledOffers?.[0] ?? skus[0]!;
      await add(() => offers.review(caller, position, id, undefined, { [held]: 'off' }));
      await add(() => offers.review(caller, position, id, undefined, { [held]: 'off', [skus[skus.length - 1]!]: 'on', NOPE: 'on' }));
      await add(() => offers.edit(caller, position, id, { [held]: 'off' }));
      await add(async () => {
        // Turn on whatever the account lacks that it may have (the card's toggles), then confirm twice.
        const card = await offers.show(caller, position, id);
        const off = card.view.lines.find((l) => l.toggle && !l.enabled);
        if (!off) return card;
        const review = await offers.review(caller, position, id, undefined, { [off.sku]: 'on' });
        if (review.view.view !== 'offerReview') return review;
        const { reviewId, version, accepted } = review.view;
        await offers.confirm(caller, position, id, version, reviewId, accepted);
        return offers.confirm(caller, position, id, version, reviewId, accepted);
      });
    }
    const tree = await navigator.children(caller, position).catch(() => undefined);
    if (tree?.view.next) await add(() => navigator.children(caller, position, undefined, tree.view.next));
    for (const q of ['a', 'dental', 'Acme', 'zzz', ' ', 'x'.repeat(300), doc.accounts[1]?.name ?? 'b']) {
      await add(() => navigator.find(caller, position, q));
      await add(() => navigator.find(caller, position, q, recents));
      await add(() => navigator.openByReference(caller, position, q));
      for (const card of await lookup.search(caller, q, 5).catch(() => [])) views.push(card);
    }
    await add(() => navigator.switchChoices(caller, position));
    await add(() => navigator.switchChoices(caller, position, recents));
    for (const q of ['a', 'e', doc.accounts[0]?.name ?? 'c', 'zzz']) await add(() => navigator.switchByText(caller, position, q));
    await add(() => navigator.up(caller, position));
    await add(() => navigator.goHome(caller, position));
    views.push({ view: 'help', welcome: rand() < 0.5, adminName: admin.name }, { view: 'help', welcome: false });
  }
  // The notices the changes above caused, as each recipient would read them, and the notices switches.
  for (const notice of await directory.claimNotices({ owner: 'corpus', leaseMs: 60_000, limit: 200 })) await add(() => noticeView(directory, notice));
  views.push(
    { view: 'notices', changeNotices: true, digest: false, digestAt: '08:00', timeZone: 'UTC', reachable: false },
    { view: 'notices', changeNotices: false, digest: true, digestAt: '07:30', timeZone: 'Europe/London', reachable: true, banner: 'Saved.' },
  );
  // Every subscription taken for a trial started within the last six weeks: each admin's digest of them.
  const day = '2026-12-02';
  const trials = [...directory['index'].all()].flatMap((account) =>
    account.subscriptions.map((s) => ({ accountId: account.id, sku: s.sku, quantity: s.quantity, startedAt: addDays(day, -Math.floor(rand() * 42)), path: directory['index'].path(account.id)! })),
  );
  const offerNames = new Map(doc.offers.map((o) => [o.sku, o.name]));
  for (const admin of doc.admins.slice(0, admins)) await add(async () => trialDigestFor(admin, trials, day, offerNames));
  await add(() => navigator.describe({} as never));
  views.push(unknownCommandView('frobnicate the thing'), unknownCommandView('x'.repeat(100)));
  await directory.close();
  return views;
}

/** A copy of `view` with one value somewhere inside changed: removed, null, another type, or a key in another case. */
export function mutate(view: View, rand: () => number): View {
  const copy = JSON.parse(JSON.stringify(view)) as Record<string, unknown>;
  const holders: Record<string, unknown>[] = [];
  const arrays: unknown[][] = [];
  const collect = (node: unknown) => {
    if (Array.isArray(node)) {
      arrays.push(node);
      node.forEach(collect);
    }
    else if (node && typeof node === 'object') {
      holders.push(node as Record<string, unknown>);
      Object.values(node).forEach(collect);
    }
  };
  collect(copy);
  if (arrays.length > 0 && rand() < 0.2) {
    // An undefined or null item in a list a template repeats over ($data).
    const list = arrays[Math.floor(rand() * arrays.length)]!;
    list.splice(Math.floor(rand() * (list.length + 1)), 0, rand() < 0.7 ? undefined : null);
    return copy as unknown as View;
  }
  const target = holders[Math.floor(rand() * holders.length)]!;
  const keys = Object.keys(target).filter((k) => k !== 'view' || target !== copy);
  if (keys.length === 0) return copy as unknown as View;
  const key = keys[Math.floor(rand() * keys.length)]!;
  const replacements: unknown[] = [undefined, null, 0, 1, -3, '', 'text', true, false, [], [undefined, 1], {}, { id: 'x', name: 'Y' }, [{ name: 'n' }], 'Action.Execute', { type: 'Action.Execute', verb: 'open', data: { a: 1 } }];
  const choice = Math.floor(rand() * (replacements.length + 4));
  const other = key.toUpperCase() === key ? key.toLowerCase() : key.toUpperCase();
  if (choice === replacements.length) delete target[key];
  else if (choice === replacements.length + 1) target[other] = target[key];
  else if (choice === replacements.length + 2) {
    // The same key in another case only.
    target[other] = target[key];
    delete target[key];
  } else if (choice === replacements.length + 3) {
    // Another-case key first, with another value: lookups ignore case and take the first.
    const entries = Object.entries(target);
    for (const k of Object.keys(target)) delete target[k];
    target[other] = 'first in another case';
    for (const [k, v] of entries) target[k] = v;
  } else target[key] = replacements[choice];
  return copy as unknown as View;
}

