/**
 * Why a sandbox could not be reached before any file request was made (the cluster is not configured,
 * its state cannot be read, the agent left the cluster), or why a file cannot be shown here (no such
 * entry, too large to open). `not-found` becomes FileSystemError.FileNotFound, the rest Unavailable.
 */
export type SandboxAccessErrorKind = 'not-found' | 'unavailable' | 'too-large';

export class SandboxAccessError extends Error {
  override readonly name = 'SandboxAccessError';
  constructor(
    readonly kind: SandboxAccessErrorKind,
    summary: string,
    readonly nextStep: string,
    options?: { cause?: unknown },
  ) {
    super(`${summary}. ${nextStep}`, options);
  }
}
