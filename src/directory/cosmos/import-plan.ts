import { count, inParallel, PARALLEL_BATCHES, writeInBatches, type PartitionWrite, type Progress } from './batch-writer';
import { contentHash, RETIRED_PREFIX, stamped } from './content-hash';
import type { CosmosContainers } from './containers';
import { asJson, withoutSystemProperties, type CatalogDoc } from './documents';
import { partitionKeyOf, partitionProperty, type ImportedDoc, type ImportedKind } from './imported-kinds';
import { PROJECTED_PAGE_ITEMS, scanPartition } from './partition-scan';
import { stableOrdinals } from './stable-ordinals';
import { pointRead } from './point-read';
import type { TransferCalls } from './transfer-calls';

/** What a scan keeps of each document the database holds: no content, just enough to compare. */
interface HeldRow {
  readonly id: string;
  readonly type: string;
  readonly importHash?: string;
  readonly ordinal?: number;
}

interface KindPlan {
  readonly kind: ImportedKind;
  /** Stamped documents that differ from what is held, or are not held at all. */
  readonly writes: readonly ImportedDoc[];
  readonly deletes: readonly { readonly id: string; readonly partitionKey: string }[];
  readonly retires: readonly { readonly id: string; readonly partitionKey: string }[];
}

export interface ImportPlan {
  readonly kinds: readonly KindPlan[];
  readonly unchanged: number;
  /** Every wanted document's content hash, in one: what a completed import leaves in the catalogue. */
  readonly fingerprint: string;
}

export interface ImportSummary {
  readonly written: number;
  readonly deleted: number;
  readonly retired: number;
  readonly unchanged: number;
  readonly catalogWritten: boolean;
}

const keyOf = (partitionKey: string, id: string): string => `${partitionKey}\u0000${id}`;

/**
 * Compares what the file wants with what the database holds, container by container and
 * partition by partition. Each partition is read with a projection of id, type and hash only,
 * paged, a few partitions at a time: bounded requests, whatever the directory's size.
 */
export async function planImport(containers: CosmosContainers, kinds: readonly ImportedKind[], calls: TransferCalls, progress: Progress): Promise<ImportPlan> {
  const held = new Map<ImportedKind['container'], Map<string, HeldRow>>();
  for (const container of new Set(kinds.map((k) => k.container))) {
    const here = kinds.filter((k) => k.container === container);
    const partitions = new Set(here.flatMap((k) => [...k.alsoIn, ...k.docs.map((d) => partitionKeyOf(container, d))]));
    const rows = new Map<string, HeldRow>();
    const property = partitionProperty(container);
    const query = {
      query: `SELECT c.id, c.type, c.importHash, c.ordinal FROM c WHERE c.${property} = @pk AND ARRAY_CONTAINS(@types, c.type)`,
      parameters: [{ name: '@types', value: here.map((k) => k.type) }],
    };
    await inParallel([...partitions], PARALLEL_BATCHES, (partitionKey) =>
      scanPartition<HeldRow>(containers[container], { ...query, parameters: [...query.parameters, { name: '@pk', value: partitionKey }] }, partitionKey, `what ${container} partition "${partitionKey}" holds`, calls, (page) => {
        for (const row of page) rows.set(keyOf(partitionKey, row.id), row);
      }, PROJECTED_PAGE_ITEMS),
    );
    progress(`  ${container}: ${count(rows.size)} documents held in ${count(partitions.size)} partitions`);
    held.set(container, rows);
  }

  const fingerprintLines: string[] = [];
  let unchanged = 0;
  const plans = kinds.map((kind): KindPlan => {
    const rows = held.get(kind.container)!;
    const wanted = new Set<string>();
    const writes: ImportedDoc[] = [];
    const keys = kind.docs.map((doc) => keyOf(partitionKeyOf(kind.container, doc), doc.id));
    const ordinals = kind.ordered ? stableOrdinals(keys.map((key) => rows.get(key)?.ordinal)) : undefined;
    for (const [i, doc] of kind.docs.entries()) {
      const key = keys[i]!;
      const stampedDoc = stamped(ordinals ? { ...doc, ordinal: ordinals[i] } : doc);
      wanted.add(key);
      fingerprintLines.push(`${kind.container}\u0000${key}\u0000${stampedDoc.importHash}`);
      if (rows.get(key)?.importHash === stampedDoc.importHash) unchanged++;
      else writes.push(stampedDoc);
    }
    const deletes: { id: string; partitionKey: string }[] = [];
    const retires: { id: string; partitionKey: string }[] = [];
    for (const [key, row] of rows) {
      if (row.type !== kind.type || wanted.has(key)) continue;
      const partitionKey = key.slice(0, key.indexOf('\u0000'));
      if (kind.obsolete === 'delete') deletes.push({ id: row.id, partitionKey });
      else if (kind.obsolete !== 'keep' && !row.importHash?.startsWith(RETIRED_PREFIX)) retires.push({ id: row.id, partitionKey });
    }
    return { kind, writes, deletes, retires };
  });
  fingerprintLines.sort();
  return { kinds: plans, unchanged, fingerprint: contentHash(fingerprintLines) };
}

