import type { Container, OperationInput } from '@azure/cosmos';
import type { AuditEntry } from '../../domain/audit';
import { accountRecordOf, type DirectoryDocument } from '../../domain/directory-document';
import { buildDocuments, type DirectoryDocuments } from './build-documents';
import type { CosmosContainers } from './containers';
import { ADMIN_PARTITION, asJson, CATALOG_ID, LOCATOR_PARTITION, withoutSystemProperties, type AccountDoc, type AdminDoc, type AuditDoc, type CatalogDoc } from './documents';
import { pointRead } from './point-read';
import { CallPolicy } from './resilience';

/** Progress lines for a person watching an import or export. */
export type Progress = (line: string) => void;

/** A transactional batch holds at most 100 operations and 2 MB. */
const MAX_BATCH_OPERATIONS = 100;
const MAX_BATCH_BYTES = 1_500_000;
/** Import and export move many documents per call: give each call longer than a turn. */
const TRANSFER_DEADLINE_MS = 60_000;
/** Each batch is an upsert, safe to repeat; no fail-fast period for a one-off operator tool. */
const transfer = new CallPolicy(TRANSFER_DEADLINE_MS, 0);
const PARALLEL_BATCHES = 4;

const count = (n: number): string => n.toLocaleString('en-GB');

/** Groups documents by partition, in chunks a single transactional batch can take. */
function chunksByPartition<T extends object>(docs: readonly T[], partitionOf: (doc: T) => string): { partitionKey: string; docs: T[] }[] {
  const byPartition = new Map<string, T[]>();
  for (const doc of docs) {
    const key = partitionOf(doc);
    const list = byPartition.get(key);
    if (list) list.push(doc);
    else byPartition.set(key, [doc]);
  }
  const chunks: { partitionKey: string; docs: T[] }[] = [];
  for (const [partitionKey, list] of byPartition) {
    let current: T[] = [];
    let bytes = 0;
    for (const doc of list) {
      const size = Buffer.byteLength(JSON.stringify(doc));
      if (current.length > 0 && (current.length === MAX_BATCH_OPERATIONS || bytes + size > MAX_BATCH_BYTES)) {
        chunks.push({ partitionKey, docs: current });
        current = [];
        bytes = 0;
      }
      current.push(doc);
      bytes += size;
    }
    if (current.length > 0) chunks.push({ partitionKey, docs: current });
  }
  return chunks;
}

/** Runs `work` over `items` with at most `parallel` in flight. */
async function inParallel<T>(items: readonly T[], parallel: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(parallel, items.length) }, worker));
}

/** Writes in per-partition transactional batches, a few at a time, reporting progress. */
async function writeInBatches<T extends object>(
  container: Container,
  items: readonly T[],
  partitionOf: (item: T) => string,
  operationFor: (item: T, partitionKey: string) => OperationInput,
  label: string,
  progress: Progress,
): Promise<void> {
  let done = 0;
  await inParallel(chunksByPartition(items, partitionOf), PARALLEL_BATCHES, async ({ partitionKey, docs: chunk }) => {
    const operations = chunk.map((item) => operationFor(item, partitionKey));
    const response = await transfer.retrying((signal) => container.items.batch(operations, partitionKey, { abortSignal: signal }));
    // A delete of something already gone is done: a re-run after a failure must not stop on it.
    const failed = (response.result ?? []).filter((op) => op.statusCode >= 400 && !(op.statusCode === 404 && operations[0]?.operationType === 'Delete'));
    if (failed.length > 0 || !response.result) {
      throw new Error(`Writing ${label} to partition "${partitionKey}" failed: ${failed.map((op) => op.statusCode).join(', ') || `status ${String(response.code)}`}`);
    }
    done += chunk.length;
    progress(`  ${label}: ${count(done)} of ${count(items.length)}`);
  });
}

/** Upserts documents in per-partition batches; upserts make a re-run safe. */
function upsertInBatches<T extends object>(container: Container, docs: readonly T[], partitionOf: (doc: T) => string, label: string, progress: Progress): Promise<void> {
  return writeInBatches(container, docs, partitionOf, (doc, partitionKey) => ({ operationType: 'Upsert', partitionKey, resourceBody: asJson(doc) }), label, progress);
}

