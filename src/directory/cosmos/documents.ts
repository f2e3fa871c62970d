import type { JSONObject } from '@azure/cosmos';
import type { Account, AccountKind, AccountSummary, Brand, Subscription } from '../../domain/accounts';
import type { AuditEntry } from '../../domain/audit';
import type { AdminRecord } from '../../domain/directory-document';
import type { Offer } from '../../domain/offers';
import { nameSortKey } from '../../domain/name-order';
import { compositeId } from './cosmos-ids';

/**
 * The documents Switchboard keeps in Cosmos DB. Accounts are denormalized at import time: each
 * carries its ancestors' tree data and its own child and descendant counts, so that the path,
 * the breadcrumb, the brand and the "Sub accounts (n)" button of a turn come from one point read.
 * The tree's shape only changes by import, so the copies cannot drift at run time.
 */

/** An ancestor as copied into its descendants: tree data only, never subscriptions. */
export interface AncestorCopy {
  readonly id: string;
  readonly name: string;
  readonly kind: AccountKind;
  readonly parentId: string | null;
  readonly brand?: Brand;
  readonly enabledOffers: readonly string[];
  readonly childCount: number;
  readonly descendantCount: number;
}

export interface AccountDoc {
  readonly id: string;
  readonly type: 'account';
  /** Partition key: the id of the tree's root, so a tree's listings and searches stay in one partition. */
  readonly rootId: string;
  /**
   * Orders accounts as the imported file does, so an export writes them back in the same order.
   * Not necessarily 0..n-1: a re-import keeps the positions it can (stable-ordinals.ts).
   */
  readonly ordinal: number;
  readonly name: string;
  readonly parentId: string | null;
  readonly kind: AccountKind;
  readonly brand?: Brand;
  readonly enabledOffers: readonly string[];
  readonly subscriptions: readonly Subscription[];
  readonly version: string;
  readonly childCount: number;
  readonly descendantCount: number;
  /**
   * A base level's: how many accounts buy from it (their nearest base level above is it), set at
   * import like the other counts; absent on other accounts and in documents imported before it was kept.
   */
  readonly buyerCount?: number;
  /** Distance from the tree's root (0 for the root). */
  readonly depth: number;
  /** Orders siblings as the embedded directory does (name sort key, then id) with a single-field ORDER BY. */
  readonly childKey: string;
  /** Orders accounts nearest first (depth, name sort key, id) with a single-field ORDER BY (who holds an offer). */
  readonly searchKey: string;
  /** Ids from the root down to this account, inclusive: "inside this subtree" is ARRAY_CONTAINS. */
  readonly lineage: readonly string[];
  /** Root first, excluding the account itself. */
  readonly ancestors: readonly AncestorCopy[];
  readonly _etag?: string;
}

export interface AuditDoc {
  /** One per account and action id: creating it twice fails, which is what makes a change apply once. */
  readonly id: string;
  readonly type: 'audit';
  readonly rootId: string;
  readonly accountId: string;
  readonly actionId: string;
  /**
   * Applied order within the account: imported entries ('0|' + position in the file) before
   * entries applied here ('1|' + the account version they were applied to).
   */
  readonly seq: string;
  /** Position in the imported file, for export; absent for entries applied here. */
  readonly ordinal?: number;
  readonly entry: AuditEntry;
  /** Seconds after its write that Cosmos DB deletes it (the audit retention), when one is set. */
  readonly ttl?: number;
}

export interface AdminDoc {
  readonly id: string;
  /** All admins share one logical partition, so the whole roster is one partition-scoped query. */
  readonly pk: typeof ADMIN_PARTITION;
  readonly type: 'admin';
  readonly ordinal: number;
  readonly admin: AdminRecord;
  /** Tree root of each membership's account, so opening a scope root needs no locator read. */
  readonly roots: Readonly<Record<string, string>>;
  /** Set by an import whose file no longer has this admin: kept, so running instances hear of it. */
  readonly removed?: boolean;
}

export interface LocatorDoc {
  readonly id: string;
  readonly pk: typeof LOCATOR_PARTITION;
  readonly type: 'locator';
  readonly accountId: string;
  readonly rootId: string;
}

