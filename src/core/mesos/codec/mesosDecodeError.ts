import type { FieldProblemKind } from './fieldProblem';
import type { WireEncoding } from './wireEncoding';

export type MesosDecodeErrorKind =
  | 'empty' // no bytes at all
  | 'html' // an HTML page, probably from a proxy or login page
  | 'not-json' // text that is not JSON (Mesos answers errors in text/plain; a body may be cut short)
  | 'not-protobuf' // bytes that are not the protobuf message (or are text sent where protobuf was asked for)
  | 'too-deep' // nested deeper than the decoder can follow (e.g. a ContainerID chain of thousands of parents)
  | Exclude<FieldProblemKind, 'unknown-field'>;

export interface MesosDecodeErrorDetails {
  readonly kind: MesosDecodeErrorKind;
  /** What was wrong and why, without the next step. */
  readonly reason: string;
  readonly nextStep: string;
  readonly encoding: WireEncoding;
  /** The full proto name of the message being decoded, e.g. `mesos.v1.scheduler.Event`. */
  readonly messageType: string;
  /** Where in the message, e.g. `update.status.state`, when the problem is one field. */
  readonly path?: string;
  readonly cause?: unknown;
}

/**
 * A body that is not the Mesos message it should be. `reason` says what was wrong, `nextStep` what the
 * user can do; `message` has both, with the message type, encoding and field path, for logs.
 */
export class MesosDecodeError extends Error {
  override readonly name = 'MesosDecodeError';
  readonly kind: MesosDecodeErrorKind;
  readonly reason: string;
  readonly nextStep: string;
  readonly encoding: WireEncoding;
  readonly messageType: string;
  readonly path: string | undefined;
  override readonly cause: unknown;

  constructor(details: MesosDecodeErrorDetails) {
    const where = details.path ? ` at '${details.path}'` : '';
    super(
      `Cannot decode ${details.messageType} from ${details.encoding}${where}: ${details.reason}. ${details.nextStep}`,
      {
        cause: details.cause,
      },
    );
    this.kind = details.kind;
    this.reason = details.reason;
    this.nextStep = details.nextStep;
    this.encoding = details.encoding;
    this.messageType = details.messageType;
    this.path = details.path;
    this.cause = details.cause;
  }
}
