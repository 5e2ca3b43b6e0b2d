import { asBuffer } from './asBuffer';
import { MesosDecodeError } from './mesosDecodeError';

/**
 * JSON text as Mesos writes it, read without losing anything:
 *
 * - Integers beyond 2^53 (TimeInfo.nanoseconds is about 1.7e18) would be rounded by JSON.parse. So
 *   the number after every `"nanoseconds":` key can be wrapped in quotes before parsing, which makes
 *   JSON.parse hand it over as an exact string; that is exact, because inside a JSON string every
 *   quote is escaped, so the pattern only ever matches a real key. The codec does this for bodies
 *   that usually carry timestamps and otherwise parses plainly; if a 64-bit field then holds a rounded
 *   number (another field, or unusual spacing), it parses again with the exact scanner below.
 * - Mesos writes non-finite doubles as the bare tokens Infinity and NaN, which JSON.parse rejects;
 *   after such a failure the exact scanner quotes them ("Infinity" is what Mesos reads back).
 *
 * We quote tokens and keep the native parser instead of using a JavaScript JSON parser (such as the
 * lossless-json package) because a state with thousands of agents carries a nanosecond timestamp in
 * every agent and framework, so the lossless path is the common one for operator calls, and the native
 * parser is several times faster than any parser written in JavaScript; lossless-json would also still
 * reject Infinity and NaN.
 */

/** How to keep integer literals beyond 2^53 exact before JSON.parse sees them. */
export type LongIntegerQuoting = 'none' | 'nanoseconds' | 'exact';

const NON_FINITE = /Infinity|NaN/;
const NANOSECONDS_KEY = '"nanoseconds":';
// Sixteen digits may exceed 2^53 (9007199254740991 has sixteen).
const LONG_LITERAL_DIGITS = 16;
const EXACT_UNSAFE_TOKEN = /^(?:-?\d{16,}|-?Infinity|NaN)$/;

/** The text of a JSON body: UTF-8 (invalid sequences become U+FFFD), without a byte order mark. */
export function jsonTextOf(bytes: Uint8Array): string {
  const text = asBuffer(bytes).toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Parses a JSON body into plain JSON values; throws MesosDecodeError for anything that is not JSON. */
export function parseMesosJson(text: string, messageType: string, quoting: LongIntegerQuoting): unknown {
  try {
    if (quoting === 'exact') return JSON.parse(quoteUnsafeTokensExactly(text));
    return JSON.parse(quoting === 'nanoseconds' ? quoteNanoseconds(text) : text);
  } catch {
    // Handled below: a bare Infinity or NaN, or not JSON at all.
  }
  if (quoting !== 'exact' && NON_FINITE.test(text)) {
    try {
      return JSON.parse(quoteUnsafeTokensExactly(text));
    } catch {
      // Not JSON: explained below from the original text.
    }
  }
  throw notJson(text, messageType);
}

function quoteNanoseconds(text: string): string {
  let at = text.indexOf(NANOSECONDS_KEY);
  if (at < 0) return text;
  const parts: string[] = [];
  let copiedUpTo = 0;
  while (at >= 0) {
    const start = at + NANOSECONDS_KEY.length;
    let end = text.charCodeAt(start) === 0x2d ? start + 1 : start;
    while (end < text.length && isDigit(text.charCodeAt(end))) end++;
    if (end - start >= LONG_LITERAL_DIGITS) {
      parts.push(text.slice(copiedUpTo, start), '"', text.slice(start, end), '"');
      copiedUpTo = end;
    }
    at = text.indexOf(NANOSECONDS_KEY, end);
  }
  parts.push(text.slice(copiedUpTo));
  return parts.join('');
}

const isDigit = (code: number): boolean => code >= 0x30 && code <= 0x39;

/** The JSON text of an encodable object (see encodableFromPlain.ts), as UTF-8 bytes. */
export function stringifyMesosJson(value: unknown): Uint8Array {
  return Buffer.from(JSON.stringify(value), 'utf8');
}

function isTokenChar(code: number): boolean {
  return (
    (code >= 0x30 && code <= 0x39) || // 0-9
    (code >= 0x41 && code <= 0x5a) || // A-Z
    (code >= 0x61 && code <= 0x7a) || // a-z
    code === 0x2d || // -
    code === 0x2b || // +
    code === 0x2e // .
  );
}

// Walks the text once, skipping strings, and quotes every long integer or non-finite token outside them.
// A loop in JavaScript: several times slower than the patterns above, so only used when they fall short.
function quoteUnsafeTokensExactly(text: string): string {
  const parts: string[] = [];
  let copiedUpTo = 0;
  let i = 0;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (code === 0x22) {
      i++;
      while (i < text.length) {
        const inner = text.charCodeAt(i);
        if (inner === 0x5c) i += 2;
        else if (inner === 0x22) break;
        else i++;
      }
      i++;
      continue;
    }
    if (isTokenChar(code)) {
      let end = i + 1;
      while (end < text.length && isTokenChar(text.charCodeAt(end))) end++;
      const token = text.slice(i, end);
      if (EXACT_UNSAFE_TOKEN.test(token)) {
        parts.push(text.slice(copiedUpTo, i), '"', token, '"');
        copiedUpTo = end;
      }
      i = end;
      continue;
    }
    i++;
  }
  parts.push(text.slice(copiedUpTo));
  return parts.join('');
}

function preview(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return JSON.stringify(line.length > 160 ? `${line.slice(0, 160)}…` : line);
}

function notJson(text: string, messageType: string): MesosDecodeError {
  const trimmed = text.trimStart();
  if (trimmed === '') {
    return new MesosDecodeError({
      kind: 'empty',
      reason: 'the body is empty',
      nextStep: 'Check that the request reached a Mesos master or agent and that the call returns a body.',
      encoding: 'json',
      messageType,
    });
  }
  if (trimmed.startsWith('<')) {
    const title = /<title[^>]*>([^<]*)<\/title>/i.exec(trimmed)?.[1]?.trim();
    return new MesosDecodeError({
      kind: 'html',
      reason: `the body is an HTML page, probably from a proxy or login page${title ? ` (titled ${JSON.stringify(title)})` : ''}`,
      nextStep: 'Check the master or agent URL, and any proxy or single sign-on in front of Mesos.',
      encoding: 'json',
      messageType,
    });
  }
  let cause: unknown;
  try {
    JSON.parse(text);
  } catch (error) {
    cause = error;
  }
  const syntax = cause instanceof Error ? `: ${cause.message}` : '';
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) {
    return new MesosDecodeError({
      kind: 'not-json',
      reason: `the body is plain text, not JSON, probably an error message from Mesos: ${preview(text)}`,
      nextStep: 'Read the message: Mesos answers a request it rejects in text/plain.',
      encoding: 'json',
      messageType,
      cause,
    });
  }
  return new MesosDecodeError({
    kind: 'not-json',
    reason: `the body is not valid JSON${syntax} (it starts ${preview(text)})`,
    nextStep: 'The response may have been cut short; retry, and if it persists check what sits between us and Mesos.',
    encoding: 'json',
    messageType,
    cause,
  });
}
