/** Offers are enabled on a base account; applied to a client account an offer becomes a Subscription. */
export interface Offer {
  readonly sku: string;
  readonly name: string;
  /** Price of one licence per month, in `currency`. */
  readonly monthlyPrice: number;
  /** ISO 4217 code, e.g. "GBP". */
  readonly currency: string;
  /** 30-day trial SKUs such as C2TUT; they follow the same quantity rules. */
  readonly trial: boolean;
}

/** Money is computed in minor units (pence, cents) so that totals are exact. */
export function toMinor(amount: number): number {
  return Math.round(amount * 100);
}

export function formatMoney(minor: number, currency: string): string {
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  const units = Math.floor(abs / 100).toLocaleString('en-GB');
  return `${sign}${currency} ${units}.${String(abs % 100).padStart(2, '0')}`;
}
