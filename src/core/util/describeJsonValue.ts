/**
 * A JSON value as an error message names what was found instead: its kind, and a number, boolean or the
 * start of a string itself (a long string is cut, so a stray HTML page does not fill the message).
 */
export function describeJsonValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string')
    return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `${typeof value} ${String(value)}`;
}
