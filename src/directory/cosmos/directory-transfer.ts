import type { Container } from '@azure/cosmos';
import type { AuditEntry } from '../../domain/audit';
import { accountRecordOf, type DirectoryDocument } from '../../domain/directory-document';
import { count, type Progress } from './batch-writer';
import { buildDocuments } from './build-documents';
import type { CosmosContainers } from './containers';
import { ADMIN_PARTITION, CATALOG_ID, type AccountDoc, type AdminDoc, type AuditDoc, type CatalogDoc } from './documents';
import { applyImportPlan, planImport, type ImportSummary } from './import-plan';
import { importedKinds } from './imported-kinds';
import { scanPartition } from './partition-scan';
import { pointRead } from './point-read';
import { TransferCalls } from './transfer-calls';

export type { Progress } from './batch-writer';
export type { ImportSummary } from './import-plan';

export interface TransferOptions {
  /** Deadlines and retries of each request (the CLI's --request-timeout-ms and --retries). */
  readonly calls?: TransferCalls;
}

/**
 * Makes the database hold the directory of a validated file, writing only what differs. Every
 * document the file wants is compared, by the content hash stamped on it when it was written,
 * with what the database holds (a paged scan of ids and hashes, partition by partition); equal
 * ones are skipped, the rest upserted, and what the file no longer has is then removed (accounts
 * and locators deleted, admins marked removed so running instances hear of it; audit entries stay
 * as history). So an interrupted import, run again with the same file, carries on where it was,
 * and a re-import of an unchanged file writes nothing. The catalogue is written last, and only
 * when something changed or a previous run did not get that far: before the first import
 * completes the app reports the directory as not imported rather than serving half of it, and
 * running instances take a new catalogue as "an import completed". Subscriptions and versions are
 * the file's: export first to keep changes made since.
 */
export async function importDirectory(containers: CosmosContainers, doc: DirectoryDocument, progress: Progress, options: TransferOptions = {}): Promise<ImportSummary> {
  const calls = options.calls ?? new TransferCalls();
  const docs = buildDocuments(doc);
  const previous = await calls.call('Reading the catalogue', (signal) => pointRead<CatalogDoc>(containers.lookups, CATALOG_ID, CATALOG_ID, signal));
  progress(`Importing ${count(docs.accounts.length)} accounts, ${count(docs.admins.length)} admins, ${count(docs.audit.length)} audit entries, ${count(doc.offers.length)} offers`);
  const plan = await planImport(containers, importedKinds(docs, previous), calls, progress);
  return applyImportPlan(containers, plan, { catalog: docs.catalog, previous }, calls, progress);
}

/** Reads a whole partition page by page (continuation tokens), reporting as it goes. */
async function readPartition<T>(container: Container, sql: string, partitionKey: string, parameters: { name: string; value: string }[], calls: TransferCalls, onPage: (n: number) => void): Promise<T[]> {
  const all: T[] = [];
  await scanPartition<T>(container, { query: sql, parameters }, partitionKey, `partition "${partitionKey}"`, calls, (rows) => {
    all.push(...rows);
    onPage(all.length);
  });
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
export async function exportDirectory(containers: CosmosContainers, progress: Progress, options: TransferOptions = {}): Promise<DirectoryDocument> {
  const calls = options.calls ?? new TransferCalls();
  const catalog = await calls.call('Reading the catalogue', (signal) => pointRead<CatalogDoc>(containers.lookups, CATALOG_ID, CATALOG_ID, signal));
  if (!catalog) throw new Error('Nothing to export: no directory has been imported into this database.');
  const accounts: AccountDoc[] = [];
  const audit: AuditDoc[] = [];
  for (const rootId of catalog.rootIds) {
    const docs = await readPartition<AccountDoc | AuditDoc>(containers.accounts, "SELECT * FROM c WHERE c.rootId = @root AND (c.type = 'account' OR c.type = 'audit')", rootId, [{ name: '@root', value: rootId }], calls, (n) =>
      progress(`  tree ${rootId}: ${count(n)} documents`),
    );
    for (const d of docs) {
      if (d.type === 'account') accounts.push(d);
      else if (d.type === 'audit') audit.push(d);
    }
  }
  const admins = (
    await readPartition<AdminDoc>(containers.lookups, "SELECT * FROM c WHERE c.pk = @pk AND c.type = 'admin'", ADMIN_PARTITION, [{ name: '@pk', value: ADMIN_PARTITION }], calls, (n) => progress(`  admins: ${count(n)}`))
  ).filter((a) => !a.removed);
  accounts.sort((a, b) => a.ordinal - b.ordinal || (a.id < b.id ? -1 : 1));
  admins.sort((a, b) => a.ordinal - b.ordinal || (a.id < b.id ? -1 : 1));
  progress(`Exported ${count(accounts.length)} accounts, ${count(admins.length)} admins, ${count(audit.length)} audit entries.`);
  return { offers: catalog.offers, accounts: accounts.map(accountRecordOf), admins: admins.map((a) => a.admin), audit: auditInAppliedOrder(audit) };
}
