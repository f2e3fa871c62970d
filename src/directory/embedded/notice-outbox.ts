import type { ChangeNotice } from '../../domain/notices';
import type { NoticeClaim } from '../port';
import { writeFileAtomic } from '../../fs/atomic-write';
import { Journal } from './journal';

/** A line of the outbox file: a notice carried over from the change journal, or one settled. */
type OutboxRecord = { readonly type: 'pending'; readonly notice: ChangeNotice } | { readonly type: 'settled'; readonly id: string };

/**
 * The embedded directory's outbox. Notices are first written in the change journal, in the same
 * record as their change; this file then holds what outlives a journal fold: the notices still to
 * deliver and, append-only, which were settled. It is rewritten (atomically) with only what is
 * still pending once the journal holding the notices has been folded.
 */
export class EmbeddedOutbox {
  private readonly pending = new Map<string, ChangeNotice>();
  private readonly settled = new Set<string>();
  private readonly leases = new Map<string, { readonly owner: string; readonly until: number }>();

  private constructor(
    private readonly file: string | undefined,
    private journal: Journal<OutboxRecord> | undefined,
    private readonly now: () => number,
  ) {}

  static async open(file: string | undefined, now: () => number = Date.now): Promise<EmbeddedOutbox> {
    if (!file) return new EmbeddedOutbox(undefined, undefined, now);
    const { journal, records } = await Journal.open<OutboxRecord>(file);
    const outbox = new EmbeddedOutbox(file, journal, now);
    for (const record of records) {
      if (record.type === 'settled') outbox.settle(record.id);
      else if (record.type === 'pending') outbox.add([record.notice]);
    }
    return outbox;
  }

  /** Notices recorded with a change: pending unless settled before (a journal record read again). */
  add(notices: readonly ChangeNotice[]): void {
    for (const notice of notices) if (!this.settled.has(notice.id)) this.pending.set(notice.id, notice);
  }

  claim({ owner, leaseMs, limit }: NoticeClaim): ChangeNotice[] {
    const now = this.now();
    const claimed: ChangeNotice[] = [];
    for (const notice of this.pending.values()) {
      if (claimed.length >= limit) break;
      const lease = this.leases.get(notice.id);
      if (lease && lease.owner !== owner && lease.until > now) continue;
      this.leases.set(notice.id, { owner, until: now + leaseMs });
      claimed.push(notice);
    }
    return claimed;
  }

  async settleDurably(id: string): Promise<void> {
    if (!this.pending.has(id)) return;
    await this.journal?.append({ type: 'settled', id });
    this.settle(id);
  }

  /**
   * Rewrites the file with the pending notices, and settled markers for `stillJournaled` (notices
   * the change journal still holds, so that reading it again cannot revive them).
   */
  async rewrite(stillJournaled: readonly ChangeNotice[] = []): Promise<void> {
    if (!this.file || !this.journal) return;
    const lines: OutboxRecord[] = [
      ...[...this.pending.values()].map((notice) => ({ type: 'pending' as const, notice })),
      ...stillJournaled.filter((n) => this.settled.has(n.id)).map((n) => ({ type: 'settled' as const, id: n.id })),
    ];
    await this.journal.close();
    await writeFileAtomic(this.file, lines.map((l) => JSON.stringify(l) + '\n').join(''));
    this.journal = (await Journal.open<OutboxRecord>(this.file)).journal;
    if (stillJournaled.length === 0) this.settled.clear();
  }

  async close(): Promise<void> {
    await this.journal?.close();
  }

  private settle(id: string): void {
    this.pending.delete(id);
    this.leases.delete(id);
    this.settled.add(id);
  }
}
