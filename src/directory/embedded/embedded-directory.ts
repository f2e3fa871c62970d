import type { TrialSubscription } from '../../domain/trials';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { baseLevelOf, type Account, type AccountSummary, type Subscription } from '../../domain/accounts';
import { adminKey, type Admin, type Caller } from '../../domain/admins';
import type { AuditEntry } from '../../domain/audit';
import { accountRecordOf, enabledOfferIssues, subscriptionListIssues, type DirectoryDocument, type DocumentIssue } from '../../domain/directory-document';
import type { ChangeNotice } from '../../domain/notices';
import { droppedOffers, gainedSkus, type OfferHolding } from '../../domain/offer-rules';
import { AccountNotFoundError, DirectoryUnavailableError, InvalidActionError } from '../../domain/errors';
import type { Offer } from '../../domain/offers';
import { searchQuery } from '../../domain/search';
import { readDirectoryFile } from '../directory-file';
import type { ChangeOutcome, Directory, HoldingBounds, NoticeClaim, OfferChange, Page, PageRequest, SearchHit, SearchOptions, SubscriptionChange } from '../port';
import { AccountIndex } from './account-index';
import { OfferHolders } from './offer-holders';
import { writeFileAtomic } from '../../fs/atomic-write';
import { Journal } from './journal';
import { EmbeddedOutbox } from './notice-outbox';

export interface EmbeddedDirectoryOptions {
  /** The directory file used to initialise the data folder (the demo file by default). */
  readonly seedFile: string;
  /** Where the live snapshot and journal are kept. Without it, changes live in memory only (tests, benchmarks). */
  readonly dataDir?: string;
}

/** One journal record: a change and its audit entry, applied together or not at all. */
type ChangeRecord = SubscriptionsRecord | OffersRecord;

interface SubscriptionsRecord {
  readonly type: 'subscriptions';
  readonly accountId: string;
  readonly version: string;
  readonly subscriptions: readonly Subscription[];
  readonly entry: AuditEntry;
  /** The notices the change causes (absent in records written before notices existed). */
  readonly notices?: readonly ChangeNotice[];
}

/** Offers turned on or off on a base level: its whole new enabled list. */
interface OffersRecord {
  readonly type: 'offers';
  readonly accountId: string;
  readonly version: string;
  readonly enabledOffers: readonly string[];
  readonly entry: AuditEntry;
  readonly notices?: readonly ChangeNotice[];
}

export const SNAPSHOT_FILE = 'directory.json';
export const JOURNAL_FILE = 'journal.ndjson';
export const OUTBOX_FILE = 'outbox.ndjson';

/**
 * The embedded Directory: the whole hierarchy in memory, loaded from a directory file.
 * Changes are made durable in an fsynced journal before they are acknowledged, and folded into
 * an atomically replaced snapshot at the next start, so a crash or restart loses nothing acknowledged.
 */
export class EmbeddedDirectory implements Directory {
  private readonly admins = new Map<string, Admin>();
  private readonly offers: readonly Offer[];
  private readonly skus: ReadonlySet<string>;
  /** Audit entries in the order they were applied. */
  private readonly auditLog: AuditEntry[] = [];
  private readonly auditByAccount = new Map<string, AuditEntry[]>();
  private readonly auditByAction = new Map<string, AuditEntry>();
  private readonly holders: OfferHolders;
  /** Serialises writes: check version, journal, apply. */
  private writes: Promise<unknown> = Promise.resolve();

  /** The file's administrators as read, for snapshots. The rest of the document is not kept: the index holds the accounts. */
  private readonly adminRecords: DirectoryDocument['admins'];

  private constructor(
    doc: DirectoryDocument,
    private readonly index: AccountIndex,
    private readonly journal: Journal<ChangeRecord> | undefined,
    private readonly outbox: EmbeddedOutbox,
  ) {
    this.adminRecords = doc.admins;
    this.offers = doc.offers;
    this.skus = new Set(doc.offers.map((o) => o.sku));
    this.holders = new OfferHolders(index);
    for (const admin of doc.admins) this.admins.set(adminKey(admin), admin);
    for (const entry of doc.audit ?? []) this.remember(entry);
  }

  static async open(options: EmbeddedDirectoryOptions): Promise<EmbeddedDirectory> {
    if (!options.dataDir) {
      const doc = readDirectoryFile(options.seedFile);
      return new EmbeddedDirectory(doc, new AccountIndex(doc), undefined, await EmbeddedOutbox.open(undefined));
    }
    await fs.mkdir(options.dataDir, { recursive: true });
    const snapshot = path.join(options.dataDir, SNAPSHOT_FILE);
    if (!existsSync(snapshot)) {
      readDirectoryFile(options.seedFile); // refuse a bad seed before copying it
      await writeFileAtomic(snapshot, await fs.readFile(options.seedFile, 'utf8'));
    }
    const doc = readDirectoryFile(snapshot);
    const outbox = await EmbeddedOutbox.open(path.join(options.dataDir, OUTBOX_FILE));
    const { journal, records } = await Journal.open<ChangeRecord>(path.join(options.dataDir, JOURNAL_FILE));
    const directory = new EmbeddedDirectory(doc, new AccountIndex(doc), journal, outbox);
    for (const record of records) directory.applyRecord(record);
    if (records.length > 0) {
      // The journal's notices move to the outbox file first (with markers for those already
      // settled, so a journal read again cannot revive them), then the journal is folded into
      // the snapshot. A crash between the steps only replays records whose action ids the
      // snapshot already holds, which applyRecord skips.
      await outbox.rewrite(records.flatMap(noticesOf));
      await writeFileAtomic(snapshot, JSON.stringify(directory.toDocument(), null, 1));
      await journal.clear();
    }
    await outbox.rewrite();
    return directory;
  }

