/**
 * The one way Switchboard writes a count or a quantity for a person: digits grouped in threes
 * with a comma ("3,202"), as the money format (en-GB) groups them, on every card and message.
 */
const COUNT = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0, useGrouping: true });

export function formatCount(n: number): string {
  // Most counts on a card are below a thousand, where the grouped form is the plain digits:
  // String() gives the same text without Intl's cost (about 1.5% of a page of children's CPU).
  if (Number.isInteger(n) && n > -1000 && n < 1000 && !Object.is(n, -0)) return String(n);
  return COUNT.format(n);
}

/**
 * `text` cut to at most `max` characters with an ellipsis, for the few places a client clips
 * without one (button titles, picker choices). Cut at a space when one is near the end, so a word
 * is not split; never inside a surrogate pair.
 */
export function shorten(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  const head = chars.slice(0, Math.max(1, max - 1)).join('');
  const space = head.lastIndexOf(' ');
  const cut = space >= head.length - 8 && space > 0 ? head.slice(0, space) : head;
  return `${cut.trimEnd()}…`;
}
