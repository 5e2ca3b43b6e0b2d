import { FieldProblem, withinField } from '../../../../../src/core/mesos/codec/fieldProblem';
import type { FieldSpec, MessageSpec } from '../../../../../src/core/mesos/codec/wireSpec';

/**
 * The reference the compiled protobuf decoder (src/core/mesos/codec/compileWireDecoder.ts) is held to:
 * protobufjs decodes (reflection, from the .proto files), then this toObject-style conversion.
 *
 * Turns a message decoded by protobufjs into the codec's plain object, the shape
 * Mesos's JSON has for the same message: enums by name, bytes as Base64, 64-bit integers as a number
 * when safe and a decimal string otherwise, empty repeated fields left out, and unset fields with an
 * explicit default filled in (Mesos's JSON writer emits those, so the two decoders agree).
 */
export function plainFromWireMessage(message: object, spec: MessageSpec): Record<string, unknown> {
  const source = message as Record<string, unknown>;
  const plain: Record<string, unknown> = {};
  for (const field of spec.fields) {
    // The static module keeps unset fields' zero values on the prototype: only own ones were on the wire.
    if (!Object.prototype.hasOwnProperty.call(source, field.name)) continue;
    const raw = source[field.name];
    if (raw === null || raw === undefined) continue;
    try {
      if (field.rule === 'repeated') {
        const list = raw as unknown[];
        if (list.length > 0) plain[field.name] = list.map((item) => convertSingle(item, field));
      } else if (field.rule === 'map') {
        const map = raw as Record<string, unknown>;
        const keys = Object.keys(map);
        if (keys.length > 0) {
          const converted: Record<string, unknown> = {};
          for (const key of keys) converted[key] = convertSingle(map[key], field);
          plain[field.name] = converted;
        }
      } else {
        plain[field.name] = convertSingle(raw, field);
      }
    } catch (error) {
      throw withinField(error, field.name);
    }
  }
  for (const field of spec.defaultedFields) {
    if (plain[field.name] === undefined) plain[field.name] = field.fallback;
  }
  return plain;
}

interface LongLike {
  toNumber(): number;
  toString(): string;
}

function convertSingle(raw: unknown, field: FieldSpec): unknown {
  switch (field.kind) {
    case 'message':
      return plainFromWireMessage(raw as object, field.message as MessageSpec);
    case 'enum': {
      const name = field.enumSpec?.nameByNumber.get(raw as number);
      // The static decoder already sets unknown values of these closed proto2 enums aside.
      if (name === undefined)
        throw new FieldProblem(
          'unknown-enum',
          `${String(raw)} is not a ${field.enumSpec?.fullName ?? 'known enum'} value`,
        );
      return name;
    }
    case 'bytes': {
      const bytes = raw as Uint8Array;
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
    }
    case 'int64':
    case 'uint64':
    case 'sint64':
    case 'fixed64':
    case 'sfixed64': {
      if (typeof raw === 'number') return raw;
      const long = raw as LongLike;
      const value = long.toNumber();
      // Every integer beyond 2^53 rounds to a double beyond it, so this test is exact.
      return Number.isSafeInteger(value) ? value : long.toString();
    }
    default:
      return raw;
  }
}
