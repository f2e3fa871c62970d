/** A record of one applied subscription change: who, when, where, what, and why (the action id). */
export interface AuditLine {
  readonly sku: string;
  readonly oldQuantity: number;
  readonly newQuantity: number;
}

/** One offer turned on or off on a base level (`enabled` is the state it was set to). */
export interface OfferAuditLine {
  readonly sku: string;
  readonly enabled: boolean;
}

/**
 * A subscription change has `lines`; an offer change on a base level has `offerLines` (and no
 * `lines`, a monthly difference of 0). Entries written before offers could change have no `offerLines`.
 */
export interface AuditEntry {
  readonly id: string;
  readonly accountId: string;
  /** ISO 8601 time the change was applied. */
  readonly at: string;
  readonly actor: { readonly tenantId: string; readonly aadObjectId: string; readonly name: string };
  /** The idempotency key: the review the confirmation came from. A replay finds this entry. */
  readonly actionId: string;
  readonly lines: readonly AuditLine[];
  readonly offerLines?: readonly OfferAuditLine[];
  readonly monthlyDifferenceMinor: number;
  readonly currency: string;
  readonly versionBefore: string;
}
