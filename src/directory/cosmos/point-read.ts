import type { Container, ItemDefinition } from '@azure/cosmos';

/** One point read (about 1 RU for a 1 KB item): the item, or undefined when it does not exist. */
export async function pointRead<T extends ItemDefinition>(container: Container, id: string, partitionKey: string, signal: AbortSignal): Promise<T | undefined> {
  const { resource, statusCode } = await container.item(id, partitionKey).read<T>({ abortSignal: signal });
  return statusCode === 404 ? undefined : resource;
}

/**
 * Runs a query scoped to one logical partition to the end. The query text must filter on the
 * partition key property too: the stand-in used in tests ignores the partitionKey option, and in
 * Azure the filter keeps the query plan single-partition even if the option were dropped.
 */
export async function queryPartition<T>(
  container: Container,
  partitionKey: string,
  query: string,
  parameters: Record<string, string | number>,
  signal: AbortSignal,
  pageHint = 100,
): Promise<T[]> {
  const spec = { query, parameters: Object.entries(parameters).map(([name, value]) => ({ name, value })) };
  const { resources } = await container.items
    .query<T>(spec, { partitionKey, maxItemCount: pageHint, abortSignal: signal })
    .fetchAll();
  return resources;
}
