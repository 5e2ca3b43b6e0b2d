import { describeValue, FieldProblem, withinField } from '../../../../../src/core/mesos/codec/fieldProblem';
import {
  base64Value,
  doubleValue,
  int32Value,
  int64Value,
  type RoundedIntegers,
} from '../../../../../src/core/mesos/codec/scalarValues';
import type { FieldSpec, MessageSpec } from '../../../../../src/core/mesos/codec/wireSpec';

/**
 * The reference the compiled JSON normalizer (src/core/mesos/codec/compileJsonNormalizer.ts) is held
 * to: the same rules as a plain walk over the schema, easy to check by reading.
 *
 * Turns a parsed JSON body into the codec's plain object, the way Mesos's own JSON parser (stout)
 * reads it: unknown keys and `null` are dropped, numeric strings are read as numbers, an unknown name
 * in an optional enum field drops the field while in a required one it is an error, an enum given as
 * a number is an error, and a missing required field is an error. Empty arrays and maps are dropped and
 * unset fields with an explicit default get it, so the result equals what the protobuf decoder gives
 * for the same message.
 *
 * Works in place, as the compiled one does. Throws FieldProblem, or RoundedIntegerSignal (see
 * scalarValues.ts) unless `rounded` is 'accept'.
 */
export function plainFromJsonValue(
  value: unknown,
  spec: MessageSpec,
  rounded: RoundedIntegers = 'signal',
): Record<string, unknown> {
  if (!isJsonObject(value)) {
    throw new FieldProblem('wrong-type', `expected a JSON object for ${spec.fullName}, got ${describeValue(value)}`);
  }
  for (const key in value) {
    const field = spec.fieldByName.get(key);
    const raw = value[key];
    if (field === undefined || raw === null) {
      delete value[key];
      continue;
    }
    let converted: unknown;
    try {
      converted = convertField(raw, field, rounded);
    } catch (error) {
      throw withinField(error, key);
    }
    if (converted === undefined) delete value[key];
    else if (converted !== raw) value[key] = converted;
  }
  for (const field of spec.requiredFields) {
    if (value[field.name] === undefined) {
      throw new FieldProblem('missing-field', `${spec.fullName} is missing its required field '${field.name}'`);
    }
  }
  for (const field of spec.defaultedFields) {
    if (value[field.name] === undefined) value[field.name] = field.fallback;
  }
  return value;
}

function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function convertField(raw: unknown, field: FieldSpec, rounded: RoundedIntegers): unknown {
  if (field.rule === 'repeated') {
    if (!Array.isArray(raw)) {
      throw new FieldProblem(
        'wrong-type',
        `expected an array for the repeated field '${field.name}', got ${describeValue(raw)}`,
      );
    }
    return raw.length === 0 ? undefined : convertList(raw, field, rounded);
  }
  if (field.rule === 'map') {
    if (!isJsonObject(raw)) {
      throw new FieldProblem(
        'wrong-type',
        `expected an object for the map field '${field.name}', got ${describeValue(raw)}`,
      );
    }
    return convertMap(raw, field, rounded);
  }
  return convertSingle(raw, field, field.rule === 'required', rounded);
}

function convertList(list: unknown[], field: FieldSpec, rounded: RoundedIntegers): unknown[] | undefined {
  let dropped = false;
  for (let i = 0; i < list.length; i++) {
    let converted: unknown;
    try {
      converted = convertSingle(list[i], field, false, rounded);
    } catch (error) {
      throw withinField(error, `[${i}]`);
    }
    if (converted === undefined) dropped = true;
    list[i] = converted;
  }
  if (!dropped) return list;
  // Only unknown enum names are dropped from a list, as stout does for repeated enums.
  const kept = list.filter((item) => item !== undefined);
  return kept.length === 0 ? undefined : kept;
}

function convertMap(
  map: Record<string, unknown>,
  field: FieldSpec,
  rounded: RoundedIntegers,
): Record<string, unknown> | undefined {
  let size = 0;
  for (const key in map) {
    let converted: unknown;
    try {
      converted = map[key] === null ? undefined : convertSingle(map[key], field, false, rounded);
    } catch (error) {
      throw withinField(error, `[${JSON.stringify(key)}]`);
    }
    if (converted === undefined) delete map[key];
    else {
      map[key] = converted;
      size++;
    }
  }
  return size === 0 ? undefined : map;
}

function convertSingle(raw: unknown, field: FieldSpec, required: boolean, rounded: RoundedIntegers): unknown {
  switch (field.kind) {
    case 'message':
      return plainFromJsonValue(raw, field.message as MessageSpec, rounded);
    case 'enum':
      return enumName(raw, field, required);
    case 'string':
      if (typeof raw === 'string') return raw;
      throw new FieldProblem('wrong-type', `expected a string, got ${describeValue(raw)}`);
    case 'bool':
      if (typeof raw === 'boolean') return raw;
      if (raw === 'true') return true;
      if (raw === 'false') return false;
      throw new FieldProblem('wrong-type', `expected true or false, got ${describeValue(raw)}`);
    case 'double':
    case 'float':
      return doubleValue(raw, true);
    case 'bytes':
      return base64Value(raw);
    case 'int64':
    case 'uint64':
    case 'sint64':
    case 'fixed64':
    case 'sfixed64':
      return int64Value(raw, field.kind, rounded);
    default:
      return int32Value(raw, field.kind, true);
  }
}

function enumName(raw: unknown, field: FieldSpec, required: boolean): string | undefined {
  const spec = field.enumSpec;
  if (spec === undefined) throw new Error(`wire schema: ${field.name} has no enum`);
  if (typeof raw === 'string') {
    if (spec.numberByName.has(raw)) return raw;
    if (!required) return undefined;
    throw new FieldProblem(
      'unknown-enum',
      `${JSON.stringify(raw)} is not a ${spec.fullName} (expected one of ${spec.names.join(', ')})`,
    );
  }
  if (typeof raw === 'number') {
    const name = spec.nameByNumber.get(raw);
    throw new FieldProblem(
      'enum-as-number',
      `the enum ${spec.fullName} is given as the number ${raw}${name ? ` (${name})` : ''}; Mesos's JSON only accepts enum names`,
    );
  }
  throw new FieldProblem('wrong-type', `expected an enum name (a string), got ${describeValue(raw)}`);
}
