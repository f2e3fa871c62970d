import fc from 'fast-check';
import type { Account, AccountKind } from '../../src/domain/accounts';
import type { Role } from '../../src/domain/roles';
import {
  addDays, countdownText, daysBetween, digestCountdowns, dueDigestDay, earliestDigestStart, isCalendarDate, isTimeZone, isTrialReader,
  localClock, parseDigestTime, trialEndsOn, type TrialSubscription,
} from '../../src/domain/trials';
import { admin, ALEX } from '../support/directories';

// An oracle that knows nothing of Date: the calendar counted out one day at a time.
const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const monthDays = (y: number, m: number): number => [31, isLeap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
const iso = (y: number, m: number, d: number): string => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
const parts = (date: string): [number, number, number] => date.split('-').map(Number) as [number, number, number];
function nextDay(date: string): string {
  const [y, m, d] = parts(date);
  if (d < monthDays(y, m)) return iso(y, m, d + 1);
  return m < 12 ? iso(y, m + 1, 1) : iso(y + 1, 1, 1);
}
function prevDay(date: string): string {
  const [y, m, d] = parts(date);
  if (d > 1) return iso(y, m, d - 1);
  return m > 1 ? iso(y, m - 1, monthDays(y, m - 1)) : iso(y - 1, 12, 31);
}
const walk = (date: string, days: number): string => {
  for (let i = 0; i < Math.abs(days); i++) date = days > 0 ? nextDay(date) : prevDay(date);
  return date;
};

/** Dates from 1900 to 2200, with month ends, year ends and leap days drawn often. */
const dateArb = fc.oneof(
  fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2200-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
  fc.constantFrom('2024-02-28', '2024-02-29', '2025-02-28', '2000-02-29', '2100-02-28', '2025-12-31', '2026-01-31', '2026-04-30'),
);

const trial = (startedAt: string, accountId = 'acme', sku = 'TRIAL-100'): TrialSubscription => ({ accountId, sku, quantity: 5, startedAt });

describe('calendar dates', () => {
  it('accepts only real dates written YYYY-MM-DD', () => {
    for (const ok of ['2026-01-01', '2024-02-29', '2000-02-29', '2026-12-31']) expect(isCalendarDate(ok)).toBe(true);
    for (const bad of ['2026-02-30', '2025-02-29', '1900-02-29', '2026-13-01', '2026-00-10', '2026-04-31', '2026-1-01', '2026-01-1', '20260101', ' 2026-01-01', '2026-01-01T00:00:00Z', '']) {
      expect(isCalendarDate(bad)).toBe(false);
    }
    for (const notString of [20260101, null, undefined, new Date('2026-01-01'), { date: '2026-01-01' }]) expect(isCalendarDate(notString)).toBe(false);
  });

  it('agrees with the days in each month, for any year, month and day', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1000, max: 9999 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 }), (y, m, d) => {
        expect(isCalendarDate(iso(y, m, d))).toBe(d <= monthDays(y, m));
      }),
    );
  });

  it('moves across month ends, year ends and leap days', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2025-02-28', 1)).toBe('2025-03-01');
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(daysBetween('2024-01-01', '2025-01-01')).toBe(366);
    expect(daysBetween('2026-01-10', '2026-01-03')).toBe(-7);
  });

  it('addDays and daysBetween undo each other and count like a calendar does', () => {
    fc.assert(
      fc.property(dateArb, fc.integer({ min: -400, max: 400 }), (date, n) => {
        const later = addDays(date, n);
        expect(isCalendarDate(later)).toBe(true);
        expect(later).toBe(walk(date, n));
        expect(daysBetween(date, later)).toBe(n);
        expect(addDays(later, -n)).toBe(date);
      }),
      { numRuns: 300 },
    );
    fc.assert(fc.property(dateArb, dateArb, (a, b) => expect(addDays(a, daysBetween(a, b))).toBe(b)));
  });

  it('a trial runs 30 days, its start day counted, so its last day is 29 days after it started', () => {
    expect(trialEndsOn('2026-01-01')).toBe('2026-01-30');
    expect(trialEndsOn('2024-02-15')).toBe('2024-03-15');
    expect(trialEndsOn('2026-02-15')).toBe('2026-03-16');
    expect(trialEndsOn('2026-12-15')).toBe('2027-01-13');
    fc.assert(fc.property(dateArb, (start) => expect(daysBetween(start, trialEndsOn(start)) + 1).toBe(30)));
  });
});

