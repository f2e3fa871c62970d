import type { TrialSubscription } from '../../domain/trials';
import { queryTrialSubscriptions } from './trial-subscriptions';
import type { Account, AccountSummary } from '../../domain/accounts';
import { adminKey, type Admin, type Caller } from '../../domain/admins';
import type { AuditEntry } from '../../domain/audit';
import { DirectoryUnavailableError } from '../../domain/errors';
import type { Offer } from '../../domain/offers';
import type { OfferHolding } from '../../domain/offer-rules';
import type { ChangeNotice } from '../../domain/notices';
import type { ChangeOutcome, Directory, HoldingBounds, NoticeClaim, OfferChange, Page, PageRequest, ReadOptions, SearchHit, SearchOptions, SubscriptionChange } from '../port';
import { CosmosOutbox } from './notice-outbox';
import { offerHoldings } from './offer-holdings';
import { CosmosAccountReads } from './account-reads';
import { searchAccounts } from './account-search';
import { childrenPage } from './children-pages';
import { AdminRoster } from './admin-roster';
import { CONTAINER_SPECS, type CosmosContainers } from './containers';
import { isAccountId } from './cosmos-ids';
import { ancestorAccount, CATALOG_ID, LOCATOR_PARTITION, summaryOf, toAccount, type AccountDoc, type AuditDoc, type CatalogDoc, type LocatorDoc } from './documents';
import { PartitionSweep, type Stamped } from './partition-sweep';
import { pointRead, queryPartition } from './point-read';
import { CallPolicy, DEFAULT_COOL_DOWN_MS, DEFAULT_DEADLINE_MS, DEFAULT_SEARCH_DEADLINE_MS } from './resilience';
import { CosmosChangeWriter } from './change-writer';
import { ImportWatch } from './import-watch';
import { TtlCache } from './ttl-cache';

export interface CosmosDirectoryOptions {
  /** How long one call may take before it fails with DirectoryUnavailableError. */
  readonly deadlineMs: number;
  /** After Cosmos DB was found unreachable, calls fail at once for this long (then one probes). */
  readonly coolDownMs: number;
  /**
   * How long one search may take. Searches have a policy of their own (deadline and fail-fast):
   * a slow search answers its searcher "unavailable" and never puts navigation into fail-fast.
   */
  readonly searchDeadlineMs: number;
  /**
   * How often admins and account roots are refreshed from what changed: a role removed by an
   * import stops working after at most this long, and an unknown caller is asked again after it.
   */
  readonly refreshMs: number;
  /**
   * How often the catalogue is read to tell whether an import completed (one point read); when
   * one did, every cache of tree data is dropped at once. After an import completes, every view
   * shows it within this long (plus one request).
   */
  readonly importCheckMs: number;
  /** Whole account documents: a subscription change made by another instance shows here after at most this long. */
  readonly accountTtlMs: number;
  /** Tree data (names, kinds, counts), which only an import changes (and drops, within importCheckMs). */
  readonly treeTtlMs: number;
  /** The offer catalogue, which only an import changes (and drops, within importCheckMs). */
  readonly catalogTtlMs: number;
  /**
   * The most the admin roster may lag behind the database. Once the last refresh that succeeded
   * was sent longer ago than this (the refresh query failing while point reads still work, say),
   * admin lookups and ping() fail with DirectoryUnavailableError until a refresh succeeds again:
   * a removed admin or membership never keeps access longer than this. The roster is refreshed
   * at least twice within it.
   */
  readonly rosterMaxAgeMs: number;
  /**
   * Account locators per page of the background load of every account's tree root. A load that
   * fails part-way resumes at the page where it stopped.
   */
  readonly locatorPageSize: number;
  /** Days an audit entry applied here is kept (its per-item ttl); undefined keeps it for ever. */
  readonly auditRetentionDays?: number;
}

/** Where the directory reports its own health changes (a pino logger will do). */
export interface DirectoryLog {
  warn(fields: object, message: string): void;
  info(fields: object, message: string): void;
}

export interface CosmosDirectoryHooks {
  /** Called by close(), to let go of the client. */
  readonly onClose?: () => void;
  readonly log?: DirectoryLog;
  /** The clock the roster's age is measured with (tests). */
  readonly now?: () => number;
}

