import { readFileSync } from 'node:fs';
import { noticesFor, noticeView } from '../../src/app/change-notices';
import type { AuditEntry } from '../../src/domain/audit';
import type { DirectoryDocument } from '../../src/domain/directory-document';
import { EmbeddedDirectory } from '../../src/directory/embedded/embedded-directory';
import { ALEX, DEMO_FILE, MEGAN, TENANT, tempDir, writeDirectory } from '../support/directories';

const CLAIM = { owner: 'test', leaseMs: 60_000, limit: 10 };

function entry(actionId: string, versionBefore: string): AuditEntry {
  return { id: `e-${actionId}`, accountId: 'ashdown-freight', at: '2026-11-26T22:15:00.000Z', actor: { tenantId: TENANT, aadObjectId: ALEX, name: 'Alex Wilber' }, actionId, lines: [{ sku: 'T2TU80', oldQuantity: 120, newQuantity: 130 }], monthlyDifferenceMinor: 2900, currency: 'GBP', versionBefore };
}

/** Applies a change on ashdown-freight with the notices it causes; returns them. */
async function change(directory: EmbeddedDirectory, actionId: string) {
  const account = (await directory.getAccount('ashdown-freight'))!;
  const e = entry(actionId, account.version);
  const notices = noticesFor(e, (await directory.getPath('ashdown-freight'))!, await directory.adminsOn(['northwind', 'tailspin', 'ashdown-freight']));
  const outcome = await directory.applySubscriptionChange({ accountId: 'ashdown-freight', expectedVersion: account.version, subscriptions: [{ sku: 'T2TU80', quantity: 130, assigned: 117 }], entry: e, notices });
  expect(outcome.status).toBe('applied');
  return notices;
}

describe('the embedded outbox', () => {
  it('keeps an undelivered notice through a crash and a journal fold, and never hands out a settled one again', async () => {
    const dataDir = tempDir();
    const first = await EmbeddedDirectory.open({ seedFile: DEMO_FILE, dataDir });
    const notices = await change(first, 'action-1');
    expect(notices.map((n) => n.recipient.aadObjectId)).toEqual([MEGAN]);
    // Crash: never closed. The next start folds the journal and still has the notice to deliver.
    const second = await EmbeddedDirectory.open({ seedFile: DEMO_FILE, dataDir });
    expect(await second.claimNotices(CLAIM)).toEqual(notices);
    await second.settleNotice(notices[0]!);
    expect(await second.claimNotices(CLAIM)).toEqual([]);
    const third = await EmbeddedDirectory.open({ seedFile: DEMO_FILE, dataDir });
    expect(await third.claimNotices(CLAIM)).toEqual([]);
    expect(readFileSync(`${dataDir}/outbox.ndjson`, 'utf8')).toBe(''); // compacted: nothing pending
  });

  it('does not revive a notice settled before its change was folded into the snapshot', async () => {
    const dataDir = tempDir();
    const first = await EmbeddedDirectory.open({ seedFile: DEMO_FILE, dataDir });
    const [notice] = await change(first, 'action-2');
    expect(await first.claimNotices(CLAIM)).toEqual([notice]);
    await first.settleNotice(notice!);
    const again = await EmbeddedDirectory.open({ seedFile: DEMO_FILE, dataDir });
    expect(await again.claimNotices(CLAIM)).toEqual([]);
    await again.close();
  });

  it('hands a claimed notice to nobody else until its lease runs out', async () => {
    const directory = await EmbeddedDirectory.open({ seedFile: DEMO_FILE });
    const [notice] = await change(directory, 'action-3');
    expect(await directory.claimNotices({ ...CLAIM, owner: 'one', leaseMs: 50 })).toEqual([notice]);
    expect(await directory.claimNotices({ ...CLAIM, owner: 'two' })).toEqual([]);
    await new Promise((r) => setTimeout(r, 80));
    expect(await directory.claimNotices({ ...CLAIM, owner: 'two' })).toEqual([notice]);
    await directory.close();
  });
});

describe('a notice at delivery time', () => {
  it('is shown from the reader’s own scope root, and not at all to someone who lost the role meanwhile', async () => {
    const directory = await EmbeddedDirectory.open({ seedFile: DEMO_FILE });
    const [notice] = await change(directory, 'action-4');
    const view = (await noticeView(directory, notice!))!;
    expect(view.breadcrumbText).toBe('Tailspin Networks > Ashdown Freight Ltd');
    expect(view.by).toBe('Alex Wilber');

    const doc = JSON.parse(readFileSync(DEMO_FILE, 'utf8')) as DirectoryDocument;
    const demoted = { ...doc, admins: doc.admins.map((a) => (a.aadObjectId === MEGAN ? { ...a, memberships: [{ accountId: 'tailspin', roles: ['SubscriptionViewer' as const] }] } : a)) };
    const gone = { ...doc, admins: doc.admins.filter((a) => a.aadObjectId !== MEGAN) };
    for (const later of [demoted, gone]) {
      const now = await EmbeddedDirectory.open({ seedFile: writeDirectory(later) });
      expect(await noticeView(now, notice!)).toBeUndefined();
      await now.close();
    }
    await directory.close();
  });
});