describe('which trials a digest names', () => {
  const today = '2026-03-10';
  const endingOn = (endsOn: string, accountId?: string, sku?: string): TrialSubscription => trial(addDays(endsOn, -29), accountId, sku);

  it('names trials ending up to 7 days from today and ended up to 7 days ago, and no others', () => {
    const names = (endsOn: string): boolean => digestCountdowns([endingOn(endsOn)], today).length === 1;
    expect(names('2026-03-17')).toBe(true); // today + 7
    expect(names('2026-03-18')).toBe(false); // today + 8
    expect(names('2026-03-03')).toBe(true); // today - 7
    expect(names('2026-03-02')).toBe(false); // today - 8
    expect(names(today)).toBe(true);
  });

  it('says how many days are left, soonest first, then by account and SKU', () => {
    const trials = [endingOn('2026-03-15', 'b'), endingOn('2026-03-08', 'a'), endingOn(today, 'b', 'Z'), endingOn(today, 'b', 'A'), endingOn(today, 'a'), endingOn('2026-04-30', 'a')];
    expect(digestCountdowns(trials, today).map((t) => [t.accountId, t.sku, t.endsOn, t.daysLeft])).toEqual([
      ['a', 'TRIAL-100', '2026-03-08', -2],
      ['a', 'TRIAL-100', today, 0],
      ['b', 'A', today, 0],
      ['b', 'Z', today, 0],
      ['b', 'TRIAL-100', '2026-03-15', 5],
    ]);
    expect(digestCountdowns([], today)).toEqual([]);
  });

  it('matches counting the days out by hand, for any trials on any day', () => {
    const trialsArb = (day: string) =>
      fc.array(
        fc.record({ accountId: fc.constantFrom('a', 'b', 'c'), sku: fc.constantFrom('X', 'Y'), quantity: fc.nat(50), startedAt: fc.integer({ min: -60, max: 20 }).map((n) => walk(day, n)) }),
        { maxLength: 12 },
      );
    fc.assert(
      fc.property(dateArb.chain((day) => fc.tuple(fc.constant(day), trialsArb(day))), ([day, trials]) => {
        const window = Array.from({ length: 15 }, (_, i) => walk(day, i - 7)); // window[i] is day + (i - 7)
        const expected = trials
          .map((t) => ({ ...t, endsOn: walk(t.startedAt, 29), daysLeft: window.indexOf(walk(t.startedAt, 29)) - 7 }))
          .filter((t) => t.daysLeft >= -7);
        const got = digestCountdowns(trials, day);
        const key = (t: { daysLeft: number; accountId: string; sku: string }): string => `${String(t.daysLeft + 100).padStart(3, '0')}|${t.accountId}|${t.sku}`;
        expect(got.map(key)).toEqual(got.map(key).sort());
        expect([...got].sort((a, b) => (key(a) < key(b) ? -1 : 1))).toEqual(expected.sort((a, b) => (key(a) < key(b) ? -1 : 1)));
        for (const t of got) expect(t.startedAt >= earliestDigestStart(day)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('reads the countdown the way a person would say it', () => {
    expect(countdownText(0)).toBe('ends today');
    expect(countdownText(1)).toBe('ends tomorrow');
    expect(countdownText(3)).toBe('ends in 3 days');
    expect(countdownText(7)).toBe('ends in 7 days');
    expect(countdownText(-1)).toBe('ended yesterday');
    expect(countdownText(-4)).toBe('ended 4 days ago');
  });

  it('the earliest start a digest can name is exactly the oldest trial still in it', () => {
    expect(earliestDigestStart(today)).toBe('2026-02-02');
    fc.assert(
      fc.property(dateArb, (day) => {
        const earliest = earliestDigestStart(day);
        expect(digestCountdowns([trial(earliest)], day)).toHaveLength(1);
        expect(digestCountdowns([trial(addDays(earliest, -1))], day)).toHaveLength(0);
      }),
    );
  });
});

describe('when the digest comes', () => {
  it('takes a 24-hour time, with or without a leading zero, and nothing else (three digits are ambiguous)', () => {
    for (const [raw, time] of [['07:30', '07:30'], ['7:30', '07:30'], ['00:00', '00:00'], ['23:59', '23:59'], [' 8:05 ', '08:05'], ['7.30', '07:30'], ['7h30', '07:30'], ['1830', '18:30']]) {
      expect(parseDigestTime(raw!)).toBe(time);
    }
    for (const bad of ['24:00', '12:60', '25:00', '7:5', '8', '8am', '07:30:00', '-1:00', 'eight', 'soon', '', '123', '235', '2400']) expect(parseDigestTime(bad)).toBeUndefined();
  });

  it('whatever it accepts is a canonical HH:MM that reads back as itself', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 7 }), fc.stringMatching(/^\s?\d{1,2}[:.h]?\d{1,2}\s?$/)), (raw) => {
        const time = parseDigestTime(raw);
        if (time !== undefined) {
          expect(time).toMatch(/^([01]\d|2[0-3]):[0-5]\d$/);
          expect(parseDigestTime(time)).toBe(time);
        }
      }),
    );
  });

  it('knows the IANA time zones and nothing else', () => {
    for (const zone of ['Europe/London', 'Pacific/Auckland', 'America/Los_Angeles', 'UTC']) expect(isTimeZone(zone)).toBe(true);
    for (const zone of ['Mars/Olympus', '', 'Europe/Atlantis', 'x'.repeat(65), 42, null, undefined]) expect(isTimeZone(zone)).toBe(false);
  });

  const at = (instant: string): number => Date.parse(instant);

  it('reads the local date and time of day, a day ahead in Auckland', () => {
    expect(localClock(at('2026-01-15T20:00:00Z'), 'Pacific/Auckland')).toEqual({ date: '2026-01-16', minutes: 9 * 60 });
    expect(localClock(at('2026-01-15T20:00:00Z'), 'UTC')).toEqual({ date: '2026-01-15', minutes: 20 * 60 });
    expect(localClock(at('2026-01-15T00:30:00Z'), 'America/Los_Angeles')).toEqual({ date: '2026-01-14', minutes: 16 * 60 + 30 });
    expect(dueDigestDay(at('2026-01-15T20:00:00Z'), 'Pacific/Auckland', '08:00', '2026-01-15')).toBe('2026-01-16');
  });

  it('8 am in Los Angeles is 16:00 UTC in winter and 15:00 UTC in summer, and not a minute before', () => {
    const la = 'America/Los_Angeles';
    expect(dueDigestDay(at('2026-01-15T15:59:00Z'), la, '08:00', '2026-01-14')).toBeUndefined();
    expect(dueDigestDay(at('2026-01-15T16:00:00Z'), la, '08:00', '2026-01-14')).toBe('2026-01-15');
    expect(dueDigestDay(at('2026-07-15T14:59:00Z'), la, '08:00', '2026-07-14')).toBeUndefined();
    expect(dueDigestDay(at('2026-07-15T15:00:00Z'), la, '08:00', undefined)).toBe('2026-07-15');
  });

  it('comes later the same day if the server was late, but never twice for one day', () => {
    const la = 'America/Los_Angeles';
    expect(dueDigestDay(at('2026-01-15T23:00:00Z'), la, '08:00', '2026-01-14')).toBe('2026-01-15');
    expect(dueDigestDay(at('2026-01-15T23:00:00Z'), la, '08:00', '2026-01-15')).toBeUndefined();
    expect(dueDigestDay(at('2026-01-16T07:59:00Z'), la, '08:00', '2026-01-15')).toBeUndefined(); // 23:59 local, already sent
    // Moved from Auckland, where the 16th's digest already came: not a second one on LA's 15th.
    expect(dueDigestDay(at('2026-01-15T20:00:00Z'), la, '08:00', '2026-01-16')).toBeUndefined();
  });

  /** Ticks every minute from `fromUtc` for `hours`, sending whenever due: the instants it sent at, and the days. */
  function sendAll(fromUtc: string, hours: number, zone: string, time: string): { sentAt: string; day: string }[] {
    const sent: { sentAt: string; day: string }[] = [];
    let lastDay: string | undefined;
    for (let t = at(fromUtc); t < at(fromUtc) + hours * 3_600_000; t += 60_000) {
      const day = dueDigestDay(t, zone, time, lastDay);
      if (day) sent.push({ sentAt: new Date(t).toISOString(), day: (lastDay = day) });
    }
    return sent;
  }

  it('comes exactly once on the day the clocks skip the chosen time, as soon as the clocks pass it', () => {
    // 2026-03-08 in New York: 01:59 EST is followed by 03:00 EDT (07:00Z); 02:30 never happens.
    expect(sendAll('2026-03-08T05:00:00Z', 23, 'America/New_York', '02:30')).toEqual([{ sentAt: '2026-03-08T07:00:00.000Z', day: '2026-03-08' }]);
  });

  it('comes exactly once on the day the chosen time happens twice, the first time', () => {
    // 2026-11-01 in New York: 01:00-01:59 happens in EDT (05:xxZ), then again in EST (06:xxZ).
    expect(sendAll('2026-11-01T04:00:00Z', 25, 'America/New_York', '01:30')).toEqual([{ sentAt: '2026-11-01T05:30:00.000Z', day: '2026-11-01' }]);
  });

  it('comes once a day, every day, for a week of ticks', () => {
    expect(sendAll('2026-01-10T12:00:00Z', 7 * 24, 'Pacific/Auckland', '08:00').map((s) => [s.sentAt, s.day])).toEqual(
      Array.from({ length: 7 }, (_, i) => [`2026-01-${String(10 + i).padStart(2, '0')}T19:00:00.000Z`, `2026-01-${String(11 + i).padStart(2, '0')}`]),
    );
  });
});

