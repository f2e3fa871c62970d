import type { Account, AccountKind, Subscription } from '../../src/domain/accounts';
import type { Admin } from '../../src/domain/admins';
import { formatDifference, formatMoney, toMinor, type Offer } from '../../src/domain/offers';
import { capabilitiesOn } from '../../src/domain/permissions';
import type { Role } from '../../src/domain/roles';
import {
  availableOffers,
  costMinor,
  offeringBaseLevel,
  parseQuantity,
  planChange,
  type ChangePlan,
  type QuantityRules,
} from '../../src/domain/subscriptions';
import { admin, ALEX } from '../support/directories';

// ---------------------------------------------------------------------------------------------
// Builders
// ---------------------------------------------------------------------------------------------

const offer = (sku: string, monthlyPrice: number, trial = false): Offer => ({
  sku,
  name: `${sku} licence`,
  monthlyPrice,
  currency: 'GBP',
  trial,
});

/** The directory's offer order; prices chosen to expose float drift (0.1, 0.7, 2.9, 3.2). */
const CATALOGUE: readonly Offer[] = [
  offer('C2TU1', 3.2),
  offer('C2TU250', 2.9),
  offer('T2TU1', 0.7),
  offer('C2TPA1', 0.1),
  offer('C2TUT', 0, true),
  offer('T2TUT', 0, true),
  offer('BRESSEN', 12.5),
];
const skus = (offers: readonly { sku: string }[]): string[] => offers.map((o) => o.sku);

function account(
  id: string,
  kind: AccountKind,
  parentId: string | null,
  extra: { name?: string; enabledOffers?: string[]; subscriptions?: Subscription[] } = {},
): Account {
  return {
    id,
    name: extra.name ?? `${id} Ltd`,
    parentId,
    kind,
    enabledOffers: extra.enabledOffers ?? [],
    subscriptions: extra.subscriptions ?? [],
    version: 'v1',
  };
}
const sub = (sku: string, quantity: number, assigned = 0): Subscription => ({ sku, quantity, assigned });

// partner ─┬─ reseller ─┬─ reseller customer
//          │            └─ nested reseller ── nested customer
//          ├─ direct customer
//          └─ internal
const partner = account('partner', 'partner', null, {
  name: 'Contoso Partner',
  enabledOffers: ['C2TU1', 'C2TU250', 'T2TU1', 'C2TPA1', 'C2TUT', 'BRESSEN'],
});
// Deliberately not in catalogue order, and including T2TUT which the partner does not enable.
const reseller = account('reseller', 'reseller', 'partner', {
  name: 'Fabrikam Reseller',
  enabledOffers: ['T2TUT', 'T2TU1', 'C2TU1'],
});
const resellerCustomer = account('reseller-customer', 'customer', 'reseller', {
  name: 'Northwind Traders',
  // A client account's own enabledOffers must never be what it is offered.
  enabledOffers: ['BRESSEN'],
});
const nestedReseller = account('nested-reseller', 'reseller', 'reseller', { enabledOffers: ['C2TPA1'] });
const nestedCustomer = account('nested-customer', 'customer', 'nested-reseller');
const directCustomer = account('direct-customer', 'customer', 'partner');
const internal = account('internal', 'internal', 'partner', { name: 'Contoso - Internal Use' });

const PARTNER_SKUS = ['C2TU1', 'C2TU250', 'T2TU1', 'C2TPA1', 'C2TUT', 'BRESSEN'];
const RESELLER_SKUS_IN_OFFER_ORDER = ['C2TU1', 'T2TU1', 'T2TUT'];

const RULES: QuantityRules = { maxQuantity: 10000 };

/** Plans a change on a customer directly below the partner (offered the partner's offers). */
function planDirect(subscriptions: Subscription[], requested: Record<string, unknown>, rules = RULES): ChangePlan {
  const customer = account('direct-customer', 'customer', 'partner', { name: 'Adatum Corp', subscriptions });
  return planChange(customer, availableOffers([partner, customer], CATALOGUE), CATALOGUE, requested, rules);
}

/** Plans a change on a customer below the reseller (offered the reseller's offers). */
function planUnderReseller(subscriptions: Subscription[], requested: Record<string, unknown>, rules = RULES): ChangePlan {
  const customer = { ...resellerCustomer, subscriptions };
  return planChange(customer, availableOffers([partner, reseller, customer], CATALOGUE), CATALOGUE, requested, rules);
}

const problemFor = (plan: ChangePlan, sku: string): string[] => plan.problems.filter((p) => p.sku === sku).map((p) => p.message);

const NOT_WHOLE = 'Enter a whole number from 0 to 10,000.';
const TOO_MANY = 'At most 10,000 licences per subscription.';
const belowAssigned = (n: number): string =>
  `${n} licence${n === 1 ? ' is' : 's are'} assigned to users, so the quantity cannot go below ${n}. Unassign licences in the Customer Portal first.`;

