import type { FieldProblemKind } from './fieldProblem';
import type { WireEncoding } from './wireEncoding';

export type MesosEncodeErrorKind =
  | FieldProblemKind
  | 'missing-payload' // a call whose type needs its payload field (e.g. `accept` for ACCEPT) without it
  | 'missing-framework-id'; // a scheduler call other than SUBSCRIBE without the top-level framework_id

export interface MesosEncodeErrorDetails {
  readonly kind: MesosEncodeErrorKind;
  readonly reason: string;
  readonly encoding: WireEncoding;
  readonly messageType: string;
  readonly path?: string;
}

/**
 * A message the caller built that Mesos would reject or misread. It is a programming error, not bad
 * input from the network, so it names the exact field and the fix rather than a user-facing next step.
 */
export class MesosEncodeError extends Error {
  override readonly name = 'MesosEncodeError';
  readonly kind: MesosEncodeErrorKind;
  readonly reason: string;
  readonly encoding: WireEncoding;
  readonly messageType: string;
  readonly path: string | undefined;

  constructor(details: MesosEncodeErrorDetails) {
    const where = details.path ? ` at '${details.path}'` : '';
    super(`Cannot encode ${details.messageType} as ${details.encoding}${where}: ${details.reason}.`);
    this.kind = details.kind;
    this.reason = details.reason;
    this.encoding = details.encoding;
    this.messageType = details.messageType;
    this.path = details.path;
  }
}
