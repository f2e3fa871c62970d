import { createHash } from 'node:crypto';

/**
 * Cosmos DB item ids may not contain '/', '\\', '?' or '#', are limited to 255 characters here
 * (the service's historical limit), and travel unencoded in the request path, where '%' or a space
 * would be decoded or trimmed on the way. Keys and references from outside (state keys, admin
 * ids, action ids) are therefore escaped to a conservative alphabet, so that distinct inputs
 * always give distinct ids, and hashed when the escaped form is too long.
 */
const MAX_ID_LENGTH = 255;

/** Characters kept as they are; everything else (including our '*' escape and '~' separator) is escaped. */
const UNSAFE = /[^A-Za-z0-9._:@=,;!()-]/g;

export function escapeIdPart(text: string): string {
  return text.replace(UNSAFE, (c) => `*${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * A safe, injective item id for any string. Escaped ids never contain '~', so the 'h~' prefix of
 * a hashed id cannot collide with one; ids made only of dots would be resolved away in a URL path.
 */
export function itemIdFor(text: string): string {
  const escaped = escapeIdPart(text);
  if (escaped.length > 0 && escaped.length <= MAX_ID_LENGTH && !/^\.+$/.test(escaped)) return escaped;
  return `h~${createHash('sha256').update(text, 'utf8').digest('hex')}`;
}

/** Joins id parts with '~' after escaping each, hashing the whole when it grows too long. */
export function compositeId(...parts: string[]): string {
  const id = parts.map(escapeIdPart).join('~');
  if (id.length <= MAX_ID_LENGTH) return id;
  return `h~${createHash('sha256').update(id, 'utf8').digest('hex')}`;
}

/**
 * Account ids as the directory file allows them (mirrors schema/directory.schema.json; a test
 * checks they agree). Anything else cannot be an account, so it is not looked up at all: typed
 * text such as "open Wingtip IT Services" costs no request.
 */
export const ACCOUNT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

export function isAccountId(text: string): boolean {
  return ACCOUNT_ID_PATTERN.test(text);
}
