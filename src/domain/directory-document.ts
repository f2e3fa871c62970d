import { isCalendarDate } from './trials';
import { ACCOUNT_KINDS, type Account, type AccountKind, type Brand, type Subscription } from './accounts';
import { adminKey } from './admins';
import type { AuditEntry } from './audit';
import type { Offer } from './offers';
import { isRole, type Role } from './roles';

/**
 * The directory file: the demo data, imports and test fixtures all use it.
 * Its structure is published as schema/directory.schema.json; the rules below are the ones a
 * schema cannot express (references, cycles, uniqueness), each reported with its JSON path.
 */
export interface DirectoryDocument {
  readonly offers: readonly Offer[];
  readonly accounts: readonly AccountRecord[];
  readonly admins: readonly AdminRecord[];
  /** Applied subscription changes (written in Switchboard's own snapshots). */
  readonly audit?: readonly AuditEntry[];
}

export interface AccountRecord {
  readonly id: string;
  readonly name: string;
  readonly parentId: string | null;
  readonly kind?: AccountKind;
  readonly brand?: Brand;
  readonly enabledOffers?: readonly string[];
  readonly subscriptions?: readonly Subscription[];
  /** Written in Switchboard's own snapshots; absent in hand-written files. */
  readonly version?: string;
}

export interface AdminRecord {
  readonly tenantId: string;
  readonly aadObjectId: string;
  readonly name: string;
  readonly email: string;
  readonly memberships: readonly { readonly accountId: string; readonly roles: readonly Role[] }[];
}

export interface DocumentIssue {
  /** JSONPath of the offending value, e.g. `$.accounts[3].parentId`. */
  readonly path: string;
  readonly message: string;
}

/** An account as the directory file writes it: optional lists left out when empty. */
export function accountRecordOf(account: Omit<Account, 'brand'> & { readonly brand?: Brand | undefined }): AccountRecord {
  return {
    id: account.id,
    name: account.name,
    parentId: account.parentId,
    kind: account.kind,
    ...(account.brand ? { brand: account.brand } : {}),
    ...(account.enabledOffers.length ? { enabledOffers: account.enabledOffers } : {}),
    ...(account.subscriptions.length ? { subscriptions: account.subscriptions } : {}),
    version: account.version,
  };
}

/** Kind when the file leaves it out: roots are partners, everything else a customer. */
export function defaultKind(record: Pick<AccountRecord, 'kind' | 'parentId'>): AccountKind {
  return record.kind ?? (record.parentId === null ? 'partner' : 'customer');
}

/** The version of an account whose record has none (a hand-written file): its first. */
export const FIRST_VERSION = '1';

/** The account a record describes: the kind defaulted, empty lists for those left out, the first version when none is written. */
export function accountOfRecord(record: AccountRecord): Account {
  return {
    id: record.id,
    name: record.name,
    parentId: record.parentId,
    kind: defaultKind(record),
    ...(record.brand ? { brand: record.brand } : {}),
    enabledOffers: record.enabledOffers ?? [],
    subscriptions: record.subscriptions ?? [],
    version: record.version ?? FIRST_VERSION,
  };
}

