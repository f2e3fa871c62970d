import type { DirectoryDocument } from '../../src/domain/directory-document';
import { action, click, rowsOf, textOf, type BotClient, type Card, type Person } from '../support/bot-client';
import { rosterQuery } from '../support/cosmos-fault-proxy';
import { addDays } from '../../src/domain/trials';
import { digestId } from '../../src/teams/trial-digests';
import { admin, ALEX, MEGAN, TENANT, wideDirectory } from '../support/directories';
import { startConnectorStandIn } from '../support/connector-stand-in';
import { acceptedSends, changeAs, install, sentCardText, waitFor } from '../support/notices';
import { randomUUID } from 'node:crypto';
import { useInstances, type Instance } from './instances';

/**
 * Switchboard as production runs it: several server processes behind a load balancer, sharing
 * one Cosmos DB. Three real server processes (the built server) on one Cosmos DB stand-in, each
 * reaching it through a fault proxy of its own; the test sends each turn to the instance it
 * chooses, as a load balancer may. Turns go over real HTTP; what the database holds is read past
 * every cache. The cases that break things (the roster removal, the outage) run last.
 */
const ROSTER_MAX_AGE_MS = 4_000;
/** The limit for the "directory unavailable" card while Cosmos DB does not answer. */
const UNAVAILABLE_BUDGET_MS = 5_000;
/** One turn over HTTP to a child process on a loaded machine, on top of a bound. */
const TURN_MARGIN_MS = 1_500;

const alex: Person = { tenantId: TENANT, aadObjectId: ALEX };
const megan: Person = { tenantId: TENANT, aadObjectId: MEGAN };
const TESS = '00000000-0000-0000-0000-0000000000031';
const tess: Person = { tenantId: TENANT, aadObjectId: TESS };

/** Today as the instances see it (the digest's clock is the real one in a child process). */
const today = () => new Date().toISOString().slice(0, 10);

/**
 * A partner with 45 customers and a reseller (three pages of children), owned by Alex and Megan;
 * and a partner of its own whose one customer's trial ends in three days, whose only admin is
 * Tess (so that the digest goes to nobody the other tests watch).
 */
function fleetDirectory(withMegan = true): DirectoryDocument {
  const doc = wideDirectory(45);
  const owner = ['AccountOwner', 'SubscriptionContributor'] as const;
  const trials: DirectoryDocument['accounts'] = [
    { id: 'q', name: 'Trial Partner', parentId: null, kind: 'partner', enabledOffers: ['C2TUT'] },
    { id: 'q-1', name: 'Trial Customer', parentId: 'q', kind: 'customer', subscriptions: [{ sku: 'C2TUT', quantity: 5, assigned: 1, startedAt: addDays(today(), -26) }] },
  ];
  return {
    ...doc,
    accounts: [...doc.accounts, ...trials],
    admins: [...doc.admins, ...(withMegan ? [admin(MEGAN, [['p', [...owner]]], 'Megan Bowen')] : []), admin(TESS, [['q', ['SubscriptionContributor']]], 'Tess Trial')],
  };
}
const INITIAL_C2TU1 = 10; // every customer of wideDirectory

// Outbox polls every second and digest ticks three times a second: instances other than the one
// that made a change do race to claim its notices, and all three race for each admin's digest.
const fleet = useInstances(3, fleetDirectory(), { COSMOS_ROSTER_MAX_AGE_MS: String(ROSTER_MAX_AGE_MS), NOTICE_POLL_MS: '1000', DIGEST_TICK_MS: '300' }, ROSTER_MAX_AGE_MS);
const instance = (name: string): Instance => fleet.all.find((i) => i.name === name)!;

const CHANGED = 'changed by someone else';
const UNAVAILABLE = 'The directory is unavailable';
const NOT_AN_ADMIN = 'You are not an administrator of any account';

/** The names of the rows of a children page, in order. */
function rowNames(card: Card): string[] {
  return rowsOf(card).map((r) => r.name);
}

/** The C2TU1 quantity a subscriptions card shows ("Quantity (now 12)"). */
function quantityOn(card: Card): number {
  const match = /Quantity \(now (\d+)\)/.exec(textOf(card));
  if (!match) throw new Error(`no quantity on the card:\n${textOf(card)}`);
  return Number(match[1]);
}