/** Rationale for each number in docs/cosmos.md ("Caches"). */
export const DEFAULT_COSMOS_DIRECTORY_OPTIONS: CosmosDirectoryOptions = {
  deadlineMs: DEFAULT_DEADLINE_MS,
  coolDownMs: DEFAULT_COOL_DOWN_MS,
  searchDeadlineMs: DEFAULT_SEARCH_DEADLINE_MS,
  refreshMs: 30_000,
  importCheckMs: 5_000,
  accountTtlMs: 30_000,
  treeTtlMs: 300_000,
  catalogTtlMs: 300_000,
  rosterMaxAgeMs: 60_000,
  locatorPageSize: 5000,
};

const SILENT: DirectoryLog = { warn: () => undefined, info: () => undefined };

/**
 * How long one page of the first load, and any page of locators, may take (a page, not the whole
 * load: a load that keeps making progress is never cut short). The first requests of a client
 * are slow (connections, tokens), and pages of a very large directory on a small throughput
 * budget may be too; nothing waits for the locators: until an account's root is loaded, a
 * locator point read answers.
 */
const SLOW_PAGE_DEADLINE_MS = 120_000;

/**
 * The Directory on Azure Cosmos DB (NoSQL API). Same semantics as the embedded directory, with
 * the layout of docs/cosmos.md: a navigation turn is one point read of a denormalized account
 * document (admins and roots come from memory), listings and searches are TOP queries inside one
 * tree's partition, and a subscription change is one transactional batch guarded by ETag and
 * action id.
 */
export class CosmosDirectory implements Directory {
  private readonly options: CosmosDirectoryOptions;
  private readonly reads: CosmosAccountReads;
  private readonly admins: AdminRoster;
  /** Every account's tree root, loaded in the background page by page (resumed where it stopped). */
  private readonly locators: PartitionSweep<Pick<LocatorDoc, 'accountId' | 'rootId'> & Stamped>;
  /** Aborted by close(): a load of the roots may run for minutes and must not outlive the directory. */
  private readonly stopping = new AbortController();
  private readonly catalog: TtlCache<'catalog', CatalogDoc>;
  private readonly changes: CosmosChangeWriter;
  private readonly outbox: CosmosOutbox;
  /** Drops the caches when the catalogue's ETag says an import completed. */
  private readonly imports = new ImportWatch(() => this.forgetTreeData());
  private importChecker: NodeJS.Timeout | undefined;
  private checkingImport: Promise<void> | undefined;
  /**
   * How this directory calls Cosmos DB, one policy (deadline, fail-fast) per kind of call, so that
   * trouble with one kind never fails the others fast. Navigation reads (accounts, admins, pages,
   * the audit trail) share theirs with the state storage of the same client: a turn's state and
   * account reads are point operations that fail together, and the user should wait once.
   */
  readonly calls: CallPolicy;
  /** Searches: queries that may read more than a page, under their own, shorter deadline. */
  readonly searchCalls: CallPolicy;
  /** Subscription and offer changes (their fresh reads and the batch) and the outbox of change notices. */
  readonly writeCalls: CallPolicy;
  private warming: Promise<void> | undefined;
  private refresher: NodeJS.Timeout | undefined;
  /** The refreshes in flight, each on its own: a long load of the roots never holds up the roster's. */
  private refreshingAdmins: Promise<void> | undefined;
  private refreshingRoots: Promise<void> | undefined;
  /** The roster is too old to authorize anyone (warned once; an info line when it is fresh again). */
  private rosterStale = false;
  /** The last roster refresh failed (said once per run of failures). */
  private refreshFailing = false;
  /** The last load of the roots failed (said once per run of failures). */
  private rootsFailing = false;
  /** The last read of the catalogue found none: no directory is imported (warned once). */
  private notImported = false;
  private readonly onClose: () => void;
  private readonly log: DirectoryLog;
  private readonly now: () => number;