function deleteInBatches(container: Container, items: readonly { id: string; partitionKey: string }[], label: string, progress: Progress): Promise<void> {
  return writeInBatches(container, items, (item) => item.partitionKey, (item, partitionKey) => ({ operationType: 'Delete', id: item.id, partitionKey }), label, progress);
}

/**
 * Accounts the file no longer has, or has under another tree, are deleted from where they were
 * (their audit entries stay, as history), and so are the locators of accounts gone altogether:
 * a running instance that still remembers the old tree reads nothing there and asks the locator
 * again. Done after the new documents are written, so no account is ever missing meanwhile.
 */
async function removeAccountsNotInFile(containers: CosmosContainers, docs: DirectoryDocuments, previousRoots: readonly string[], progress: Progress): Promise<void> {
  const rootOf = new Map(docs.accounts.map((a) => [a.id, a.rootId]));
  const stale: { id: string; partitionKey: string }[] = [];
  for (const rootId of new Set([...previousRoots, ...docs.catalog.rootIds])) {
    const ids = await readPartition<{ id: string }>(containers.accounts, "SELECT c.id FROM c WHERE c.rootId = @root AND c.type = 'account'", rootId, [{ name: '@root', value: rootId }], () => undefined);
    for (const { id } of ids) if (rootOf.get(id) !== rootId) stale.push({ id, partitionKey: rootId });
  }
  const locators = await readPartition<{ id: string; accountId: string }>(
    containers.lookups,
    "SELECT c.id, c.accountId FROM c WHERE c.pk = @pk AND c.type = 'locator'",
    LOCATOR_PARTITION,
    [{ name: '@pk', value: LOCATOR_PARTITION }],
    () => undefined,
  );
  const goneLocators = locators.filter((l) => !rootOf.has(l.accountId)).map((l) => ({ id: l.id, partitionKey: LOCATOR_PARTITION }));
  if (stale.length > 0) await deleteInBatches(containers.accounts, stale, 'accounts no longer in the file (or moved to another tree), removed', progress);
  if (goneLocators.length > 0) await deleteInBatches(containers.lookups, goneLocators, 'locators of removed accounts, removed', progress);
}

/**
 * Makes the database hold the directory of a validated file. Documents are upserted, so a re-run
 * (after a failure, or with a corrected file) is safe; what the file no longer has is removed
 * afterwards (accounts deleted, admins marked removed). The catalogue is written last: before the
 * first import completes the app reports the directory as not imported rather than serving half
 * of it. Subscriptions and versions are the file's: export first to keep changes made since.
 */
export async function importDirectory(containers: CosmosContainers, doc: DirectoryDocument, progress: Progress): Promise<void> {
  const docs = buildDocuments(doc);
  const previous = await transfer.retrying((signal) => pointRead<CatalogDoc>(containers.lookups, CATALOG_ID, CATALOG_ID, signal));
  progress(`Importing ${count(docs.accounts.length)} accounts, ${count(docs.admins.length)} admins, ${count(docs.audit.length)} audit entries, ${count(doc.offers.length)} offers`);
  await upsertInBatches(containers.accounts, docs.accounts, (d) => d.rootId, 'accounts', progress);
  await upsertInBatches(containers.accounts, docs.audit, (d) => d.rootId, 'audit entries', progress);
  await upsertInBatches(containers.lookups, docs.locators, (d) => d.pk, 'account locators', progress);
  await upsertInBatches(containers.lookups, docs.admins, (d) => d.pk, 'admins', progress);
  await markRemovedAdmins(containers, new Set(docs.admins.map((a) => a.id)), progress);
  await removeAccountsNotInFile(containers, docs, previous?.rootIds ?? [], progress);
  await transfer.retrying((signal) => containers.lookups.items.upsert(docs.catalog, { abortSignal: signal }));
  progress('Import complete.');
}

/**
 * Admins the file no longer has lose their access: their documents are marked removed rather
 * than deleted, so that running instances, which refresh the roster by what changed, hear of it.
 */
