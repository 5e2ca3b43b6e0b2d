import type { WireEncoding } from './wireEncoding';
import { describeValue, FieldProblem, withinField } from './fieldProblem';
import { base64Value, int32Value, int64Value, jsonDouble } from './scalarValues';
import type { FieldSpec, MessageSpec } from './wireSpec';

/**
 * Checks a plain object a caller wants to send and copies it into what the chosen encoder needs:
 * for JSON, the same shape with non-finite doubles spelled as Mesos reads them ("Infinity"); for
 * protobuf, enums as numbers and fields holding their explicit default left out (a proto2 reader gets
 * the same value back from the default, and the bytes match what Mesos's own clients send).
 *
 * Strict where decoding is lenient: an unknown key (typically a camelCase name, which Mesos would
 * silently ignore and then fail with "Missing required fields") is an error here, as is a value of
 * the wrong type. The caller's object is never modified. Throws FieldProblem.
 */
export function encodableFromPlain(value: unknown, spec: MessageSpec, encoding: WireEncoding): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new FieldProblem('wrong-type', `expected an object for ${spec.fullName}, got ${describeValue(value)}`);
  }
  const source = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(source)) {
    const raw = source[key];
    if (raw === undefined || raw === null) continue;
    const field = spec.fieldByName.get(key);
    if (field === undefined) throw unknownField(key, spec);
    let converted: unknown;
    try {
      converted = convertField(raw, field, encoding);
    } catch (error) {
      throw withinField(error, key);
    }
    if (converted === undefined) continue;
    if (
      encoding === 'protobuf' &&
      field.rule === 'optional' &&
      !field.deprecated &&
      Object.is(converted, wireFallback(field))
    )
      continue;
    out[key] = converted;
  }
  for (const field of spec.requiredFields) {
    if (out[field.name] === undefined) {
      throw new FieldProblem('missing-field', `${spec.fullName} is missing its required field '${field.name}'`);
    }
  }
  return out;
}

function wireFallback(field: FieldSpec): unknown {
  if (field.fallback === undefined || field.kind !== 'enum') return field.fallback;
  return field.enumSpec?.numberByName.get(field.fallback as string);
}

function unknownField(key: string, spec: MessageSpec): FieldProblem {
  const snake = key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
  const hint = snake !== key && spec.fieldByName.has(snake) ? ` (Mesos uses the proto field name '${snake}')` : '';
  const known = spec.fields.map((field) => field.name).join(', ');
  return new FieldProblem(
    'unknown-field',
    `${spec.fullName} has no field '${key}'${hint}; its fields are ${known || 'none'}`,
  );
}

function convertField(raw: unknown, field: FieldSpec, encoding: WireEncoding): unknown {
  if (field.rule === 'repeated') {
    if (!Array.isArray(raw)) {
      throw new FieldProblem(
        'wrong-type',
        `expected an array for the repeated field '${field.name}', got ${describeValue(raw)}`,
      );
    }
    if (raw.length === 0) return undefined;
    return raw.map((item, index) => {
      try {
        return convertSingle(item, field, encoding);
      } catch (error) {
        throw withinField(error, `[${index}]`);
      }
    });
  }
  if (field.rule === 'map') {
    if (typeof raw !== 'object' || Array.isArray(raw)) {
      throw new FieldProblem(
        'wrong-type',
        `expected an object for the map field '${field.name}', got ${describeValue(raw)}`,
      );
    }
    const keys = Object.keys(raw as object);
    if (keys.length === 0) return undefined;
    const map: Record<string, unknown> = {};
    for (const key of keys) {
      try {
        map[key] = convertSingle((raw as Record<string, unknown>)[key], field, encoding);
      } catch (error) {
        throw withinField(error, `[${JSON.stringify(key)}]`);
      }
    }
    return map;
  }
  return convertSingle(raw, field, encoding);
}

function convertSingle(raw: unknown, field: FieldSpec, encoding: WireEncoding): unknown {
  switch (field.kind) {
    case 'message':
      return encodableFromPlain(raw, field.message as MessageSpec, encoding);
    case 'enum':
      return enumValue(raw, field, encoding);
    case 'string':
      if (typeof raw === 'string') return raw;
      throw new FieldProblem('wrong-type', `expected a string, got ${describeValue(raw)}`);
    case 'bool':
      if (typeof raw === 'boolean') return raw;
      throw new FieldProblem('wrong-type', `expected true or false, got ${describeValue(raw)}`);
    case 'double':
    case 'float':
      if (typeof raw !== 'number') throw new FieldProblem('wrong-type', `expected a number, got ${describeValue(raw)}`);
      return encoding === 'json' ? jsonDouble(raw) : raw;
    case 'bytes':
      return base64Value(raw);
    case 'int64':
    case 'uint64':
    case 'sint64':
    case 'fixed64':
    case 'sfixed64':
      // protobufjs's writer takes a decimal string as exactly as a number, so both encodings use this.
      return int64Value(raw, field.kind, 'accept');
    default:
      return int32Value(raw, field.kind, false);
  }
}

function enumValue(raw: unknown, field: FieldSpec, encoding: WireEncoding): string | number {
  const spec = field.enumSpec;
  if (spec === undefined) throw new Error(`wire schema: ${field.name} has no enum`);
  if (typeof raw === 'string') {
    const number = spec.numberByName.get(raw);
    if (number === undefined) {
      throw new FieldProblem(
        'unknown-enum',
        `${JSON.stringify(raw)} is not a ${spec.fullName} (expected one of ${spec.names.join(', ')})`,
      );
    }
    return encoding === 'json' ? raw : number;
  }
  if (typeof raw === 'number') {
    throw new FieldProblem(
      'enum-as-number',
      `the enum ${spec.fullName} is given as the number ${raw}; use its name, which is all Mesos's JSON accepts`,
    );
  }
  throw new FieldProblem('wrong-type', `expected an enum name (a string), got ${describeValue(raw)}`);
}