describe('who hears of a trial', () => {
  type Node = Pick<Account, 'id' | 'kind'>;
  const node = (id: string, kind: AccountKind): Node => ({ id, kind });
  const partner = node('partner', 'partner');
  const reseller = node('reseller', 'reseller');
  const customer = node('customer', 'customer');
  const path = [partner, reseller, customer];
  const holding = (accountId: string, ...roles: Role[]) => admin(ALEX, [[accountId, roles]]);

  it('an admin with Subscription Viewer, Contributor or Owner on the account or above it', () => {
    for (const role of ['SubscriptionViewer', 'SubscriptionContributor', 'SubscriptionOwner'] as const) {
      for (const where of ['partner', 'reseller', 'customer']) expect(isTrialReader(holding(where, role), path)).toBe(true);
    }
  });

  it('nobody whose subscription role is held below the account, elsewhere, or who has only other roles', () => {
    expect(isTrialReader(holding('customer', 'SubscriptionOwner'), [partner, reseller])).toBe(false);
    expect(isTrialReader(holding('other-partner', 'SubscriptionOwner'), path)).toBe(false);
    for (const role of ['AccountOwner', 'ServiceContributor', 'ServiceViewer', 'BrandContributor', 'SyncContributor'] as const) {
      expect(isTrialReader(holding('partner', role), path)).toBe(false);
    }
    expect(isTrialReader(admin(ALEX, []), path)).toBe(false);
    expect(isTrialReader(holding('partner', 'SubscriptionOwner'), [])).toBe(false);
  });
});
