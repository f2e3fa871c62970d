import type { Container } from '@azure/cosmos';
import type { Admin } from '../../domain/admins';
import { ADMIN_PARTITION, adminDocId, type AdminDoc } from './documents';
import { PartitionSweep, type Stamped } from './partition-sweep';
import { pointRead } from './point-read';
import { TtlCache } from './ttl-cache';

/** Unknown callers (people chatting who administer nothing) are remembered this long. */
const MAX_LOOKUPS = 20_000;
/** Admins per page: a whole roster of a large directory in a page or two. */
const PAGE_SIZE = 1000;

/**
 * The administrators, held in memory so that no turn waits for them. All admins share one
 * logical partition (small documents, read by one partition-scoped query), loaded at start-up
 * and then refreshed incrementally (PartitionSweep): only documents whose _ts moved since the
 * last refresh come back, so a refresh with nothing new costs about 3 RU. An import never
 * deletes an admin document but marks it removed, so removals travel the same way. Until the
 * first load, and for callers not in it, a point read answers (and is remembered briefly).
 */
export class AdminRoster {
  private readonly byId = new Map<string, AdminDoc>();
  private readonly lookups: TtlCache<string, { readonly doc: AdminDoc | undefined }>;
  /**
   * The admins' partition, read by _ts. Removals are a security matter, so each pass starts from
   * what was newest before the previous one began: a change can be read twice, never missed.
   */
  private readonly sweep: PartitionSweep<AdminDoc & Stamped>;
  /**
   * When the roster was last known to hold every change: the time the last pass that read its
   * last page began (a change made before then came back in it). Undefined until one has.
   */
  private confirmedAt: number | undefined;

  constructor(
    private readonly container: Container,
    lookupTtlMs: number,
    private readonly onRoots: (doc: AdminDoc) => void,
    private readonly now: () => number = Date.now,
  ) {
    this.lookups = new TtlCache(lookupTtlMs, MAX_LOOKUPS);
    this.sweep = new PartitionSweep(container, { partitionKey: ADMIN_PARTITION, partitionKeyProperty: 'pk', type: 'admin', fields: '*', pageSize: PAGE_SIZE, watermark: 'before pass' }, now);
  }

  /** When the roster was last confirmed to hold every change, or undefined if it never was. */
  get lastConfirmed(): number | undefined {
    return this.confirmedAt;
  }

  /**
   * Loads what changed since the last refresh (everything, the first time). A refresh that fails
   * part-way keeps what it read and the next one resumes there; the roster counts as confirmed
   * only once a pass has read its last page, as of when that pass began.
   */
  async refresh(pageDeadlineMs: number, stop?: AbortSignal): Promise<void> {
    const { startedAt } = await this.sweep.run((docs) => {
      for (const doc of docs) {
        this.byId.set(doc.id, doc);
        this.lookups.delete(doc.id);
        this.onRoots(doc);
      }
    }, pageDeadlineMs, stop);
    this.confirmedAt = Math.max(this.confirmedAt ?? startedAt, startedAt);
  }

  /**
   * The loaded admins holding a membership on any of `accountIds`. Until the first load this
   * knows only admins point-read so far: a notice may then miss someone, never reach a stranger.
   */
  withMembershipOn(accountIds: readonly string[]): Admin[] {
    const ids = new Set(accountIds);
    const docs = [...this.byId.values()];
    return docs.filter((d) => !d.removed && d.admin.memberships.some((m) => ids.has(m.accountId))).map((d) => d.admin);
  }

  async get(adminKey: string, signal: AbortSignal): Promise<Admin | undefined> {
    const id = adminDocId(adminKey);
    const doc = this.byId.get(id) ?? (await this.lookUp(id, signal));
    return doc && !doc.removed ? doc.admin : undefined;
  }

  private async lookUp(id: string, signal: AbortSignal): Promise<AdminDoc | undefined> {
    const cached = this.lookups.get(id);
    if (cached) return cached.doc;
    const doc = await pointRead<AdminDoc>(this.container, id, ADMIN_PARTITION, signal);
    this.lookups.set(id, { doc });
    if (doc) this.onRoots(doc);
    return doc;
  }
}