  constructor(
    private readonly containers: CosmosContainers,
    options: Partial<CosmosDirectoryOptions> = {},
    hooks: CosmosDirectoryHooks = {},
  ) {
    this.options = { ...DEFAULT_COSMOS_DIRECTORY_OPTIONS, ...options };
    this.onClose = hooks.onClose ?? (() => undefined);
    this.log = hooks.log ?? SILENT;
    this.now = hooks.now ?? Date.now;
    this.reads = new CosmosAccountReads(containers, this.options);
    // Each membership's tree root comes along, so opening a scope root needs no locator read.
    // An admin who is not in the roster is point-read and remembered, never longer than the roster may lag.
    const lookupTtlMs = Math.min(this.options.refreshMs, this.options.rosterMaxAgeMs);
    this.admins = new AdminRoster(containers.lookups, lookupTtlMs, (doc) => {
      for (const [accountId, rootId] of Object.entries(doc.roots)) this.reads.learnRoot(accountId, rootId);
    }, this.now);
    this.locators = new PartitionSweep(
      containers.lookups,
      { partitionKey: LOCATOR_PARTITION, partitionKeyProperty: 'pk', type: 'locator', fields: 'c.accountId, c.rootId, c._ts', pageSize: this.options.locatorPageSize, watermark: 'newest seen' },
      this.now,
    );
    this.catalog = new TtlCache(this.options.catalogTtlMs, 1);
    this.calls = new CallPolicy(this.options.deadlineMs, this.options.coolDownMs);
    this.searchCalls = new CallPolicy(this.options.searchDeadlineMs, this.options.coolDownMs);
    this.writeCalls = new CallPolicy(this.options.deadlineMs, this.options.coolDownMs);
    this.changes = new CosmosChangeWriter(containers, this.reads, (signal) => this.skus(signal), this.writeCalls, this.options.auditRetentionDays);
    // Its own fail-fast: the outbox query scans every partition, and a slow one must never make
    // turns fail fast (nor a turn's outage stop delivery for longer than its own cool-down).
    this.outbox = new CosmosOutbox(containers.accounts, new CallPolicy(this.options.deadlineMs, this.options.coolDownMs), (accountId, signal) => this.reads.rootOf(accountId, signal), this.now);
  }


  /**
   * Loads the admins and every account's tree root, then keeps them fresh every `refreshMs` in
   * the background (at least twice within `rosterMaxAgeMs`); the directory answers meanwhile,
   * and readiness (ping) never waits for it: an account whose root is not loaded yet costs one
   * locator point read. Resolves when the first attempt settles. A load that fails part-way is
   * resumed by the next refresh where it stopped, never thrown; refreshes of the roster that keep
   * failing for longer than `rosterMaxAgeMs` make admin lookups and ping() fail until one succeeds.
   */
  warmUp(): Promise<void> {
    if (!this.warming) {
      this.warming = Promise.all([this.refreshNow(SLOW_PAGE_DEADLINE_MS), this.checkForImport()]).then(() => undefined);
      const everyMs = this.refreshEveryMs();
      this.refresher = setInterval(() => void this.refreshNow(everyMs), everyMs);
      this.refresher.unref();
      this.importChecker = setInterval(() => void this.checkForImport(), this.options.importCheckMs);
      this.importChecker.unref();
    }
    return this.warming;
  }

  /**
   * Reads the catalogue (one point read, outside the turns' fail-fast) to tell whether an import
   * completed since the last check; if one did, or if the check fails (nothing then proves the
   * caches current), the caches of tree data are dropped. Joins a check in flight; never rejects.
   */
  checkForImport(): Promise<void> {
    this.checkingImport ??= this.catalogDoc(AbortSignal.timeout(Math.min(this.options.importCheckMs, this.options.deadlineMs)), true).then(
      () => {
        this.checkingImport = undefined;
      },
      () => {
        // Nothing proves the caches current (or the directory is gone): drop them.
        this.imports.unconfirmed();
        this.checkingImport = undefined;
      },
    );
    return this.checkingImport;
  }

  /**
   * A new import completed (or could not be ruled out): names, counts, paths and offers cached
   * from before may mix two imports, so all of them go at once and every view of an account
   * moves to the new import together. Admins and roots, refreshed by what changed, are asked now.
   */
  private forgetTreeData(): void {
    this.reads.forgetAll();
    this.catalog.clear();
    if (this.refresher) void this.refreshNow();
  }

