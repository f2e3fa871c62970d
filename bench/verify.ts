import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import type { AccountRecord, DirectoryDocument } from '../src/domain/directory-document';
import { compareMatches, matchOf, searchQuery, type RankedMatch } from '../src/domain/search';
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
 * - (the compiled card expander against adaptivecards-templating is checked in jest:
 *   test/cards/engine-agreement.spec.ts, and on every card the test suite renders).
 *
 *   node dist/bench/verify.js [--quick]
 */
function referenceSearch(index: ReferenceAccountIndex, query: string, rootIds: readonly string[], limit: number): string[] {
  // The embedded directory's search loop before the optimisation (commit 73806387).
  const q = searchQuery(query);
  if (!q || rootIds.length === 0) return [];
  const roots = new Set(rootIds);
  const { searchIds, searchNames } = index;
  const matches: RankedMatch<{ id: string; name: string; depth: number }>[] = [];
  for (let i = 0; i < searchNames.length; i++) {
    // The reference's names are folded without blanking control characters; the generated names have none.
    const match = matchOf(searchNames[i]!, q);
    if (match === undefined) continue;
    const id = searchIds[i]!;
    if (!index.isWithin(id, roots)) continue;
    matches.push({ item: { id, name: index.get(id)!.name, depth: index.depth(id) }, ...match });
  }
  return matches
    .sort(compareMatches)
    .slice(0, limit)
    .map(({ item }) => item.id);
}

function optimisedSearch(index: AccountIndex, query: string, rootIds: readonly string[], limit: number): string[] {
  const q = searchQuery(query);
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
    if (!isDeepStrictEqual(reference.path(id)?.map(({ id, name, kind }) => ({ id, name, kind })), optimised.pathRefs(id))) fail(`path refs of ${id}`);
    if (!isDeepStrictEqual(reference.get(id), optimised.get(id))) fail(`account ${id}`);
  }
  if (!isDeepStrictEqual([...reference.all()], [...optimised.all()])) fail('all()');
  // Accounts change (subscriptions, offers, version) at run time: both indexes see every third one replaced.
  for (let i = 0; i < doc.accounts.length; i += 3) {
    const before = reference.get(doc.accounts[i]!.id)!;
    const after = { ...before, version: `${i + 2}`, enabledOffers: ['X'], subscriptions: [...before.subscriptions, { sku: 'X', quantity: i, assigned: 0, startedAt: '2026-12-01' }] };
    reference.replaceAccount(after);
    optimised.replaceAccount(after);
  }
  if (!isDeepStrictEqual([...reference.all()], [...optimised.all()])) fail('all() after replaceAccount');
  for (const record of doc.accounts) {
    if (!isDeepStrictEqual(reference.path(record.id), optimised.path(record.id))) fail(`path of ${record.id} after replaceAccount`);
  }
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

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  let problems = 0;
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