export interface CatalogDoc {
  readonly id: typeof CATALOG_ID;
  readonly pk: typeof CATALOG_ID;
  readonly type: 'catalog';
  readonly offers: readonly Offer[];
  /** Every tree's root, so an export can visit each account partition with a partition-scoped query. */
  readonly rootIds: readonly string[];
  /** Each tree's deepest depth (root 0): a search asks for every depth of a tree in one query (search-keys.ts). */
  readonly depths?: Readonly<Record<string, number>>;
  /** Each tree's longest number in a name (digits, leading zeros aside): how long a number a query's last digits may start. */
  readonly numbers?: Readonly<Record<string, number>>;
  /**
   * Fingerprint of everything the completed import wrote (every document's content hash): a
   * re-import that finds it equal, and nothing else to write, leaves the catalogue alone.
   */
  readonly importHash?: string;
  /** Set by the service on every write: a new one means an import completed (an import writes the catalogue last). */
  readonly _etag?: string;
}

export const CATALOG_ID = 'catalog';
export const ADMIN_PARTITION = 'admins';
/** Locators share one logical partition: small, read only on a cache miss, written in batches of 100. */
export const LOCATOR_PARTITION = 'locators';

export const adminDocId = (adminKey: string): string => compositeId('admin', adminKey);
export const locatorDocId = (accountId: string): string => `locator~${accountId}`;
export const auditDocId = (accountId: string, actionId: string): string => compositeId('audit', accountId, actionId);

/** Below every character a name's sort key can hold (nameSortKey blanks control characters). */
const KEY_SEPARATOR = '\u0001';

/** The name's sort key (natural order, shared with the embedded directory), then the id. */
export function childKeyOf(name: string, id: string): string {
  return `${nameSortKey(name)}${KEY_SEPARATOR}${id}`;
}

export function searchKeyOf(depth: number, name: string, id: string): string {
  return `${String(depth).padStart(4, '0')}${KEY_SEPARATOR}${childKeyOf(name, id)}`;
}

const SECONDS_PER_DAY = 86_400;

/** A per-item `ttl` (seconds after the item's last write) from a retention in days; none when undefined. */
export function ttlFields(days: number | undefined): { ttl?: number } {
  return days === undefined ? {} : { ttl: days * SECONDS_PER_DAY };
}

export function auditOrderApplied(versionBefore: string): string {
  const n = Number(versionBefore);
  return `1|${(Number.isSafeInteger(n) && n >= 0 ? String(n) : '0').padStart(12, '0')}`;
}

export function auditOrderImported(ordinal: number): string {
  return `0|${String(ordinal).padStart(12, '0')}`;
}

export function toAccount(doc: AccountDoc): Account {
  return {
    id: doc.id,
    name: doc.name,
    parentId: doc.parentId,
    kind: doc.kind,
    ...(doc.brand ? { brand: doc.brand } : {}),
    enabledOffers: doc.enabledOffers,
    subscriptions: doc.subscriptions,
    version: doc.version,
  };
}

/**
 * An ancestor in a path. Its tree data is exact; its subscriptions are not copied into
 * descendants (they change at run time), so they read as none and its version as '' (which never
 * matches a real version, so a change built on it is refused as a conflict). Use getAccount for an
 * ancestor's subscriptions.
 */
export function ancestorAccount(copy: AncestorCopy): Account {
  return {
    id: copy.id,
    name: copy.name,
    parentId: copy.parentId,
    kind: copy.kind,
    ...(copy.brand ? { brand: copy.brand } : {}),
    enabledOffers: copy.enabledOffers,
    subscriptions: [],
    version: '',
  };
}

export function summaryOf(doc: Pick<AccountDoc, 'id' | 'name' | 'kind' | 'parentId' | 'childCount' | 'descendantCount'>): AccountSummary {
  return {
    id: doc.id,
    name: doc.name,
    kind: doc.kind,
    parentId: doc.parentId,
    childCount: doc.childCount,
    descendantCount: doc.descendantCount,
  };
}

/**
 * Strips the service's system properties before a document is written back, and the import's
 * content hash: a document rewritten from here no longer holds what the import wrote, so the
 * next import must not take it for unchanged (see content-hash.ts).
 */
export function withoutSystemProperties<T extends object>(doc: T): T {
  const { _etag, _rid, _self, _ts, _attachments, importHash, ...rest } = doc as T & Record<'_etag' | '_rid' | '_self' | '_ts' | '_attachments' | 'importHash', unknown>;
  return rest as T;
}

/** Our documents are plain JSON by construction; the SDK's batch API wants that said in its own type. */
export function asJson(doc: object): JSONObject {
  return doc as JSONObject;
}
