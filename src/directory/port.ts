import type { Account, AccountSummary, Subscription } from '../domain/accounts';
import type { Admin, Caller } from '../domain/admins';
import type { AuditEntry } from '../domain/audit';
import type { ChangeNotice } from '../domain/notices';
import type { OfferHolding } from '../domain/offer-rules';
import type { Offer } from '../domain/offers';
import type { TrialSubscription } from '../domain/trials';

/**
 * The Directory port: everything Switchboard asks of the account hierarchy. Async and paged so
 * that a remote store (Cosmos DB) fits it as well as the embedded one; every account carries a
 * version for optimistic concurrency. Adapters throw DirectoryUnavailableError when they cannot
 * answer, and InvalidActionError for a page token they did not issue.
 */
export interface Directory {
  getAdmin(caller: Caller): Promise<Admin | undefined>;
  /**
   * The account, or undefined for an unknown id. An adapter may answer from a short-lived cache
   * (a change made through another instance then shows a little late); with `fresh` it reads the
   * stored account, as any check a write depends on must.
   */
  getAccount(id: string, options?: ReadOptions): Promise<Account | undefined>;
  /**
   * The account and its ancestors, root first; undefined for an unknown id. The last element is
   * the full, current account; ancestors carry tree data (ids, names, kinds, brands, enabled
   * offers) and may leave out their own subscriptions: read those with getAccount. An ancestor's
   * enabled offers may be older than the ancestor's own (Cosmos DB copies them at import): a rule
   * that depends on a base level's offers reads that base level with getAccount.
   */
  getPath(id: string): Promise<Account[] | undefined>;
  getSummary(id: string): Promise<AccountSummary | undefined>;
  /** One page of an account's children, ordered by name then id. */
  listChildren(parentId: string, page: PageRequest): Promise<Page<AccountSummary>>;
  /** Accounts whose name contains `query` (case-insensitive) inside the given subtrees, best matches first. */
  search(query: string, options: SearchOptions): Promise<SearchHit[]>;
  listOffers(): Promise<Offer[]>;
  /** The administrators holding a membership on any of `accountIds` (who may hear of a change there). */
  adminsOn(accountIds: readonly string[]): Promise<Admin[]>;
  /**
   * Every trial subscription (one carrying `startedAt`) that started on or after `startedSince`
   * (YYYY-MM-DD): what the daily digest counts down. Few in any directory; read once a day.
   */
  trialSubscriptions(startedSince: string): Promise<TrialSubscription[]>;
  /** Applies a subscription change atomically with its audit entry and its notices, once per `entry.actionId`. */
  applySubscriptionChange(change: SubscriptionChange): Promise<ChangeOutcome>;
  /** Turns offers on or off on a base level atomically with its audit entry and its notices, once per `entry.actionId`. */
  applyOfferChange(change: OfferChange): Promise<ChangeOutcome>;
  /**
   * Who below a base level (strictly below it, at any depth) holds each of `skus`: a subscription
   * of it, or, for a reseller, the offer enabled. Bounded per SKU: counted up to `countUpTo`, and
   * the first `sample` holders, nearest first (depth, then name, then id).
   */
  offerHoldings(baseLevelId: string, skus: readonly string[], bounds: HoldingBounds): Promise<OfferHolding[]>;
  /**
   * How many accounts buy from a base level: those whose nearest base level above is it (a
   * reseller below it included, that reseller's own accounts not), so those that may buy an offer
   * it turns on. Undefined when the adapter cannot say (a Cosmos DB import made before it kept the count).
   */
  buyerCount(baseLevelId: string): Promise<number | undefined>;
  /** The change an action id applied to an account, if it was applied: how a replay is recognised. */
  findChange(accountId: string, actionId: string): Promise<AuditEntry | undefined>;
  /** The newest audit entries of an account, newest first. */
  auditTrail(accountId: string, limit: number): Promise<AuditEntry[]>;
  /**
   * Notices recorded with changes and not settled yet, up to `limit`, claimed for `leaseMs` by
   * `owner`: until the lease runs out no other claim (another instance) is handed them. A notice
   * whose claimer died before settling it is handed out again once its lease has run out.
   */
  claimNotices(claim: NoticeClaim): Promise<ChangeNotice[]>;
  /** The notice is done (delivered, or there was nothing to deliver): never handed out again. */
  settleNotice(notice: ChangeNotice): Promise<void>;
  /** Cheap liveness probe of the backing store. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface ReadOptions {
  /** Read what is stored now, never a cached copy. */
  readonly fresh?: boolean;
}

export interface PageRequest {
  readonly pageSize: number;
  /** A token from a previous page's `next` or `previous`; absent for the first page. */
  readonly token?: string;
}

export interface Page<T> {
  readonly items: readonly T[];
  /** Number of items across all pages. */
  readonly total: number;
  /** Zero-based index of the first item of this page in the whole list. */
  readonly offset: number;
  readonly next?: string;
  readonly previous?: string;
}

export interface SearchOptions {
  /** Only accounts at or below these accounts are returned. */
  readonly withinRootIds: readonly string[];
  readonly limit: number;
}

export interface SearchHit {
  readonly account: AccountSummary;
  /** Root first, ending with the account. */
  readonly path: readonly Pick<Account, 'id' | 'name' | 'kind'>[];
}

export interface SubscriptionChange {
  readonly accountId: string;
  /** The version the review was based on; a different current version is a conflict. */
  readonly expectedVersion: string;
  /** The account's whole new subscription list. */
  readonly subscriptions: readonly Subscription[];
  readonly entry: AuditEntry;
  /** Notices the change causes, recorded in the same write: all of them or none. */
  readonly notices?: readonly ChangeNotice[];
}

export interface NoticeClaim {
  /** Who claims (one server instance). */
  readonly owner: string;
  readonly leaseMs: number;
  readonly limit: number;
}

export interface OfferChange {
  readonly accountId: string;
  /** The version the review was based on; a different current version is a conflict. */
  readonly expectedVersion: string;
  /** The base level's whole new list of enabled offers. */
  readonly enabledOffers: readonly string[];
  readonly entry: AuditEntry;
  /** Notices the change causes, recorded in the same write: all of them or none. */
  readonly notices?: readonly ChangeNotice[];
}

export interface HoldingBounds {
  /** Count holders up to this many; beyond it the holding says `more`. */
  readonly countUpTo: number;
  /** How many holders to name. */
  readonly sample: number;
}

export type ChangeOutcome =
  | { readonly status: 'applied'; readonly account: Account; readonly entry: AuditEntry }
  /** The same actionId was applied before: nothing changes, the original entry is returned. */
  | { readonly status: 'replayed'; readonly account: Account; readonly entry: AuditEntry }
  | { readonly status: 'conflict'; readonly account: Account };
