import { HttpStatusError } from '../../http/errors';

/**
 * What went wrong with a sandbox file, in the terms a user acts on:
 * - `not-found`: no such file or directory on that agent (often: the sandbox was garbage-collected)
 * - `is-directory`: a directory was read or downloaded (browse it instead)
 * - `outside-sandbox`: the path leads (through a symbolic link) out of the directory the agent exposes
 * - `bad-request`: the agent refused the request for another reason (its text says which)
 * - `unauthorized`: credentials are missing or wrong (401)
 * - `forbidden`: the principal may not read this framework's sandboxes (403)
 * - `bad-response`: the agent answered 200 with a body this client cannot read
 */
export type SandboxFileErrorKind =
  'not-found' | 'is-directory' | 'outside-sandbox' | 'bad-request' | 'unauthorized' | 'forbidden' | 'bad-response';

export interface SandboxFileErrorInit {
  readonly kind: SandboxFileErrorKind;
  /** The agent's base URL, without credentials. */
  readonly agent: string;
  /** The sandbox (virtual) path asked for. */
  readonly path: string;
  /** What was done: 'read', 'browse', 'download', 'size'. */
  readonly action: string;
  /** The agent's own explanation (its text/plain error body); for `bad-response`, what was wrong with the body. */
  readonly reason?: string;
  readonly cause?: unknown;
}

export class SandboxFileError extends Error {
  override readonly name = 'SandboxFileError';
  readonly kind: SandboxFileErrorKind;
  readonly agent: string;
  readonly path: string;
  readonly action: string;
  readonly reason: string;
  readonly nextStep: string;
  /** Never: the same request gets the same answer until something changes on the agent. */
  readonly retryable = false;

  constructor(init: SandboxFileErrorInit) {
    const { summary, nextStep } = describe(init);
    super(`${summary}. ${nextStep}`, init.cause === undefined ? undefined : { cause: init.cause });
    this.kind = init.kind;
    this.agent = init.agent;
    this.path = init.path;
    this.action = init.action;
    this.reason = init.reason ?? '';
    this.nextStep = nextStep;
  }
}

/**
 * The SandboxFileError for an HTTP status error of a files request (400, 401, 403, 404), or undefined for
 * anything else (connection failures, timeouts, 5xx), which stay the HTTP layer's errors.
 */
export function sandboxFileErrorFromHttp(
  error: unknown,
  context: { agent: string; path: string; action: string },
): SandboxFileError | undefined {
  if (!(error instanceof HttpStatusError)) return undefined;
  const reason = error.html ? '' : error.reason.trim();
  const kind = kindOfStatus(error.status, reason);
  if (kind === undefined) return undefined;
  return new SandboxFileError({ ...context, kind, reason, cause: error });
}

function kindOfStatus(status: number, reason: string): SandboxFileErrorKind | undefined {
  switch (status) {
    case 404:
      return 'not-found';
    case 401:
      return 'unauthorized';
    case 403:
      return 'forbidden';
    case 400:
      // The agent's texts (src/files/files.cpp): "Cannot read a directory.", "Cannot download a
      // directory.", "'<path>' is inaccessible." for a path that resolves outside the attached directory.
      if (/^Cannot (read|download) a directory/i.test(reason)) return 'is-directory';
      if (/is inaccessible\.?$/i.test(reason)) return 'outside-sandbox';
      return 'bad-request';
    default:
      return undefined;
  }
}

function describe(init: SandboxFileErrorInit): { summary: string; nextStep: string } {
  const where = `on the Mesos agent at ${init.agent}`;
  const because = init.reason ? ` (the agent says: ${JSON.stringify(init.reason)})` : '';
  switch (init.kind) {
    case 'not-found':
      return {
        summary:
          `${init.path} does not exist ${where}: the task's sandbox may have been garbage-collected (agents delete ` +
          'sandboxes some time after the task ends, --gc_delay, sooner when the disk fills), or the path is wrong',
        nextStep:
          "Browse the task's sandbox directory to see what is there; a sandbox that is gone cannot be brought back",
      };
    case 'is-directory':
      return {
        summary: `${init.path} ${where} is a directory, which can be browsed but not ${init.action === 'download' ? 'downloaded' : 'read'}`,
        nextStep: 'Browse the directory and pick a file in it',
      };
    case 'outside-sandbox':
      return {
        summary:
          `${init.path} ${where} leads outside the directory the agent exposes (a symbolic link out of the sandbox), ` +
          `so the agent refuses to ${init.action} it${because}`,
        nextStep: 'Open the file the link points to where it lives (on the agent host), not through the sandbox',
      };
    case 'bad-request':
      return {
        summary: `The Mesos agent at ${init.agent} refused to ${init.action} ${init.path}${because}`,
        nextStep: 'Check the path (a sandbox path starts with /frameworks/… or with the executor directory)',
      };
    case 'unauthorized':
      return {
        summary: `The Mesos agent at ${init.agent} asks for credentials to ${init.action} ${init.path} (401 Unauthorized)`,
        nextStep:
          "Set the cluster's principal and secret; the agent checks them against its --credentials " +
          '(HTTP authentication is on there: --authenticate_http_readonly)',
      };
    case 'forbidden':
      return {
        summary:
          `The Mesos agent at ${init.agent} does not allow this principal to ${init.action} ${init.path} ` +
          `(403 Forbidden: the agent's ACLs limit who may see a framework's sandboxes)${because}`,
        nextStep:
          "Ask the cluster administrator for access to this framework's sandboxes, or use a principal that has it",
      };
    case 'bad-response':
      return {
        summary:
          `The Mesos agent at ${init.agent} answered the ${init.action} of ${init.path} with a body this client ` +
          `cannot read${init.reason ? `: ${init.reason}` : ''}`,
        nextStep: 'Check that the URL points at a Mesos agent (1.x) and that no proxy rewrites its answers',
      };
  }
}