  private refreshEveryMs(): number {
    return Math.max(1, Math.min(this.options.refreshMs, Math.floor(this.options.rosterMaxAgeMs / 2)));
  }

  /**
   * Refreshes the admins and the roots now (each joins its refresh in flight, if any); never
   * rejects. `pageDeadlineMs` bounds each page of the roster's refresh.
   */
  async refreshNow(pageDeadlineMs = this.refreshEveryMs()): Promise<void> {
    this.refreshAdmins(pageDeadlineMs);
    this.refreshingRoots ??= this.loadRoots().finally(() => {
      this.refreshingRoots = undefined;
    });
    await Promise.all([this.refreshingAdmins, this.refreshingRoots]);
  }

  /** The roster's refresh, joining one in flight; never rejects. */
  private refreshAdmins(pageDeadlineMs = this.refreshEveryMs()): Promise<void> {
    return (this.refreshingAdmins ??= this.admins.refresh(pageDeadlineMs, this.stopping.signal).then(
      () => {
        this.refreshFailing = false;
        this.refreshingAdmins = undefined;
        this.rosterProblem(); // says so if the roster is fresh again
      },
      (error: unknown) => {
        if (!this.refreshFailing) this.log.info({ err: describe(error) }, 'admin roster refresh failed; retrying on the next refresh');
        this.refreshFailing = true;
        this.refreshingAdmins = undefined;
        this.rosterProblem(); // warns as soon as the roster is too old, turns or not
      },
    ));
  }

  /**
   * Every account's tree root into memory (a few MB for 100,000 accounts), then on later calls
   * only the locators written since. A load that fails part-way keeps what it read and says so
   * once; the next refresh resumes at the page where it stopped.
   */
  private async loadRoots(): Promise<void> {
    const first = this.locators.completedPasses === 0;
    const startedAt = this.now();
    try {
      const pass = await this.locators.run((docs) => {
        for (const { accountId, rootId } of docs) this.reads.learnRoot(accountId, rootId);
      }, SLOW_PAGE_DEADLINE_MS, this.stopping.signal);
      if (first) this.log.info({ locators: pass.documents, pages: this.locators.pages, ms: this.now() - startedAt }, 'account roots loaded');
      this.rootsFailing = false;
    } catch (error) {
      if (this.stopping.signal.aborted) return;
      if (!this.rootsFailing) {
        this.log.info({ err: describe(error), pagesRead: this.locators.pages }, 'loading account roots stopped part-way; the next refresh resumes where it stopped (meanwhile a locator read answers)');
      }
      this.rootsFailing = true;
    }
  }

  /**
   * Why the roster cannot be trusted to authorize anyone now, or undefined when it can. Logs a
   * warning when it becomes too old and an info line when it is fresh again.
   */
  private rosterProblem(): DirectoryUnavailableError | undefined {
    const confirmed = this.admins.lastConfirmed;
    // Never loaded: the roster holds no one, and every admin is point-read (and remembered no longer than the bound).
    if (confirmed === undefined) return undefined;
    const ageMs = this.now() - confirmed;
    const maxAgeMs = this.options.rosterMaxAgeMs;
    if (ageMs <= maxAgeMs) {
      if (this.rosterStale) {
        this.rosterStale = false;
        this.log.info({ ageMs, maxAgeMs }, 'admin roster is fresh again; authorizing turns');
      }
      return undefined;
    }
    if (!this.rosterStale) {
      this.rosterStale = true;
      this.log.warn(
        { ageMs, maxAgeMs, lastConfirmed: new Date(confirmed).toISOString() },
        'admin roster could not be refreshed within its bound; refusing turns that need authorization until a refresh succeeds',
      );
    }
    return new DirectoryUnavailableError(new RosterStaleError(ageMs, maxAgeMs), 'admin roster stale');
  }

  private read<T>(operation: (signal: AbortSignal) => Promise<T>): Promise<T> {
    return this.calls.retrying(operation);
  }

  async getAdmin(caller: Caller): Promise<Admin | undefined> {
    const stale = this.rosterProblem();
    if (stale) throw stale;
    return (await this.read((signal) => this.admins.get(adminKey(caller), signal))) ?? this.nothingFound();
  }