/**
 * Writes what the plan found different, then removes what the file no longer has (so no account
 * is ever missing meanwhile), then the catalogue, last: when anything changed, or when it does not
 * yet carry this directory's fingerprint (a previous run stopped before it).
 */
export async function applyImportPlan(
  containers: CosmosContainers,
  plan: ImportPlan,
  catalogs: { readonly catalog: CatalogDoc; readonly previous: CatalogDoc | undefined },
  calls: TransferCalls,
  progress: Progress,
): Promise<ImportSummary> {
  const summary = { written: 0, deleted: 0, retired: 0, unchanged: plan.unchanged };
  const toWrite = plan.kinds.reduce((n, k) => n + k.writes.length, 0);
  const toRemove = plan.kinds.reduce((n, k) => n + k.deletes.length + k.retires.length, 0);
  progress(`  ${count(plan.unchanged)} documents already as the file has them; ${count(toWrite)} to write, ${count(toRemove)} to remove`);

  for (const { kind, writes } of plan.kinds) {
    const upserts = writes.map((doc): PartitionWrite => {
      const partitionKey = partitionKeyOf(kind.container, doc);
      return { partitionKey, operation: { operationType: 'Upsert', partitionKey, resourceBody: asJson(doc) } };
    });
    await writeInBatches(containers[kind.container], upserts, kind.label, progress, calls);
    summary.written += writes.length;
  }
  for (const { kind, retires } of plan.kinds) {
    if (kind.obsolete === 'delete' || kind.obsolete === 'keep' || retires.length === 0) continue;
    const { retire } = kind.obsolete;
    const retired: PartitionWrite[] = [];
    await inParallel(retires, PARALLEL_BATCHES, async ({ id, partitionKey }) => {
      const held = await calls.call(`Reading ${kind.label} "${id}"`, (signal) => pointRead<ImportedDoc>(containers[kind.container], id, partitionKey, signal));
      if (!held) return;
      const next = retire(withoutSystemProperties(held));
      const body = { ...next, importHash: `${RETIRED_PREFIX}${contentHash(next)}` };
      retired.push({ partitionKey, operation: { operationType: 'Upsert', partitionKey, resourceBody: asJson(body) } });
    });
    await writeInBatches(containers[kind.container], retired, `${kind.label} no longer in the file, marked removed`, progress, calls);
    summary.retired += retired.length;
  }
  for (const { kind, deletes } of plan.kinds) {
    const removals = deletes.map(({ id, partitionKey }): PartitionWrite => ({ partitionKey, operation: { operationType: 'Delete', id, partitionKey } }));
    await writeInBatches(containers[kind.container], removals, `${kind.label} no longer in the file (or moved to another tree), removed`, progress, calls);
    summary.deleted += deletes.length;
  }

  const changed = summary.written + summary.deleted + summary.retired > 0;
  const catalog: CatalogDoc = { ...catalogs.catalog, importHash: contentHash([catalogs.catalog, plan.fingerprint]) };
  const catalogWritten = changed || catalogs.previous?.importHash !== catalog.importHash;
  if (catalogWritten) await calls.call('Writing the catalogue', (signal) => containers.lookups.items.upsert(catalog, { abortSignal: signal }));
  progress(
    catalogWritten
      ? `Import complete: ${count(summary.written)} documents written, ${count(summary.deleted)} removed, ${count(summary.retired)} marked removed, ${count(summary.unchanged)} unchanged; catalogue written last.`
      : `Import complete: the database already holds this directory (${count(summary.unchanged)} documents unchanged); nothing written.`,
  );
  return { ...summary, catalogWritten };
}
