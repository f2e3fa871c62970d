import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { AccountLookup } from '../src/app/account-lookup';
import { errorView, unknownCommandView } from '../src/app/error-view';
import { DEFAULT_NAVIGATOR_OPTIONS, Navigator } from '../src/app/navigator';
import { SubscriptionChanges } from '../src/app/subscription-changes';
import type { View } from '../src/app/views';
import { EmbeddedDirectory } from '../src/directory/embedded/embedded-directory';
import { DEFAULT_PORTAL_TEMPLATES } from '../src/domain/portals';
import { CardRenderer } from '../src/teams/card-renderer';
import type { AccountRecord, DirectoryDocument } from '../src/domain/directory-document';
import { compareMatches, foldName, matchKind, type RankedMatch } from '../src/domain/search';
import { AccountIndex } from '../src/directory/embedded/account-index';
import { projectPath } from '../src/project-path';
import { ReferenceAccountIndex } from './reference/account-index';
import { COSMOS_SIZE, FULL_SIZE, generateDirectory, prng } from './synthetic';

/**
 * Checks that the optimisations change no answer:
 * - the embedded index answers exactly as the one it replaced: depths, children and their order,
 *   summaries, paths, and search results (same accounts, same order) for thousands of queries
 *   and scopes, over the synthetic estates, the demo directory and random small trees with
 *   accents, case and spacing variants;
 * - the compiled card expander gives byte-for-byte the cards adaptivecards-templating gives (or
 *   the same error), for every view the use cases produce over the demo and a synthetic
 *   directory, and for thousands of mutated views (fields missing, null, of the wrong type, in
 *   another case).
 *
 *   node dist/bench/verify.js [--quick]
 */
function referenceSearch(index: ReferenceAccountIndex, query: string, rootIds: readonly string[], limit: number): string[] {
  // The embedded directory's search loop before the optimisation (commit 73806387).
  const q = foldName(query);
  if (!q || rootIds.length === 0) return [];
  const roots = new Set(rootIds);
  const { searchIds, searchNames } = index;
  const matches: RankedMatch<{ id: string; name: string; depth: number }>[] = [];
  for (let i = 0; i < searchNames.length; i++) {
    const match = matchKind(searchNames[i]!, q);
    if (match === undefined) continue;
    const id = searchIds[i]!;
    if (!index.isWithin(id, roots)) continue;
    matches.push({ item: { id, name: index.get(id)!.name, depth: index.depth(id) }, match });
  }
  return matches
    .sort(compareMatches)
    .slice(0, limit)
    .map(({ item }) => item.id);
}

function optimisedSearch(index: AccountIndex, query: string, rootIds: readonly string[], limit: number): string[] {
  const q = foldName(query);
  if (!q || rootIds.length === 0) return [];
  return index.search(q, rootIds, limit);
}

function randomDoc(seed: number, size: number): DirectoryDocument {
  const rand = prng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const words = ['Café', 'CAFE', 'cafe', 'Déntal', 'dental', 'Åström', 'Zoë', 'Acme', 'acme', 'ACME', 'Straße', 'ﬁne', 'Ltd', '&', 'Co', 'Noël', 'Œuvre', 'x', 'a', 'ab'];
  const accounts: AccountRecord[] = [];
  for (let i = 0; i < size; i++) {
    const parent = i < 3 ? null : accounts[Math.floor(rand() * accounts.length)]!.id;
    const name = Array.from({ length: 1 + Math.floor(rand() * 3) }, () => pick(words)).join(pick([' ', '  ', ' \t ']));
    accounts.push({ id: `a${(i * 7919) % 100003}`, name: rand() < 0.1 ? ` ${name} ` : name, parentId: parent });
  }
  return { offers: [], accounts, admins: [] };
}

function check(label: string, doc: DirectoryDocument, queries: number, seed: number): number {
  const started = performance.now();
  const reference = new ReferenceAccountIndex(doc);
  const optimised = new AccountIndex(doc);
  let problems = 0;
  const fail = (what: string) => {
    if (problems++ < 10) console.error(`  ${label}: ${what}`);
  };
  for (const record of doc.accounts) {
    const id = record.id;
    if (reference.depth(id) !== optimised.depth(id)) fail(`depth of ${id}`);
    if (!isDeepStrictEqual(reference.childIds(id), optimised.childIds(id))) fail(`children of ${id}`);
    if (!isDeepStrictEqual(reference.summary(id), optimised.summary(id))) fail(`summary of ${id}: ${JSON.stringify(reference.summary(id))} vs ${JSON.stringify(optimised.summary(id))}`);
    if (!isDeepStrictEqual(reference.path(id), optimised.path(id))) fail(`path of ${id}`);
  }
  if (!isDeepStrictEqual([...reference.all()], [...optimised.all()])) fail('all()');
  const rand = prng(seed);
  const ids = doc.accounts.map((a) => a.id);
  const roots = doc.accounts.filter((a) => a.parentId === null).map((a) => a.id);
  const limits = [1, 5, 11, 22, 1000, 0, -1, 2.5];
  for (let i = 0; i < queries; i++) {
    const name = doc.accounts[Math.floor(rand() * doc.accounts.length)]!.name;
    const from = Math.floor(rand() * name.length);
    const query = rand() < 0.15 ? name : rand() < 0.1 ? name.toUpperCase() : name.slice(from, from + 1 + Math.floor(rand() * 8));
    const scope = rand() < 0.2 ? roots : Array.from({ length: 1 + Math.floor(rand() * 4) }, () => (rand() < 0.1 ? 'no-such-account' : ids[Math.floor(rand() * ids.length)]!));
    const limit = limits[Math.floor(rand() * limits.length)]!;
    const want = referenceSearch(reference, query, scope, limit);
    const got = optimisedSearch(optimised, query, scope, limit);
    if (!isDeepStrictEqual(want, got)) fail(`search ${JSON.stringify(query)} in ${scope.length} roots, limit ${limit}: ${want.length} vs ${got.length} results`);
  }
  console.log(`  ${label}: ${doc.accounts.length} accounts, ${queries} searches: ${problems === 0 ? 'identical' : `${problems} DIFFERENCES`} (${(performance.now() - started).toFixed(0)} ms)`);
  return problems;
}

