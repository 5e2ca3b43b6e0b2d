/** What can be wrong with one field of a message, whichever direction the codec is converting. */
export type FieldProblemKind =
  | 'wrong-type' // a value of the wrong kind for its field (a string where an object belongs, …)
  | 'enum-as-number' // a JSON enum given as a number: Mesos only accepts names
  | 'unknown-enum' // a name (or number) the enum does not have
  | 'missing-field' // a required field is absent
  | 'out-of-range' // an integer that does not fit its field, or a number that is not an integer
  | 'invalid-base64' // a bytes field that is not standard padded Base64
  | 'unknown-field'; // (encoding only) a key the message does not have, e.g. a camelCase name

/**
 * Thrown inside the conversions and turned into a MesosDecodeError or MesosEncodeError at the codec's
 * edge. Each message level prepends its field name on the way out, so the path costs nothing unless
 * something is wrong.
 */
export class FieldProblem extends Error {
  override readonly name = 'FieldProblem';
  readonly segments: string[] = [];

  constructor(
    readonly kind: FieldProblemKind,
    /** What was wrong, without the path: the codec adds where. */
    readonly reason: string,
  ) {
    super(reason);
  }

  /** The dotted path of the field, e.g. `update.status.state` or `offers.offers[2].id`. */
  get path(): string {
    return this.segments.reduce(
      (path, segment) => (segment.startsWith('[') || path === '' ? path + segment : `${path}.${segment}`),
      '',
    );
  }
}

/** Records that `error` happened inside `segment`, if it is a FieldProblem; always returns it. */
export function withinField(error: unknown, segment: string): unknown {
  if (error instanceof FieldProblem) error.segments.unshift(segment);
  return error;
}

/** A short description of a JSON value for messages: its type and, if small, the value itself. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
    case 'number':
      return `the number ${String(value)}`;
    case 'boolean':
      return `the boolean ${String(value)}`;
    case 'object':
      return 'an object';
    default:
      return typeof value;
  }
}
