import fc from 'fast-check';
import type { AccountRecord, AdminRecord, DirectoryDocument } from '../../src/domain/directory-document';
import { ROLES } from '../../src/domain/roles';
import { BotClient } from '../support/bot-client';
import { OFFERS, TENANT, writeDirectory } from '../support/directories';

/**
 * Nothing above your scope, across random directories over real HTTP: an admin sees their own
 * scope roots and what lies below them. For random trees and memberships, every verb, every
 * card, the switch picker's typeahead and both message-extension invokes answer with no id and
 * no name of an account outside the caller's scopes (the brand in force on their own accounts
 * is theirs to see). A reply may repeat what the caller sent (a forged id, a typed name), so
 * that text is taken out of the reply before it is searched.
 */
const ADMIN = 'random-admin';

// Tokens that are never part of one another (`q1q` is not in `q11q`) nor of Switchboard's own words.
const idOf = (i: number) => `zq${i}q`;
const tokenOf = (i: number) => `Qx${i}x`;
const brandTokenOf = (i: number) => `Bz${i}z`;

const directoryArb = fc
  .record({
    size: fc.integer({ min: 3, max: 24 }),
    parents: fc.array(fc.nat(), { minLength: 24, maxLength: 24 }),
    kinds: fc.array(fc.constantFrom('reseller', 'customer', 'customer', 'internal'), { minLength: 24, maxLength: 24 }),
    branded: fc.array(fc.boolean(), { minLength: 24, maxLength: 24 }),
    roots: fc.integer({ min: 1, max: 2 }),
    memberships: fc.array(fc.tuple(fc.nat(), fc.subarray([...ROLES], { minLength: 1 })), { minLength: 1, maxLength: 3 }),
  })
  .map(({ size, parents, kinds, branded, roots, memberships }): DirectoryDocument => {
    const accounts: AccountRecord[] = [];
    for (let i = 0; i < size; i++) {
      const isRoot = i < roots;
      const parent = isRoot ? null : accounts[parents[i]! % i]!;
      // Only partners and resellers have sub accounts, as in the portal.
      const parentId = parent === null ? null : parent.kind === 'customer' || parent.kind === 'internal' ? accounts[0]!.id : parent.id;
      const kind = isRoot ? 'partner' : kinds[i]!;
      accounts.push({
        id: idOf(i),
        name: `Acct ${tokenOf(i)}`,
        parentId,
        kind,
        ...(branded[i] ? { brand: { name: `Brand ${brandTokenOf(i)}` } } : {}),
        ...(kind === 'partner' || kind === 'reseller' ? { enabledOffers: ['C2TU1', 'T2TU1'] } : { subscriptions: [{ sku: 'C2TU1', quantity: 10, assigned: 2 }] }),
      });
    }
    const admin: AdminRecord = {
      tenantId: TENANT,
      aadObjectId: ADMIN,
      name: 'Random Admin',
      email: 'random@example.com',
      memberships: memberships.map(([n, roles]) => ({ accountId: idOf(n % size), roles })),
    };
    return { offers: OFFERS, accounts, admins: [admin] };
  });

interface Exposure {
  /** Accounts at or below one of the admin's memberships. */
  readonly visible: readonly AccountRecord[];
  readonly hidden: readonly AccountRecord[];
  /** Strings a reply must never contain: ids and name tokens of hidden accounts, and brands not in force on a visible account. */
  readonly forbidden: readonly string[];
}

function exposure(doc: DirectoryDocument): Exposure {
  const byId = new Map(doc.accounts.map((a) => [a.id, a]));
  const roots = new Set(doc.admins[0]!.memberships.map((m) => m.accountId));
  const pathOf = (a: AccountRecord): AccountRecord[] => (a.parentId === null ? [a] : [...pathOf(byId.get(a.parentId)!), a]);
  const visible = doc.accounts.filter((a) => pathOf(a).some((p) => roots.has(p.id)));
  const hidden = doc.accounts.filter((a) => !visible.includes(a));
  const brandsInForce = new Set(visible.map((a) => pathOf(a).reverse().find((p) => p.brand)?.brand?.name).filter((b): b is string => b !== undefined));
  const forbidden = [
    ...hidden.flatMap((a) => [a.id, a.name.split(' ')[1]!]),
    ...doc.accounts.filter((a) => a.brand && !brandsInForce.has(a.brand.name)).map((a) => a.brand!.name.split(' ')[1]!),
  ];
  return { visible, hidden, forbidden };
}

