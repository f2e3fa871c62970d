import type { Container } from '@azure/cosmos';
import type { Admin } from '../../domain/admins';
import { ADMIN_PARTITION, adminDocId, type AdminDoc } from './documents';
import { pointRead } from './point-read';
import { TtlCache } from './ttl-cache';

/** Unknown callers (people chatting who administer nothing) are remembered this long. */
const MAX_LOOKUPS = 20_000;

/**
 * The administrators, held in memory so that no turn waits for them. All admins share one
 * logical partition (small documents, read by one partition-scoped query), loaded at start-up
 * and then refreshed incrementally: only documents whose _ts moved since the last refresh come
 * back, so a refresh with nothing new costs about 3 RU. An import never deletes an admin
 * document but marks it removed, so removals travel the same way. Until the first load, and for
 * callers not in it, a point read answers (and is remembered briefly).
 */
export class AdminRoster {
  private readonly byId = new Map<string, AdminDoc>();
  private readonly lookups: TtlCache<string, { readonly doc: AdminDoc | undefined }>;
  /** The newest _ts seen, in seconds; the next refresh asks from here (inclusive: _ts has 1 s granularity). */
  private since = 0;
  /**
   * When the roster was last known to hold every change: the time the last refresh that
   * succeeded was sent (a change made before then came back in it). Undefined until one has.
   */
  private confirmedAt: number | undefined;

  constructor(
    private readonly container: Container,
    lookupTtlMs: number,
    private readonly onRoots: (doc: AdminDoc) => void,
    private readonly now: () => number = Date.now,
  ) {
    this.lookups = new TtlCache(lookupTtlMs, MAX_LOOKUPS);
  }

  /** When the roster was last confirmed to hold every change, or undefined if it never was. */
  get lastConfirmed(): number | undefined {
    return this.confirmedAt;
  }

  /** Loads what changed since the last refresh (everything, the first time). */
  async refresh(signal: AbortSignal): Promise<void> {
    const started = this.now();
    const iterator = this.container.items.query<AdminDoc & { _ts: number }>(
      { query: "SELECT * FROM c WHERE c.pk = @pk AND c.type = 'admin' AND c._ts >= @since", parameters: [{ name: '@pk', value: ADMIN_PARTITION }, { name: '@since', value: this.since }] },
      { partitionKey: ADMIN_PARTITION, maxItemCount: 1000, abortSignal: signal },
    );
    let newest = this.since;
    while (iterator.hasMoreResults()) {
      const { resources } = await iterator.fetchNext();
      for (const doc of resources) {
        this.byId.set(doc.id, doc);
        this.lookups.delete(doc.id);
        this.onRoots(doc);
        newest = Math.max(newest, doc._ts);
      }
    }
    this.since = newest;
    this.confirmedAt = Math.max(this.confirmedAt ?? started, started);
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