// ---------------------------------------------------------------------------------------------
// Offers available to an account
// ---------------------------------------------------------------------------------------------

describe('offeringBaseLevel and availableOffers', () => {
  it("a reseller's customer is offered the reseller's enabled offers, in catalogue order", () => {
    const path = [partner, reseller, resellerCustomer];
    expect(offeringBaseLevel(path)?.id).toBe('reseller');
    expect(skus(availableOffers(path, CATALOGUE))).toEqual(RESELLER_SKUS_IN_OFFER_ORDER);
  });

  it("a reseller's customer gets neither the partner's offers nor its own enabledOffers", () => {
    const offered = skus(availableOffers([partner, reseller, resellerCustomer], CATALOGUE));
    expect(offered).not.toContain('C2TU250'); // enabled on the partner only
    expect(offered).not.toContain('BRESSEN'); // set on the customer itself
  });

  it("the reseller itself is offered the partner's enabled offers, not its own", () => {
    const path = [partner, reseller];
    expect(offeringBaseLevel(path)?.id).toBe('partner');
    expect(skus(availableOffers(path, CATALOGUE))).toEqual(PARTNER_SKUS);
    expect(skus(availableOffers(path, CATALOGUE))).not.toContain('T2TUT');
  });

  it.each([
    ['a customer directly below the partner', [partner, directCustomer]],
    ['an internal-use account', [partner, internal]],
  ])("%s is offered the partner's enabled offers", (_label, path) => {
    expect(offeringBaseLevel(path)?.id).toBe('partner');
    expect(skus(availableOffers(path, CATALOGUE))).toEqual(PARTNER_SKUS);
  });

  it('a partner root has no base level above it and is offered nothing', () => {
    expect(offeringBaseLevel([partner])).toBeUndefined();
    expect(availableOffers([partner], CATALOGUE)).toEqual([]);
  });

  it('an empty path is offered nothing', () => {
    expect(offeringBaseLevel([])).toBeUndefined();
    expect(availableOffers([], CATALOGUE)).toEqual([]);
  });

  it('the nearest base level wins: a reseller below a reseller offers its own enabled offers', () => {
    expect(offeringBaseLevel([partner, reseller, nestedReseller, nestedCustomer])?.id).toBe('nested-reseller');
    expect(skus(availableOffers([partner, reseller, nestedReseller, nestedCustomer], CATALOGUE))).toEqual(['C2TPA1']);
    expect(skus(availableOffers([partner, reseller, nestedReseller], CATALOGUE))).toEqual(RESELLER_SKUS_IN_OFFER_ORDER);
  });

  it("a reseller with nothing enabled offers nothing: its customers do not fall back to the partner's offers", () => {
    const bare = account('bare', 'reseller', 'partner', { enabledOffers: [] });
    const customer = account('bare-customer', 'customer', 'bare');
    expect(offeringBaseLevel([partner, bare, customer])?.id).toBe('bare');
    expect(availableOffers([partner, bare, customer], CATALOGUE)).toEqual([]);
  });

  it('an enabled SKU missing from the catalogue is not offered', () => {
    const stale = account('stale', 'partner', null, { enabledOffers: ['RETIRED1', 'T2TU1'] });
    expect(skus(availableOffers([stale, account('c', 'customer', 'stale')], CATALOGUE))).toEqual(['T2TU1']);
  });

  it('returns the catalogue offers themselves (price, currency, trial flag intact)', () => {
    const [trial] = availableOffers([partner, reseller, resellerCustomer], CATALOGUE).filter((o) => o.trial);
    expect(trial).toEqual({ sku: 'T2TUT', name: 'T2TUT licence', monthlyPrice: 0, currency: 'GBP', trial: true });
  });
});

// ---------------------------------------------------------------------------------------------
// parseQuantity
// ---------------------------------------------------------------------------------------------

