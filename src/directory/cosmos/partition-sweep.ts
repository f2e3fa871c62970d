import type { Container } from '@azure/cosmos';

/** Every document a sweep reads carries the service's last-modified time, in whole seconds. */
export interface Stamped {
  readonly _ts: number;
}

export interface SweepSpec {
  /** The logical partition swept (the value of the container's partition key). */
  readonly partitionKey: string;
  /** The partition key property, named in the SQL too (the stand-in ignores the option). */
  readonly partitionKeyProperty: string;
  /** The document type swept, e.g. 'locator'. */
  readonly type: string;
  /** What to select, e.g. `c.accountId, c.rootId, c._ts` (must include c._ts). */
  readonly fields: string;
  readonly pageSize: number;
  /**
   * Where the next pass starts. 'newest seen': from the newest `_ts` this pass read (cheap; a
   * change made during a pass behind its position may wait for the next change to that
   * document). 'before pass': from the newest `_ts` seen before this pass began, which is older
   * than any write the pass could miss, so no change is ever missed (at the price of reading
   * again what changed during the last interval, and the whole partition a second time after
   * the first pass).
   */
  readonly watermark: 'newest seen' | 'before pass';
}

/** A pass that read every page: when it began (so every change made before then is in it). */
export interface CompletedPass {
  readonly startedAt: number;
  readonly documents: number;
}

/**
 * Reads one logical partition by `_ts` watermark, page by page, and keeps its place across
 * attempts: a pass that fails part-way (a deadline, an outage, a throttled page) leaves the
 * continuation token of the last page it got, and the next attempt resumes there instead of
 * starting again from zero. Each page has its own deadline, so a long pass that keeps making
 * progress is never cut short. Once a pass reads its last page, the next one asks only for what
 * changed (`_ts >= since`, inclusive: `_ts` has 1 s granularity).
 */
export class PartitionSweep<T extends Stamped> {
  /** The next pass asks for documents with `_ts >= since`. */
  private since = 0;
  /** The newest `_ts` seen by any page so far. */
  private newest = 0;
  /** Where the pass in progress stopped (undefined: the next attempt starts a new pass). */
  private resumeAt: string | undefined;
  /** The pass in progress: when it began, `since` it asks from, what was newest before it. */
  private pass: { startedAt: number; since: number; newestBefore: number; documents: number } | undefined;
  private passes = 0;
  private pagesRead = 0;

  constructor(
    private readonly container: Container,
    private readonly spec: SweepSpec,
    private readonly now: () => number = Date.now,
  ) {}

  /** How many passes read their last page. */
  get completedPasses(): number {
    return this.passes;
  }

  /** Pages read in all, over every pass and attempt. */
  get pages(): number {
    return this.pagesRead;
  }

  /** True while a pass has stopped part-way and will resume where it stopped. */
  get resuming(): boolean {
    return this.resumeAt !== undefined;
  }

  /**
   * Reads pages until the pass is complete, giving each page's documents to `take` as it comes.
   * Rejects with the first page that fails (its place kept) or when `stop` aborts.
   */
  async run(take: (docs: readonly T[]) => void, pageDeadlineMs: number, stop?: AbortSignal): Promise<CompletedPass> {
    // A pass that stopped before its first page starts again, as of now; one that read pages goes on.
    if (this.resumeAt === undefined) this.pass = undefined;
    const pass = (this.pass ??= { startedAt: this.now(), since: this.since, newestBefore: this.newest, documents: 0 });
    const attempt = new AbortController();
    const onStop = (): void => attempt.abort(stop?.reason);
    stop?.addEventListener('abort', onStop, { once: true });
    try {
      const { partitionKeyProperty: key, type, fields } = this.spec;
      const iterator = this.container.items.query<T>(
        {
          query: `SELECT ${fields} FROM c WHERE c.${key} = @pk AND c.type = @type AND c._ts >= @since`,
          parameters: [
            { name: '@pk', value: this.spec.partitionKey },
            { name: '@type', value: type },
            { name: '@since', value: pass.since },
          ],
        },
        {
          partitionKey: this.spec.partitionKey,
          maxItemCount: this.spec.pageSize,
          abortSignal: attempt.signal,
          ...(this.resumeAt ? { continuationToken: this.resumeAt } : {}),
        },
      );
      while (iterator.hasMoreResults()) {
        if (stop?.aborted) throw stopped();
        const page = await withinPageDeadline(iterator.fetchNext(), attempt, pageDeadlineMs);
        take(page.resources);
        this.pagesRead++;
        pass.documents += page.resources.length;
        for (const doc of page.resources) this.newest = Math.max(this.newest, doc._ts);
        // Kept after the page was taken: a failure from here on resumes after this page.
        this.resumeAt = page.continuationToken || undefined;
        if (!page.continuationToken) break;
      }
    } finally {
      stop?.removeEventListener('abort', onStop);
    }
    this.resumeAt = undefined;
    this.pass = undefined;
    this.passes++;
    this.since = this.spec.watermark === 'before pass' ? pass.newestBefore : this.newest;
    return { startedAt: pass.startedAt, documents: pass.documents };
  }
}

/**
 * The page, or a rejection once `pageDeadlineMs` passes, which also aborts the attempt (the SDK
 * does not pass the signal to every request it makes, so the race is what bounds the wait).
 */
function withinPageDeadline<P>(work: Promise<P>, attempt: AbortController, pageDeadlineMs: number): Promise<P> {
  work.catch(() => undefined);
  return new Promise<P>((resolve, reject) => {
    const onAbort = (): void => reject(attempt.signal.reason instanceof Error ? attempt.signal.reason : stopped());
    if (attempt.signal.aborted) return onAbort();
    const timer = setTimeout(() => attempt.abort(pageTimeout(pageDeadlineMs)), pageDeadlineMs);
    attempt.signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => {
      clearTimeout(timer);
      attempt.signal.removeEventListener('abort', onAbort);
    });
  });
}

function pageTimeout(ms: number): Error {
  return Object.assign(new Error(`a page did not arrive within ${ms} ms`), { name: 'AbortError', code: 'DEADLINE' });
}

function stopped(): Error {
  return Object.assign(new Error('the sweep was stopped'), { name: 'AbortError', code: 'STOPPED' });
}
