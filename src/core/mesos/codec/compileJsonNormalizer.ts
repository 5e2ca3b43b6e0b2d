import { describeValue, FieldProblem } from './fieldProblem';
import { compile, literal, reachableMessages } from './messageCodegen';
import {
  base64Value,
  doubleValue,
  int32Value,
  int64Value,
  isBase64,
  type Int32Kind,
  type Int64Kind,
  type RoundedIntegers,
} from './scalarValues';
import type { EnumSpec, FieldSpec, MessageSpec } from './wireSpec';

/**
 * Compiles the normalizer of a parsed JSON body into the codec's plain object, one specialised
 * function per message type, following Mesos's own JSON parser (stout): unknown keys and `null` are
 * dropped, numeric strings are read as numbers (and "true"/"false" as booleans), an unknown name in
 * an optional enum field drops the field while in a required one it is an error, an enum given as a
 * number is an error, and so is a missing required field. Empty arrays and maps are dropped and unset
 * fields with an explicit default get it, so the result equals what the protobuf decoder gives for the
 * same message. The tests hold it to a plain walk over the schema that spells these rules out.
 *
 * Works in place: a JSON body is already almost this shape, so values are only type-checked, and
 * copying would double the cost of decoding a large state. Throws FieldProblem, or
 * RoundedIntegerSignal when JSON.parse has rounded a 64-bit integer (see mesosJsonText.ts).
 */
export type JsonNormalizer = (value: unknown, rounded: RoundedIntegers) => Record<string, unknown>;

// The compiled functions are synchronous, so one setting per call of the normalizer is enough.
let roundedIntegers: RoundedIntegers = 'signal';

const INT32_RANGE: Record<Int32Kind, readonly [number, number]> = {
  int32: [-0x80000000, 0x7fffffff],
  sint32: [-0x80000000, 0x7fffffff],
  sfixed32: [-0x80000000, 0x7fffffff],
  uint32: [0, 0xffffffff],
  fixed32: [0, 0xffffffff],
};

const runtimeHelpers = {
  notObject(value: unknown, type: string): FieldProblem {
    return new FieldProblem('wrong-type', `expected a JSON object for ${type}, got ${describeValue(value)}`);
  },
  notArray(value: unknown, field: string): FieldProblem {
    return new FieldProblem(
      'wrong-type',
      `expected an array for the repeated field '${field}', got ${describeValue(value)}`,
    );
  },
  notMap(value: unknown, field: string): FieldProblem {
    return new FieldProblem(
      'wrong-type',
      `expected an object for the map field '${field}', got ${describeValue(value)}`,
    );
  },
  string(value: unknown): never {
    throw new FieldProblem('wrong-type', `expected a string, got ${describeValue(value)}`);
  },
  bool(value: unknown): boolean {
    if (value === 'true') return true;
    if (value === 'false') return false;
    throw new FieldProblem('wrong-type', `expected true or false, got ${describeValue(value)}`);
  },
  double: (value: unknown): number => doubleValue(value, true),
  int32: (value: unknown, kind: Int32Kind): number => int32Value(value, kind, true),
  int64: (value: unknown, kind: Int64Kind): number | string => int64Value(value, kind, roundedIntegers),
  base64: base64Value,
  isBase64,
  /** For a value that is not a known name: throws, except for an unknown name in an optional field. */
  checkEnum(value: unknown, spec: EnumSpec, required: boolean): void {
    if (typeof value === 'string') {
      if (!required) return;
      throw new FieldProblem(
        'unknown-enum',
        `${JSON.stringify(value)} is not a ${spec.fullName} (expected one of ${spec.names.join(', ')})`,
      );
    }
    if (typeof value === 'number') {
      const name = spec.nameByNumber.get(value);
      throw new FieldProblem(
        'enum-as-number',
        `the enum ${spec.fullName} is given as the number ${value}${name ? ` (${name})` : ''}; Mesos's JSON only accepts enum names`,
      );
    }
    throw new FieldProblem('wrong-type', `expected an enum name (a string), got ${describeValue(value)}`);
  },
  missing(type: string, field: string): FieldProblem {
    return new FieldProblem('missing-field', `${type} is missing its required field '${field}'`);
  },
  within(error: unknown, at: string, index: number, key: string | undefined): unknown {
    if (error instanceof FieldProblem) {
      if (index >= 0) error.segments.unshift(`[${index}]`);
      if (key !== undefined) error.segments.unshift(`[${JSON.stringify(key)}]`);
      if (at !== '') error.segments.unshift(at);
    }
    return error;
  },
  dropUnknown(value: Record<string, unknown>, known: ReadonlySet<string>): void {
    for (const key in value) if (!known.has(key)) delete value[key];
  },
  isDefined: (item: unknown): boolean => item !== undefined,
};