async function markRemovedAdmins(containers: CosmosContainers, kept: ReadonlySet<string>, progress: Progress): Promise<void> {
  const existing = await readPartition<AdminDoc>(containers.lookups, "SELECT * FROM c WHERE c.pk = @pk AND c.type = 'admin'", ADMIN_PARTITION, [{ name: '@pk', value: ADMIN_PARTITION }], () => undefined);
  const gone = existing.filter((doc) => !kept.has(doc.id) && !doc.removed).map((doc): AdminDoc => ({ ...withoutSystemProperties(doc), removed: true }));
  if (gone.length === 0) return;
  await upsertInBatches(containers.lookups, gone, (d) => d.pk, 'admins no longer in the file, access removed', progress);
}

/** Reads a whole partition page by page (continuation tokens), reporting as it goes. */
async function readPartition<T>(container: Container, sql: string, partitionKey: string, parameters: { name: string; value: string }[], onPage: (n: number) => void): Promise<T[]> {
  const iterator = container.items.query<T>({ query: sql, parameters }, { partitionKey, maxItemCount: 1000 });
  const all: T[] = [];
  while (iterator.hasMoreResults()) {
    const page = await transfer.retrying(() => iterator.fetchNext());
    all.push(...page.resources);
    onPage(all.length);
  }
  return all;
}

/** Audit entries in applied order: imported ones in file order, then each account's own in version order, interleaved by time. */
function auditInAppliedOrder(docs: readonly AuditDoc[]): AuditEntry[] {
  const imported = docs.filter((d) => d.ordinal !== undefined).sort((a, b) => a.ordinal! - b.ordinal!);
  const byAccount = new Map<string, AuditDoc[]>();
  for (const d of docs.filter((x) => x.ordinal === undefined)) {
    const list = byAccount.get(d.accountId);
    if (list) list.push(d);
    else byAccount.set(d.accountId, [d]);
  }
  const queues = [...byAccount.values()].map((list) => list.sort((a, b) => (a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0)));
  const applied: AuditDoc[] = [];
  for (;;) {
    let best: AuditDoc[] | undefined;
    for (const q of queues) if (q.length > 0 && (!best || q[0]!.entry.at < best[0]!.entry.at)) best = q;
    if (!best) break;
    applied.push(best.shift()!);
  }
  return [...imported, ...applied].map((d) => d.entry);
}


/**
 * Reads the directory back into the directory file format, in the order it was imported, with
 * every change applied since. Accounts and audit entries are read tree by tree, admins from
 * their partition: partition-scoped queries, paged with continuation tokens.
 */
export async function exportDirectory(containers: CosmosContainers, progress: Progress): Promise<DirectoryDocument> {
  const catalog = await transfer.retrying((signal) => pointRead<CatalogDoc>(containers.lookups, CATALOG_ID, CATALOG_ID, signal));
  if (!catalog) throw new Error('Nothing to export: no directory has been imported into this database.');
  const accounts: AccountDoc[] = [];
  const audit: AuditDoc[] = [];
  for (const rootId of catalog.rootIds) {
    const docs = await readPartition<AccountDoc | AuditDoc>(containers.accounts, 'SELECT * FROM c WHERE c.rootId = @root', rootId, [{ name: '@root', value: rootId }], (n) =>
      progress(`  tree ${rootId}: ${count(n)} documents`),
    );
    for (const d of docs) {
      if (d.type === 'account') accounts.push(d);
      else if (d.type === 'audit') audit.push(d);
    }
  }
  const admins = (
    await readPartition<AdminDoc>(containers.lookups, "SELECT * FROM c WHERE c.pk = @pk AND c.type = 'admin'", ADMIN_PARTITION, [{ name: '@pk', value: ADMIN_PARTITION }], (n) => progress(`  admins: ${count(n)}`))
  ).filter((a) => !a.removed);
  accounts.sort((a, b) => a.ordinal - b.ordinal || (a.id < b.id ? -1 : 1));
  admins.sort((a, b) => a.ordinal - b.ordinal || (a.id < b.id ? -1 : 1));
  progress(`Exported ${count(accounts.length)} accounts, ${count(admins.length)} admins, ${count(audit.length)} audit entries.`);
  return { offers: catalog.offers, accounts: accounts.map(accountRecordOf), admins: admins.map((a) => a.admin), audit: auditInAppliedOrder(audit) };
}
