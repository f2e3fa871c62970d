import type { AccountRecord, AdminRecord, DirectoryDocument } from '../../src/domain/directory-document';
import { ROLES, type Role } from '../../src/domain/roles';
import { OFFERS, admin } from './directories';

/** A partner, its reseller, and the reseller's customer: the three positions a role is held at. */
export const MATRIX_ACCOUNTS: readonly AccountRecord[] = [
  { id: 'p', name: 'Partner', parentId: null, kind: 'partner', enabledOffers: ['C2TU1', 'T2TU1', 'C2TUT'] },
  { id: 'r', name: 'Reseller', parentId: 'p', kind: 'reseller', enabledOffers: ['C2TU1', 'C2TUT'] },
  { id: 'c', name: 'Customer', parentId: 'r', kind: 'customer', subscriptions: [{ sku: 'C2TU1', quantity: 10, assigned: 4 }] },
];

export interface RoleCase<W extends string> {
  readonly role: Role;
  readonly where: W;
  /** The admin holding just that role there. */
  readonly aadObjectId: string;
}

/**
 * Every role held at every named position (`where` maps a name to an account id of
 * MATRIX_ACCOUNTS), one admin each, with object ids from `firstOid` on, and the directory of them.
 */
export function roleMatrix<W extends string>(where: Readonly<Record<W, string>>, firstOid: number): { cases: RoleCase<W>[]; doc: DirectoryDocument } {
  const names = Object.keys(where) as W[];
  const cases = ROLES.flatMap((role) => names.map((w) => ({ role, where: w }))).map((c, i) => ({ ...c, aadObjectId: `00000000-0000-0000-0000-${String(firstOid + i).padStart(12, '0')}` }));
  const admins: AdminRecord[] = cases.map((c) => admin(c.aadObjectId, [[where[c.where], [c.role]]], `${c.role} on ${c.where}`));
  return { cases, doc: { offers: OFFERS, accounts: [...MATRIX_ACCOUNTS], admins } };
}
