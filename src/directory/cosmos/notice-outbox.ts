import type { Container } from '@azure/cosmos';
import type { ChangeNotice } from '../../domain/notices';
import type { NoticeClaim } from '../port';
import { compositeId } from './cosmos-ids';
import { pointRead } from './point-read';
import { statusOf, type CallPolicy } from './resilience';

/**
 * One change's notices, created in the change's own transactional batch (same tree partition as
 * the account and its audit entry), so a change is never stored without its notices or the
 * reverse. An instance claims the document before delivering (a replace conditional on its
 * ETag, setting a lease): two instances never both hold it, and a lease left by an instance that
 * died runs out, after which another delivers what is not settled, with the same activity ids.
 * Settled notice ids are added one by one; the document is deleted once all are settled.
 */
export interface OutboxDoc {
  readonly id: string;
  readonly type: 'outbox';
  readonly rootId: string;
  readonly accountId: string;
  readonly actionId: string;
  readonly notices: readonly ChangeNotice[];
  readonly settled: readonly string[];
  /** Epoch ms until which `leaseOwner` holds it; 0 when nobody does. */
  readonly leaseUntil: number;
  readonly leaseOwner?: string;
  readonly _etag?: string;
}

export const outboxDocId = (accountId: string, actionId: string): string => compositeId('outbox', accountId, actionId);

export function outboxDocFor(rootId: string, accountId: string, actionId: string, notices: readonly ChangeNotice[]): OutboxDoc {
  return { id: outboxDocId(accountId, actionId), type: 'outbox', rootId, accountId, actionId, notices, settled: [], leaseUntil: 0 };
}

/** Documents looked at per claim: the outbox is normally empty or nearly. */
const CLAIM_PAGE = 20;
const SETTLE_ATTEMPTS = 5;

export class CosmosOutbox {
  constructor(
    private readonly accounts: Container,
    private readonly calls: CallPolicy,
    private readonly rootOf: (accountId: string, signal: AbortSignal) => Promise<string | undefined>,
    private readonly now: () => number = Date.now,
  ) {}

  /** A cross-partition query for unleased outbox documents, then one conditional replace per document claimed. */
  async claim({ owner, leaseMs, limit }: NoticeClaim): Promise<ChangeNotice[]> {
    const now = this.now();
    const sql = "SELECT TOP @n * FROM c WHERE c.type = 'outbox' AND c.leaseUntil < @now";
    const docs = await this.calls.retrying(async (signal) => {
      const { resources } = await this.accounts.items
        .query<OutboxDoc>({ query: sql, parameters: [{ name: '@n', value: CLAIM_PAGE }, { name: '@now', value: now }] }, { maxItemCount: CLAIM_PAGE, abortSignal: signal })
        .fetchAll();
      return resources;
    });
    const claimed: ChangeNotice[] = [];
    for (const doc of docs) {
      if (claimed.length >= limit) break;
      if (doc.type !== 'outbox' || !doc._etag || doc.leaseUntil >= now) continue;
      const leased: OutboxDoc = { ...strip(doc), leaseOwner: owner, leaseUntil: now + leaseMs };
      const won = await this.calls.once(async (signal) => {
        try {
          await this.accounts.item(doc.id, doc.rootId).replace(leased, { accessCondition: { type: 'IfMatch', condition: doc._etag! }, abortSignal: signal });
          return true;
        } catch (error) {
          // Another instance claimed or settled it first.
          if (statusOf(error) === 412 || statusOf(error) === 404) return false;
          throw error;
        }
      });
      if (won) claimed.push(...doc.notices.filter((n) => !doc.settled.includes(n.id)));
    }
    return claimed;
  }

  /** Adds the notice to its document's settled ids (conditional on the ETag read, again on a race), deleting the document when all are. */
  async settle(notice: ChangeNotice): Promise<void> {
    const id = outboxDocId(notice.accountId, notice.entry.actionId);
    for (let attempt = 0; attempt < SETTLE_ATTEMPTS; attempt++) {
      const done = await this.calls.retrying(async (signal) => {
        const rootId = await this.rootOf(notice.accountId, signal);
        const doc = rootId === undefined ? undefined : await pointRead<OutboxDoc>(this.accounts, id, rootId, signal);
        if (!doc || doc.settled.includes(notice.id) || !doc._etag) return true;
        const settled = [...doc.settled, notice.id];
        const condition = { accessCondition: { type: 'IfMatch', condition: doc._etag }, abortSignal: signal } as const;
        try {
          if (doc.notices.every((n) => settled.includes(n.id))) await this.accounts.item(doc.id, doc.rootId).delete(condition);
          else await this.accounts.item(doc.id, doc.rootId).replace({ ...strip(doc), settled }, condition);
          return true;
        } catch (error) {
          if (statusOf(error) === 412) return false; // changed meanwhile (a lease renewed): read again
          if (statusOf(error) === 404) return true;
          throw error;
        }
      });
      if (done) return;
    }
    throw new Error(`could not settle notice ${notice.id}: its outbox document kept changing`);
  }
}

function strip(doc: OutboxDoc): OutboxDoc {
  const { _etag, _rid, _self, _ts, _attachments, ...rest } = doc as OutboxDoc & Record<'_rid' | '_self' | '_ts' | '_attachments', unknown>;
  return rest as OutboxDoc;
}