/** Checks the references and invariants of a structurally valid document. Returns every mistake. */
export function checkDocument(doc: DirectoryDocument): DocumentIssue[] {
  const issues: DocumentIssue[] = [];
  const skus = new Map<string, number>();
  doc.offers.forEach((offer, i) => {
    if (skus.has(offer.sku)) {
      issues.push({ path: `$.offers[${i}].sku`, message: `duplicate SKU "${offer.sku}" (first at $.offers[${skus.get(offer.sku)}])` });
    } else skus.set(offer.sku, i);
    // Totals add prices together, so one directory bills in one currency.
    if (offer.currency !== doc.offers[0]!.currency) {
      issues.push({ path: `$.offers[${i}].currency`, message: `currency ${offer.currency} differs from ${doc.offers[0]!.currency} of $.offers[0]; use one currency` });
    }
  });

  const ids = new Map<string, number>();
  doc.accounts.forEach((account, i) => {
    if (ids.has(account.id)) {
      issues.push({ path: `$.accounts[${i}].id`, message: `duplicate account id "${account.id}" (first at $.accounts[${ids.get(account.id)}])` });
    } else ids.set(account.id, i);
  });

  doc.accounts.forEach((account, i) => {
    const at = `$.accounts[${i}]`;
    if (account.parentId !== null && !ids.has(account.parentId)) {
      issues.push({ path: `${at}.parentId`, message: `unknown parent account "${account.parentId}"` });
    }
    if (account.kind && !ACCOUNT_KINDS.includes(account.kind)) {
      issues.push({ path: `${at}.kind`, message: `unknown kind "${account.kind}"; expected one of ${ACCOUNT_KINDS.join(', ')}` });
    }
    if (account.parentId === null && account.kind && account.kind !== 'partner') {
      issues.push({ path: `${at}.kind`, message: `a root account must be a partner, not "${account.kind}"` });
    }
    issues.push(...enabledOfferIssues(account.enabledOffers ?? [], skus, `${at}.enabledOffers`));
    issues.push(...subscriptionListIssues(account.subscriptions ?? [], skus, `${at}.subscriptions`));
  });
  issues.push(...findCycles(doc.accounts, ids));

  const adminKeys = new Map<string, number>();
  doc.admins.forEach((admin, i) => {
    const at = `$.admins[${i}]`;
    const key = adminKey(admin);
    if (adminKeys.has(key)) {
      issues.push({ path: `${at}.aadObjectId`, message: `duplicate administrator ${admin.aadObjectId} in tenant ${admin.tenantId} (first at $.admins[${adminKeys.get(key)}])` });
    } else adminKeys.set(key, i);
    admin.memberships.forEach((m, j) => {
      const mp = `${at}.memberships[${j}]`;
      if (!ids.has(m.accountId)) issues.push({ path: `${mp}.accountId`, message: `membership on missing account "${m.accountId}"` });
      m.roles.forEach((role, k) => {
        if (!isRole(role)) issues.push({ path: `${mp}.roles[${k}]`, message: `unknown role "${String(role)}"` });
      });
    });
  });
  return issues;
}

/**
 * The invariants of one account's subscription list: known SKUs, each once, never fewer
 * licences than are assigned. Checked on load and again before any change is stored.
 */
export function subscriptionListIssues(
  subscriptions: readonly Subscription[],
  skus: ReadonlySet<string> | ReadonlyMap<string, unknown>,
  at: string,
): DocumentIssue[] {
  const issues: DocumentIssue[] = [];
  const seen = new Set<string>();
  subscriptions.forEach((sub, j) => {
    const sp = `${at}[${j}]`;
    if (!skus.has(sub.sku)) issues.push({ path: `${sp}.sku`, message: `unknown SKU "${sub.sku}"` });
    if (seen.has(sub.sku)) issues.push({ path: `${sp}.sku`, message: `SKU "${sub.sku}" is subscribed twice on this account` });
    seen.add(sub.sku);
    if (!Number.isSafeInteger(sub.quantity) || sub.quantity < 0 || !Number.isSafeInteger(sub.assigned) || sub.assigned < 0) {
      issues.push({ path: sp, message: 'quantity and assigned must be whole numbers of at least 0' });
    }
    if (sub.startedAt !== undefined && !isCalendarDate(sub.startedAt)) {
      issues.push({ path: `${sp}.startedAt`, message: `"${String(sub.startedAt)}" is not a date written YYYY-MM-DD` });
    }
    if (sub.assigned > sub.quantity) {
      issues.push({ path: `${sp}.assigned`, message: `${sub.assigned} licences assigned but the quantity is only ${sub.quantity}` });
    }
  });
  return issues;
}

/** The invariants of a base level's enabled offers: known SKUs. Checked on load and before any change is stored. */
export function enabledOfferIssues(enabled: readonly string[], skus: ReadonlySet<string> | ReadonlyMap<string, unknown>, at: string): DocumentIssue[] {
  const issues: DocumentIssue[] = [];
  enabled.forEach((sku, j) => {
    if (!skus.has(sku)) issues.push({ path: `${at}[${j}]`, message: `unknown SKU "${sku}"` });
  });
  return issues;
}

/** Every account whose ancestry loops, reported once per cycle at its first member. */
function findCycles(accounts: readonly AccountRecord[], index: ReadonlyMap<string, number>): DocumentIssue[] {
  const issues: DocumentIssue[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  for (const start of accounts) {
    const trail: string[] = [];
    let id: string | null = start.id;
    while (id !== null && !state.has(id) && index.has(id)) {
      state.set(id, 'visiting');
      trail.push(id);
      id = accounts[index.get(id)!]!.parentId;
    }
    if (id !== null && state.get(id) === 'visiting' && trail.includes(id)) {
      const loop = trail.slice(trail.indexOf(id));
      issues.push({
        path: `$.accounts[${index.get(id)}].parentId`,
        message: `cycle in the account tree: ${[...loop, id].join(' -> ')}`,
      });
    }
    trail.forEach((t) => state.set(t, 'done'));
  }
  return issues;
}
