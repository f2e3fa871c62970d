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

/** The vendor's trial SKUs: marked as trials wherever they appear, whatever a file says. */
export const TRIAL_SKUS: readonly string[] = ['C2TUT', 'T2TUT', 'C2TPAT'];

export function isTrial(offer: Pick<Offer, 'sku' | 'trial'>): boolean {
  return offer.trial || TRIAL_SKUS.includes(offer.sku);
}

/** Money is computed in minor units (pence, cents) so that totals are exact. */
export function toMinor(amount: number): number {
  return Math.round(amount * 100);
}

const formatters = new Map<string, Intl.NumberFormat>();

/** "£1,234.50" for minor units 123450 in GBP. */
export function formatMoney(minor: number, currency: string): string {
  let format = formatters.get(currency);
  if (!format) {
    format = new Intl.NumberFormat('en-GB', { style: 'currency', currency });
    formatters.set(currency, format);
  }
  return format.format(minor / 100);
}

/** A monthly difference with its sign: "+£40.00", "-£8.00", "£0.00". */
export function formatDifference(minor: number, currency: string): string {
  const amount = formatMoney(Math.abs(minor), currency);
  return minor > 0 ? `+${amount}` : minor < 0 ? `-${amount}` : amount;
}
