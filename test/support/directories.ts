import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AccountRecord, AdminRecord, DirectoryDocument } from '../../src/domain/directory-document';
import type { Role } from '../../src/domain/roles';
import { projectPath } from '../../src/project-path';

export const TENANT = '00000000-0000-0000-0000-0000000000001';
/** The Agents Playground's users, as the demo directory names them. */
export const ALEX = '00000000-0000-0000-0000-0000000000020';
export const MEGAN = '00000000-0000-0000-0000-0000000000021';
export const ADELE = '00000000-0000-0000-0000-0000000000022';
export const ISAIAH = '00000000-0000-0000-0000-0000000000023';
export const PATTI = '00000000-0000-0000-0000-0000000000024';
export const LYNNE = '00000000-0000-0000-0000-0000000000025';

export const DEMO_FILE = projectPath('data', 'demo-directory.json');

export function tempDir(prefix = 'switchboard-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function writeDirectory(doc: DirectoryDocument, dir = tempDir()): string {
  const file = path.join(dir, 'directory.seed.json');
  writeFileSync(file, JSON.stringify(doc));
  return file;
}

export const OFFERS = [
  { sku: 'C2TU1', name: 'Call2Teams PBX User', monthlyPrice: 4, currency: 'GBP', trial: false },
  { sku: 'T2TU1', name: 'Trunk2Teams User', monthlyPrice: 3.5, currency: 'GBP', trial: false },
  { sku: 'C2TUT', name: 'Call2Teams PBX User Trial', monthlyPrice: 0, currency: 'GBP', trial: true },
];

export function admin(aadObjectId: string, memberships: [string, Role[]][], name = `Admin ${aadObjectId.slice(-4)}`): AdminRecord {
  return {
    tenantId: TENANT,
    aadObjectId,
    name,
    email: `${name.toLowerCase().replace(/\W+/g, '.')}@example.com`,
    memberships: memberships.map(([accountId, roles]) => ({ accountId, roles })),
  };
}

/**
 * A partner with `width` customers directly below it (names zero-padded so they sort), plus a
 * reseller with two customers. Alex owns the partner.
 */
export function wideDirectory(width: number): DirectoryDocument {
  const accounts: AccountRecord[] = [
    { id: 'p', name: 'Wide Partner', parentId: null, kind: 'partner', enabledOffers: ['C2TU1', 'T2TU1', 'C2TUT'] },
    { id: 'r', name: 'AAA Reseller', parentId: 'p', kind: 'reseller', enabledOffers: ['C2TU1'] },
    { id: 'r-1', name: 'Reseller Customer One', parentId: 'r', kind: 'customer' },
    { id: 'r-2', name: 'Reseller Customer Two', parentId: 'r', kind: 'customer' },
  ];
  for (let i = 0; i < width; i++) {
    accounts.push({
      id: `c-${i}`,
      name: `Customer ${String(i).padStart(5, '0')} with a fairly long trading name Ltd`,
      parentId: 'p',
      kind: 'customer',
      subscriptions: [{ sku: 'C2TU1', quantity: 10, assigned: 5 }],
    });
  }
  return { offers: OFFERS, accounts, admins: [admin(ALEX, [['p', ['AccountOwner', 'SubscriptionContributor']]], 'Alex Wilber')] };
}
