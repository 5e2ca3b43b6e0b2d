import type { MessageSpec } from './wireSpec';

/**
 * Shared by the two compilers (compileWireDecoder.ts, compileJsonNormalizer.ts): they turn the schema
 * into one specialised JavaScript function per message, as protobufjs does in its reflection mode,
 * because a generic walk that looks every key up costs about half of JSON.parse itself (and the
 * static module's decoder plus a conversion twice a direct decode), while decoding the event streams
 * should cost little more than parsing them (performance.md, B2 and B4).
 */

/** Every message reachable from `root`, root first; the index is each one's function number. */
export function reachableMessages(root: MessageSpec): MessageSpec[] {
  const order: MessageSpec[] = [];
  const seen = new Set<MessageSpec>();
  const visit = (spec: MessageSpec): void => {
    if (seen.has(spec)) return;
    seen.add(spec);
    order.push(spec);
    for (const field of spec.fields) if (field.message) visit(field.message);
  };
  visit(root);
  return order;
}

/** A JavaScript string literal. */
export const literal = (value: string): string => JSON.stringify(value);

/**
 * Compiles `body` into a function of the named parameters. The body is built from our own schema only,
 * never from input. Node and the VS Code extension host allow this; a host that forbids run-time code
 * generation gets an error that says so at the first decode.
 */
export function compile<T>(parameterNames: readonly string[], body: string, args: readonly unknown[]): T {
  let factory: (...values: unknown[]) => T;
  try {
    factory = new Function(...parameterNames, body) as (...values: unknown[]) => T;
  } catch (error) {
    throw new Error('The Mesos codec compiles its decoders at run time, which this host does not allow.', {
      cause: error,
    });
  }
  return factory(...args);
}