export function compileJsonNormalizer(root: MessageSpec): JsonNormalizer {
  const messages = reachableMessages(root);
  const indexOf = new Map(messages.map((spec, index) => [spec, index]));
  const enums = new Map<EnumSpec, number>();
  const enumIndex = (spec: EnumSpec): number => {
    let index = enums.get(spec);
    if (index === undefined) {
      index = enums.size;
      enums.set(spec, index);
    }
    return index;
  };
  const normalizerOf = (field: FieldSpec): string => `j${indexOf.get(field.message as MessageSpec) ?? -1}`;

  const functions = messages.map((spec, index) => {
    const blocks = spec.fields.map((field) => fieldBlock(field, normalizerOf, enumIndex));
    const required = spec.requiredFields.map(
      (field) =>
        `  if (o[${literal(field.name)}] === undefined) throw rt.missing(${literal(spec.fullName)}, ${literal(field.name)});`,
    );
    const defaults = spec.defaultedFields.map(
      (field) =>
        `  if (o[${literal(field.name)}] === undefined) o[${literal(field.name)}] = ${JSON.stringify(field.fallback)};`,
    );
    return [
      `function j${index}(o) {`,
      `  if (typeof o !== "object" || o === null || Array.isArray(o)) throw rt.notObject(o, ${literal(spec.fullName)});`,
      `  let at = "", ix = -1, mk = undefined, n = 0, x;`,
      `  try {`,
      ...blocks.map((block) => `    ${block}`),
      `  } catch (error) { throw rt.within(error, at, ix, mk); }`,
      // Counting keys is cheaper than looking each one up; unknown keys are rare and dropped as Mesos does.
      `  let count = 0; for (const _ in o) count++;`,
      `  if (count !== n) rt.dropUnknown(o, K${index});`,
      ...required,
      ...defaults,
      `  return o;`,
      `}`,
    ].join('\n');
  });

  const knownSets = messages.map(
    (spec, index) => `const K${index} = new Set(${JSON.stringify(spec.fields.map((field) => field.name))});`,
  );
  const enumSets = [...enums].map(([spec, index]) => {
    const names = spec.names.map((name) => `${literal(name)}: 1`).join(', ');
    return `const N${index} = Object.assign(Object.create(null), { ${names} });`;
  });
  const enumSpecs = [...enums].map(([, index]) => `const S${index} = enumSpecs[${index}];`);

  const body = ['"use strict";', ...knownSets, ...enumSets, ...enumSpecs, ...functions, 'return j0;'].join('\n');
  const normalize = compile<(value: unknown) => Record<string, unknown>>(['rt', 'enumSpecs'], body, [
    runtimeHelpers,
    [...enums.keys()],
  ]);
  return (value, rounded) => {
    roundedIntegers = rounded;
    try {
      return normalize(value);
    } finally {
      roundedIntegers = 'signal';
    }
  };
}

