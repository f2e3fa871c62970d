import type { Role } from './roles';

/** An administrator, identified as Teams identifies the caller: Entra tenant id + object id. */
export interface Membership {
  readonly accountId: string;
  readonly roles: readonly Role[];
}

export interface Admin {
  readonly tenantId: string;
  readonly aadObjectId: string;
  readonly name: string;
  readonly email: string;
  readonly memberships: readonly Membership[];
}

export interface Caller {
  readonly tenantId: string;
  readonly aadObjectId: string;
}

/** Object ids are GUIDs, compared case-insensitively (Teams clients differ in case). */
export function adminKey(caller: Caller): string {
  return `${caller.tenantId.toLowerCase()}/${caller.aadObjectId.toLowerCase()}`;
}

/** Are `a` and `b` the same person (same tenant, same object id, in any case)? */
export function sameAdmin(a: Caller, b: Caller): boolean {
  return adminKey(a) === adminKey(b);
}
