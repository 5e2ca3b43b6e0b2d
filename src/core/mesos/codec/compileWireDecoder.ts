import { asBuffer } from './asBuffer';
import { FieldProblem } from './fieldProblem';
import { compile, literal, reachableMessages } from './messageCodegen';
import { protobufRuntime } from './wireRuntime';
import type { EnumSpec, FieldKind, FieldSpec, MessageSpec } from './wireSpec';

/**
 * Compiles a decoder from protobuf bytes straight to the codec's plain object (Mesos's JSON shape),
 * one specialised function per message type: enums by name (an unknown number is skipped, as proto2
 * does), bytes as Base64, 64-bit integers as a number when safe and a decimal string otherwise,
 * unknown fields skipped, required fields checked, and unset fields with an explicit default filled in
 * (Mesos's JSON writer emits those, so both encodings decode alike). It does in one pass what the
 * protobufjs decoder plus a toObject-style conversion do in two, and the tests hold it to exactly
 * that pair's results.
 *
 * Errors: the protobufjs Reader throws on malformed bytes (truncated, bad wire type); a missing
 * required field throws FieldProblem with its path.
 */
export type WireDecoder = (bytes: Uint8Array) => Record<string, unknown>;

const WIRE_TYPE: Record<FieldKind, number> = {
  double: 1,
  float: 5,
  int32: 0,
  uint32: 0,
  sint32: 0,
  fixed32: 5,
  sfixed32: 5,
  int64: 0,
  uint64: 0,
  sint64: 0,
  fixed64: 1,
  sfixed64: 1,
  bool: 0,
  enum: 0,
  string: 2,
  bytes: 2,
  message: 2,
};

const INT64_KINDS: ReadonlySet<FieldKind> = new Set(['int64', 'uint64', 'sint64', 'fixed64', 'sfixed64']);

interface LongLike {
  toNumber(): number;
  toString(): string;
}

const runtimeHelpers = {
  reader(bytes: Uint8Array): unknown {
    // A Buffer makes protobufjs use its BufferReader: native UTF-8 and Base64 on Buffer slices.
    return protobufRuntime().Reader.create(asBuffer(bytes));
  },
  long(value: LongLike | number): number | string {
    if (typeof value === 'number') return value;
    const asNumber = value.toNumber();
    // Every integer beyond 2^53 rounds to a double beyond it, so this test is exact.
    return Number.isSafeInteger(asNumber) ? asNumber : value.toString();
  },
  range(reader: { pos: number; len: number }, end: number): RangeError {
    return new RangeError(`a length-delimited field ends at byte ${end}, beyond the ${reader.len} bytes available`);
  },
  missing(type: string, field: string, isEnum: boolean): FieldProblem {
    const unknownValue = isEnum ? ' (or it holds a value this build does not know)' : '';
    return new FieldProblem('missing-field', `${type} is missing its required field '${field}'${unknownValue}`);
  },
  within(error: unknown, at: string, index: number): unknown {
    if (error instanceof FieldProblem) {
      if (index >= 0) error.segments.unshift(`[${index}]`);
      if (at !== '') error.segments.unshift(at);
    }
    return error;
  },
  put(map: Record<string, unknown>, key: string, value: unknown): void {
    // Defined rather than assigned, so that a key "__proto__" stays a key, as JSON.parse makes it.
    Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
  },
};

export function compileWireDecoder(root: MessageSpec): WireDecoder {
  const messages = reachableMessages(root);
  const indexOf = new Map(messages.map((spec, index) => [spec, index]));
  const enums = new Map<EnumSpec, string>();
  const enumConst = (spec: EnumSpec): string => {
    let name = enums.get(spec);
    if (name === undefined) {
      name = `E${enums.size}`;
      enums.set(spec, name);
    }
    return name;
  };
  const decoderOf = (field: FieldSpec): string => `d${indexOf.get(field.message as MessageSpec) ?? -1}`;

  const functions = messages.map((spec, index) => {
    const cases = spec.fields.flatMap((field) => fieldCases(field, decoderOf, enumConst));
    const required = spec.requiredFields.map(
      (field) =>
        `  if (m[${literal(field.name)}] === undefined) throw rt.missing(${literal(spec.fullName)}, ${literal(field.name)}, ${field.kind === 'enum'});`,
    );
    const defaults = spec.defaultedFields.map(
      (field) =>
        `  if (m[${literal(field.name)}] === undefined) m[${literal(field.name)}] = ${JSON.stringify(field.fallback)};`,
    );
    return [
      `function d${index}(r, end, m) {`,
      `  if (m === undefined) m = {};`,
      `  let at = "", ix = -1;`,
      `  try {`,
      `    while (r.pos < end) {`,
      `      const t = r.tag();`,
      `      switch (t) {`,
      ...cases.map((line) => `        ${line}`),
      `        default: r.skipType(t & 7, 0, t >>> 3);`,
      `      }`,
      `    }`,
      `  } catch (e) { throw rt.within(e, at, ix); }`,
      ...required,
      ...defaults,
      `  return m;`,
      `}`,
    ].join('\n');
  });

  const enumTables = [...enums].map(([spec, name]) => {
    const entries = [...spec.nameByNumber].map(([number, value]) => `${name}[${number}] = ${literal(value)};`);
    return `const ${name} = []; ${entries.join(' ')}`;
  });

  const body = [
    '"use strict";',
    ...enumTables,
    ...functions,
    'return function decode(bytes) { const r = rt.reader(bytes); return d0(r, r.len, undefined); };',
  ].join('\n');
  return compile<WireDecoder>(['rt'], body, [runtimeHelpers]);
}

