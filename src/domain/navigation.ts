import type { Account } from './accounts';
import type { Admin } from './admins';

/**
 * Where an admin is: the current account, and the membership (scope root) they came from.
 * The breadcrumb runs from the scope root to the current account; "up" never leaves it.
 */
export interface Position {
  readonly accountId: string;
  readonly scopeRootId: string;
}

/** The accounts the admin holds a membership on, in the order the directory lists them. */
export function scopeRootIds(admin: Admin): string[] {
  return [...new Set(admin.memberships.map((m) => m.accountId))];
}

/**
 * The scope root to use for an account whose path (root first) is `path`: the preferred one
 * when it lies on the path, else the highest membership on the path (the widest view).
 * Undefined when the account is outside every scope.
 */
export function scopeRootOn(admin: Admin, path: readonly Pick<Account, 'id'>[], preferred?: string): string | undefined {
  const roots = new Set(scopeRootIds(admin));
  if (preferred && roots.has(preferred) && path.some((a) => a.id === preferred)) return preferred;
  return path.find((a) => roots.has(a.id))?.id;
}

/**
 * The steps from the scope root down to the current account: what the admin may see of the path.
 * The accounts above the scope root are never part of it; if the root is not on the path at all,
 * only the account itself is.
 */
export function breadcrumb<T extends Pick<Account, 'id'>>(path: readonly T[], scopeRootId: string): T[] {
  const start = path.findIndex((a) => a.id === scopeRootId);
  return path.slice(start >= 0 ? start : Math.max(path.length - 1, 0));
}

/** Is `accountId` on the part of `path` the admin sees from `scopeRootId` (the breadcrumb)? */
export function isWithinBreadcrumb(path: readonly Pick<Account, 'id'>[], scopeRootId: string, accountId: string): boolean {
  return breadcrumb(path, scopeRootId).some((a) => a.id === accountId);
}

/** The account one step up, or undefined at the scope root (the top of what the admin may see). */
export function parentWithinScope<T extends Pick<Account, 'id'>>(path: readonly T[], scopeRootId: string): T | undefined {
  const crumbs = breadcrumb(path, scopeRootId);
  return crumbs.length > 1 ? crumbs[crumbs.length - 2] : undefined;
}

/** The breadcrumb as one line a helpdesk person can paste into a ticket. */
export function breadcrumbText(path: readonly Pick<Account, 'name'>[]): string {
  return path.map((a) => a.name).join(' > ');
}
