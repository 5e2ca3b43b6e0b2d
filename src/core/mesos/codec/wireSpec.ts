import { wireSchema, type WireFieldSchema } from '../proto/generated/wireSchema';

/**
 * The generated schema linked into objects the codec walks quickly: each field knows its message or
 * enum spec directly, and each message keeps its required and defaulted fields apart, so a
 * conversion never searches by name twice.
 */

export type ScalarKind =
  | 'double'
  | 'float'
  | 'int32'
  | 'uint32'
  | 'sint32'
  | 'fixed32'
  | 'sfixed32'
  | 'int64'
  | 'uint64'
  | 'sint64'
  | 'fixed64'
  | 'sfixed64'
  | 'bool'
  | 'string'
  | 'bytes';

export type FieldKind = ScalarKind | 'enum' | 'message';

export type FieldRule = 'required' | 'optional' | 'repeated' | 'map';

export interface EnumSpec {
  readonly fullName: string;
  readonly numberByName: ReadonlyMap<string, number>;
  readonly nameByNumber: ReadonlyMap<number, string>;
  /** For error messages: every name, in declaration order. */
  readonly names: readonly string[];
}

export interface FieldSpec {
  readonly name: string;
  readonly id: number;
  readonly rule: FieldRule;
  readonly kind: FieldKind;
  /** Set when kind is 'message'. */
  readonly message: MessageSpec | undefined;
  /** Set when kind is 'enum'. */
  readonly enumSpec: EnumSpec | undefined;
  /** The explicit `[default = …]` in plain-object form (an enum default by name), if any. */
  readonly fallback: string | number | boolean | undefined;
  readonly deprecated: boolean;
}

export interface MessageSpec {
  readonly fullName: string;
  readonly fields: readonly FieldSpec[];
  readonly fieldByName: ReadonlyMap<string, FieldSpec>;
  readonly requiredFields: readonly FieldSpec[];
  /**
   * Optional, non-deprecated fields with an explicit default. Mesos writes these into its JSON even
   * when unset, so the codec fills them in on decode and leaves them off the protobuf wire when they
   * hold the default (see plainFromWire.ts and wireFromPlain.ts).
   */
  readonly defaultedFields: readonly FieldSpec[];
}

const scalarKinds: ReadonlySet<string> = new Set<ScalarKind>([
  'double',
  'float',
  'int32',
  'uint32',
  'sint32',
  'fixed32',
  'sfixed32',
  'int64',
  'uint64',
  'sint64',
  'fixed64',
  'sfixed64',
  'bool',
  'string',
  'bytes',
]);

interface MutableMessageSpec {
  fullName: string;
  fields: FieldSpec[];
  fieldByName: Map<string, FieldSpec>;
  requiredFields: FieldSpec[];
  defaultedFields: FieldSpec[];
}

let messages: Map<string, MessageSpec> | undefined;

// Built on first use rather than at import, so loading the extension pays nothing for it.
function build(): Map<string, MessageSpec> {
  const enums = new Map<string, EnumSpec>();
  for (const [fullName, values] of Object.entries(wireSchema.enums)) {
    const entries = Object.entries(values);
    enums.set(fullName, {
      fullName,
      numberByName: new Map(entries),
      nameByNumber: new Map(entries.map(([name, number]) => [number, name])),
      names: entries.map(([name]) => name),
    });
  }
  const built = new Map<string, MutableMessageSpec>();
  for (const fullName of Object.keys(wireSchema.messages)) {
    built.set(fullName, { fullName, fields: [], fieldByName: new Map(), requiredFields: [], defaultedFields: [] });
  }
  for (const [fullName, fields] of Object.entries(wireSchema.messages)) {
    const spec = built.get(fullName) as MutableMessageSpec;
    for (const field of fields) {
      const linked = linkField(fullName, field, built, enums);
      spec.fields.push(linked);
      spec.fieldByName.set(linked.name, linked);
      if (linked.rule === 'required') spec.requiredFields.push(linked);
      if (linked.rule === 'optional' && linked.fallback !== undefined && !linked.deprecated) {
        spec.defaultedFields.push(linked);
      }
    }
  }
  return built;
}

function linkField(
  owner: string,
  [name, id, rule, type, fallback, deprecated]: WireFieldSchema,
  built: ReadonlyMap<string, MessageSpec>,
  enums: ReadonlyMap<string, EnumSpec>,
): FieldSpec {
  if (!type.startsWith('.')) {
    if (!scalarKinds.has(type)) throw new Error(`wire schema: ${owner}.${name} has unknown type ${type}`);
    return {
      name,
      id,
      rule,
      kind: type as ScalarKind,
      message: undefined,
      enumSpec: undefined,
      fallback,
      deprecated: deprecated === true,
    };
  }
  const target = type.slice(1);
  const message = built.get(target);
  const enumSpec = enums.get(target);
  if (!message && !enumSpec) throw new Error(`wire schema: ${owner}.${name} refers to unknown type ${target}`);
  return {
    name,
    id,
    rule,
    kind: message ? 'message' : 'enum',
    message,
    enumSpec,
    fallback,
    deprecated: deprecated === true,
  };
}

/** The spec of a message by its full proto name, e.g. `mesos.v1.scheduler.Call`. */
export function messageSpec(fullName: string): MessageSpec {
  messages ??= build();
  const spec = messages.get(fullName);
  if (!spec) throw new Error(`wire schema has no message ${fullName}`);
  return spec;
}
