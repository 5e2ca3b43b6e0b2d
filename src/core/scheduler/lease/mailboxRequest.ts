import type { TaskRequest } from '../taskRequest';

/** What a window that does not run the scheduler asks of the one that does. */
export type MailboxRequest =
  | { readonly kind: 'launch'; readonly requests: readonly TaskRequest[] }
  | { readonly kind: 'kill'; readonly taskId: string };

/** One inbox file. */
export interface MailboxEnvelope {
  readonly version: 1;
  /** Names the reply file, so it is restricted to a safe file name. */
  readonly requestId: string;
  /** Epoch ms, the sender's clock. */
  readonly sentAt: number;
  /** The sender's ownerId, for the holder's log. */
  readonly from: string;
  readonly request: MailboxRequest;
}

/** What the holder's handler decides. */
export interface MailboxAnswer {
  readonly ok: boolean;
  /** A sentence for the sender's user: what was done, or why not. */
  readonly message: string;
}

/** One outbox file. */
export interface MailboxReply extends MailboxAnswer {
  readonly version: 1;
  readonly requestId: string;
  readonly repliedAt: number;
}

const REQUEST_ID = /^[A-Za-z0-9_-]{1,100}$/;

export function isSafeRequestId(id: unknown): id is string {
  return typeof id === 'string' && REQUEST_ID.test(id);
}

export type ParsedEnvelope =
  | { readonly envelope: MailboxEnvelope }
  /** `requestId` when the file named one, so the sender can be told at once instead of timing out. */
  | { readonly problem: string; readonly requestId?: string };

/**
 * Checks the envelope's shape and the fields the holder needs to route it. A launch request's resources
 * and constraints are left to the scheduler, which validates them and explains what is wrong.
 */
export function parseMailboxEnvelope(text: string): ParsedEnvelope {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { problem: `not JSON (${(error as Error).message})` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { problem: 'not a JSON object' };
  const v = value as Record<string, unknown>;
  const requestId = isSafeRequestId(v.requestId) ? v.requestId : undefined;
  const problem = (text: string): ParsedEnvelope =>
    requestId === undefined ? { problem: text } : { problem: text, requestId };
  if (v.version !== 1)
    return problem(`version ${JSON.stringify(v.version)} is not 1 (sent by another version of the extension?)`);
  if (requestId === undefined) return problem('requestId is missing or not a safe name (letters, digits, _ and -)');
  if (typeof v.sentAt !== 'number' || !Number.isFinite(v.sentAt)) return problem('sentAt is not a number');
  const from = typeof v.from === 'string' ? v.from : '';
  const request = v.request;
  if (typeof request !== 'object' || request === null) return problem('request is missing');
  const r = request as Record<string, unknown>;
  if (r.kind === 'kill') {
    if (typeof r.taskId !== 'string' || r.taskId === '') return problem('a kill request needs a taskId');
    return { envelope: { version: 1, requestId, sentAt: v.sentAt, from, request: { kind: 'kill', taskId: r.taskId } } };
  }
  if (r.kind === 'launch') {
    if (!Array.isArray(r.requests) || r.requests.length === 0)
      return problem('a launch request needs a non-empty requests list');
    for (const [index, item] of r.requests.entries()) {
      const shapeProblem = taskRequestShapeProblem(item);
      if (shapeProblem !== undefined) return problem(`requests[${index}] ${shapeProblem}`);
    }
    const requests = r.requests as TaskRequest[];
    return { envelope: { version: 1, requestId, sentAt: v.sentAt, from, request: { kind: 'launch', requests } } };
  }
  return problem(`kind ${JSON.stringify(r.kind)} is neither 'launch' nor 'kill'`);
}

function taskRequestShapeProblem(item: unknown): string | undefined {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return 'is not an object';
  const t = item as Record<string, unknown>;
  if (typeof t.id !== 'string' || t.id === '') return 'has no id';
  for (const field of ['cpus', 'mem'] as const) {
    if (typeof t[field] !== 'number' || !Number.isFinite(t[field])) return `(${t.id}) has no numeric ${field}`;
  }
  return undefined;
}