  /** From the roster in memory, under the same bound on its age as getAdmin. */
  async adminsOn(accountIds: readonly string[]): Promise<Admin[]> {
    // Who is told of a change is decided from the whole roster: before its first load that
    // would be nobody, so wait for it (joining the start-up load), and refuse if it fails.
    if (this.admins.lastConfirmed === undefined) await this.refreshAdmins(SLOW_PAGE_DEADLINE_MS);
    if (this.admins.lastConfirmed === undefined) throw new DirectoryUnavailableError(new Error('the admin roster has not been loaded yet'), 'admin roster not loaded');
    const stale = this.rosterProblem();
    if (stale) throw stale;
    return this.admins.withMembershipOn(accountIds);
  }

  trialSubscriptions(startedSince: string): Promise<TrialSubscription[]> {
    return queryTrialSubscriptions(this.containers.accounts, this.calls, startedSince);
  }

  claimNotices(claim: NoticeClaim): Promise<ChangeNotice[]> {
    return this.outbox.claim(claim);
  }

  settleNotice(notice: ChangeNotice): Promise<void> {
    return this.outbox.settle(notice);
  }

  /** From the account cache, or with `fresh` one point read past it (which refreshes the cache). */
  async getAccount(id: string, options: ReadOptions = {}): Promise<Account | undefined> {
    const doc = await this.accountDoc(id, options.fresh === true);
    return doc && toAccount(doc);
  }

  async getPath(id: string): Promise<Account[] | undefined> {
    const doc = await this.accountDoc(id);
    return doc && [...doc.ancestors.map(ancestorAccount), toAccount(doc)];
  }

  async getSummary(id: string): Promise<AccountSummary | undefined> {
    // The turn that asks has usually just read this account or one below it.
    const cached = this.reads.cachedSummary(id);
    if (cached) return cached;
    const doc = await this.accountDoc(id);
    return doc && summaryOf(doc);
  }

  /** An account's document; a miss is only an answer once the directory is known to be there. */
  private async accountDoc(id: string, fresh = false): Promise<AccountDoc | undefined> {
    // Text that cannot be an id costs nothing, and tells nothing about the directory.
    if (!isAccountId(id)) return undefined;
    return (await this.read((signal) => this.reads.doc(id, signal, fresh))) ?? this.nothingFound();
  }

  /**
   * A lookup found nothing. In a directory that is there, that is the answer; in one that is
   * not (never imported, or the database emptied or recreated under the running app), it is an
   * outage, not a wrong name: one fresh read of the catalogue (which an import writes last)
   * tells them apart, and the latter throws DirectoryUnavailableError.
   */
  private async nothingFound(): Promise<undefined> {
    await this.read((signal) => this.catalogDoc(signal, true));
    return undefined;
  }

  listChildren(parentId: string, page: PageRequest): Promise<Page<AccountSummary>> {
    return this.read((signal) => childrenPage(this.containers, this.reads, parentId, page, signal));
  }

  async search(query: string, options: SearchOptions): Promise<SearchHit[]> {
    const hits = await this.searchCalls.retrying((signal) => searchAccounts(this.containers, this.reads, (s) => this.catalogDoc(s), query, options, signal));
    if (hits.length === 0 && query.trim() !== '' && options.withinRootIds.length > 0 && options.limit > 0) await this.nothingFound();
    return hits;
  }

  async listOffers(): Promise<Offer[]> {
    const catalog = await this.read((signal) => this.catalogDoc(signal));
    return [...catalog.offers];
  }

  applySubscriptionChange(change: SubscriptionChange): Promise<ChangeOutcome> {
    return this.changes.applySubscriptions(change);
  }

  applyOfferChange(change: OfferChange): Promise<ChangeOutcome> {
    return this.changes.applyOffers(change);
  }

  offerHoldings(baseLevelId: string, skus: readonly string[], bounds: HoldingBounds): Promise<OfferHolding[]> {
    return this.read((signal) => offerHoldings(this.containers, this.reads, baseLevelId, skus, bounds, signal));
  }

