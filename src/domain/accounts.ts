/** Accounts: the nodes of a partner's tree. */

export const ACCOUNT_KINDS = ['partner', 'reseller', 'customer', 'internal'] as const;
export type AccountKind = (typeof ACCOUNT_KINDS)[number];

export interface Brand {
  readonly name: string;
  readonly logoUrl?: string;
}

export interface Subscription {
  readonly sku: string;
  readonly quantity: number;
  /** Licences already assigned to users; a quantity may never go below it. */
  readonly assigned: number;
  /** The day a trial started (YYYY-MM-DD): it ends 29 days later (trials.ts). */
  readonly startedAt?: string;
}

export interface Account {
  readonly id: string;
  readonly name: string;
  readonly parentId: string | null;
  readonly kind: AccountKind;
  readonly brand?: Brand;
  /** Offers enabled on this account (meaningful on base levels: partners and resellers). */
  readonly enabledOffers: readonly string[];
  readonly subscriptions: readonly Subscription[];
  /** Opaque version of this account's mutable data, for optimistic concurrency. */
  readonly version: string;
}

/** An account as listed in the tree: enough to draw a row. */
export interface AccountSummary {
  readonly id: string;
  readonly name: string;
  readonly kind: AccountKind;
  readonly parentId: string | null;
  readonly childCount: number;
  /** How many accounts sit anywhere below this one. */
  readonly descendantCount: number;
}

export const KIND_LABELS: Readonly<Record<AccountKind, string>> = {
  partner: 'Partner (base account)',
  reseller: 'Reseller (base level)',
  customer: 'Customer',
  internal: 'Internal use',
};

/** A base level is where offers are enabled and subscriptions are managed from:
 * a partner's base account, or a reseller (a client account with client accounts of its own). */
export function isBaseLevel(account: Pick<Account, 'kind'>): boolean {
  return account.kind === 'partner' || account.kind === 'reseller';
}

/** A client account has Services (PBX or trunk connections) and Users; a partner's base account has neither. */
export function isClientAccount(account: Pick<Account, 'kind'>): boolean {
  return account.kind !== 'partner';
}

/** The brand in force on the last account of `path` (root first): the nearest one set at or above it. */
export function brandOf(path: readonly Account[]): Brand | undefined {
  for (let i = path.length - 1; i >= 0; i--) {
    const brand = path[i]!.brand;
    if (brand) return brand;
  }
  return undefined;
}

/** The brand shown where no account on the path sets one. */
export const DEFAULT_BRAND: Brand = { name: 'Call2Teams' };

/**
 * The brand the admin sees on the last account of `path`: the one in force there, else
 * Call2Teams. It may be set on an account above the admin's scope: white-labelling is theirs to see.
 */
export function brandShown(path: readonly Account[]): Brand {
  return brandOf(path) ?? DEFAULT_BRAND;
}

/** The nearest base level at or above the last account of `path`. */
export function baseLevelOf(path: readonly Account[]): Account | undefined {
  for (let i = path.length - 1; i >= 0; i--) {
    if (isBaseLevel(path[i]!)) return path[i];
  }
  return undefined;
}
