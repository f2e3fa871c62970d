import type { Account, AccountKind, Subscription } from '../../src/domain/accounts';
import { isTrial, type Offer } from '../../src/domain/offers';
import { droppedOffers, gainedSkus, holderCount, offerSource, offersEnabledOn, parseSwitch, planOfferChange, type OfferHolding } from '../../src/domain/offer-rules';
import { availableOffers, planChange } from '../../src/domain/subscriptions';

const offer = (sku: string, trial = false): Offer => ({ sku, name: `${sku} licence`, monthlyPrice: trial ? 0 : 4, currency: 'GBP', trial });
const CATALOGUE: readonly Offer[] = [offer('C2TU1'), offer('T2TU1'), offer('C2TUT', true), offer('T2TUT', true), offer('C2TPA1'), offer('BRESSEN')];

function account(id: string, kind: AccountKind, parentId: string | null, enabledOffers: string[] = [], subscriptions: Subscription[] = []): Account {
  return { id, name: `${id} Ltd`, parentId, kind, enabledOffers, subscriptions, version: '1' };
}

const partner = account('partner', 'partner', null, ['C2TU1', 'T2TU1', 'C2TUT', 'C2TPA1']);
const reseller = account('reseller', 'reseller', 'partner', ['C2TU1', 'C2TUT']);
const customer = account('customer', 'customer', 'reseller');
const nested = account('nested', 'reseller', 'reseller', ['C2TU1']);

const held = (sku: string, count: number, more = false): OfferHolding => ({
  sku,
  count,
  more,
  first: Array.from({ length: Math.min(count, 3) }, (_, i) => ({ id: `c${i}`, name: `Customer ${i}`, kind: 'customer' as const })),
});
const none = new Map<string, OfferHolding>();

describe('where a base level’s offers come from', () => {
  it('a partner’s from the vendor, a reseller’s from the base level above, anything else is no base level', () => {
    expect(offerSource([partner])).toEqual({ kind: 'vendor' });
    expect(offerSource([partner, reseller])).toEqual({ kind: 'parent', parent: partner });
    expect(offerSource([partner, reseller, nested])).toEqual({ kind: 'parent', parent: reseller });
    expect(offerSource([partner, reseller, customer])).toEqual({ kind: 'notBaseLevel', base: reseller });
  });

  it('an account may buy what the nearest base level above it enables, in catalogue order', () => {
    expect(offersEnabledOn(reseller, CATALOGUE).map((o) => o.sku)).toEqual(['C2TU1', 'C2TUT']);
    expect(availableOffers([partner, reseller, customer], CATALOGUE).map((o) => o.sku)).toEqual(['C2TU1', 'C2TUT']);
    expect(availableOffers([partner, reseller, nested, account('n-c', 'customer', 'nested')], CATALOGUE).map((o) => o.sku)).toEqual(['C2TU1']);
    expect(offersEnabledOn(undefined, CATALOGUE)).toEqual([]);
  });

  it('marks the vendor’s trial SKUs as trials even where a file forgot to', () => {
    expect(isTrial({ sku: 'C2TPAT', trial: false })).toBe(true);
    expect(isTrial({ sku: 'T2TUT', trial: false })).toBe(true);
    expect(isTrial({ sku: 'C2TU1', trial: false })).toBe(false);
  });
});