const tokenOfRecord = (a: AccountRecord) => a.name.split(' ')[1]!;
const portalUrl = (id: string) => `https://admin.call2teams.com/customer/${id}`;

describe('nothing above your scope, across random directories over HTTP', () => {
  it('no reply names or identifies an account outside the caller’s scopes', async () => {
    await fc.assert(
      fc.asyncProperty(directoryArb, async (doc) => {
        const { visible, hidden, forbidden } = exposure(doc);
        fc.pre(hidden.length > 0);
        const bot = await BotClient.start({ DIRECTORY_FILE: writeDirectory(doc), DATA_DIR: 'none' });
        const me = { aadObjectId: ADMIN };
        const leaks: string[] = [];
        /** Records every forbidden string in a reply, once what the caller itself sent is taken out. */
        const check = (what: string, body: unknown, sent: readonly string[] = []) => {
          let text = JSON.stringify(body);
          for (const s of sent) text = text.split(JSON.stringify(s).slice(1, -1)).join('');
          for (const f of forbidden) if (text.includes(f)) leaks.push(`${what}: ${f}`);
        };
        const say = async (text: string, sent: readonly string[] = []) => check(`say ${text}`, (await bot.post(bot.activity(me, { type: 'message', text }))).body, sent);
        const execute = async (verb: string, data: Record<string, unknown>, sent: readonly string[] = []) =>
          check(`${verb} ${JSON.stringify(data)}`, (await bot.invoke(me, 'adaptiveCard/action', { action: { type: 'Action.Execute', verb, data } })).body, sent);
        try {
          const shown = visible.slice(0, 6);
          for (const text of ['where am i', 'accounts', 'up', 'home', 'portal', 'subscriptions', 'history', 'switch', 'help', 'find Acct', 'set C2TU1 5', 'offers', 'offer C2TU1 off']) await say(text);
          for (const a of shown) {
            await say(`find ${tokenOfRecord(a)}`);
            await say(`open ${tokenOfRecord(a)}`);
            for (const verb of ['open', 'accounts', 'portal', 'subscriptions', 'history']) await execute(verb, { accountId: a.id });
            await execute('edit', { accountId: a.id, quantities: { C2TU1: '12' } });
            await execute('review', { accountId: a.id, qty_C2TU1: '-1' });
            await execute('review', { accountId: a.id, qty_C2TU1: '11' });
            await execute('whereAmI', {});
            await execute('up', {});
          }
          for (const m of doc.admins[0]!.memberships) await execute('switchTo', { scopeRootId: m.accountId });
          for (const a of hidden.slice(0, 6)) {
            // Forged ids and guessed names: refused without saying more than what was sent.
            for (const verb of ['open', 'accounts', 'portal', 'subscriptions', 'history', 'switchTo']) await execute(verb, { accountId: a.id, scopeRootId: a.id }, [a.id]);
            await say(`find ${tokenOfRecord(a)}`, [tokenOfRecord(a)]);
            await say(`open ${tokenOfRecord(a)}`, [tokenOfRecord(a)]);
            await say(`open ${a.id}`, [a.id]);
          }
          // The switch picker's typeahead matches only on what the admin may see.
          for (const a of [...shown, ...hidden.slice(0, 6)]) {
            for (const q of [tokenOfRecord(a), a.id]) {
              const { body } = await bot.invoke(me, 'application/search', { queryText: q, dataset: 'scopes', queryOptions: { skip: 0, top: 15 } });
              check(`typeahead ${q}`, body);
              if (hidden.includes(a) && body.value.results.length > 0) leaks.push(`typeahead ${q}: matched ${body.value.results.length} of the caller's accounts on a hidden account's ${q === a.id ? 'id' : 'name'}`);
            }
          }
          for (const q of ['Acct', 'x', ...[...shown, ...hidden.slice(0, 6)].map(tokenOfRecord)]) {
            const { body } = await bot.invoke(me, 'composeExtension/query', { commandId: 'findAccount', parameters: [{ name: 'query', value: q }] });
            check(`compose search ${q}`, body);
          }
          for (const a of [...shown, ...hidden.slice(0, 6)]) {
            const { body } = await bot.invoke(me, 'composeExtension/queryLink', { url: portalUrl(a.id) });
            check(`unfurl ${a.id}`, body, hidden.includes(a) ? [a.id] : []);
          }
        } finally {
          await bot.close();
        }
        expect(leaks).toEqual([]);
      }),
      { numRuns: 25, interruptAfterTimeLimit: 40_000 },
    );
  }, 60_000);
});
