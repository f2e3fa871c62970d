import { createHash } from 'node:crypto';

/**
 * A GUID-shaped id that is the same for the same parts however often it is computed: the
 * activity id of a message sent unasked, so a resend after a crash carries the id of the first.
 */
export function stableId(...parts: readonly string[]): string {
  const hex = createHash('sha256').update(JSON.stringify(parts)).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