  /** Where the data stands now, in the directory file format (for snapshots and export). */
  toDocument(): DirectoryDocument {
    const accounts = [...this.index.all()].map(accountRecordOf);
    return { offers: this.offers, accounts, admins: this.adminRecords, audit: [...this.auditLog] };
  }

  async getAdmin(caller: Caller): Promise<Admin | undefined> {
    return this.admins.get(adminKey(caller));
  }

  /** Always fresh (the port's `fresh` option changes nothing): the index is the stored data. */
  async getAccount(id: string): Promise<Account | undefined> {
    return this.index.get(id);
  }

  async getPath(id: string): Promise<Account[] | undefined> {
    return this.index.path(id);
  }

  async getSummary(id: string): Promise<AccountSummary | undefined> {
    return this.index.summary(id);
  }

  async listChildren(parentId: string, page: PageRequest): Promise<Page<AccountSummary>> {
    const ids = this.index.childIds(parentId);
    const offset = page.token === undefined ? 0 : decodeOffset(page.token, ids.length);
    const items = ids.slice(offset, offset + page.pageSize).map((id) => this.index.summary(id)!);
    const end = offset + items.length;
    return {
      items,
      total: ids.length,
      offset,
      ...(end < ids.length ? { next: encodeOffset(end) } : {}),
      ...(offset > 0 ? { previous: encodeOffset(Math.max(0, offset - page.pageSize)) } : {}),
    };
  }

  async search(query: string, options: SearchOptions): Promise<SearchHit[]> {
    const q = searchQuery(query);
    if (!q || options.withinRootIds.length === 0) return [];
    return this.index.search(q, options.withinRootIds, options.limit).map((id) => ({
      account: this.index.summary(id)!,
      path: this.index.pathRefs(id)!,
    }));
  }

  async listOffers(): Promise<Offer[]> {
    return [...this.offers];
  }

  async adminsOn(accountIds: readonly string[]): Promise<Admin[]> {
    const ids = new Set(accountIds);
    return [...this.admins.values()].filter((admin) => admin.memberships.some((m) => ids.has(m.accountId)));
  }

  async trialSubscriptions(startedSince: string): Promise<TrialSubscription[]> {
    const trials: TrialSubscription[] = [];
    for (const { accountId, subscription: sub } of this.index.datedSubscriptions()) {
      if (sub.startedAt !== undefined && sub.startedAt >= startedSince) trials.push({ accountId, sku: sub.sku, quantity: sub.quantity, startedAt: sub.startedAt });
    }
    return trials;
  }

  async claimNotices(claim: NoticeClaim): Promise<ChangeNotice[]> {
    return this.outbox.claim(claim);
  }

  async settleNotice(notice: ChangeNotice): Promise<void> {
    try {
      await this.outbox.settleDurably(notice.id);
    } catch (err) {
      throw new DirectoryUnavailableError(err);
    }
  }

  applySubscriptionChange(change: SubscriptionChange): Promise<ChangeOutcome> {
    return this.serialised(() =>
      this.write(change, subscriptionListIssues(change.subscriptions, this.skus, 'subscriptions'), (version) => ({
        type: 'subscriptions',
        accountId: change.accountId,
        version,
        subscriptions: change.subscriptions,
        entry: change.entry,
        ...(change.notices && change.notices.length > 0 ? { notices: change.notices } : {}),
      })),
    );
  }

  applyOfferChange(change: OfferChange): Promise<ChangeOutcome> {
    return this.serialised(() =>
      this.write(change, enabledOfferIssues(change.enabledOffers, this.skus, 'enabledOffers'), (version) => ({
        type: 'offers',
        accountId: change.accountId,
        version,
        enabledOffers: change.enabledOffers,
        entry: change.entry,
        ...(change.notices && change.notices.length > 0 ? { notices: change.notices } : {}),
      })),
    );
  }

  async offerHoldings(baseLevelId: string, skus: readonly string[], bounds: HoldingBounds): Promise<OfferHolding[]> {
    return skus.map((sku) => this.holders.holding(baseLevelId, sku, bounds));
  }

  async buyerCount(baseLevelId: string): Promise<number | undefined> {
    return this.index.get(baseLevelId) ? this.index.buyerCount(baseLevelId) : 0;
  }

