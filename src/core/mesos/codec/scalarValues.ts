import { describeValue, FieldProblem } from './fieldProblem';

/**
 * The scalar rules of Mesos's JSON mapping (reference §1.3), shared by every conversion: integers may
 * come as numbers or numeric strings; a 64-bit integer is kept as a number only while it is a safe
 * integer and otherwise as its exact decimal string; doubles accept "Infinity", "-Infinity" and "NaN".
 */

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;
const DECIMAL = /^-?\d+$/;
// Fifteen digits always fit a double exactly (2^53 has sixteen), so shorter strings skip BigInt.
const ALWAYS_SAFE_DIGITS = 15;

export type Int64Kind = 'int64' | 'uint64' | 'sint64' | 'fixed64' | 'sfixed64';
export type Int32Kind = 'int32' | 'uint32' | 'sint32' | 'fixed32' | 'sfixed32';

const isUnsigned = (kind: Int64Kind | Int32Kind): boolean =>
  kind === 'uint64' || kind === 'fixed64' || kind === 'uint32' || kind === 'fixed32';

/**
 * Thrown by int64Value when JSON.parse has already rounded an integer beyond 2^53: the codec then
 * parses the text again with such literals kept as strings (see mesosJsonText.ts).
 */
export class RoundedIntegerSignal extends Error {
  override readonly name = 'RoundedIntegerSignal';
}

/**
 * A 64-bit integer from a JSON number or numeric string, as a number when safe, else a decimal string.
 * A number beyond 2^53 may have been rounded by whoever made it a double: with `rounded` 'signal'
 * (a first parse) that means the text must be read again with long literals kept exact; with 'accept'
 * (a caller's own number, or an exponent literal such as 1e18 that has no more digits to keep) its
 * exact decimal value is used.
 */
export type RoundedIntegers = 'signal' | 'accept';

export function int64Value(raw: unknown, kind: Int64Kind, rounded: RoundedIntegers): number | string {
  if (typeof raw === 'number') {
    if (Number.isSafeInteger(raw)) {
      if (raw < 0 && isUnsigned(kind)) throw outOfRange(raw, kind);
      return raw;
    }
    if (!Number.isInteger(raw)) throw outOfRange(raw, kind);
    if (rounded === 'signal') throw new RoundedIntegerSignal(`a ${kind} beyond 2^53 was read as a double`);
    return int64FromBigInt(BigInt(raw), raw, kind);
  }
  if (typeof raw === 'string' && DECIMAL.test(raw)) {
    const digits = raw.startsWith('-') ? raw.length - 1 : raw.length;
    if (digits <= ALWAYS_SAFE_DIGITS) {
      const value = Number(raw);
      if (value < 0 && isUnsigned(kind)) throw outOfRange(raw, kind);
      return value === 0 ? 0 : value;
    }
    return int64FromBigInt(BigInt(raw), raw, kind);
  }
  throw new FieldProblem(
    'wrong-type',
    `expected an integer (a number or a decimal string) for a ${kind} field, got ${describeValue(raw)}`,
  );
}

function int64FromBigInt(value: bigint, raw: unknown, kind: Int64Kind): number | string {
  const min = isUnsigned(kind) ? 0n : INT64_MIN;
  const max = isUnsigned(kind) ? UINT64_MAX : INT64_MAX;
  if (value < min || value > max) throw outOfRange(raw, kind);
  const asNumber = Number(value);
  return Number.isSafeInteger(asNumber) ? asNumber : value.toString();
}

/** A 32-bit integer from a JSON number or numeric string. */
export function int32Value(raw: unknown, kind: Int32Kind, acceptStrings: boolean): number {
  let value: number;
  if (typeof raw === 'number') value = raw;
  else if (acceptStrings && typeof raw === 'string' && DECIMAL.test(raw)) value = Number(raw);
  else throw new FieldProblem('wrong-type', `expected an integer for a ${kind} field, got ${describeValue(raw)}`);
  const unsigned = isUnsigned(kind);
  const min = unsigned ? 0 : -0x80000000;
  const max = unsigned ? 0xffffffff : 0x7fffffff;
  if (!Number.isInteger(value) || value < min || value > max) throw outOfRange(raw, kind);
  return value;
}

/** A double from a JSON number, or (Mesos's spellings) "Infinity", "-Infinity", "NaN" or a numeric string. */
export function doubleValue(raw: unknown, acceptStrings: boolean): number {
  if (typeof raw === 'number') return raw;
  if (acceptStrings && typeof raw === 'string') {
    if (raw === 'Infinity') return Infinity;
    if (raw === '-Infinity') return -Infinity;
    if (raw === 'NaN') return NaN;
    const value = raw.trim() === '' ? NaN : Number(raw);
    if (!Number.isNaN(value)) return value;
  }
  throw new FieldProblem('wrong-type', `expected a number for a double field, got ${describeValue(raw)}`);
}

// With the length a multiple of four, this is exactly standard padded Base64, and twice as fast to test
// as the pattern that spells the groups out (it runs on every status update's uuid).
const BASE64_ALPHABET = /^[A-Za-z0-9+/]*={0,2}$/;

/** Whether a string is standard, padded Base64. */
export const isBase64 = (value: string): boolean => value.length % 4 === 0 && BASE64_ALPHABET.test(value);

/**
 * Bytes travel as standard, padded Base64 in both directions; anything else would be mangled. The
 * message never quotes the value: bytes fields carry secrets (Secret.Value.data) and payloads.
 */
export function base64Value(raw: unknown): string {
  if (typeof raw !== 'string') {
    const what = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? 'an object' : typeof raw;
    throw new FieldProblem('wrong-type', `expected a Base64 string for a bytes field, got ${what}`);
  }
  if (!isBase64(raw)) {
    throw new FieldProblem(
      'invalid-base64',
      `expected standard padded Base64 for a bytes field, got ${raw.length} characters that are not`,
    );
  }
  return raw;
}

/** A JSON number, as Mesos's JSON writes a double: non-finite values as the strings Mesos reads back. */
export function jsonDouble(value: number): number | string {
  if (Number.isFinite(value)) return value;
  if (Number.isNaN(value)) return 'NaN';
  return value > 0 ? 'Infinity' : '-Infinity';
}

function outOfRange(raw: unknown, kind: Int64Kind | Int32Kind): FieldProblem {
  return new FieldProblem('out-of-range', `${describeValue(raw)} does not fit a ${kind} field`);
}
