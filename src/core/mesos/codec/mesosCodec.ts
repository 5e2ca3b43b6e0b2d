import { encodableFromPlain } from './encodableFromPlain';
import { FieldProblem } from './fieldProblem';
import { MesosDecodeError } from './mesosDecodeError';
import { MesosEncodeError, type MesosEncodeErrorKind } from './mesosEncodeError';
import { compileJsonNormalizer, type JsonNormalizer } from './compileJsonNormalizer';
import { compileWireDecoder, type WireDecoder } from './compileWireDecoder';
import { jsonTextOf, parseMesosJson, stringifyMesosJson } from './mesosJsonText';
import { RoundedIntegerSignal, type RoundedIntegers } from './scalarValues';
import type { WireEncoding } from './wireEncoding';
import { protobufRuntime } from './wireRuntime';
import { messageSpec, type MessageSpec } from './wireSpec';

/** Encodes and decodes one Mesos message type in either wire encoding, as a plain object in Mesos's JSON shape. */
export interface Codec<T> {
  /** The full proto name, e.g. `mesos.v1.scheduler.Call`. */
  readonly messageType: string;
  /** Throws MesosEncodeError when the message is not one Mesos would accept. */
  encode(message: T, encoding: WireEncoding): Uint8Array;
  /** Throws MesosDecodeError when the bytes are not this message. */
  decode(bytes: Uint8Array, encoding: WireEncoding): T;
}

/** The part of a protobufjs static message class the codec uses: decoders are compiled (compileWireDecoder.ts). */
export interface WireMessageClass {
  encode(message: never): { finish(): Uint8Array };
}

/**
 * What kind of envelope a codec handles, which decides how `type` and payloads are checked:
 * - 'scheduler-call': every call but SUBSCRIBE needs framework_id; a type's payload field is required
 *   (except REVIVE and SUPPRESS, where leaving it out means every role).
 * - 'operator-call': a type's payload is required even when empty (Mesos answers 400 to
 *   `{"type":"GET_METRICS"}`), so an absent payload without required fields is sent as `{}`.
 * - 'stream': events and responses from Mesos; a type name or number this build does not know (a newer
 *   Mesos) decodes as 'UNKNOWN' so the caller can skip it, as the reference asks.
 */
export type EnvelopeKind = 'scheduler-call' | 'operator-call' | 'stream';

export interface MesosCodecOptions {
  readonly messageType: string;
  readonly envelope: EnvelopeKind;
  /** Deferred so that loading the codec does not load the static module (see wireRuntime.ts). */
  readonly wireClass: () => WireMessageClass;
  /**
   * Whether bodies usually carry 64-bit integers beyond 2^53 (operator responses: every agent and
   * framework has nanosecond timestamps). Then timestamps are kept exact from the first parse;
   * otherwise the body is parsed again only when one turns up (see mesosJsonText.ts).
   */
  readonly longIntegersExpected?: boolean;
}

const TYPE = 'type';
// A body this large is a state snapshot, which has timestamps: quoting them up front costs a fraction of
// the second parse that finding one afterwards would.
const LARGE_BODY = 64 * 1024;
const NOT_MESOS_NEXT_STEP =
  'The peer does not speak the Mesos v1 API as this extension expects; check that the URL points at a Mesos master or agent (1.x).';
// Calls are decoded by the sandbox master and agent: the fix is on the sending side.
const BAD_CALL_NEXT_STEP =
  "Send the call in Mesos's encoding: in JSON, proto field names (snake_case) and enum names; in protobuf, the v1 schema.";
const PAYLOAD_OPTIONAL_TYPES: ReadonlySet<string> = new Set(['REVIVE', 'SUPPRESS']);

