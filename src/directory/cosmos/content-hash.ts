import { createHash } from 'node:crypto';

/**
 * The import stamps each document it writes with a hash of its content, so that the next import
 * can tell, from a scan of ids and hashes alone, which documents already hold what the file
 * wants. Anything else that rewrites a document drops the stamp (withoutSystemProperties), so
 * a document changed since the import is never mistaken for an unchanged one.
 */
export const IMPORT_HASH_FIELD = 'importHash';

/** Marks a document the import retired (an admin the file no longer has): already done, not redone. */
export const RETIRED_PREFIX = 'retired:';

/** Rebuilds each object with its keys sorted: equal content gives equal JSON, whatever the key order. */
function sortedKeys(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) sorted[key] = (value as Record<string, unknown>)[key];
  return sorted;
}

export function contentHash(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value, sortedKeys), 'utf8').digest('base64url');
}

/** The document as the import writes it: its content, and the hash of that content. */
export function stamped<T extends object>(doc: T): T & { importHash: string } {
  const { [IMPORT_HASH_FIELD]: _previous, ...content } = doc as T & { importHash?: string };
  return { ...(content as T), importHash: contentHash(content) };
}