describe('parseQuantity', () => {
  it.each([
    [0, 0],
    [1, 1],
    [9999, 9999],
  ])('accepts the whole number %p', (raw, expected) => {
    expect(parseQuantity(raw)).toBe(expected);
  });

  it.each([
    ['12', 12],
    [' 12 ', 12],
    ['\t7\n', 7],
    ['0', 0],
    ['0012', 12],
    ['999999999', 999_999_999],
  ])('accepts the digit string %p as %p', (raw, expected) => {
    expect(parseQuantity(raw)).toBe(expected);
  });

  it.each([NaN, Infinity, -Infinity, -1, 1.5, 0.1, Number.MAX_SAFE_INTEGER + 1])('rejects the number %p', (raw) => {
    expect(parseQuantity(raw)).toBeUndefined();
  });

  it.each([
    'abc',
    '1.5',
    '-1',
    '+1',
    '',
    '   ',
    '1e3',
    '0x10',
    '12abc',
    '1 2',
    '1,000',
    'NaN',
    'Infinity',
    '１２', // full-width digits
    '1234567890', // 10 digits
  ])('rejects the string %p', (raw) => {
    expect(parseQuantity(raw)).toBeUndefined();
  });

  it.each([null, undefined, true, false, {}, [], [3], { quantity: 3 }, 12n])('rejects the non-number %p', (raw) => {
    expect(parseQuantity(raw)).toBeUndefined();
  });

  it('rejects a number of more than 9 digits, as it does a digit string', () => {
    expect(parseQuantity(1234567890)).toBeUndefined();
    expect(parseQuantity(999999999)).toBe(999999999);
  });
});

// ---------------------------------------------------------------------------------------------
// Money: toMinor, costMinor, formatMoney, formatDifference
// ---------------------------------------------------------------------------------------------

describe('toMinor', () => {
  it.each([
    [0, 0],
    [0.1, 10],
    [0.7, 70],
    [1.15, 115], // 1.15 * 100 = 114.99999999999999 in floating point
    [2.9, 290], // 2.9 * 100 = 290.00000000000006
    [3.2, 320],
    [4.35, 435], // 4.35 * 100 = 434.99999999999994
    [12.5, 1250],
    [19.99, 1999],
    [1234.5, 123450],
  ])('%p -> %p minor units', (amount, minor) => {
    expect(toMinor(amount)).toBe(minor);
  });

  it('is exact for every two-decimal price from 0.00 to 999.99', () => {
    const wrong: number[] = [];
    for (let pence = 0; pence < 100_000; pence++) {
      if (toMinor(pence / 100) !== pence) wrong.push(pence);
    }
    expect(wrong).toEqual([]);
  });
});

describe('costMinor', () => {
  it.each([
    [3.2, 3, 960],
    [0.1, 3, 30], // 0.1 * 3 = 0.30000000000000004
    [0.7, 9999, 699_930],
    [2.9, 9999, 2_899_710],
    [3.2, 9999, 3_199_680],
    [0.1, 9999, 99_990],
    [12.5, 1, 1250],
    [3.2, 0, 0],
    [0, 500, 0],
  ])('price %p x %p licences = %p minor units', (price, quantity, expected) => {
    const cost = costMinor(offer('X', price), quantity);
    expect(cost).toBe(expected);
    expect(Number.isInteger(cost)).toBe(true);
  });
});

describe('formatMoney (en-GB)', () => {
  it.each([
    [123450, 'GBP', '£1,234.50'],
    [0, 'GBP', '£0.00'],
    [5, 'GBP', '£0.05'],
    [960, 'GBP', '£9.60'],
    [4000, 'GBP', '£40.00'],
    [100_000_000, 'GBP', '£1,000,000.00'],
    [1234, 'EUR', '€12.34'],
    [1234, 'USD', 'US$12.34'],
  ])('%p minor units of %s -> %s', (minor, currency, text) => {
    expect(formatMoney(minor, currency)).toBe(text);
  });

  it('formats each currency with its own symbol after another was used', () => {
    expect(formatMoney(100, 'GBP')).toBe('£1.00');
    expect(formatMoney(100, 'EUR')).toBe('€1.00');
    expect(formatMoney(100, 'GBP')).toBe('£1.00');
  });
});

describe('formatDifference', () => {
  it.each([
    [4000, '+£40.00'],
    [-800, '-£8.00'],
    [0, '£0.00'],
    [1, '+£0.01'],
    [-1, '-£0.01'],
    [123450, '+£1,234.50'],
    [-123450, '-£1,234.50'],
  ])('%p minor units -> %s', (minor, text) => {
    expect(formatDifference(minor, 'GBP')).toBe(text);
  });
});

// ---------------------------------------------------------------------------------------------
// planChange
// ---------------------------------------------------------------------------------------------

