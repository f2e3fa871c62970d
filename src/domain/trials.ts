/**
 * Trial countdowns. A trial subscription carries the day it started (`startedAt`, a calendar
 * date); the vendor's trial SKUs last 30 days. The daily digest names trials ending within the
 * next 7 days and those that ended in the last 7 (long enough to be noticed, short enough that a
 * forgotten trial does not fill every digest for ever).
 */

import type { Account } from './accounts';
import type { Admin } from './admins';
import { capabilitiesOn } from './permissions';

export const TRIAL_DAYS = 30;
export const DIGEST_DAYS_AHEAD = 7;
export const DIGEST_DAYS_BEHIND = 7;

const DAY_MS = 86_400_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar date written YYYY-MM-DD, nothing else. */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = DATE.exec(value);
  if (!m) return false;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return date.toISOString().slice(0, 10) === value;
}

/** The date `days` after `date` (both YYYY-MM-DD). */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** The last day a trial that started on `startedAt` runs: it ends at the close of that day. */
export function trialEndsOn(startedAt: string): string {
  return addDays(startedAt, TRIAL_DAYS - 1);
}

/** A trial subscription somewhere in the directory. */
export interface TrialSubscription {
  readonly accountId: string;
  readonly sku: string;
  readonly quantity: number;
  readonly startedAt: string;
}

export interface TrialCountdown extends TrialSubscription {
  readonly endsOn: string;
  /** Days left after `today`: 0 means it ends today; negative, it ended that many days ago. */
  readonly daysLeft: number;
}

/** The earliest start date whose trial can still be in a digest on `today`. */
export function earliestDigestStart(today: string): string {
  return addDays(today, -(TRIAL_DAYS - 1) - DIGEST_DAYS_BEHIND);
}

/** The trials a digest on `today` names: ending within 7 days or ended within the last 7, soonest first. */
export function digestCountdowns(trials: readonly TrialSubscription[], today: string): TrialCountdown[] {
  return trials
    .map((t) => {
      const endsOn = trialEndsOn(t.startedAt);
      return { ...t, endsOn, daysLeft: daysBetween(today, endsOn) };
    })
    .filter((t) => t.daysLeft <= DIGEST_DAYS_AHEAD && t.daysLeft >= -DIGEST_DAYS_BEHIND)
    .sort((a, b) => a.daysLeft - b.daysLeft || (a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : 0) || (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
}

/**
 * Does `admin` hear of a trial on the last account of `path` (root first) in their digest? Anyone
 * who may view subscriptions there, through a role held within their own scope.
 */
export function isTrialReader(admin: Admin, path: readonly Pick<Account, 'id' | 'kind'>[]): boolean {
  return path.length > 0 && capabilitiesOn(admin, path).viewSubscriptions;
}

/** How a countdown reads: "ends today", "ends tomorrow", "ends in 3 days", "ended yesterday", "ended 4 days ago". */
export function countdownText(daysLeft: number): string {
  if (daysLeft === 0) return 'ends today';
  if (daysLeft === 1) return 'ends tomorrow';
  if (daysLeft > 1) return `ends in ${daysLeft} days`;
  if (daysLeft === -1) return 'ended yesterday';
  return `ended ${-daysLeft} days ago`;
}

/** A time of day the admin chose for the digest, "HH:MM" on a 24-hour clock. */
export const DEFAULT_DIGEST_TIME = '08:00';

export function parseDigestTime(raw: string): string | undefined {
  // "7:30", "07.30", "7h30", or four digits ("0730"): three digits ("123") could be 01:23 or
  // 12:3x, so they are refused rather than read one way without the admin noticing.
  const m = /^\s*(?:([01]?\d|2[0-3])[:.h]([0-5]\d)|([01]\d|2[0-3])([0-5]\d))\s*$/i.exec(raw);
  if (!m) return undefined;
  const [hours, minutes] = m[1] !== undefined ? [m[1], m[2]!] : [m[3]!, m[4]!];
  return `${hours.padStart(2, '0')}:${minutes}`;
}

/** An IANA time zone this runtime knows ("Europe/London"); anything else is not one. */
export function isTimeZone(value: unknown): value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** The calendar date and the minutes past midnight at `nowMs` in `timeZone`. */
export function localClock(nowMs: number, timeZone: string): { readonly date: string; readonly minutes: number } {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(nowMs);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '00';
  return { date: `${part('year')}-${part('month')}-${part('day')}`, minutes: Number(part('hour')) * 60 + Number(part('minute')) };
}

/**
 * The day whose digest is due at `nowMs` for someone in `timeZone` who chose `at`: today's once
 * the time has come, else none yet. A day already sent (`lastDay`) is not due again.
 */
export function dueDigestDay(nowMs: number, timeZone: string, at: string, lastDay: string | undefined): string | undefined {
  const { date, minutes } = localClock(nowMs, timeZone);
  const [h, m] = at.split(':').map(Number) as [number, number];
  if (minutes < h * 60 + m) return undefined;
  return lastDay !== undefined && lastDay >= date ? undefined : date;
}
