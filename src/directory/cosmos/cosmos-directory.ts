import type { Account, AccountSummary } from '../../domain/accounts';
import { adminKey, type Admin, type Caller } from '../../domain/admins';
import type { AuditEntry } from '../../domain/audit';
import { DirectoryUnavailableError } from '../../domain/errors';
import type { Offer } from '../../domain/offers';
import type { ChangeOutcome, Directory, Page, PageRequest, SearchHit, SearchOptions, SubscriptionChange } from '../port';
import { CosmosAccountReads } from './account-reads';
import { searchAccounts } from './account-search';
import { childrenPage } from './children-pages';
import type { CosmosContainers } from './containers';
import { AdminRoster } from './admin-roster';
import { ancestorAccount, CATALOG_ID, summaryOf, toAccount, type AuditDoc, type CatalogDoc } from './documents';
import { pointRead, queryPartition } from './point-read';
import { CallPolicy, DEFAULT_COOL_DOWN_MS, DEFAULT_DEADLINE_MS } from './resilience';
import { CosmosChangeWriter } from './change-writer';
import { TtlCache } from './ttl-cache';

export interface CosmosDirectoryOptions {
  /** How long one call may take before it fails with DirectoryUnavailableError. */
  readonly deadlineMs: number;
  /** After Cosmos DB was found unreachable, calls fail at once for this long (then one probes). */
  readonly coolDownMs: number;
  /**
   * How often admins and account roots are refreshed from what changed: a role removed by an
   * import stops working after at most this long, and an unknown caller is asked again after it.
   */
  readonly refreshMs: number;
  /** Whole account documents: a change made by another instance shows here after at most this long. */
  readonly accountTtlMs: number;
  /** Tree data (names, kinds, counts), which only an import changes. */
  readonly treeTtlMs: number;
  /** The offer catalogue, which only an import changes. */
  readonly catalogTtlMs: number;
}

/** Rationale for each number in docs/cosmos.md ("Caches"). */
export const DEFAULT_COSMOS_DIRECTORY_OPTIONS: CosmosDirectoryOptions = {
  deadlineMs: DEFAULT_DEADLINE_MS,
  coolDownMs: DEFAULT_COOL_DOWN_MS,
  refreshMs: 30_000,
  accountTtlMs: 30_000,
  treeTtlMs: 300_000,
  catalogTtlMs: 300_000,
};