describe('planOfferChange', () => {
  it('enables an offer the parent base level has, and keeps the list in catalogue order', () => {
    const plan = planOfferChange(reseller, partner, CATALOGUE, { C2TPA1: 'true', T2TU1: 'on' }, none);
    expect(plan.problems).toEqual([]);
    expect(plan.changes.map((c) => [c.sku, c.enabled])).toEqual([
      ['T2TU1', true],
      ['C2TPA1', true],
    ]);
    expect(plan.enabledOffers).toEqual(['C2TU1', 'T2TU1', 'C2TUT', 'C2TPA1']);
  });

  it('refuses enabling what the parent base level lacks, saying why, and changes nothing for it', () => {
    const plan = planOfferChange(reseller, partner, CATALOGUE, { BRESSEN: 'true' }, none);
    expect(plan.changes).toEqual([]);
    expect(plan.problems).toEqual([{ sku: 'BRESSEN', message: 'partner Ltd does not have BRESSEN licence (BRESSEN) enabled, so it cannot enable it for reseller Ltd.' }]);
    expect(plan.enabledOffers).toEqual(['C2TU1', 'C2TUT']);
  });

  it('disables an offer nobody below holds', () => {
    const plan = planOfferChange(reseller, partner, CATALOGUE, { C2TUT: 'false' }, new Map([['C2TUT', held('C2TUT', 0)]]));
    expect(plan.problems).toEqual([]);
    expect(plan.changes.map((c) => [c.sku, c.enabled])).toEqual([['C2TUT', false]]);
    expect(plan.enabledOffers).toEqual(['C2TU1']);
  });

  it('refuses disabling while accounts below hold it, with how many and who', () => {
    const holding = held('C2TU1', 12);
    const plan = planOfferChange(reseller, partner, CATALOGUE, { C2TU1: 'off' }, new Map([['C2TU1', holding]]));
    expect(plan.changes).toEqual([]);
    expect(plan.problems).toHaveLength(1);
    expect(plan.problems[0]!.message).toContain('Refused: 12 accounts below reseller Ltd still hold C2TU1 licence (C2TU1).');
    expect(plan.problems[0]!.holding).toBe(holding);
  });

  it('says one account holds it, or that the count stopped at its bound', () => {
    expect(planOfferChange(reseller, partner, CATALOGUE, { C2TU1: 'off' }, new Map([['C2TU1', held('C2TU1', 1)]])).problems[0]!.message).toContain('1 account below reseller Ltd still holds');
    expect(holderCount({ count: 100, more: true })).toBe('100+ accounts');
  });

  it('lets an offer the parent no longer has be kept or turned off, never on again', () => {
    const stale = account('stale', 'reseller', 'partner', ['C2TU1', 'BRESSEN']);
    expect(planOfferChange(stale, partner, CATALOGUE, { BRESSEN: 'true' }, none).changes).toEqual([]);
    expect(planOfferChange(stale, partner, CATALOGUE, { BRESSEN: 'false' }, none).enabledOffers).toEqual(['C2TU1']);
  });

  it('ignores states that do not change, and reports unknown SKUs and values that are not on or off', () => {
    const plan = planOfferChange(reseller, partner, CATALOGUE, { C2TU1: 'true', T2TU1: 'false', NOPE: 'true', C2TPA1: 'maybe' }, none);
    expect(plan.changes).toEqual([]);
    expect(plan.problems.map((p) => p.sku)).toEqual(['NOPE', 'C2TPA1']);
    expect(plan.problems[1]!.message).toBe('Say on or off for C2TPA1 licence (C2TPA1).');
  });

  it('reads switches as Input.Toggle and typed commands send them', () => {
    expect([true, 'true', 'ON', ' on ', 'enable'].map(parseSwitch)).toEqual([true, true, true, true, true]);
    expect([false, 'false', 'Off', 'disable'].map(parseSwitch)).toEqual([false, false, false, false]);
    expect(['1', '', 'yes', 3, null, undefined].map(parseSwitch)).toEqual([undefined, undefined, undefined, undefined, undefined, undefined]);
  });
});

describe('a subscription whose offer is no longer available', () => {
  // The reseller turned T2TU1 off meanwhile (or never had it); the customer still holds 10.
  const holder = { ...customer, subscriptions: [{ sku: 'T2TU1', quantity: 10, assigned: 4 }] };
  const plan = (quantity: string) => planChange(holder, availableOffers([partner, reseller, holder], CATALOGUE), CATALOGUE, { T2TU1: quantity }, { maxQuantity: 1000 });

  it('can be lowered or removed', () => {
    expect(plan('6').problems).toEqual([]);
    expect(plan('6').changes[0]).toMatchObject({ sku: 'T2TU1', oldQuantity: 10, newQuantity: 6 });
    const withNothingAssigned = { ...customer, subscriptions: [{ sku: 'T2TU1', quantity: 10, assigned: 0 }] };
    const removed = planChange(withNothingAssigned, availableOffers([partner, reseller, withNothingAssigned], CATALOGUE), CATALOGUE, { T2TU1: '0' }, { maxQuantity: 1000 });
    expect(removed.problems).toEqual([]);
    expect(removed.subscriptions).toEqual([]);
  });

  it('can never be raised', () => {
    expect(plan('11').changes).toEqual([]);
    expect(plan('11').problems).toEqual([{ sku: 'T2TU1', message: 'T2TU1 licence (T2TU1) is no longer offered to customer Ltd: its quantity can be lowered or removed, not raised.' }]);
  });
});

describe('what a write must find still true of the offers', () => {
  const c2tu1 = { sku: 'C2TU1', quantity: 5, assigned: 2 };
  it('a SKU an account comes to hold must still be enabled above; raising or lowering a held one needs nothing', () => {
    const before = account('customer', 'customer', 'reseller', [], [c2tu1]);
    expect(gainedSkus(before, { ...before, subscriptions: [{ ...c2tu1, quantity: 9 }] })).toEqual([]);
    expect(gainedSkus(before, { ...before, subscriptions: [] })).toEqual([]);
    expect(gainedSkus(before, { ...before, subscriptions: [c2tu1, { sku: 'T2TU1', quantity: 1, assigned: 0 }] })).toEqual(['T2TU1']);
    // A reseller enabling an offer comes to hold it (its accounts may buy it); a partner's offers are the vendor's.
    expect(gainedSkus(nested, { ...nested, enabledOffers: ['C2TU1', 'C2TUT'] })).toEqual(['C2TUT']);
    expect(gainedSkus(partner, { ...partner, enabledOffers: [...partner.enabledOffers, 'BRESSEN'] })).toEqual([]);
  });

  it('an offer turned off must have nobody below holding it', () => {
    expect(droppedOffers(reseller, { ...reseller, enabledOffers: ['C2TUT', 'T2TU1'] })).toEqual(['C2TU1']);
    expect(droppedOffers(reseller, reseller)).toEqual([]);
  });
});
