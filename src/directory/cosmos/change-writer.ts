import type { OperationResponse } from '@azure/cosmos';
import { isBaseLevel } from '../../domain/accounts';
import type { AuditEntry } from '../../domain/audit';
import type { ChangeNotice } from '../../domain/notices';
import { enabledOfferIssues, subscriptionListIssues, type DocumentIssue } from '../../domain/directory-document';
import { droppedOffers, gainedSkus } from '../../domain/offer-rules';
import { AccountNotFoundError, DirectoryUnavailableError, InvalidActionError } from '../../domain/errors';
import type { ChangeOutcome, OfferChange, SubscriptionChange } from '../port';
import type { CosmosAccountReads } from './account-reads';
import type { CosmosContainers } from './containers';
import { asJson, auditDocId, auditOrderApplied, toAccount, ttlFields, withoutSystemProperties, type AccountDoc, type AuditDoc } from './documents';
import { outboxDocFor } from './notice-outbox';
import { offerHoldings } from './offer-holdings';
import { pointRead } from './point-read';
import type { CallPolicy } from './resilience';

const ok = (op: OperationResponse | undefined): boolean => op !== undefined && op.statusCode >= 200 && op.statusCode < 300;

/** A base level's document as stored (its import hash kept), to be written back unchanged as a guard. */
function unchanged(doc: AccountDoc): AccountDoc {
  const importHash = (doc as AccountDoc & { importHash?: string }).importHash;
  return { ...withoutSystemProperties(doc), ...(importHash ? { importHash } : {}) };
}

/** What one change does to its account's document, and what must hold of it first. */
interface DocChange {
  readonly accountId: string;
  readonly expectedVersion: string;
  readonly entry: AuditEntry;
  readonly kind: string;
  /** Created in the same batch: the change's notices (notice-outbox.ts). */
  readonly notices?: readonly ChangeNotice[];
  problems(skus: ReadonlySet<string>): DocumentIssue[];
  apply(doc: AccountDoc): AccountDoc;
}

/**
 * Writes subscription and offer changes to Cosmos DB for the Directory port's
 * `applySubscriptionChange`, `applyOfferChange` and `findChange` (who may change what is the
 * use case's business, in src/app). The account and
 * its audit entry live in the same logical partition, so the change is one transactional batch:
 * replace the account if its ETag is still the one read (a stale review fails with 412 and
 * nothing is written), and create the audit entry whose id is the account and action id (a
 * second apply of the same action fails with 409), and, when the change causes notices, create
 * its outbox document (notice-outbox.ts). Either failure rolls the whole batch back,
 * and is then settled by reading what is there now.
 */
export class CosmosChangeWriter {
  constructor(
    private readonly containers: CosmosContainers,
    private readonly reads: CosmosAccountReads,
    private readonly knownSkus: (signal: AbortSignal) => Promise<ReadonlySet<string>>,
    private readonly calls: CallPolicy,
    /**
     * Days an audit entry is kept (its per-item ttl), so a busy tree's partition stops growing.
     * An expired entry can no longer answer a replay of its action as such, but that replay
     * carries the version the change was reviewed against, long since moved on: a conflict,
     * never a second apply.
     */
    private readonly auditRetentionDays?: number,
  ) {}

  applySubscriptions(change: SubscriptionChange): Promise<ChangeOutcome> {
    return this.apply({
      ...change,
      kind: 'subscription change',
      problems: (skus) => subscriptionListIssues(change.subscriptions, skus, 'subscriptions'),
      apply: (doc) => ({ ...doc, subscriptions: change.subscriptions }),
    });
  }

  /**
   * Offers turned on or off on a base level: only the base level's own document changes. The
   * copies of its enabled offers in the documents below it (AncestorCopy) stay as imported; the
   * use cases read the base level's own document for what an account may buy (docs/cosmos.md).
   */
  applyOffers(change: OfferChange): Promise<ChangeOutcome> {
    return this.apply({
      ...change,
      kind: 'offer change',
      problems: (skus) => enabledOfferIssues(change.enabledOffers, skus, 'enabledOffers'),
      apply: (doc) => ({ ...doc, enabledOffers: change.enabledOffers }),
    });
  }