describe('planChange', () => {
  describe('a quantity must be a whole number', () => {
    it.each(['abc', '1.5', '-1', '', '1e3', '+3', '1,000', '1234567890', 1.5, -1, NaN, Infinity, null, undefined, true, {}])(
      'refuses %p with its own message on its own line, and changes nothing',
      (raw) => {
        const plan = planDirect([sub('C2TU1', 10, 4)], { C2TU1: raw });
        expect(plan.problems).toEqual([{ sku: 'C2TU1', message: NOT_WHOLE }]);
        expect(plan.changes).toEqual([]);
        expect(plan.subscriptions).toEqual([sub('C2TU1', 10, 4)]);
      },
    );

    it('the message names the configured maximum', () => {
      const plan = planDirect([sub('C2TU1', 10)], { C2TU1: 'ten' }, { maxQuantity: 250 });
      expect(problemFor(plan, 'C2TU1')).toEqual(['Enter a whole number from 0 to 250.']);
    });

    it.each([
      [' 12 ', 12],
      ['12', 12],
      [12, 12],
      ['0012', 12],
    ])('accepts %p as %p', (raw, expected) => {
      const plan = planDirect([sub('C2TU1', 10, 4)], { C2TU1: raw });
      expect(plan.problems).toEqual([]);
      expect(plan.changes).toHaveLength(1);
      expect(plan.changes[0]).toMatchObject({ sku: 'C2TU1', oldQuantity: 10, newQuantity: expected });
      expect(plan.subscriptions).toEqual([sub('C2TU1', expected, 4)]);
    });
  });

  describe('maximum quantity', () => {
    it.each([10001, '10001', 999_999_999, '999999999'])('refuses %p above maxQuantity 10000', (raw) => {
      const plan = planDirect([sub('C2TU1', 10)], { C2TU1: raw });
      expect(plan.problems).toEqual([{ sku: 'C2TU1', message: TOO_MANY }]);
      expect(plan.changes).toEqual([]);
      expect(plan.subscriptions).toEqual([sub('C2TU1', 10)]);
    });

    it('accepts exactly maxQuantity', () => {
      const plan = planDirect([sub('C2TU1', 10)], { C2TU1: 10000 });
      expect(plan.problems).toEqual([]);
      expect(plan.subscriptions).toEqual([sub('C2TU1', 10000)]);
    });

    it('the message names the configured maximum', () => {
      const plan = planDirect([sub('C2TU1', 10)], { C2TU1: 251 }, { maxQuantity: 250 });
      expect(problemFor(plan, 'C2TU1')).toEqual(['At most 250 licences per subscription.']);
    });
  });

  describe('never below the licences already assigned', () => {
    it('refuses a quantity below the assigned count, naming it (plural)', () => {
      const plan = planDirect([sub('C2TU1', 10, 4)], { C2TU1: 3 });
      expect(plan.problems).toEqual([{ sku: 'C2TU1', message: belowAssigned(4) }]);
      expect(plan.problems[0]!.message).toBe(
        '4 licences are assigned to users, so the quantity cannot go below 4. Unassign licences in the Customer Portal first.',
      );
      expect(plan.changes).toEqual([]);
      expect(plan.subscriptions).toEqual([sub('C2TU1', 10, 4)]);
    });

    it('uses the singular for one assigned licence', () => {
      const plan = planDirect([sub('T2TU1', 5, 1)], { T2TU1: '0' });
      expect(plan.problems).toEqual([
        {
          sku: 'T2TU1',
          message: '1 licence is assigned to users, so the quantity cannot go below 1. Unassign licences in the Customer Portal first.',
        },
      ]);
    });

    it('allows lowering to exactly the assigned count', () => {
      const plan = planDirect([sub('C2TU1', 10, 4)], { C2TU1: 4 });
      expect(plan.problems).toEqual([]);
      expect(plan.changes).toEqual([
        { sku: 'C2TU1', offer: CATALOGUE[0], oldQuantity: 10, newQuantity: 4, oldCostMinor: 3200, newCostMinor: 1280 },
      ]);
      expect(plan.subscriptions).toEqual([sub('C2TU1', 4, 4)]);
    });

    it('raising keeps the assigned count on the subscription', () => {
      const plan = planDirect([sub('C2TU1', 10, 4)], { C2TU1: 25 });
      expect(plan.subscriptions).toEqual([sub('C2TU1', 25, 4)]);
    });
  });

  describe('quantity 0', () => {
    it('is refused while licences are assigned, and the subscription stays', () => {
      const plan = planDirect([sub('C2TU1', 10, 2)], { C2TU1: 0 });
      expect(plan.problems).toEqual([{ sku: 'C2TU1', message: belowAssigned(2) }]);
      expect(plan.changes).toEqual([]);
      expect(plan.subscriptions).toEqual([sub('C2TU1', 10, 2)]);
      expect(plan.newTotalMinor).toBe(plan.oldTotalMinor);
    });

    it('removes the subscription when nothing is assigned', () => {
      const plan = planDirect([sub('C2TU1', 10, 0), sub('T2TU1', 2, 1)], { C2TU1: 0 });
      expect(plan.problems).toEqual([]);
      expect(plan.changes).toEqual([
        { sku: 'C2TU1', offer: CATALOGUE[0], oldQuantity: 10, newQuantity: 0, oldCostMinor: 3200, newCostMinor: 0 },
      ]);
      expect(skus(plan.subscriptions)).toEqual(['T2TU1']);
      expect(plan.oldTotalMinor).toBe(3200 + 140);
      expect(plan.newTotalMinor).toBe(140);
    });

    it('"0" typed as text removes it too', () => {
      const plan = planDirect([sub('C2TPA1', 3)], { C2TPA1: ' 0 ' });
      expect(plan.subscriptions).toEqual([]);
      expect(plan.newTotalMinor).toBe(0);
    });

    it('for an offer not subscribed to is no change at all', () => {
      const plan = planDirect([sub('C2TU1', 10)], { T2TU1: 0 });
      expect(plan.problems).toEqual([]);
      expect(plan.changes).toEqual([]);
      expect(plan.subscriptions).toEqual([sub('C2TU1', 10)]);
    });
  });

  describe('adding an offer', () => {
    it('adds an offer enabled on the base level above, with nothing assigned', () => {
      const plan = planDirect([sub('C2TU1', 10, 4)], { T2TU1: 5 });
      expect(plan.problems).toEqual([]);
      expect(plan.changes).toEqual([
        { sku: 'T2TU1', offer: CATALOGUE[2], oldQuantity: 0, newQuantity: 5, oldCostMinor: 0, newCostMinor: 350 },
      ]);
      expect(plan.subscriptions).toEqual([sub('C2TU1', 10, 4), sub('T2TU1', 5, 0)]);
      expect(plan.oldTotalMinor).toBe(3200);
      expect(plan.newTotalMinor).toBe(3550);
    });

    it("a reseller's customer can add an offer the reseller enables", () => {
      const plan = planUnderReseller([], { T2TU1: '3' });
      expect(plan.problems).toEqual([]);
      expect(plan.subscriptions).toEqual([sub('T2TU1', 3, 0)]);
    });

    it("a reseller's customer cannot add an offer only the partner enables", () => {
      const plan = planUnderReseller([], { C2TU250: 3 });
      expect(plan.problems).toEqual([{ sku: 'C2TU250', message: 'C2TU250 is not offered to Northwind Traders.' }]);
      expect(plan.changes).toEqual([]);
      expect(plan.subscriptions).toEqual([]);
    });

    it("a reseller's customer cannot add an offer set in its own enabledOffers", () => {
      const plan = planUnderReseller([], { BRESSEN: 1 });
      expect(problemFor(plan, 'BRESSEN')).toEqual(['BRESSEN is not offered to Northwind Traders.']);
    });

    it('refuses an SKU not enabled above, even with quantity 0', () => {
      const plan = planUnderReseller([], { C2TU250: 0 });
      expect(problemFor(plan, 'C2TU250')).toEqual(['C2TU250 is not offered to Northwind Traders.']);
    });

    it.each(['NOPE1', 'c2tu1', '', 'constructor', '__proto__'])('refuses the unknown SKU %p', (sku) => {
      const requested: Record<string, unknown> = {};
      Object.defineProperty(requested, sku, { value: 1, enumerable: true });
      const plan = planDirect([sub('C2TU1', 10)], requested);
      expect(plan.problems).toEqual([{ sku, message: `${sku} is not offered to Adatum Corp.` }]);
      expect(plan.changes).toEqual([]);
      expect(plan.subscriptions).toEqual([sub('C2TU1', 10)]);
    });

    it('checks the offer before the quantity: an unknown SKU with a bad quantity gets one message', () => {
      const plan = planDirect([], { NOPE1: 'abc' });
      expect(plan.problems).toEqual([{ sku: 'NOPE1', message: 'NOPE1 is not offered to Adatum Corp.' }]);
    });

    it('an existing subscription can still be amended after its offer stopped being enabled above', () => {
      // C2TU250 is not enabled on the reseller, but the customer already holds it.
      const plan = planUnderReseller([sub('C2TU250', 20, 5)], { C2TU250: 10 });
      expect(plan.problems).toEqual([]);
      expect(plan.subscriptions).toEqual([sub('C2TU250', 10, 5)]);
    });
  });

  describe('trial SKUs follow the same rules', () => {
    it('a trial enabled above can be added, at no cost', () => {
      const plan = planUnderReseller([], { T2TUT: 25 });
      expect(plan.problems).toEqual([]);
      expect(plan.changes).toEqual([
        { sku: 'T2TUT', offer: CATALOGUE[5], oldQuantity: 0, newQuantity: 25, oldCostMinor: 0, newCostMinor: 0 },
      ]);
      expect(plan.newTotalMinor).toBe(0);
    });

    it('a trial not enabled above is refused', () => {
      // T2TUT is enabled on the reseller but not the partner, so a direct customer cannot add it.
      const plan = planDirect([], { T2TUT: 1 });
      expect(problemFor(plan, 'T2TUT')).toEqual(['T2TUT is not offered to Adatum Corp.']);
    });

    it.each([
      ['1.5', NOT_WHOLE],
      [10001, TOO_MANY],
      [2, belowAssigned(3)],
      [0, belowAssigned(3)],
    ])('a trial quantity of %p is refused: %s', (raw, message) => {
      const plan = planDirect([sub('C2TUT', 5, 3)], { C2TUT: raw });
      expect(plan.problems).toEqual([{ sku: 'C2TUT', message }]);
      expect(plan.subscriptions).toEqual([sub('C2TUT', 5, 3)]);
    });

    it('a trial with nothing assigned is removed by 0', () => {
      const plan = planDirect([sub('C2TUT', 5, 0)], { C2TUT: 0 });
      expect(plan.subscriptions).toEqual([]);
    });
  });

  describe('unchanged quantities', () => {
    it.each([10, '10', ' 10 ', '010'])('requesting the current quantity %p produces no change line', (raw) => {
      const current = [sub('C2TU1', 10, 4), sub('T2TU1', 3)];
      const plan = planDirect(current, { C2TU1: raw });
      expect(plan.problems).toEqual([]);
      expect(plan.changes).toEqual([]);
      expect(plan.subscriptions).toEqual(current);
      expect(plan.newTotalMinor).toBe(plan.oldTotalMinor);
    });

    it('an empty request changes nothing and keeps every subscription', () => {
      const current = [sub('C2TU1', 10, 4), sub('T2TU1', 3)];
      const plan = planDirect(current, {});
      expect(plan).toEqual({ changes: [], subscriptions: current, oldTotalMinor: 3200 + 210, newTotalMinor: 3200 + 210, problems: [] });
    });

    it('only the lines that change are listed; the others keep their quantity', () => {
      const plan = planDirect([sub('C2TU1', 10, 4), sub('T2TU1', 3), sub('C2TPA1', 7)], { C2TU1: 10, T2TU1: 4 });
      expect(skus(plan.changes)).toEqual(['T2TU1']);
      expect(plan.subscriptions).toEqual([sub('C2TU1', 10, 4), sub('T2TU1', 4), sub('C2TPA1', 7)]);
    });
  });

  describe('several problems at once', () => {
    const current = [sub('C2TU1', 10, 4), sub('C2TU250', 8, 3), sub('T2TU1', 2, 1)];
    const requested = {
      C2TU1: 'abc', // not a whole number
      C2TU250: 2, // below 3 assigned
      T2TU1: 0, // 1 assigned
      C2TPA1: 20000, // above max
      NOPE1: 5, // unknown
      BRESSEN: 2, // fine
    };

    it('reports every problem, each on its own line with its own message', () => {
      const plan = planDirect(current, requested);
      expect(plan.problems).toHaveLength(5);
      expect(problemFor(plan, 'C2TU1')).toEqual([NOT_WHOLE]);
      expect(problemFor(plan, 'C2TU250')).toEqual([belowAssigned(3)]);
      expect(problemFor(plan, 'T2TU1')).toEqual([belowAssigned(1)]);
      expect(problemFor(plan, 'C2TPA1')).toEqual([TOO_MANY]);
      expect(problemFor(plan, 'NOPE1')).toEqual(['NOPE1 is not offered to Adatum Corp.']);
      expect(problemFor(plan, 'BRESSEN')).toEqual([]);
    });

    it('a plan with problems still lists the valid changes beside them', () => {
      const plan = planDirect(current, requested);
      expect(plan.changes).toEqual([
        { sku: 'BRESSEN', offer: CATALOGUE[6], oldQuantity: 0, newQuantity: 2, oldCostMinor: 0, newCostMinor: 2500 },
      ]);
      // Refused lines keep their current quantity in the resulting list.
      expect(plan.subscriptions).toEqual([...current, sub('BRESSEN', 2)]);
    });
  });

  describe('order', () => {
    it('changes and the resulting subscription list follow the offer order, not request or stored order', () => {
      const plan = planDirect(
        [sub('BRESSEN', 1), sub('T2TU1', 2), sub('C2TU1', 3)],
        { C2TUT: 5, BRESSEN: 2, C2TPA1: 4, T2TU1: 1, C2TU1: 9, C2TU250: 6 },
      );
      expect(plan.problems).toEqual([]);
      expect(skus(plan.changes)).toEqual(['C2TU1', 'C2TU250', 'T2TU1', 'C2TPA1', 'C2TUT', 'BRESSEN']);
      expect(skus(plan.subscriptions)).toEqual(['C2TU1', 'C2TU250', 'T2TU1', 'C2TPA1', 'C2TUT', 'BRESSEN']);
    });

    it('an unchanged request still returns the stored list in offer order', () => {
      const plan = planDirect([sub('C2TPA1', 1), sub('C2TU1', 3)], {});
      expect(skus(plan.subscriptions)).toEqual(['C2TU1', 'C2TPA1']);
    });
  });

  describe('totals in minor units', () => {
    it('price 3.2 x 3 = 960, with no float drift on the line or the totals', () => {
      const plan = planDirect([], { C2TU1: 3 });
      expect(plan.changes[0]).toMatchObject({ oldCostMinor: 0, newCostMinor: 960 });
      expect(plan.oldTotalMinor).toBe(0);
      expect(plan.newTotalMinor).toBe(960);
    });

    it('is exact for large quantities and awkward prices', () => {
      const plan = planDirect(
        [sub('C2TU1', 1), sub('C2TU250', 250, 250), sub('T2TU1', 10), sub('C2TPA1', 7)],
        { C2TU1: 3, C2TU250: 9999, T2TU1: '9999', C2TPA1: 3 },
      );
      expect(plan.problems).toEqual([]);
      expect(plan.changes.map((c) => [c.sku, c.oldCostMinor, c.newCostMinor])).toEqual([
        ['C2TU1', 320, 960],
        ['C2TU250', 72_500, 2_899_710],
        ['T2TU1', 700, 699_930],
        ['C2TPA1', 70, 30],
      ]);
      expect(plan.oldTotalMinor).toBe(320 + 72_500 + 700 + 70);
      expect(plan.newTotalMinor).toBe(960 + 2_899_710 + 699_930 + 30);
      expect(plan.newTotalMinor).toBe(3_600_630);
      for (const n of [plan.oldTotalMinor, plan.newTotalMinor, ...plan.changes.flatMap((c) => [c.oldCostMinor, c.newCostMinor])]) {
        expect(Number.isInteger(n)).toBe(true);
      }
    });

    it('the difference an admin sees is exact: 0.1 x 3 -> 0.1 x 10 is +£0.70', () => {
      const plan = planDirect([sub('C2TPA1', 3)], { C2TPA1: 10 });
      expect(plan.newTotalMinor - plan.oldTotalMinor).toBe(70);
      expect(formatDifference(plan.newTotalMinor - plan.oldTotalMinor, 'GBP')).toBe('+£0.70');
      expect(formatMoney(plan.oldTotalMinor, 'GBP')).toBe('£0.30');
      expect(formatMoney(plan.newTotalMinor, 'GBP')).toBe('£1.00');
    });

    it('totals include the subscriptions not being changed', () => {
      const plan = planDirect([sub('C2TU1', 10), sub('T2TU1', 9999)], { C2TU1: 5 });
      expect(plan.oldTotalMinor).toBe(3200 + 699_930);
      expect(plan.newTotalMinor).toBe(1600 + 699_930);
      expect(formatDifference(plan.newTotalMinor - plan.oldTotalMinor, 'GBP')).toBe('-£16.00');
    });

    it('a plan whose only lines are refused has equal totals', () => {
      const plan = planDirect([sub('C2TU1', 10, 4)], { C2TU1: 1 });
      expect(plan.oldTotalMinor).toBe(3200);
      expect(plan.newTotalMinor).toBe(3200);
    });
  });

  it('does not modify the account it plans for', () => {
    const subscriptions = Object.freeze([Object.freeze(sub('C2TU1', 10, 4)), Object.freeze(sub('T2TU1', 2))]);
    const customer = Object.freeze({ ...account('frozen', 'customer', 'partner'), subscriptions });
    const plan = planChange(customer, availableOffers([partner, customer], CATALOGUE), CATALOGUE, { C2TU1: 12, T2TU1: 0, C2TPA1: 1 }, RULES);
    expect(plan.problems).toEqual([]);
    expect(customer.subscriptions).toEqual([sub('C2TU1', 10, 4), sub('T2TU1', 2)]);
  });
});

