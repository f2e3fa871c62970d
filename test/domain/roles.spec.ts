import { expandRoles, isRole, ROLE_LABELS, ROLES, type Role } from '../../src/domain/roles';

describe('expandRoles', () => {
  it('gives Account Owner Service Contributor and Service Viewer as well', () => {
    expect(expandRoles(['AccountOwner'])).toEqual(['AccountOwner', 'ServiceContributor', 'ServiceViewer']);
  });

  it('does not give Account Owner any subscription role', () => {
    const roles = expandRoles(['AccountOwner']);
    expect(roles).not.toContain('SubscriptionOwner');
    expect(roles).not.toContain('SubscriptionContributor');
    expect(roles).not.toContain('SubscriptionViewer');
  });

  it('chains Subscription Owner => Subscription Contributor => Subscription Viewer', () => {
    expect(expandRoles(['SubscriptionOwner'])).toEqual(['SubscriptionOwner', 'SubscriptionContributor', 'SubscriptionViewer']);
    expect(expandRoles(['SubscriptionContributor'])).toEqual(['SubscriptionContributor', 'SubscriptionViewer']);
    expect(expandRoles(['SubscriptionViewer'])).toEqual(['SubscriptionViewer']);
  });

  it('gives Service Contributor Service Viewer, and Service Viewer nothing more', () => {
    expect(expandRoles(['ServiceContributor'])).toEqual(['ServiceContributor', 'ServiceViewer']);
    expect(expandRoles(['ServiceViewer'])).toEqual(['ServiceViewer']);
  });

  it.each<Role>(['BrandContributor', 'SyncContributor'])('keeps %s standalone', (role) => {
    expect(expandRoles([role])).toEqual([role]);
  });

  it('never implies a stronger role from a weaker one', () => {
    expect(expandRoles(['SubscriptionViewer'])).not.toContain('SubscriptionContributor');
    expect(expandRoles(['ServiceViewer'])).not.toContain('ServiceContributor');
    expect(expandRoles(['ServiceContributor'])).not.toContain('AccountOwner');
  });

  it('returns the union in the canonical order of ROLES, without duplicates', () => {
    const expanded = expandRoles(['SyncContributor', 'SubscriptionContributor', 'AccountOwner', 'ServiceViewer', 'SubscriptionContributor']);
    expect(expanded).toEqual([
      'AccountOwner',
      'SubscriptionContributor',
      'SubscriptionViewer',
      'ServiceContributor',
      'ServiceViewer',
      'SyncContributor',
    ]);
    expect(new Set(expanded).size).toBe(expanded.length);
  });

  it('expands every role to itself at least, and all roles to all roles', () => {
    for (const role of ROLES) expect(expandRoles([role])).toContain(role);
    expect(expandRoles(ROLES)).toEqual([...ROLES]);
  });

  it('is idempotent', () => {
    for (const role of ROLES) {
      const once = expandRoles([role]);
      expect(expandRoles(once)).toEqual(once);
    }
  });

  it('gives nothing for no roles, and accepts any iterable', () => {
    expect(expandRoles([])).toEqual([]);
    expect(expandRoles(new Set<Role>(['ServiceContributor']))).toEqual(['ServiceContributor', 'ServiceViewer']);
  });

  it('does not change its input', () => {
    const input: Role[] = ['AccountOwner'];
    expandRoles(input);
    expect(input).toEqual(['AccountOwner']);
  });
});

describe('isRole', () => {
  it.each([...ROLES])('accepts %s', (role) => {
    expect(isRole(role)).toBe(true);
  });

  it.each<[string, unknown]>([
    ['a display label', 'Account Owner'],
    ['another case', 'accountowner'],
    ['surrounding space', ' AccountOwner'],
    ['an unknown name', 'GlobalAdmin'],
    ['the empty string', ''],
    ['a number', 1],
    ['null', null],
    ['undefined', undefined],
    ['an object', { role: 'AccountOwner' }],
    ['an array', ['AccountOwner']],
    ['a prototype key', 'toString'],
  ])('rejects %s', (_label, value) => {
    expect(isRole(value)).toBe(false);
  });

  it('has a label for every role', () => {
    for (const role of ROLES) expect(ROLE_LABELS[role]).toEqual(expect.any(String));
    expect(Object.keys(ROLE_LABELS).sort()).toEqual([...ROLES].sort());
  });
});