  private async apply(change: DocChange): Promise<ChangeOutcome> {
    const { accountId } = change;
    const actionId = change.entry.actionId;
    // The account, fresh, and the action's audit entry: replays are recognised first, whatever
    // version they carry, as in the embedded directory.
    const [doc, earlier] = await this.calls.retrying(async (signal) => {
      const account = await this.reads.doc(accountId, signal, true);
      return [account, account ? await this.readAudit(account.rootId, accountId, actionId, signal) : undefined] as const;
    });
    if (!doc) throw new AccountNotFoundError(accountId);
    if (earlier) return { status: 'replayed', account: toAccount(doc), entry: earlier };
    if (doc.version !== change.expectedVersion) return { status: 'conflict', account: toAccount(doc) };

    const skus = await this.calls.retrying((signal) => this.knownSkus(signal));
    const problems = change.problems(skus);
    if (problems.length > 0) throw new InvalidActionError(`That change is not valid: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);

    // Without its ETag the replace below would be unconditional: never write blind.
    if (!doc._etag) throw new DirectoryUnavailableError(new Error(`account ${accountId} was read without an ETag`));
    const next: AccountDoc = { ...change.apply(withoutSystemProperties(doc)), version: String(Number(doc.version) + 1) };
    const guard = await this.offersGuard(doc, next);
    if (guard === 'refused') return { status: 'conflict', account: toAccount(doc) };
    const audit: AuditDoc = {
      id: auditDocId(accountId, actionId),
      type: 'audit',
      rootId: doc.rootId,
      accountId,
      actionId,
      seq: auditOrderApplied(doc.version),
      entry: change.entry,
      ...ttlFields(this.auditRetentionDays),
    };
    // Not retried after an ambiguous failure: the same action id, sent again by the user or by
    // Teams, finds its audit entry if this batch did land, and is answered as a replay.
    const notices = change.notices ?? [];
    const response = await this.calls.once((signal) =>
      this.containers.accounts.items.batch(
        [
          // First: where the batch is not all-or-nothing (the stand-in), a failed guard stops the rest.
          ...(guard ? [{ operationType: 'Replace' as const, id: guard.id, partitionKey: doc.rootId, ifMatch: guard._etag!, resourceBody: asJson(unchanged(guard)) }] : []),
          { operationType: 'Replace', id: doc.id, partitionKey: doc.rootId, ifMatch: doc._etag, resourceBody: asJson(next) },
          { operationType: 'Create', partitionKey: doc.rootId, resourceBody: asJson(audit) },
          ...(notices.length > 0 ? [{ operationType: 'Create' as const, partitionKey: doc.rootId, resourceBody: asJson(outboxDocFor(doc.rootId, accountId, actionId, notices)) }] : []),
        ],
        doc.rootId,
        { abortSignal: signal },
      ),
    );
    const results = response.result ?? [];
    const guarded = guard ? results[0] : undefined;
    const [replaced, created, outboxed] = guard ? results.slice(1) : results;
    if ((!guard || ok(guarded)) && ok(replaced) && ok(created) && (notices.length === 0 || ok(outboxed))) {
      const stored: AccountDoc = { ...next, ...(replaced?.eTag ? { _etag: replaced.eTag } : {}) };
      this.reads.remember(stored);
      return { status: 'applied', account: toAccount(stored), entry: change.entry };
    }
    if (guarded?.statusCode === 412 || replaced?.statusCode === 412 || created?.statusCode === 409) return this.settle(accountId, actionId);
    const statuses = (response.result ?? []).map((op) => op.statusCode).join(', ');
    throw new DirectoryUnavailableError(new Error(`the ${change.kind} batch failed with ${response.code ?? '?'} (${statuses})`));
  }

  /**
   * What the offers require of `before` becoming `after`, checked now, after the account was
   * read: every SKU it comes to hold is still enabled on the base level above, and nobody below
   * holds an offer it turns off. A change that comes to hold a SKU also rewrites that base level's
   * document unchanged with ifMatch on the ETag read here (returned, for the batch); an offer change
   * replaces its own base level's document with ifMatch anyway. So of a purchase and the offer
   * turned off above it, whichever commits second fails with 412 (docs/cosmos.md). Raising or
   * lowering a SKU already held needs neither, so subscription changes under a base level do not
   * queue behind each other.
   */
  private async offersGuard(before: AccountDoc, after: AccountDoc): Promise<AccountDoc | undefined | 'refused'> {
    const dropped = droppedOffers(before, after);
    if (dropped.length > 0) {
      const held = await this.calls.retrying((signal) => offerHoldings(this.containers, this.reads, before.id, dropped, { countUpTo: 1, sample: 0 }, signal));
      if (held.some((h) => h.count > 0)) return 'refused';
    }
    const gained = gainedSkus(before, after);
    if (gained.length === 0) return undefined;
    const baseId = [...before.ancestors].reverse().find(isBaseLevel)?.id;
    const base = baseId === undefined ? undefined : await this.calls.retrying((signal) => this.reads.doc(baseId, signal, true));
    if (!base || gained.some((sku) => !base.enabledOffers.includes(sku))) return 'refused';
    if (!base._etag) throw new DirectoryUnavailableError(new Error(`account ${base.id} was read without an ETag`));
    return base;
  }

  /** Someone changed the account first: perhaps this very action, from a double click. */
  private async settle(accountId: string, actionId: string): Promise<ChangeOutcome> {
    return this.calls.retrying(async (signal) => {
      const doc = await this.reads.doc(accountId, signal, true);
      if (!doc) throw new AccountNotFoundError(accountId);
      const earlier = await this.readAudit(doc.rootId, accountId, actionId, signal);
      return earlier ? { status: 'replayed', account: toAccount(doc), entry: earlier } : { status: 'conflict', account: toAccount(doc) };
    });
  }

  async find(accountId: string, actionId: string): Promise<AuditEntry | undefined> {
    return this.calls.retrying(async (signal) => {
      const rootId = await this.reads.rootOf(accountId, signal);
      return rootId === undefined ? undefined : this.readAudit(rootId, accountId, actionId, signal);
    });
  }

  private async readAudit(rootId: string, accountId: string, actionId: string, signal: AbortSignal): Promise<AuditEntry | undefined> {
    const doc = await pointRead<AuditDoc>(this.containers.accounts, auditDocId(accountId, actionId), rootId, signal);
    return doc && doc.accountId === accountId && doc.actionId === actionId ? doc.entry : undefined;
  }
}