export function createMesosCodec<T>(options: MesosCodecOptions): Codec<T> {
  const { messageType, envelope } = options;
  let spec: MessageSpec | undefined;
  const specOf = (): MessageSpec => (spec ??= messageSpec(messageType));
  let normalizeJson: JsonNormalizer | undefined;
  let decodeWire: WireDecoder | undefined;
  const jsonNormalizer = (): JsonNormalizer => (normalizeJson ??= compileJsonNormalizer(specOf()));
  const wireDecoder = (): WireDecoder => (decodeWire ??= compileWireDecoder(specOf()));

  function encode(message: T, encoding: WireEncoding): Uint8Array {
    const current = specOf();
    let encodable: Record<string, unknown>;
    try {
      encodable = encodableFromPlain(message, current, encoding);
    } catch (error) {
      if (error instanceof FieldProblem) {
        throw new MesosEncodeError({
          kind: error.kind,
          reason: error.reason,
          encoding,
          messageType,
          path: error.path || undefined,
        });
      }
      throw error;
    }
    checkEnvelope(encodable, message as Record<string, unknown>, current, encoding);
    if (encoding === 'json') return stringifyMesosJson(encodable);
    return options
      .wireClass()
      .encode(encodable as never)
      .finish();
  }

  function checkEnvelope(
    encodable: Record<string, unknown>,
    message: Record<string, unknown>,
    current: MessageSpec,
    encoding: WireEncoding,
  ): void {
    const fail = (kind: MesosEncodeErrorKind, reason: string, path?: string): never => {
      throw new MesosEncodeError({ kind, reason, encoding, messageType, path });
    };
    const type = message[TYPE];
    if (typeof type !== 'string') return fail('missing-field', `every ${messageType} needs a type`, TYPE);
    if (envelope === 'stream') return;
    if (envelope === 'scheduler-call' && type !== 'SUBSCRIBE' && encodable.framework_id === undefined) {
      fail(
        'missing-framework-id',
        `a ${type} call needs the top-level framework_id (only SUBSCRIBE may go without)`,
        'framework_id',
      );
    }
    const payload = current.fieldByName.get(type.toLowerCase());
    if (payload === undefined || payload.message === undefined || encodable[payload.name] !== undefined) return;
    if (envelope === 'scheduler-call') {
      if (!PAYLOAD_OPTIONAL_TYPES.has(type))
        fail('missing-payload', `a ${type} call needs its '${payload.name}' payload`, payload.name);
      return;
    }
    if (payload.message.requiredFields.length > 0) {
      const required = payload.message.requiredFields.map((field) => field.name).join(', ');
      fail('missing-payload', `a ${type} call needs its '${payload.name}' payload (with ${required})`, payload.name);
    }
    // An empty message is an empty object in JSON and a zero-length field in protobuf: both say "present".
    encodable[payload.name] = {};
  }

  function decode(bytes: Uint8Array, encoding: WireEncoding): T {
    const current = specOf();
    const plain = encoding === 'json' ? decodeJson(bytes, current) : decodeProtobuf(bytes, current);
    return plain as T;
  }

  function decodeJson(bytes: Uint8Array, current: MessageSpec): Record<string, unknown> {
    const text = jsonTextOf(bytes);
    let plain: Record<string, unknown>;
    try {
      const quoting = options.longIntegersExpected === true || text.length > LARGE_BODY ? 'nanoseconds' : 'none';
      plain = normalizeParsed(parseMesosJson(text, messageType, quoting), current, 'signal');
    } catch (error) {
      if (!(error instanceof RoundedIntegerSignal)) throw error;
      plain = normalizeParsed(parseMesosJson(text, messageType, 'exact'), current, 'accept');
    }
    if (plain[TYPE] === undefined) throw missingType('json');
    return plain;
  }

  function normalizeParsed(value: unknown, current: MessageSpec, rounded: RoundedIntegers): Record<string, unknown> {
    const rawType = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[TYPE] : undefined;
    const typeEnum = current.fieldByName.get(TYPE)?.enumSpec;
    if (typeof rawType === 'string' && typeEnum && !typeEnum.numberByName.has(rawType)) {
      if (envelope === 'stream') (value as Record<string, unknown>)[TYPE] = 'UNKNOWN';
      else throw unknownCallType(JSON.stringify(rawType), typeEnum.fullName, typeEnum.names, 'json');
    }
    try {
      return jsonNormalizer()(value, rounded);
    } catch (error) {
      throw decodeProblem(error, 'json');
    }
  }

  function decodeProtobuf(bytes: Uint8Array, current: MessageSpec): Record<string, unknown> {
    let plain: Record<string, unknown>;
    try {
      plain = wireDecoder()(bytes);
    } catch (error) {
      throw error instanceof FieldProblem ? decodeProblem(error, 'protobuf') : notProtobuf(bytes, error);
    }
    if (plain[TYPE] === undefined) {
      const typeField = current.fieldByName.get(TYPE);
      const number = typeField ? topLevelVarint(bytes, typeField.id) : undefined;
      if (number === undefined) throw missingType('protobuf');
      // The decoder skips an enum number it does not know, as proto2 does, so the type looks absent.
      if (envelope === 'stream') plain[TYPE] = 'UNKNOWN';
      else
        throw unknownCallType(
          String(number),
          typeField?.enumSpec?.fullName ?? TYPE,
          typeField?.enumSpec?.names ?? [],
          'protobuf',
        );
    }
    return plain;
  }

  function decodeProblem(error: unknown, encoding: WireEncoding): unknown {
    if (isStackOverflow(error)) return tooDeep(error, encoding);
    if (!(error instanceof FieldProblem)) return error;
    return new MesosDecodeError({
      kind: error.kind === 'unknown-field' ? 'wrong-type' : error.kind,
      reason: error.reason,
      nextStep: envelope === 'stream' ? NOT_MESOS_NEXT_STEP : BAD_CALL_NEXT_STEP,
      encoding,
      messageType,
      path: error.path || undefined,
      cause: error,
    });
  }

  function missingType(encoding: WireEncoding): MesosDecodeError {
    return new MesosDecodeError({
      kind: 'missing-field',
      reason: `the ${messageType} has no type`,
      nextStep: 'Check that the URL points at the right Mesos API (scheduler, operator or agent).',
      encoding,
      messageType,
      path: TYPE,
    });
  }

  function unknownCallType(
    given: string,
    enumName: string,
    names: readonly string[],
    encoding: WireEncoding,
  ): MesosDecodeError {
    return new MesosDecodeError({
      kind: 'unknown-enum',
      reason: `${given} is not a ${enumName} (expected one of ${names.join(', ')})`,
      nextStep: 'Send one of the call types this Mesos API knows.',
      encoding,
      messageType,
      path: TYPE,
    });
  }

  function tooDeep(error: unknown, encoding: WireEncoding): MesosDecodeError {
    return new MesosDecodeError({
      kind: 'too-deep',
      reason: 'the message is nested deeper than the decoder can follow',
      nextStep: 'No Mesos message nests this deep; check what produced it.',
      encoding,
      messageType,
      cause: error,
    });
  }

  function notProtobuf(bytes: Uint8Array, error: unknown): MesosDecodeError {
    if (isStackOverflow(error)) return tooDeep(error, 'protobuf');
    const detail = error instanceof Error ? error.message : String(error);
    const text = printableText(bytes);
    if (text !== undefined && text.trimStart().startsWith('<')) {
      return new MesosDecodeError({
        kind: 'html',
        reason: 'the body is an HTML page, probably from a proxy or login page',
        nextStep: 'Check the master or agent URL, and any proxy or single sign-on in front of Mesos.',
        encoding: 'protobuf',
        messageType,
        cause: error,
      });
    }
    return new MesosDecodeError({
      kind: 'not-protobuf',
      reason:
        text === undefined
          ? `the bytes are not a valid ${messageType} (${detail})`
          : `the body is text, not protobuf, probably an error message from Mesos: ${JSON.stringify(text.length > 160 ? `${text.slice(0, 160)}…` : text)}`,
      nextStep:
        text === undefined
          ? 'The response may have been cut short or is not from Mesos; retry, and check what sits between us and Mesos.'
          : 'Read the message: Mesos answers a request it rejects in text/plain.',
      encoding: 'protobuf',
      messageType,
      cause: error,
    });
  }

  return { messageType, encode, decode };
}

// The decoders recurse once per nesting level, as protobufjs does; only hostile input nests that deep.
function isStackOverflow(error: unknown): boolean {
  return error instanceof RangeError && /call stack/i.test(error.message);
}

// Text explains a failed protobuf decode better than a wire-type error: the first bytes decide.
function printableText(bytes: Uint8Array): string | undefined {
  const head = bytes.subarray(0, 256);
  if (head.length === 0) return undefined;
  for (const byte of head) {
    if (byte < 0x09 || (byte > 0x0d && byte < 0x20)) return undefined;
  }
  return Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 4096)).toString('utf8').trim();
}

// Finds a top-level varint field without decoding the message, to tell an unknown enum from an absent one.
function topLevelVarint(bytes: Uint8Array, fieldNumber: number): number | undefined {
  try {
    const reader = protobufRuntime().Reader.create(bytes);
    while (reader.pos < reader.len) {
      const tag = reader.uint32();
      if (tag >>> 3 === fieldNumber && (tag & 7) === 0) return reader.int32();
      reader.skipType(tag & 7);
    }
  } catch {
    // Already decoded successfully once; a failure here only means "not found".
  }
  return undefined;
}
