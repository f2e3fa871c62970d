import { createHash } from 'node:crypto';
import { InvalidActionError } from '../../domain/errors';

/**
 * Page tokens of a children list, paged by keyset: a page starts after (or ends before) a child's
 * sort key, so no page costs more than its own rows (the service has no OFFSET, and OFFSET would
 * charge for every skipped row anyway). The token also carries the list it belongs to and the
 * page's position for the "21-40 of 312" line.
 *
 * Tokens travel through card data, which the client can forge. The checksum only catches edited
 * or truncated tokens; it is not a secret, and it need not be: a token can only move within the
 * children of a parent the navigator has already authorized.
 */
export type PageCursor =
  | { readonly parentId: string; readonly offset: 0 }
  | { readonly parentId: string; readonly offset: number; readonly after: string }
  | { readonly parentId: string; readonly offset: number; readonly before: string };

interface Wire {
  readonly p: string;
  readonly o: number;
  readonly a?: string;
  readonly b?: string;
}

const MAX_TOKEN_LENGTH = 2048;

function checksum(payload: string): string {
  return createHash('sha256').update(payload).digest('base64url').slice(0, 12);
}

export function encodePageToken(cursor: PageCursor): string {
  const wire: Wire = {
    p: cursor.parentId,
    o: cursor.offset,
    ...('after' in cursor ? { a: cursor.after } : {}),
    ...('before' in cursor ? { b: cursor.before } : {}),
  };
  const payload = Buffer.from(JSON.stringify(wire), 'utf8').toString('base64url');
  return `${payload}.${checksum(payload)}`;
}

/** Refuses a token: edited, from another list, or pointing past the end of this one. */
export function pageGone(): never {
  throw new InvalidActionError('That page of the list no longer exists. Open the list again.');
}
const refuse = pageGone;

/**
 * Decodes a token for the children of `parentId`; refuses anything else. Whether its offset is
 * still inside the list is for the caller to say, which knows how fresh its count is.
 */
export function decodePageToken(token: string, parentId: string): PageCursor {
  if (token.length > MAX_TOKEN_LENGTH) return refuse();
  const [payload, sum, extra] = token.split('.');
  if (!payload || !sum || extra !== undefined || checksum(payload) !== sum) return refuse();
  let wire: Partial<Wire>;
  try {
    wire = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Partial<Wire>;
  } catch {
    return refuse();
  }
  const { p, o, a, b } = wire;
  if (p !== parentId || typeof o !== 'number' || !Number.isSafeInteger(o) || o < 0) return refuse();
  if (o === 0 && a === undefined && b === undefined) return { parentId, offset: 0 };
  if (o > 0 && typeof a === 'string' && b === undefined) return { parentId, offset: o, after: a };
  if (o > 0 && typeof b === 'string' && a === undefined) return { parentId, offset: o, before: b };
  return refuse();
}