/** `ok` holds when `v` is already a valid value of the field's kind; `fix` converts it or throws. */
function scalarCheck(field: FieldSpec, v: string): { ok: string; fix: string } {
  switch (field.kind) {
    case 'string':
      return { ok: `typeof ${v} === "string"`, fix: `rt.string(${v})` };
    case 'bool':
      return { ok: `typeof ${v} === "boolean"`, fix: `rt.bool(${v})` };
    case 'double':
    case 'float':
      return { ok: `typeof ${v} === "number"`, fix: `rt.double(${v})` };
    case 'bytes':
      return { ok: `typeof ${v} === "string" && rt.isBase64(${v})`, fix: `rt.base64(${v})` };
    case 'int64':
    case 'sint64':
    case 'sfixed64':
      return {
        ok: `typeof ${v} === "number" && Number.isSafeInteger(${v})`,
        fix: `rt.int64(${v}, ${literal(field.kind)})`,
      };
    case 'uint64':
    case 'fixed64':
      return {
        ok: `typeof ${v} === "number" && Number.isSafeInteger(${v}) && ${v} >= 0`,
        fix: `rt.int64(${v}, ${literal(field.kind)})`,
      };
    case 'int32':
    case 'sint32':
    case 'sfixed32':
    case 'uint32':
    case 'fixed32': {
      const [min, max] = INT32_RANGE[field.kind];
      return {
        ok: `typeof ${v} === "number" && Number.isInteger(${v}) && ${v} >= ${min} && ${v} <= ${max}`,
        fix: `rt.int32(${v}, ${literal(field.kind)})`,
      };
    }
    default:
      throw new Error(`json normalizer: ${field.name} is not a scalar`);
  }
}

function fieldBlock(
  field: FieldSpec,
  normalizerOf: (field: FieldSpec) => string,
  enumIndex: (spec: EnumSpec) => number,
): string {
  const name = literal(field.name);
  const slot = `o[${name}]`;
  // A field named like an Object.prototype member must not read the inherited one.
  const read =
    field.name in Object.prototype ? `Object.prototype.hasOwnProperty.call(o, ${name}) ? ${slot} : undefined` : slot;
  const open = `x = ${read}; if (x !== undefined) { if (x === null) delete ${slot}; else {`;
  const close = `} }`;

  if (field.rule === 'map') {
    if (field.kind !== 'message') throw new Error(`json normalizer: map ${field.name} must have message values`);
    return [
      `${open} at = ${name}; if (typeof x !== "object" || Array.isArray(x)) throw rt.notMap(x, ${name});`,
      `let c = 0; for (mk in x) { const y = x[mk]; if (y === null) delete x[mk]; else { ${normalizerOf(field)}(y); c++; } } mk = undefined;`,
      `if (c === 0) delete ${slot}; else n++; ${close}`,
    ].join(' ');
  }

  if (field.rule === 'repeated') {
    const start = `${open} at = ${name}; if (!Array.isArray(x)) throw rt.notArray(x, ${name}); if (x.length === 0) delete ${slot}; else {`;
    const end = `ix = -1; } ${close}`;
    if (field.kind === 'message') {
      return `${start} for (ix = 0; ix < x.length; ix++) ${normalizerOf(field)}(x[ix]); n++; ${end}`;
    }
    if (field.kind === 'enum') {
      const index = enumIndex(field.enumSpec as EnumSpec);
      // An unknown name is dropped from the list, as stout drops it from a repeated enum.
      return [
        `${start} let dropped = false;`,
        `for (ix = 0; ix < x.length; ix++) { const y = x[ix]; if (typeof y !== "string" || N${index}[y] !== 1) { rt.checkEnum(y, S${index}, false); x[ix] = undefined; dropped = true; } }`,
        `if (!dropped) n++; else { const kept = x.filter(rt.isDefined); if (kept.length === 0) delete ${slot}; else { ${slot} = kept; n++; } }`,
        end,
      ].join(' ');
    }
    const check = scalarCheck(field, 'y');
    return `${start} for (ix = 0; ix < x.length; ix++) { const y = x[ix]; if (!(${check.ok})) x[ix] = ${check.fix}; } n++; ${end}`;
  }

  if (field.kind === 'message') return `${open} at = ${name}; ${normalizerOf(field)}(x); n++; ${close}`;
  if (field.kind === 'enum') {
    const index = enumIndex(field.enumSpec as EnumSpec);
    const required = field.rule === 'required';
    return `${open} if (typeof x === "string" && N${index}[x] === 1) n++; else { at = ${name}; rt.checkEnum(x, S${index}, ${required}); delete ${slot}; } ${close}`;
  }
  const check = scalarCheck(field, 'x');
  return `${open} if (!(${check.ok})) { at = ${name}; ${slot} = ${check.fix}; } n++; ${close}`;
}
