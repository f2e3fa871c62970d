import { isBaseLevel } from '../../domain/accounts';
import { adminKey } from '../../domain/admins';
import type { DirectoryDocument } from '../../domain/directory-document';
import { AccountIndex } from '../embedded/account-index';
import {
  ADMIN_PARTITION,
  adminDocId,
  auditDocId,
  auditOrderImported,
  CATALOG_ID,
  childKeyOf,
  LOCATOR_PARTITION,
  locatorDocId,
  searchKeyOf,
  type AccountDoc,
  type AdminDoc,
  type AncestorCopy,
  type AuditDoc,
  type CatalogDoc,
  type LocatorDoc,
} from './documents';
import { longestNumberIn } from '../../domain/search';
import { searchKeysOf, type SearchKeyDoc } from './search-keys';

export interface DirectoryDocuments {
  readonly accounts: readonly AccountDoc[];
  readonly audit: readonly AuditDoc[];
  readonly searchKeys: readonly SearchKeyDoc[];
  readonly locators: readonly LocatorDoc[];
  readonly admins: readonly AdminDoc[];
  readonly catalog: CatalogDoc;
}

/**
 * Turns a validated directory file into the documents of docs/cosmos.md, computing what the
 * embedded directory keeps in memory (paths, depths, counts) once, at import time, with the same
 * AccountIndex, so both adapters agree on them.
 */
export function buildDocuments(doc: DirectoryDocument): DirectoryDocuments {
  const index = new AccountIndex(doc);
  const copyOf = (id: string): AncestorCopy => {
    const account = index.get(id)!;
    const summary = index.summary(id)!;
    return {
      id,
      name: account.name,
      kind: account.kind,
      parentId: account.parentId,
      ...(account.brand ? { brand: account.brand } : {}),
      enabledOffers: account.enabledOffers,
      childCount: summary.childCount,
      descendantCount: summary.descendantCount,
    };
  };

  const accounts = doc.accounts.map((record, ordinal): AccountDoc => {
    const path = index.path(record.id)!;
    const account = path[path.length - 1]!;
    const depth = path.length - 1;
    return {
      ...copyOf(record.id),
      type: 'account',
      rootId: path[0]!.id,
      ordinal,
      subscriptions: account.subscriptions,
      version: account.version,
      depth,
      childKey: childKeyOf(account.name, account.id),
      searchKey: searchKeyOf(depth, account.name, account.id),
      lineage: path.map((a) => a.id),
      ancestors: path.slice(0, -1).map((a) => copyOf(a.id)),
      ...(isBaseLevel(account) ? { buyerCount: index.buyerCount(account.id) } : {}),
    };
  });
  const rootOf = new Map(accounts.map((a) => [a.id, a.rootId]));
  const deepest: Record<string, number> = {};
  const numbers: Record<string, number> = {};
  for (const a of accounts) {
    deepest[a.rootId] = Math.max(deepest[a.rootId] ?? 0, a.depth);
    numbers[a.rootId] = Math.max(numbers[a.rootId] ?? 0, longestNumberIn(a.name));
  }

  const searchKeys = accounts.flatMap((a) =>
    searchKeysOf({
      rootId: a.rootId,
      accountId: a.id,
      lineage: a.lineage,
      name: a.name,
      kind: a.kind,
      parentId: a.parentId,
      childCount: a.childCount,
      descendantCount: a.descendantCount,
      depth: a.depth,
      path: [...a.ancestors, a].map(({ id, name, kind }) => ({ id, name, kind })),
    }),
  );

  return {
    accounts,
    searchKeys,
    audit: (doc.audit ?? []).map((entry, ordinal): AuditDoc => ({
      id: auditDocId(entry.accountId, entry.actionId),
      type: 'audit',
      rootId: rootOf.get(entry.accountId) ?? entry.accountId,
      accountId: entry.accountId,
      actionId: entry.actionId,
      seq: auditOrderImported(ordinal),
      ordinal,
      entry,
    })),
    locators: accounts.map((a) => ({ id: locatorDocId(a.id), pk: LOCATOR_PARTITION, type: 'locator', accountId: a.id, rootId: a.rootId })),
    admins: doc.admins.map((admin, ordinal): AdminDoc => {
      return {
        id: adminDocId(adminKey(admin)),
        pk: ADMIN_PARTITION,
        type: 'admin',
        ordinal,
        admin,
        roots: Object.fromEntries(admin.memberships.map((m) => [m.accountId, rootOf.get(m.accountId) ?? m.accountId])),
      };
    }),
    catalog: {
      id: CATALOG_ID,
      pk: CATALOG_ID,
      type: 'catalog',
      offers: doc.offers,
      rootIds: accounts.filter((a) => a.parentId === null).map((a) => a.id),
      depths: deepest,
      numbers,
    },
  };
}