  /** Kept with the base level at import (the tree's shape changes only then): a cached read will do. */
  async buyerCount(baseLevelId: string): Promise<number | undefined> {
    const doc = await this.read((signal) => this.reads.doc(baseLevelId, signal));
    return doc ? doc.buyerCount : 0;
  }

  findChange(accountId: string, actionId: string): Promise<AuditEntry | undefined> {
    return this.changes.find(accountId, actionId);
  }

  async auditTrail(accountId: string, limit: number): Promise<AuditEntry[]> {
    const top = Math.floor(limit);
    if (!(top > 0)) return [];
    return this.read(async (signal) => {
      const rootId = await this.reads.rootOf(accountId, signal);
      if (rootId === undefined) return [];
      const sql = "SELECT TOP @n * FROM c WHERE c.rootId = @root AND c.type = 'audit' AND c.accountId = @account ORDER BY c.seq DESC";
      const docs = await queryPartition<AuditDoc>(this.containers.accounts, rootId, sql, { '@n': top, '@root': rootId, '@account': accountId }, signal, top);
      return docs.map((d) => d.entry);
    });
  }

  /**
   * One point read of the catalogue: proves the service answers and the directory was imported.
   * Fails too while the admin roster is older than its bound (it could not authorize anyone).
   */
  async ping(): Promise<void> {
    const stale = this.rosterProblem();
    if (stale) throw stale;
    await this.read((signal) => this.catalogDoc(signal, true));
  }

  /** Stops the refresh and lets go of the client; a refresh in flight fails quietly, never delaying shutdown. */
  async close(): Promise<void> {
    if (this.refresher) clearInterval(this.refresher);
    if (this.importChecker) clearInterval(this.importChecker);
    this.stopping.abort();
    this.onClose();
  }

  /**
   * The catalogue, which an import writes last: without it there is no directory, and every
   * call that needs it fails with DirectoryUnavailableError (reason "no directory imported"),
   * warned once until a read finds it again.
   */
  private async catalogDoc(signal: AbortSignal, fresh = false): Promise<CatalogDoc> {
    const cached = fresh ? undefined : this.catalog.get('catalog');
    if (cached) return cached;
    const stamp = this.imports.stamp;
    const doc = await pointRead<CatalogDoc>(this.containers.lookups, CATALOG_ID, CATALOG_ID, signal);
    // An answer older than one already noted is still an answer for this call, but is not kept.
    const current = this.imports.observe(doc?._etag, stamp);
    if (!doc) {
      this.catalog.delete('catalog');
      if (!this.notImported) {
        this.notImported = true;
        this.log.warn(
          { container: CONTAINER_SPECS.lookups.id, item: CATALOG_ID },
          'no directory in the Cosmos DB database (its offer catalogue is missing: never imported, or the database was emptied); answering "directory unavailable" until one is imported (npm run directory -- import <file>)',
        );
      }
      throw new DirectoryUnavailableError(new DirectoryNotImportedError(), 'no directory imported');
    }
    if (this.notImported) {
      this.notImported = false;
      this.log.info({}, 'a directory is in the Cosmos DB database again; answering turns');
    }
    if (current) this.catalog.set('catalog', doc);
    return doc;
  }

  private async skus(signal: AbortSignal): Promise<ReadonlySet<string>> {
    return new Set((await this.catalogDoc(signal)).offers.map((o) => o.sku));
  }
}

/** The admin roster has not been confirmed fresh for longer than it may lag. */
export class RosterStaleError extends Error {
  constructor(
    readonly ageMs: number,
    readonly maxAgeMs: number,
  ) {
    super(`The admin roster was last confirmed ${ageMs} ms ago, more than the ${maxAgeMs} ms allowed: its refresh keeps failing.`);
    this.name = 'RosterStaleError';
  }
}

function describe(error: unknown): { type: string; message: string } | string {
  return error instanceof Error ? { type: error.name, message: error.message } : String(error);
}

/** The containers exist but no directory file was imported into them. */
export class DirectoryNotImportedError extends Error {
  constructor() {
    super('The Cosmos DB directory is empty: import a directory file first (npm run directory -- import <file>).');
    this.name = 'DirectoryNotImportedError';
  }
}
