import { createHash } from 'node:crypto';

/**
 * Cosmos DB item ids may not contain '/', '\\', '?' or '#', and are limited to 255 bytes here
 * (the service's historical limit). Keys and references from outside (state keys, admin ids,
 * typed text) are escaped so that distinct inputs always give distinct ids, and hashed when the
 * escaped form is too long.
 */
const MAX_ID_BYTES = 255;

/** '~' is our separator and '%' our escape character, so both are escaped too. */
const UNSAFE = /[%/\\?#~\u0000-\u001f\u007f]/g;

export function escapeIdPart(text: string): string {
  return text.replace(UNSAFE, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0').toUpperCase()}`);
}

/**
 * A safe, injective item id for any string. Escaped ids never contain '~', so the 'h~' prefix of
 * a hashed id cannot collide with one; ids made only of dots would be resolved away in a URL path.
 */
export function itemIdFor(text: string): string {
  const escaped = escapeIdPart(text);
  if (escaped.length > 0 && Buffer.byteLength(escaped) <= MAX_ID_BYTES && !/^\.+$/.test(escaped)) return escaped;
  return `h~${createHash('sha256').update(text, 'utf8').digest('hex')}`;
}

/** Joins id parts with '~' after escaping each, hashing the whole when it grows too long. */
export function compositeId(...parts: string[]): string {
  const id = parts.map(escapeIdPart).join('~');
  if (Buffer.byteLength(id) <= MAX_ID_BYTES) return id;
  return `h~${createHash('sha256').update(parts.join('\u0000'), 'utf8').digest('hex')}`;
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