function readExpression(field: FieldSpec): string {
  if (field.kind === 'bytes') return 'r.bytes().toString("base64")';
  if (INT64_KINDS.has(field.kind)) return `rt.long(r.${field.kind}())`;
  return `r.${field.kind}()`;
}

// Reads a length prefix and narrows the reader to it, so a nested decode cannot run past its field.
const openSpan =
  'const n = r.size(); const e = r.pos + n; if (e > r.len) throw rt.range(r, e); const l = r.len; r.len = e;';
const closeSpan = 'r.len = l;';

function fieldCases(
  field: FieldSpec,
  decoderOf: (field: FieldSpec) => string,
  enumConst: (spec: EnumSpec) => string,
): string[] {
  const name = literal(field.name);
  const target = `m[${name}]`;
  const list = `(${target} || (${target} = []))`;
  const tag = (wireType: number): number => field.id * 8 + wireType;

  if (field.rule === 'map') {
    if (field.kind !== 'message') throw new Error(`wire decoder: map ${field.name} must have message values`);
    const decode = decoderOf(field);
    return [
      `case ${tag(2)}: { at = ${name}; ${openSpan}`,
      `  let k = "", v;`,
      `  while (r.pos < e) { const t2 = r.tag();`,
      `    if (t2 === 10) k = r.string();`,
      `    else if (t2 === 18) { const n2 = r.size(); const e2 = r.pos + n2; if (e2 > r.len) throw rt.range(r, e2); const l2 = r.len; r.len = e2; v = ${decode}(r, e2, v); r.len = l2; }`,
      `    else r.skipType(t2 & 7, 0, t2 >>> 3); }`,
      `  ${closeSpan} if (v === undefined) v = ${decode}(r, r.pos, undefined);`,
      `  rt.put(${target} || (${target} = {}), k, v); break; }`,
    ];
  }

  if (field.kind === 'message') {
    const decode = decoderOf(field);
    if (field.rule === 'repeated') {
      return [
        `case ${tag(2)}: { at = ${name}; const a = ${list}; ix = a.length; ${openSpan} a.push(${decode}(r, e, undefined)); ${closeSpan} ix = -1; break; }`,
      ];
    }
    return [
      `case ${tag(2)}: { at = ${name}; ${openSpan} ${target} = ${decode}(r, e, ${target}); ${closeSpan} break; }`,
    ];
  }

  if (field.kind === 'enum') {
    const table = enumConst(field.enumSpec as EnumSpec);
    if (field.rule === 'repeated') {
      return [
        `case ${tag(0)}: { at = ${name}; const v = ${table}[r.int32()]; if (v !== undefined) ${list}.push(v); break; }`,
        `case ${tag(2)}: { at = ${name}; ${openSpan} while (r.pos < e) { const v = ${table}[r.int32()]; if (v !== undefined) ${list}.push(v); } ${closeSpan} break; }`,
      ];
    }
    return [
      `case ${tag(0)}: { at = ${name}; const v = ${table}[r.int32()]; if (v !== undefined) ${target} = v; break; }`,
    ];
  }

  const read = readExpression(field);
  const wireType = WIRE_TYPE[field.kind];
  if (field.rule !== 'repeated') return [`case ${tag(wireType)}: at = ${name}; ${target} = ${read}; break;`];
  const unpacked = `case ${tag(wireType)}: at = ${name}; ${list}.push(${read}); break;`;
  if (wireType === 2) return [unpacked];
  // Numeric repeated fields may arrive packed whatever the .proto says; proto2 parsers accept both.
  return [
    unpacked,
    `case ${tag(2)}: { at = ${name}; ${openSpan} if (r.pos < e) { const a = ${list}; while (r.pos < e) a.push(${read}); } ${closeSpan} break; }`,
  ];
}
