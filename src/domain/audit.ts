/** A record of one applied subscription change: who, when, where, what, and why (the action id). */
export interface AuditLine {
  readonly sku: string;
  readonly oldQuantity: number;
  readonly newQuantity: number;
}

export interface AuditEntry {
  readonly id: string;
  readonly accountId: string;
  /** ISO 8601 time the change was applied. */
  readonly at: string;
  readonly actor: { readonly tenantId: string; readonly aadObjectId: string; readonly name: string };
  /** The idempotency key: the review the confirmation came from. A replay finds this entry. */
  readonly actionId: string;
  readonly lines: readonly AuditLine[];
  readonly monthlyDifferenceMinor: number;
  readonly currency: string;
  readonly versionBefore: string;
}
