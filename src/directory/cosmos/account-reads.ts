import type { AccountSummary } from '../../domain/accounts';
import type { CosmosContainers } from './containers';
import { isAccountId } from './cosmos-ids';
import { LOCATOR_PARTITION, locatorDocId, summaryOf, type AccountDoc, type LocatorDoc } from './documents';
import { pointRead } from './point-read';
import { TtlCache } from './ttl-cache';

export interface AccountCacheOptions {
  /** Whole account documents (subscriptions and version included). */
  readonly accountTtlMs: number;
  /** Tree data (names, kinds, counts), which only an import changes. */
  readonly treeTtlMs: number;
}

/** Enough for every account of a large directory; each entry is a few dozen bytes. */
const MAX_LOCATORS = 200_000;
const MAX_ACCOUNTS = 5_000;
const MAX_SUMMARIES = 50_000;

/**
 * Reads account documents from Cosmos DB for the Cosmos directory (the account-lookup use case
 * in src/app is another thing, on the Directory port). A point read needs the partition key (the
 * tree's root) as well as the id, and callers only have the id, so roots are learned from every
 * document read (a path names a whole lineage, a listing a whole family, an admin the roots of
 * their memberships) and kept for the life of the process: an account only changes tree by a new
 * import, and a read that then misses falls back to the locator document once. Whole documents
 * are kept briefly, so the two or three directory calls of one turn share a single read.
 */
export class CosmosAccountReads {
  private readonly roots = new TtlCache<string, string>(Infinity, MAX_LOCATORS);
  private readonly docs: TtlCache<string, AccountDoc>;
  private readonly summaries: TtlCache<string, AccountSummary>;
  /** Bumped by forgetAll(): a read sent before it answers with what may be an older import. */
  private generation = 0;

  constructor(
    private readonly containers: CosmosContainers,
    options: AccountCacheOptions,
  ) {
    this.docs = new TtlCache(options.accountTtlMs, MAX_ACCOUNTS);
    this.summaries = new TtlCache(options.treeTtlMs, MAX_SUMMARIES);
  }

  learnRoot(accountId: string, rootId: string): void {
    this.roots.set(accountId, rootId);
  }

  /** The tree root of an account: from memory, else from its locator (one point read). */
  async rootOf(id: string, signal: AbortSignal): Promise<string | undefined> {
    if (!isAccountId(id)) return undefined;
    const known = this.roots.get(id);
    if (known !== undefined) return known;
    const locator = await pointRead<LocatorDoc>(this.containers.lookups, locatorDocId(id), LOCATOR_PARTITION, signal);
    if (locator) this.roots.set(id, locator.rootId);
    return locator?.rootId;
  }

  /** The account's document; `fresh` skips the short-lived cache (before a write). */
  async doc(id: string, signal: AbortSignal, fresh = false): Promise<AccountDoc | undefined> {
    if (!isAccountId(id)) return undefined;
    if (!fresh) {
      const cached = this.docs.get(id);
      if (cached) return cached;
    }
    const generation = this.generation;
    const wasKnown = this.roots.get(id) !== undefined;
    const rootId = await this.rootOf(id, signal);
    if (rootId === undefined) return undefined;
    let doc = await pointRead<AccountDoc>(this.containers.accounts, id, rootId, signal);
    if (!doc && wasKnown) {
      // The account may have moved to another tree in a newer import: ask its locator again.
      this.roots.delete(id);
      const newRoot = await this.rootOf(id, signal);
      if (newRoot !== undefined && newRoot !== rootId) doc = await pointRead<AccountDoc>(this.containers.accounts, id, newRoot, signal);
    }
    if (doc && generation === this.generation) this.remember(doc);
    return doc;
  }

  /** Keeps what a document teaches: itself, its ancestors' summaries and everyone's root. */
  remember(doc: AccountDoc): void {
    this.docs.set(doc.id, doc);
    this.summaries.set(doc.id, summaryOf(doc));
    for (const id of doc.lineage) this.roots.set(id, doc.rootId);
    for (const ancestor of doc.ancestors) this.summaries.set(ancestor.id, summaryOf(ancestor));
  }

  cachedSummary(id: string): AccountSummary | undefined {
    return this.summaries.get(id);
  }

  forget(id: string): void {
    this.docs.delete(id);
  }

  /**
   * Drops every cached document and summary (a new import completed), and keeps reads already
   * on their way from caching what they find. Tree roots stay: a root that moved is found again
   * by its locator when the read in the old tree finds nothing.
   */
  forgetAll(): void {
    this.generation++;
    this.docs.clear();
    this.summaries.clear();
  }
}
