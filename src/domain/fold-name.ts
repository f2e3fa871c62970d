/** Case- and accent-insensitive form of a name or query, used for matching and sorting. */
export function foldName(text: string): string {
  return text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/\s+/g, ' ').trim();
}