  private serialised(write: () => Promise<ChangeOutcome>): Promise<ChangeOutcome> {
    const result = this.writes.then(write);
    this.writes = result.catch(() => undefined);
    return result;
  }

  /** Replay, version check, validity, journal, apply: the same for every kind of change. */
  private async write(
    change: { readonly accountId: string; readonly expectedVersion: string; readonly entry: AuditEntry },
    problems: readonly DocumentIssue[],
    recordFor: (version: string) => ChangeRecord,
  ): Promise<ChangeOutcome> {
    const account = this.index.get(change.accountId);
    if (!account) throw new AccountNotFoundError(change.accountId);
    const earlier = this.auditByAction.get(change.entry.actionId);
    if (earlier) return { status: 'replayed', account, entry: earlier };
    if (account.version !== change.expectedVersion) return { status: 'conflict', account };
    // Never store what the next start would refuse to load.
    if (problems.length > 0) throw new InvalidActionError(`That change is not valid: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
    const record = recordFor(String(Number(account.version) + 1));
    // Checked here, inside the serialised write, on the data as it is now: a purchase and the
    // offer being turned off above it, confirmed at the same moment, cannot both pass.
    if (!this.offersStillAllow(account, nextAccount(account, record))) return { status: 'conflict', account };
    if (this.journal) {
      try {
        await this.journal.append(record);
      } catch (err) {
        throw new DirectoryUnavailableError(err);
      }
    }
    this.applyRecord(record);
    return { status: 'applied', account: this.index.get(account.id)!, entry: change.entry };
  }

  private applyRecord(record: ChangeRecord): void {
    if (!isChangeRecord(record)) throw new Error('The journal holds a record that is not a subscription or offer change; restore the data folder from a backup.');
    this.outbox.add(noticesOf(record));
    if (this.auditByAction.has(record.entry.actionId)) return;
    const account = this.index.get(record.accountId);
    if (!account) throw new Error(`The journal refers to unknown account ${record.accountId}`);
    const next = nextAccount(account, record);
    this.index.replaceAccount(next);
    this.holders.replace(account, next);
    this.remember(record.entry);
  }

  /**
   * Whether the offers still allow `before` becoming `after`: every SKU it comes to hold is
   * enabled on the base level above, and no account below holds an offer it turns off.
   */
  private offersStillAllow(before: Account, after: Account): boolean {
    const gained = gainedSkus(before, after);
    if (gained.length > 0) {
      const base = baseLevelOf((this.index.path(before.id) ?? []).slice(0, -1));
      if (!base || gained.some((sku) => !base.enabledOffers.includes(sku))) return false;
    }
    return droppedOffers(before, after).every((sku) => this.holders.holding(before.id, sku, { countUpTo: 1, sample: 0 }).count === 0);
  }

  private remember(entry: AuditEntry): void {
    this.auditLog.push(entry);
    this.auditByAction.set(entry.actionId, entry);
    const list = this.auditByAccount.get(entry.accountId);
    if (list) list.push(entry);
    else this.auditByAccount.set(entry.accountId, [entry]);
  }

  async findChange(accountId: string, actionId: string): Promise<AuditEntry | undefined> {
    const entry = this.auditByAction.get(actionId);
    return entry?.accountId === accountId ? entry : undefined;
  }

  async auditTrail(accountId: string, limit: number): Promise<AuditEntry[]> {
    if (limit <= 0) return [];
    return (this.auditByAccount.get(accountId) ?? []).slice(-limit).reverse();
  }

  async ping(): Promise<void> {
    // Always answers: the data is in this process.
  }

  async close(): Promise<void> {
    await this.writes;
    await this.journal?.close();
    await this.outbox.close();
  }
}

function nextAccount(account: Account, record: ChangeRecord): Account {
  return record.type === 'offers'
    ? { ...account, enabledOffers: record.enabledOffers, version: record.version }
    : { ...account, subscriptions: record.subscriptions, version: record.version };
}

function noticesOf(record: ChangeRecord): readonly ChangeNotice[] {
  return record.notices ?? [];
}

function isChangeRecord(value: unknown): value is ChangeRecord {
  const r = value as Partial<SubscriptionsRecord> & Partial<OffersRecord> | null;
  if (typeof r !== 'object' || r === null || typeof r.accountId !== 'string' || typeof r.version !== 'string' || typeof r.entry?.actionId !== 'string') return false;
  return (r.type === 'subscriptions' && Array.isArray(r.subscriptions)) || (r.type === 'offers' && Array.isArray(r.enabledOffers));
}

function encodeOffset(offset: number): string {
  return `o${offset}`;
}

function decodeOffset(token: string, total: number): number {
  const match = /^o(\d{1,9})$/.exec(token);
  const offset = match ? Number(match[1]) : NaN;
  if (!Number.isInteger(offset) || offset < 0 || (offset > 0 && offset >= total)) {
    throw new InvalidActionError('That page of the list no longer exists. Open the list again.');
  }
  return offset;
}
