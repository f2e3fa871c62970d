import type { Container, OperationInput, OperationResponse } from '@azure/cosmos';
import type { TransferCalls } from './transfer-calls';

/** Progress lines for a person watching an import or export. */
export type Progress = (line: string) => void;

/** One write of an import: an upsert or a delete, in one logical partition. */
export interface PartitionWrite {
  readonly partitionKey: string;
  readonly operation: OperationInput;
}

/** A transactional batch holds at most 100 operations and 2 MB. */
const MAX_BATCH_OPERATIONS = 100;
const MAX_BATCH_BYTES = 1_500_000;
export const PARALLEL_BATCHES = 4;
/** At most this many progress lines per kind of write, however many batches. */
const PROGRESS_LINES = 20;

export const count = (n: number): string => n.toLocaleString('en-GB');

/** Groups writes by partition, in chunks a single transactional batch can take. */
function chunksByPartition(writes: readonly PartitionWrite[]): PartitionWrite[][] {
  const byPartition = new Map<string, PartitionWrite[]>();
  for (const write of writes) {
    const list = byPartition.get(write.partitionKey);
    if (list) list.push(write);
    else byPartition.set(write.partitionKey, [write]);
  }
  const chunks: PartitionWrite[][] = [];
  for (const list of byPartition.values()) {
    let current: PartitionWrite[] = [];
    let bytes = 0;
    for (const write of list) {
      const size = Buffer.byteLength(JSON.stringify(write.operation));
      if (current.length > 0 && (current.length === MAX_BATCH_OPERATIONS || bytes + size > MAX_BATCH_BYTES)) {
        chunks.push(current);
        current = [];
        bytes = 0;
      }
      current.push(write);
      bytes += size;
    }
    if (current.length > 0) chunks.push(current);
  }
  return chunks;
}

/**
 * Runs `work` over `items` with at most `parallel` in flight. After a failure no new item is
 * started, and the first failure is reported once those in flight have settled, so nothing is
 * still writing when the caller (the CLI) gives up and closes its client.
 */
export async function inParallel<T>(items: readonly T[], parallel: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (next < items.length && !failure) {
      try {
        await work(items[next++]!);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, items.length) }, worker));
  if (failure) throw failure.error;
}

const succeeded = (op: OperationResponse, input: OperationInput): boolean =>
  (op.statusCode >= 200 && op.statusCode < 300) ||
  // A delete of something already gone is done: a re-run after an interruption must not stop on it.
  (op.statusCode === 404 && input.operationType === 'Delete');

/**
 * Sends one partition's chunk as a transactional batch, again for the operations that only
 * failed because another one did (424: in Azure a batch is all or nothing). Every operation is
 * an upsert or a delete, so sending one twice is harmless.
 */
async function writeChunk(container: Container, chunk: readonly PartitionWrite[], label: string, calls: TransferCalls): Promise<void> {
  const partitionKey = chunk[0]!.partitionKey;
  let pending = chunk.map((w) => w.operation);
  while (pending.length > 0) {
    const operations = pending;
    const results = await calls.call(`Writing ${label} to partition "${partitionKey}"`, async (signal) => {
      const response = await container.items.batch(operations, partitionKey, { abortSignal: signal });
      if (!response.result) throw Object.assign(new Error(`the batch was refused with status ${String(response.code)}`), { code: response.code });
      return response.result;
    });
    const failed = results.filter((op, i) => !succeeded(op, operations[i]!) && op.statusCode !== 424);
    if (failed.length > 0) throw new Error(`Writing ${label} to partition "${partitionKey}" failed: ${failed.map((op) => op.statusCode).join(', ')}`);
    pending = operations.filter((_, i) => results[i]?.statusCode === 424);
  }
}

/** Writes in per-partition transactional batches, a few at a time, reporting progress now and then. */
export async function writeInBatches(container: Container, writes: readonly PartitionWrite[], label: string, progress: Progress, calls: TransferCalls): Promise<void> {
  if (writes.length === 0) return;
  const every = Math.max(MAX_BATCH_OPERATIONS, Math.ceil(writes.length / PROGRESS_LINES));
  let done = 0;
  let reported = 0;
  await inParallel(chunksByPartition(writes), PARALLEL_BATCHES, async (chunk) => {
    await writeChunk(container, chunk, label, calls);
    done += chunk.length;
    if (done === writes.length || done - reported >= every) {
      reported = done;
      progress(`  ${label}: ${count(done)} of ${count(writes.length)}`);
    }
  });
}