/** The quantity a review card says the account has now (its "Now" fact), or undefined when it is not a review. */
function nowOnReview(card: Card): number | undefined {
  const facts: { title?: unknown; value?: unknown }[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      if (record.type === 'FactSet' && Array.isArray(record.facts)) facts.push(...(record.facts as { title?: unknown; value?: unknown }[]));
      Object.values(record).forEach(walk);
    }
  };
  walk(card);
  const now = facts.find((f) => f.title === 'Now');
  const match = typeof now?.value === 'string' ? /^([\d,]+)/.exec(now.value) : null;
  return match ? Number(match[1]!.replace(/,/g, '')) : undefined;
}

const confirmOf = (review: Card) => action(review, 'Update Subscriptions');

async function confirm(bot: BotClient, person: Person, review: Card): Promise<Card> {
  const update = confirmOf(review);
  return bot.execute(person, update.verb, update.data);
}

describe('three instances on one Cosmos DB', () => {
  it('carry a conversation across instances: its position, and page tokens minted by another instance', async () => {
    const [onA, onB, onC] = fleet.conversation();
    const [home] = await onA!.say(alex, 'home');
    const first = await click(onA!, alex, home!, /^Sub accounts/);
    expect(textOf(first)).toContain('Showing 1–20 of 46 · page 1 of 3');

    const second = await click(onB!, alex, first, 'Next ▶');
    expect(textOf(second)).toContain('Showing 21–40 of 46 · page 2 of 3');
    const third = await click(onC!, alex, second, 'Next ▶');
    expect(textOf(third)).toContain('Showing 41–46 of 46 · page 3 of 3');
    expect(() => action(third, 'Next ▶')).toThrow();
    const back = await click(onA!, alex, third, '◀ Previous');
    expect(rowNames(back)).toEqual(rowNames(second));

    const seen = [...rowNames(first), ...rowNames(second), ...rowNames(third)];
    expect(new Set(seen).size).toBe(46);
    expect(seen).toEqual([...seen].sort());

    const opened = await click(onB!, alex, second, `Open ${rowNames(second)[3]}`);
    const id = /Account id: (\S+)/.exec(textOf(opened))![1]!;
    expect(textOf((await onC!.say(alex, 'where am i'))[0]!)).toContain(`Account id: ${id}`);
    expect(textOf((await onA!.say(alex, 'up'))[0]!)).toContain('Account id: p');
    expect(textOf((await onB!.say(alex, 'where am i'))[0]!)).toContain('Account id: p');
  });

  it('apply a confirmation once when it is replayed on another instance, after it or at the same moment', async () => {
    const [onA, onB, onC] = fleet.conversation();
    await onA!.say(alex, 'open c-1');
    const [review] = await onA!.say(alex, 'set C2TU1 11');
    const applied = await confirm(onA!, alex, review!);
    expect(textOf(applied)).toContain('Subscriptions updated');
    // Teams retries, or the user taps again, and the load balancer sends it elsewhere.
    const replayedOnB = await confirm(onB!, alex, review!);
    const replayedOnC = await confirm(onC!, alex, review!);
    expect(textOf(replayedOnB)).toBe(textOf(applied));
    expect(textOf(replayedOnC)).toBe(textOf(applied));
    expect(await fleet.truth.getAccount('c-1', { fresh: true })).toMatchObject({ version: '2', subscriptions: [{ sku: 'C2TU1', quantity: 11 }] });
    expect(await fleet.truth.auditTrail('c-1', 10)).toHaveLength(1);

    // The same confirmation arriving at all three instances at once.
    const [again] = await onB!.say(alex, 'set C2TU1 12');
    const answers = await Promise.all([onA!, onB!, onC!].map((bot) => confirm(bot, alex, again!)));
    const texts = answers.map(textOf);
    expect(texts.every((t) => t.includes('Subscriptions updated'))).toBe(true);
    expect(new Set(texts).size).toBe(1);
    expect(await fleet.truth.getAccount('c-1', { fresh: true })).toMatchObject({ version: '3', subscriptions: [{ sku: 'C2TU1', quantity: 12 }] });
    const trail = await fleet.truth.auditTrail('c-1', 10);
    expect(trail.map((e) => e.lines)).toEqual([[{ sku: 'C2TU1', oldQuantity: 11, newQuantity: 12 }], [{ sku: 'C2TU1', oldQuantity: INITIAL_C2TU1, newQuantity: 11 }]]);
  });

  it('apply a review made on A right after a change on A, confirmed on B whose cache still holds the older version', async () => {
    const [onA, onB] = fleet.conversation();
    await onB!.say(alex, 'open c-2');
    expect(quantityOn((await onB!.say(alex, 'subscriptions'))[0]!)).toBe(INITIAL_C2TU1); // now in B's account cache
    await onA!.say(alex, 'where am i');
    const [first] = await onA!.say(alex, 'set C2TU1 21');
    expect(textOf(await confirm(onA!, alex, first!))).toContain('Subscriptions updated');
    const [second] = await onA!.say(alex, 'set C2TU1 22');
    expect(confirmOf(second!).data.version).toBe('2');
    expect(textOf(await confirm(onB!, alex, second!))).toContain('Subscriptions updated');
    expect(await fleet.truth.getAccount('c-2', { fresh: true })).toMatchObject({ version: '3', subscriptions: [{ sku: 'C2TU1', quantity: 22 }] });
  });

  it('let exactly one of two conflicting confirmations win; the other is told the subscriptions changed', async () => {
    const [onA] = fleet.conversation();
    const [, onB] = fleet.conversation();
    await Promise.all([onA!.say(alex, 'open c-3'), onB!.say(alex, 'open c-3')]);
    const [reviewA] = await onA!.say(alex, 'set C2TU1 31');
    const [reviewB] = await onB!.say(alex, 'set C2TU1 32');
    expect(confirmOf(reviewA!).data.version).toBe(confirmOf(reviewB!).data.version);

    const [fromA, fromB] = await Promise.all([confirm(onA!, alex, reviewA!), confirm(onB!, alex, reviewB!)]);
    const outcomes = [fromA!, fromB!].map((card) => (textOf(card).includes('Subscriptions updated') ? 'applied' : textOf(card).includes(CHANGED) ? 'refused' : textOf(card)));
    expect([...outcomes].sort()).toEqual(['applied', 'refused']);
    const winner = outcomes[0] === 'applied' ? 31 : 32;
    const loser = outcomes[0] === 'applied' ? fromB! : fromA!;
    // The refused one is shown the quantity that is there now: the winner's.
    expect(quantityOn(loser)).toBe(winner);
    expect(await fleet.truth.getAccount('c-3', { fresh: true })).toMatchObject({ version: '2', subscriptions: [{ sku: 'C2TU1', quantity: winner }] });
    expect((await fleet.truth.auditTrail('c-3', 10)).map((e) => e.lines[0]!.newQuantity)).toEqual([winner]);
  });

  it('keep every change of a burst of concurrent confirmations across instances: the quantities and the audit trail add up', async () => {
    const accounts = ['c-4', 'c-5'];
    const workersPerInstance = 2;
    /** One admin's conversation on one instance adding `delta` licences, reviewing again whenever told the subscriptions changed. */
    const addLicences = async (bot: BotClient, accountId: string, delta: number): Promise<{ refused: number }> => {
      await bot.say(alex, `open ${accountId}`);
      let now = quantityOn((await bot.say(alex, 'subscriptions'))[0]!);
      for (let attempt = 1; attempt <= 40; attempt++) {
        const [review] = await bot.say(alex, `set C2TU1 ${now + delta}`);
        // As a careful admin would: when the review's "Now" is not the quantity the target was
        // worked out from (another change landed in between), work it out again before confirming.
        const reviewedFrom = nowOnReview(review!);
        if (reviewedFrom !== now) {
          now = reviewedFrom ?? quantityOn((await bot.say(alex, 'subscriptions'))[0]!);
          continue;
        }
        const answer = await confirm(bot, alex, review!);
        if (textOf(answer).includes('Subscriptions updated')) return { refused: attempt - 1 };
        expect(textOf(answer)).toContain(CHANGED);
        now = quantityOn(answer);
      }
      throw new Error(`${accountId} +${delta} was never applied in 40 attempts`);
    };
    const workers = accounts.flatMap((accountId) =>
      fleet.all.flatMap((i, n) => Array.from({ length: workersPerInstance }, (_, w) => ({ accountId, delta: 1 + n * workersPerInstance + w, bot: i.bot.inConversation(`burst-${accountId}-${i.name}-${w}`) }))),
    );
    const results = await Promise.all(workers.map((w) => addLicences(w.bot, w.accountId, w.delta)));
    // They did collide: on each account, confirmations reviewed from the same version were refused.
    for (const accountId of accounts) expect(results.filter((_, n) => workers[n]!.accountId === accountId).some((r) => r.refused > 0)).toBe(true);

    const deltas = workers.filter((w) => w.accountId === accounts[0]).map((w) => w.delta);
    const added = deltas.reduce((a, b) => a + b, 0);
    for (const accountId of accounts) {
      const account = await fleet.truth.getAccount(accountId, { fresh: true });
      expect(account).toMatchObject({ version: String(1 + deltas.length), subscriptions: [{ sku: 'C2TU1', quantity: INITIAL_C2TU1 + added }] });
      // Oldest first: each entry starts where the one before it ended, and each is one worker's delta.
      const trail = (await fleet.truth.auditTrail(accountId, 100)).reverse();
      expect(trail).toHaveLength(deltas.length);
      let quantity = INITIAL_C2TU1;
      for (const entry of trail) {
        expect(entry.lines).toHaveLength(1);
        expect(entry.lines[0]!.oldQuantity).toBe(quantity);
        quantity = entry.lines[0]!.newQuantity;
      }
      expect(trail.map((e) => e.lines[0]!.newQuantity - e.lines[0]!.oldQuantity).sort((a, b) => a - b)).toEqual(deltas);

      // The history card, on any instance, tells the same story.
      const onC = instance('C').bot.inConversation(`history-${accountId}`);
      await onC.say(alex, `open ${accountId}`);
      const history = textOf(await onC.execute(alex, 'history', { accountId }));
      const shown = [...history.matchAll(/\(C2TU1\) (\d+) → (\d+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
      expect(shown).toEqual(trail.map((e) => [e.lines[0]!.oldQuantity, e.lines[0]!.newQuantity]).reverse());
    }
  }, 90_000);
  it('deliver each change notice once, whichever instance the change went through and whichever instance claims it', async () => {
    const standIn = await startConnectorStandIn();
    try {
      const chat = `megan-personal-${randomUUID()}`;
      expect(await install(instance('A').url, standIn, megan, chat)).toBe(200);
      // One change through each instance, each on an account of its own (a review on another
      // instance's cache would be refused as changed by someone else, which is not this test's business).
      const ids: string[] = [];
      for (const [n, i] of fleet.all.entries()) {
        const { noticeIdFor } = await changeAs(i.bot.inConversation(`notices-${i.name}`), alex, `c-${6 + n}`, 'C2TU1', 20 + n);
        ids.push(noticeIdFor(megan));
      }
      const delivered = () => acceptedSends(standIn, chat).map((c) => c.body.id as string);
      await waitFor('a notice of each change', () => ids.every((id) => delivered().includes(id)), 20_000, () => JSON.stringify(delivered()));
      await new Promise((r) => setTimeout(r, 1_500)); // another instance's poll, were it to send again
      for (const id of ids) expect(delivered().filter((d) => d === id)).toHaveLength(1);
      expect(new Set(delivered()).size).toBe(delivered().length);
    } finally {
      await standIn.close();
    }
  }, 60_000);

  it('send an admin’s trial digest once, though every instance finds it due', async () => {
    const standIn = await startConnectorStandIn();
    try {
      const chat = `tess-personal-${randomUUID()}`;
      expect(await install(instance('A').url, standIn, tess, chat)).toBe(200);
      // Due at once, whatever the hour in UTC; said to another instance than the install.
      const [saved] = await instance('B').bot.withServiceUrl(standIn.url).inConversation(chat).say(tess, 'notices digest at 00:00');
      expect(textOf(saved!)).toContain('00:00');
      const sent = () => acceptedSends(standIn, chat);
      await waitFor('Tess’s digest', () => sent().length > 0, 20_000);
      await new Promise((r) => setTimeout(r, 2_000)); // several ticks of every instance, were one to send again
      expect(sent()).toHaveLength(1);
      expect(sent()[0]!.body.id).toBe(digestId({ tenantId: TENANT, aadObjectId: TESS }, today()));
      expect(sentCardText(sent()[0]!)).toContain('Trial Customer');
      expect(sentCardText(sent()[0]!)).toContain('ends in 3 days');
    } finally {
      await standIn.close();
    }
  }, 60_000);
});

/** Says "where am i" as `person` on `bot` until `done` holds, for at most `withinMs`: when the answer that did was sent, and the answer. */
async function pollUntil(bot: BotClient, person: Person, done: (reply: string) => boolean, withinMs: number): Promise<{ sentAt: number; reply: string }> {
  const giveUpAt = Date.now() + withinMs;
  for (;;) {
    const sentAt = Date.now();
    const reply = textOf((await bot.say(person, 'where am i'))[0]!);
    if (done(reply)) return { sentAt, reply };
    if (Date.now() > giveUpAt) throw new Error(`still "${reply.slice(0, 120)}" after ${withinMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function readiness(i: Instance): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${i.url}/readyz`);
  return { status: response.status, body: await response.json() };
}

describe('three instances on one Cosmos DB, when things fail', () => {
  it('refuses an admin removed by a re-import on every instance within COSMOS_ROSTER_MAX_AGE_MS while the roster query fails, then follows the directory again', async () => {
    const bots = fleet.conversation();
    for (const bot of bots) expect(textOf((await bot.say(megan, 'where am i'))[0]!)).toContain('Account id: p');

    // Point reads and writes still work through every proxy; only the roster refresh fails.
    for (const i of fleet.all) i.proxy.fail(rosterQuery);
    const removedAt = Date.now();
    await fleet.reimport(fleetDirectory(false));
    const refused = await Promise.all(bots.map((bot) => pollUntil(bot, megan, (reply) => reply.includes(UNAVAILABLE) || reply.includes(NOT_AN_ADMIN), ROSTER_MAX_AGE_MS * 3)));
    for (const [n, { sentAt }] of refused.entries()) {
      expect({ instance: fleet.all[n]!.name, refusedWithinMs: sentAt - removedAt < ROSTER_MAX_AGE_MS + TURN_MARGIN_MS ? 'bound' : sentAt - removedAt }).toEqual({ instance: fleet.all[n]!.name, refusedWithinMs: 'bound' });
    }
    for (const i of fleet.all) {
      expect(i.proxy.failed).toBeGreaterThan(0);
      expect(await readiness(i)).toEqual({ status: 503, body: { status: 'directory unavailable', reason: 'admin roster stale' } });
      expect(i.server.output()).toContain('admin roster could not be refreshed within its bound');
    }

    for (const i of fleet.all) i.proxy.heal();
    for (const bot of bots) {
      expect((await pollUntil(bot, megan, (reply) => !reply.includes(UNAVAILABLE), ROSTER_MAX_AGE_MS * 3)).reply).toContain(NOT_AN_ADMIN);
      expect(textOf((await bot.say(alex, 'where am i'))[0]!)).toContain('Account id: p');
    }
    for (const i of fleet.all) expect(await readiness(i)).toEqual({ status: 200, body: { status: 'ready' } });
  }, 60_000);

  it('answers "directory unavailable" within the budget while the stand-in is black-holed, and recovers without a restart', async () => {
    const bots = fleet.conversation();
    for (const bot of bots) expect(textOf((await bot.say(alex, 'where am i'))[0]!)).toContain('Account id: p');
    const pids = fleet.all.map((i) => i.server.process.pid);

    for (const i of fleet.all) i.proxy.set('hang');
    const frozen = await Promise.all(
      bots.map(async (bot) => {
        const started = Date.now();
        const reply = textOf((await bot.say(alex, 'where am i'))[0]!);
        return { unavailable: reply.includes(UNAVAILABLE), inBudget: Date.now() - started < UNAVAILABLE_BUDGET_MS + TURN_MARGIN_MS ? true : Date.now() - started };
      }),
    );
    expect(frozen).toEqual(bots.map(() => ({ unavailable: true, inBudget: true })));
    for (const i of fleet.all) expect((await readiness(i)).status).toBe(503);

    for (const i of fleet.all) i.proxy.set('pass');
    for (const bot of bots) expect((await pollUntil(bot, alex, (reply) => !reply.includes(UNAVAILABLE), 20_000)).reply).toContain('Account id: p');
    // Positions are written and read again across instances, by the same processes as before.
    await bots[0]!.say(alex, 'open c-7');
    expect(textOf((await bots[2]!.say(alex, 'where am i'))[0]!)).toContain('Account id: c-7');
    for (const i of fleet.all) expect(await readiness(i)).toEqual({ status: 200, body: { status: 'ready' } });
    expect(fleet.all.map((i) => i.server.process.pid)).toEqual(pids);
    expect(fleet.all.every((i) => i.server.process.exitCode === null)).toBe(true);
  }, 60_000);
});