/** Loading the roots of a very large directory on a small throughput budget may take a while. */
const WARM_UP_DEADLINE_MS = 120_000;

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
  private readonly catalog: TtlCache<'catalog', CatalogDoc>;
  private readonly changes: CosmosChangeWriter;
  /** How this directory calls Cosmos DB; the state storage of the same client shares it. */
  readonly calls: CallPolicy;
  private warming: Promise<void> | undefined;
  private refresher: NodeJS.Timeout | undefined;
  private refreshing: Promise<void> | undefined;

  constructor(
    private readonly containers: CosmosContainers,
    options: Partial<CosmosDirectoryOptions> = {},
    private readonly onClose: () => void = () => undefined,
  ) {
    this.options = { ...DEFAULT_COSMOS_DIRECTORY_OPTIONS, ...options };
    this.reads = new CosmosAccountReads(containers, this.options);
    // Each membership's tree root comes along, so opening a scope root needs no locator read.
    this.admins = new AdminRoster(containers.lookups, this.options.refreshMs, (doc) => {
      for (const [accountId, rootId] of Object.entries(doc.roots)) this.reads.learnRoot(accountId, rootId);
    });
    this.catalog = new TtlCache(this.options.catalogTtlMs, 1);
    this.calls = new CallPolicy(this.options.deadlineMs, this.options.coolDownMs);
    this.changes = new CosmosChangeWriter(containers, this.reads, (signal) => this.skus(signal), this.calls);
  }


  /**
   * Loads the admins and every account's tree root, then keeps them fresh every `refreshMs` in
   * the background; the directory answers meanwhile, with point reads. Resolves when the first
   * load is done. A failed load is left to the next refresh and to point reads, never thrown.
   */
  warmUp(): Promise<void> {
    if (!this.warming) {
      this.warming = this.refresh(WARM_UP_DEADLINE_MS);
      this.refresher = setInterval(() => void this.refresh(this.options.refreshMs), this.options.refreshMs);
      this.refresher.unref();
    }
    return this.warming;
  }

  private refresh(deadlineMs: number): Promise<void> {
    if (!this.refreshing) {
      const signal = AbortSignal.timeout(deadlineMs);
      this.refreshing = Promise.all([this.admins.refresh(signal), this.reads.refreshRoots(signal)])
        .catch(() => undefined)
        .then(() => {
          this.refreshing = undefined;
        });
    }
    return this.refreshing;
  }

  private read<T>(operation: (signal: AbortSignal) => Promise<T>): Promise<T> {
    return this.calls.retrying(operation);
  }

  getAdmin(caller: Caller): Promise<Admin | undefined> {
    return this.read((signal) => this.admins.get(adminKey(caller), signal));
  }

  async getAccount(id: string): Promise<Account | undefined> {
    const doc = await this.read((signal) => this.reads.doc(id, signal));
    return doc && toAccount(doc);
  }

  async getPath(id: string): Promise<Account[] | undefined> {
    const doc = await this.read((signal) => this.reads.doc(id, signal));
    return doc && [...doc.ancestors.map(ancestorAccount), toAccount(doc)];
  }

  async getSummary(id: string): Promise<AccountSummary | undefined> {
    // The turn that asks has usually just read this account or one below it.
    const cached = this.reads.cachedSummary(id);
    if (cached) return cached;
    const doc = await this.read((signal) => this.reads.doc(id, signal));
    return doc && summaryOf(doc);
  }

  listChildren(parentId: string, page: PageRequest): Promise<Page<AccountSummary>> {
    return this.read((signal) => childrenPage(this.containers, this.reads, parentId, page, signal));
  }

  search(query: string, options: SearchOptions): Promise<SearchHit[]> {
    return this.read((signal) => searchAccounts(this.containers, this.reads, query, options, signal));
  }

  async listOffers(): Promise<Offer[]> {
    const catalog = await this.read((signal) => this.catalogDoc(signal));
    return [...(catalog?.offers ?? [])];
  }

  applySubscriptionChange(change: SubscriptionChange): Promise<ChangeOutcome> {
    return this.changes.apply(change);
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

  /** One point read of the catalogue: proves the service answers and the directory was imported. */
  async ping(): Promise<void> {
    const catalog = await this.read((signal) => this.catalogDoc(signal, true));
    if (!catalog) throw new DirectoryUnavailableError(new DirectoryNotImportedError());
  }

  /** Stops the refresh and lets go of the client; a refresh in flight fails quietly, never delaying shutdown. */
  async close(): Promise<void> {
    if (this.refresher) clearInterval(this.refresher);
    this.onClose();
  }

  /** The catalogue; undefined until a directory file is imported. */
  private async catalogDoc(signal: AbortSignal, fresh = false): Promise<CatalogDoc | undefined> {
    const cached = fresh ? undefined : this.catalog.get('catalog');
    if (cached) return cached;
    const doc = await pointRead<CatalogDoc>(this.containers.lookups, CATALOG_ID, CATALOG_ID, signal);
    if (doc) this.catalog.set('catalog', doc);
    return doc;
  }

  private async skus(signal: AbortSignal): Promise<ReadonlySet<string>> {
    return new Set((await this.catalogDoc(signal))?.offers.map((o) => o.sku));
  }
}

/** The containers exist but no directory file was imported into them. */
export class DirectoryNotImportedError extends Error {
  constructor() {
    super('The Cosmos DB directory is empty: import a directory file first (npm run directory -- import <file>).');
    this.name = 'DirectoryNotImportedError';
  }
}