// ---------------------------------------------------------------------------------------------
// Permissions: who may view and change a customer's subscriptions
// ---------------------------------------------------------------------------------------------

describe('subscription permissions on a customer below a reseller', () => {
  // The customer account is the last on the path: partner root -> reseller -> customer.
  const CUSTOMER_PATH = [partner, reseller, resellerCustomer];
  type Position = 'customer itself' | 'parent reseller' | 'partner root';
  const accountAt: Record<Position, string> = {
    'customer itself': resellerCustomer.id,
    'parent reseller': reseller.id,
    'partner root': partner.id,
  };
  const holding = (accountId: string, ...roles: Role[]): Admin => admin(ALEX, [[accountId, roles]]);

  // role held                   | held on            | view  | change
  const TABLE: [Role, Position, boolean, boolean][] = [
    ['AccountOwner', /*          */ 'customer itself', false, false],
    ['AccountOwner', /*          */ 'parent reseller', false, false],
    ['AccountOwner', /*          */ 'partner root', /* */ false, false],
    ['SubscriptionOwner', /*     */ 'customer itself', true, false],
    ['SubscriptionOwner', /*     */ 'parent reseller', true, true],
    ['SubscriptionOwner', /*     */ 'partner root', /* */ true, true],
    ['SubscriptionContributor', 'customer itself', true, false],
    ['SubscriptionContributor', 'parent reseller', true, true],
    ['SubscriptionContributor', 'partner root', /*   */ true, true],
    ['SubscriptionViewer', /*    */ 'customer itself', true, false],
    ['SubscriptionViewer', /*    */ 'parent reseller', true, false],
    ['SubscriptionViewer', /*    */ 'partner root', /* */ true, false],
    ['ServiceContributor', /*    */ 'customer itself', false, false],
    ['ServiceContributor', /*    */ 'parent reseller', false, false],
    ['ServiceContributor', /*    */ 'partner root', /* */ false, false],
    ['ServiceViewer', /*         */ 'customer itself', false, false],
    ['ServiceViewer', /*         */ 'parent reseller', false, false],
    ['ServiceViewer', /*         */ 'partner root', /* */ false, false],
    ['BrandContributor', /*      */ 'customer itself', false, false],
    ['BrandContributor', /*      */ 'parent reseller', false, false],
    ['BrandContributor', /*      */ 'partner root', /* */ false, false],
    ['SyncContributor', /*       */ 'customer itself', false, false],
    ['SyncContributor', /*       */ 'parent reseller', false, false],
    ['SyncContributor', /*       */ 'partner root', /* */ false, false],
  ];

  test.each(TABLE)('%s held on the %s: viewSubscriptions %p, changeSubscriptions %p', (role, position, view, change) => {
    const caps = capabilitiesOn(holding(accountAt[position], role), CUSTOMER_PATH);
    expect(caps.viewSubscriptions).toBe(view);
    expect(caps.changeSubscriptions).toBe(change);
  });

  it('the table covers all 8 roles in all 3 positions', () => {
    expect(new Set(TABLE.map(([role, position]) => `${role}@${position}`)).size).toBe(24);
  });

  it("a customer's own admin holding every role still cannot change its subscriptions", () => {
    const everything = holding(
      resellerCustomer.id,
      'AccountOwner',
      'SubscriptionOwner',
      'SubscriptionContributor',
      'SubscriptionViewer',
      'ServiceContributor',
      'ServiceViewer',
      'BrandContributor',
      'SyncContributor',
    );
    const caps = capabilitiesOn(everything, CUSTOMER_PATH);
    expect(caps.viewSubscriptions).toBe(true);
    expect(caps.changeSubscriptions).toBe(false);
  });

  it('Subscription Viewer above plus Subscription Contributor on the customer itself cannot change', () => {
    const mixed = admin(ALEX, [
      [partner.id, ['SubscriptionViewer']],
      [resellerCustomer.id, ['SubscriptionContributor']],
    ]);
    expect(capabilitiesOn(mixed, CUSTOMER_PATH).changeSubscriptions).toBe(false);
  });

  it('a role held on another branch grants nothing on this customer', () => {
    const elsewhere = admin(ALEX, [
      [directCustomer.id, ['SubscriptionOwner']],
      [nestedReseller.id, ['SubscriptionContributor']],
      [internal.id, ['SubscriptionViewer']],
    ]);
    const caps = capabilitiesOn(elsewhere, CUSTOMER_PATH);
    expect(caps.viewSubscriptions).toBe(false);
    expect(caps.changeSubscriptions).toBe(false);
  });

  it("Subscription Contributor on the reseller changes its customers' subscriptions but not the reseller's own", () => {
    const contributor = holding(reseller.id, 'SubscriptionContributor');
    expect(capabilitiesOn(contributor, [partner, reseller]).changeSubscriptions).toBe(false);
    expect(capabilitiesOn(contributor, [partner, reseller]).viewSubscriptions).toBe(true);
    expect(capabilitiesOn(contributor, [partner, reseller, resellerCustomer]).changeSubscriptions).toBe(true);
    expect(capabilitiesOn(contributor, [partner, reseller, nestedReseller, nestedCustomer]).changeSubscriptions).toBe(true);
  });

  it('nobody can change the subscriptions of a partner root (no account above it)', () => {
    const owner = holding(partner.id, 'SubscriptionOwner', 'SubscriptionContributor', 'AccountOwner');
    expect(capabilitiesOn(owner, [partner]).viewSubscriptions).toBe(true);
    expect(capabilitiesOn(owner, [partner]).changeSubscriptions).toBe(false);
  });
});
