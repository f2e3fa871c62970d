import fc from 'fast-check';
import type { Account } from '../../src/domain/accounts';
import { adminKey, type Admin } from '../../src/domain/admins';
import { breadcrumb, scopeRootOn } from '../../src/domain/navigation';
import { isNoticeRecipient, noticeRecipients } from '../../src/domain/notices';
import { ROLES } from '../../src/domain/roles';
import { admin, ALEX, MEGAN } from '../support/directories';

/** A random tree: account i's parent is one of the accounts before it (account 0 is the root). */
const treeArb = fc.integer({ min: 1, max: 12 }).chain((size) =>
  fc.tuple(...Array.from({ length: size }, (_, i) => (i === 0 ? fc.constant(-1) : fc.integer({ min: 0, max: i - 1 })))),
);

const directoryArb = treeArb.chain((parents) =>
  fc.record({
    parents: fc.constant(parents),
    admins: fc.array(
      fc.array(fc.tuple(fc.integer({ min: 0, max: parents.length - 1 }), fc.subarray([...ROLES])), { maxLength: 3 }),
      { minLength: 1, maxLength: 8 },
    ),
    actor: fc.nat(),
    changed: fc.nat(),
  }),
);

function pathOf(parents: readonly number[], index: number): Pick<Account, 'id' | 'name'>[] {
  const path: Pick<Account, 'id' | 'name'>[] = [];
  for (let i = index; i !== -1; i = parents[i]!) path.unshift({ id: `a${i}`, name: `Account ${i}` });
  return path;
}

describe('who is told about a subscription change', () => {
  it('every other admin with Subscription Owner or Contributor granted on the account or above it, once each, and nobody else (random directories)', () => {
    fc.assert(
      fc.property(directoryArb, ({ parents, admins: grants, actor, changed }) => {
        const admins: Admin[] = grants.map((memberships, i) => admin(`admin-${i}`, memberships.map(([a, roles]) => [`a${a}`, roles])));
        const path = pathOf(parents, changed % parents.length);
        const actorAdmin = admins[actor % admins.length]!;
        const recipients = noticeRecipients(admins, path, actorAdmin);

        // The rule written out the long way: a membership on the path granting one of the two roles.
        const onPath = new Set(path.map((a) => a.id));
        const expected = admins
          .filter((a) => adminKey(a) !== adminKey(actorAdmin))
          .filter((a) => a.memberships.some((m) => onPath.has(m.accountId) && m.roles.some((r) => r === 'SubscriptionOwner' || r === 'SubscriptionContributor')))
          .map(adminKey)
          .sort();
        expect(recipients.map(adminKey)).toEqual(expected);
        expect(recipients.map(adminKey)).not.toContain(adminKey(actorAdmin));

        // What each recipient is shown of the path starts at an account they hold a membership on.
        for (const recipient of recipients) {
          const reader = admins.find((a) => adminKey(a) === adminKey(recipient))!;
          const root = scopeRootOn(reader, path);
          expect(root).toBeDefined();
          const shown = breadcrumb(path, root!);
          expect(reader.memberships.map((m) => m.accountId)).toContain(shown[0]!.id);
          expect(shown.at(-1)!.id).toBe(path.at(-1)!.id);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('never tells the actor, in any case of their object id, nor a Subscription Viewer', () => {
    const path = [{ id: 'p' }, { id: 'r' }, { id: 'c' }];
    const alex = admin(ALEX, [['p', ['SubscriptionOwner']]]);
    expect(isNoticeRecipient(alex, path, { tenantId: alex.tenantId.toUpperCase(), aadObjectId: ALEX.toUpperCase() })).toBe(false);
    expect(isNoticeRecipient(admin(MEGAN, [['r', ['SubscriptionViewer', 'AccountOwner']]]), path, alex)).toBe(false);
    expect(isNoticeRecipient(admin(MEGAN, [['c', ['SubscriptionContributor']]]), path, alex)).toBe(true);
    expect(isNoticeRecipient(admin(MEGAN, [['elsewhere', ['SubscriptionOwner']]]), path, alex)).toBe(false);
  });
});
