import type { Account } from '../domain/accounts';
import type { Admin, Caller } from '../domain/admins';
import { AccountNotFoundError, NotAllowedError, NotAnAdminError } from '../domain/errors';
import { scopeRootIds, scopeRootOn, type Position } from '../domain/navigation';
import { capabilitiesOn, isInScope, mayOpen, type Capabilities } from '../domain/permissions';
import type { Directory } from '../directory/port';

/** Where an admin stands, resolved and authorized for this turn. */
export interface Here {
  readonly admin: Admin;
  /** Root first, ending with the account; accounts above the scope root are for rules, never for display. */
  readonly path: readonly Account[];
  readonly account: Account;
  readonly scopeRootId: string;
  readonly caps: Capabilities;
}

/** Longest account reference we look up; anything longer is not a name or an id. */
export const MAX_REFERENCE = 200;

/** The position to remember for `here`: its account, reached from its scope root. */
export const positionOf = (here: Pick<Here, 'account' | 'scopeRootId'>): Position => ({ accountId: here.account.id, scopeRootId: here.scopeRootId });

/**
 * Who the admin is and whether they may be somewhere: the one place every use case asks.
 * Every answer starts from the caller's identity and the directory, never from card data, and an
 * account outside the caller's scopes reads as not found, so nothing about it is revealed.
 */
export class AdminAccess {
  constructor(private readonly directory: Directory) {}

  /** The caller as an admin; NotAnAdminError for someone who administers nothing. */
  async admin(caller: Caller): Promise<Admin> {
    const admin = await this.directory.getAdmin(caller);
    if (!admin || admin.memberships.length === 0) throw new NotAnAdminError();
    return admin;
  }

  /** The caller as an admin, or undefined for someone who administers nothing. */
  async adminOrNone(caller: Caller): Promise<Admin | undefined> {
    try {
      return await this.admin(caller);
    } catch (error) {
      if (error instanceof NotAnAdminError) return undefined;
      throw error;
    }
  }

  /**
   * Resolves the stored position for this turn. A position that no longer holds (account gone,
   * membership removed) falls back to the admin's first scope root rather than failing.
   */
  async here(caller: Caller, position: Position | undefined): Promise<Here> {
    const admin = await this.admin(caller);
    if (position) {
      const path = await this.directory.getPath(position.accountId);
      if (path && this.mayVisit(admin, path)) return this.at(admin, path, scopeRootOn(admin, path, position.scopeRootId)!);
    }
    return this.home(admin, scopeRootIds(admin)[0]!);
  }

  /** The current account, or the account `accountId` names if the caller may open it; does not move them. */
  async locate(caller: Caller, position: Position | undefined, accountId?: string): Promise<Here> {
    const here = await this.here(caller, position);
    return accountId === undefined || accountId === here.account.id ? here : this.authorizeOpen(here.admin, accountId, here.scopeRootId);
  }

  /** One of the admin's scope roots, as its own base of the breadcrumb. */
  async home(admin: Admin, scopeRootId: string): Promise<Here> {
    const path = await this.directory.getPath(scopeRootId);
    if (!path) throw new AccountNotFoundError(scopeRootId);
    return this.at(admin, path, scopeRootId);
  }

  /** Authorizes opening account `id`: out of scope reads as not found, so nothing is revealed. */
  async authorizeOpen(admin: Admin, id: string, preferredRoot?: string): Promise<Here> {
    const path = id.length <= MAX_REFERENCE ? await this.directory.getPath(id) : undefined;
    if (!path || !isInScope(admin, path)) throw new AccountNotFoundError(id);
    if (!mayOpen(admin, path)) {
      throw new NotAllowedError(`Your roles do not let you open the sub accounts of ${path[path.length - 2]?.name ?? 'this account'}.`);
    }
    return this.at(admin, path, scopeRootOn(admin, path, preferredRoot)!);
  }

  /** The admin on the last account of `path`, reached from `scopeRootId` (already authorized). */
  at(admin: Admin, path: readonly Account[], scopeRootId: string): Here {
    return { admin, path, account: path[path.length - 1]!, scopeRootId, caps: capabilitiesOn(admin, path) };
  }

  /** May the admin see and open the last account of `path` (root first)? */
  mayVisit(admin: Admin, path: readonly Pick<Account, 'id'>[]): boolean {
    return isInScope(admin, path) && mayOpen(admin, path);
  }
}

/** How a use case is handed the access: directly, or through the navigator that holds it. */
export type AccessSource = AdminAccess | { readonly access: AdminAccess };

export const accessFrom = (source: AccessSource): AdminAccess => (source instanceof AdminAccess ? source : source.access);
