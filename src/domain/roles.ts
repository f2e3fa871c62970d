/**
 * Administrator roles, in the vendor's words, and what each implies.
 * A role held on an account holds for that account's whole subtree (see permissions.ts).
 */
export const ROLES = [
  'AccountOwner',
  'SubscriptionOwner',
  'SubscriptionContributor',
  'SubscriptionViewer',
  'ServiceContributor',
  'ServiceViewer',
  'BrandContributor',
  'SyncContributor',
] as const;

export type Role = (typeof ROLES)[number];

/** Direct implications. Account Owner implies Service Contributor and Service Viewer (vendor docs);
 * each Owner/Contributor implies the weaker role of its family. */
const IMPLIES: Readonly<Record<Role, readonly Role[]>> = {
  AccountOwner: ['ServiceContributor', 'ServiceViewer'],
  SubscriptionOwner: ['SubscriptionContributor'],
  SubscriptionContributor: ['SubscriptionViewer'],
  SubscriptionViewer: [],
  ServiceContributor: ['ServiceViewer'],
  ServiceViewer: [],
  BrandContributor: [],
  SyncContributor: [],
};

export const ROLE_LABELS: Readonly<Record<Role, string>> = {
  AccountOwner: 'Account Owner',
  SubscriptionOwner: 'Subscription Owner',
  SubscriptionContributor: 'Subscription Contributor',
  SubscriptionViewer: 'Subscription Viewer',
  ServiceContributor: 'Service Contributor',
  ServiceViewer: 'Service Viewer',
  BrandContributor: 'Brand Contributor',
  SyncContributor: 'Sync Contributor',
};

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** The closure of `roles` under implication, in the canonical order of ROLES. */
export function expandRoles(roles: Iterable<Role>): Role[] {
  const held = new Set<Role>();
  const visit = (role: Role): void => {
    if (held.has(role)) return;
    held.add(role);
    IMPLIES[role].forEach(visit);
  };
  for (const role of roles) visit(role);
  return ROLES.filter((role) => held.has(role));
}