/** Every view the use cases give for the admins of `doc`, errors included. */
async function viewsOf(doc: DirectoryDocument, admins: number, seed: number): Promise<View[]> {
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
  const lookup = new AccountLookup(directory, navigator, portals);
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
      await add(() => subscriptions.history(caller, position, id));
      await add(async () => (await lookup.unfurl(caller, `https://admin.call2teams.com/customer/${id}`)) ?? undefined);
    }
    const tree = await navigator.children(caller, position).catch(() => undefined);
    if (tree?.view.next) await add(() => navigator.children(caller, position, undefined, tree.view.next));
    for (const q of ['a', 'dental', 'Acme', 'zzz', ' ', 'x'.repeat(300), doc.accounts[1]?.name ?? 'b']) {
      await add(() => navigator.find(caller, position, q));
      await add(() => navigator.openByReference(caller, position, q));
      for (const card of await lookup.search(caller, q, 5).catch(() => [])) views.push(card);
    }
    await add(() => navigator.switchChoices(caller, position));
    await add(() => navigator.switchChoices(caller, position, 'a'));
    await add(() => navigator.up(caller, position));
    await add(() => navigator.goHome(caller, position));
    views.push({ view: 'help', welcome: rand() < 0.5, adminName: admin.name }, { view: 'help', welcome: false });
  }
  await add(() => navigator.describe({} as never));
  views.push(unknownCommandView('frobnicate the thing'), unknownCommandView('x'.repeat(100)));
  await directory.close();
  return views;
}

/** A copy of `view` with one value somewhere inside changed: removed, null, another type, or a key in another case. */
function mutate(view: View, rand: () => number): View {
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

function renderBoth(library: CardRenderer, compiled: CardRenderer, view: View): { want: string; got: string } {
  const attempt = (renderer: CardRenderer) => {
    try {
      // A fresh copy each time: both engines may add fallbacks to actions found in view data.
      return JSON.stringify(renderer.render(structuredClone(view)));
    } catch (error) {
      return `THROWS ${(error as Error).constructor.name}: ${(error as Error).message}`;
    }
  };
  return { want: attempt(library), got: attempt(compiled) };
}

async function checkRenderer(quick: boolean): Promise<number> {
  const started = performance.now();
  const library = new CardRenderer(undefined, { engine: 'library' });
  const compiled = new CardRenderer();
  const demo = JSON.parse(readFileSync(projectPath('data', 'demo-directory.json'), 'utf8')) as DirectoryDocument;
  const views = [...(await viewsOf(demo, 100, 1)), ...(await viewsOf(generateDirectory(COSMOS_SIZE).doc, quick ? 3 : 12, 2))];
  const rand = prng(99);
  let problems = 0;
  let compared = 0;
  const byKind = new Map<string, number>();
  for (const view of views) {
    byKind.set(view.view, (byKind.get(view.view) ?? 0) + 1);
    const variants = [view, ...Array.from({ length: quick ? 3 : 12 }, () => mutate(view, rand))];
    for (const variant of variants) {
      const { want, got } = renderBoth(library, compiled, variant);
      compared++;
      if (want !== got && problems++ < 10) console.error(`  ${variant.view}: cards differ\n    library:  ${want.slice(0, 400)}\n    compiled: ${got.slice(0, 400)}`);
    }
  }
  const kinds = [...byKind.entries()].map(([k, c]) => `${k} ${c}`).join(', ');
  console.log(`  ${views.length} views (${kinds}), ${compared} renders with mutations: ${problems === 0 ? 'identical' : `${problems} DIFFERENCES`} (${(performance.now() - started).toFixed(0)} ms)`);
  return problems;
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  let problems = 0;
  console.log('Cards, compiled expander vs adaptivecards-templating:');
  problems += await checkRenderer(quick);
  console.log('Embedded index and search, optimised vs reference:');
  problems += check('demo directory', JSON.parse(readFileSync(projectPath('data', 'demo-directory.json'), 'utf8')) as DirectoryDocument, 2000, 1);
  for (let s = 0; s < (quick ? 5 : 40); s++) problems += check(`random tree ${s}`, randomDoc(s, 20 + s * 25), 300, s);
  problems += check('synthetic, Cosmos size', generateDirectory(COSMOS_SIZE).doc, 2000, 2);
  problems += check('synthetic, 100,000 accounts', generateDirectory(FULL_SIZE).doc, quick ? 50 : 300, 3);
  if (problems > 0) {
    console.error(`${problems} differences`);
    process.exit(1);
  }
  console.log('All identical.');
}

void main();
