import type { Account } from './accounts';
import { isBaseLevel, isClientAccount } from './accounts';
import type { Admin } from './admins';
import { expandRoles, ROLES, type Role } from './roles';

/**
 * What an administrator may do on an account. A role held on an account holds for its whole
 * subtree, so the roles in force on an account are those of every membership on its path.
 * test/docs/readme.spec.ts checks the README's permission table against these constants.
 */
export const BROWSE_ROLES: readonly Role[] = [
  'AccountOwner',
  'SubscriptionOwner',
  'SubscriptionContributor',
  'SubscriptionViewer',
  'ServiceContributor',
  'ServiceViewer',
];
/** Base levels (partners and resellers): the Account Portal is where Administrators and base-level subscriptions live. */
export const BASE_PORTAL_ROLES: readonly Role[] = [
  'AccountOwner',
  'SubscriptionOwner',
  'SubscriptionContributor',
  'SubscriptionViewer',
];
/** Client accounts other than resellers: the Account Portal is their Services and Users page. */
export const CLIENT_PORTAL_ROLES: readonly Role[] = [
  'AccountOwner',
  'ServiceContributor',
  'ServiceViewer',
  'SyncContributor',
];
/** The Customer Portal manages a client account's Services and Users. */
export const CUSTOMER_PORTAL_ROLES: readonly Role[] = ['AccountOwner', 'ServiceContributor', 'ServiceViewer'];
export const VIEW_SUBSCRIPTION_ROLES: readonly Role[] = [
  'SubscriptionOwner',
  'SubscriptionContributor',
  'SubscriptionViewer',
];
/** Held strictly above the account: a client account's own admins never change its subscriptions. */
export const CHANGE_SUBSCRIPTION_ROLES: readonly Role[] = ['SubscriptionOwner', 'SubscriptionContributor'];

/**
 * Held strictly above a reseller: offers carry cost, so the same "held above" rule as subscription
 * changes. A partner's own offers are set by the vendor, never here.
 */
export const CHANGE_OFFER_ROLES: readonly Role[] = CHANGE_SUBSCRIPTION_ROLES;

export interface Capabilities {
  /** Roles in force on the account (inherited and implied). */
  readonly roles: readonly Role[];
  /** See the account's sub accounts and open them. */
  readonly browse: boolean;
  readonly accountPortal: boolean;
  readonly customerPortal: boolean;
  readonly viewSubscriptions: boolean;
  readonly changeSubscriptions: boolean;
  /** See a base level's offers (the same roles as seeing subscriptions: offers carry prices). */
  readonly viewOffers: boolean;
  /** Turn offers on or off: only on a reseller, only with a role held on an account above it. */
  readonly changeOffers: boolean;
}

/** Roles granted by memberships on the given accounts (expanded by implication). */
function rolesFrom(admin: Admin, accounts: readonly Pick<Account, 'id'>[]): Role[] {
  const ids = new Set(accounts.map((a) => a.id));
  return expandRoles(admin.memberships.filter((m) => ids.has(m.accountId)).flatMap((m) => m.roles));
}

const anyOf = (held: readonly Role[], wanted: readonly Role[]): boolean => wanted.some((r) => held.includes(r));

/**
 * The roles granted by the admin's memberships on `path` as they were granted, without those they
 * imply (in the canonical order of ROLES): what the admin was given, for the roles line.
 */
export function grantedRolesOn(admin: Admin, path: readonly Pick<Account, 'id'>[]): Role[] {
  const ids = new Set(path.map((a) => a.id));
  const granted = new Set(admin.memberships.filter((m) => ids.has(m.accountId)).flatMap((m) => m.roles));
  return ROLES.filter((role) => granted.has(role));
}

/** `path` runs from the tree's root to the account in question (inclusive). */
export function capabilitiesOn(admin: Admin, path: readonly Pick<Account, 'id' | 'kind'>[]): Capabilities {
  const account = path[path.length - 1];
  if (!account) throw new RangeError('capabilitiesOn needs a non-empty path');
  const roles = rolesFrom(admin, path);
  const rolesAbove = rolesFrom(admin, path.slice(0, -1));
  const portalRoles = isBaseLevel(account) ? BASE_PORTAL_ROLES : CLIENT_PORTAL_ROLES;
  return {
    roles,
    browse: anyOf(roles, BROWSE_ROLES),
    accountPortal: anyOf(roles, portalRoles),
    customerPortal: isClientAccount(account) && anyOf(roles, CUSTOMER_PORTAL_ROLES),
    viewSubscriptions: anyOf(roles, VIEW_SUBSCRIPTION_ROLES),
    changeSubscriptions: anyOf(rolesAbove, CHANGE_SUBSCRIPTION_ROLES),
    viewOffers: anyOf(roles, VIEW_SUBSCRIPTION_ROLES),
    changeOffers: isBaseLevel(account) && path.length > 1 && anyOf(rolesAbove, CHANGE_OFFER_ROLES),
  };
}

/** Is any account of `path` one the admin holds a membership on? */
export function isInScope(admin: Admin, path: readonly Pick<Account, 'id'>[]): boolean {
  return path.some((a) => admin.memberships.some((m) => m.accountId === a.id));
}

/**
 * May the admin open the last account of `path`? Their own scope roots always; anything
 * below only if the roles in force on its parent let them browse sub accounts.
 */
export function mayOpen(admin: Admin, path: readonly Pick<Account, 'id'>[]): boolean {
  const account = path[path.length - 1];
  if (!account) return false;
  if (admin.memberships.some((m) => m.accountId === account.id)) return true;
  return anyOf(rolesFrom(admin, path.slice(0, -1)), BROWSE_ROLES);
}
