import type { SandboxFileError } from '../../core/mesos/files/sandboxFileError';
import type { TaskSandboxError } from '../../core/mesos/files/taskSandbox';
import type { SandboxAccessError } from './sandboxAccessError';

/** Which FileSystemError a failure becomes: what the editor does next depends on it (a deleted tab, a retry). */
export type FileErrorCategory = 'not-found' | 'is-directory' | 'no-permissions' | 'unavailable';

// The core's error classes live in the lazily loaded runtime bundle, so they are told apart by name and
// kind rather than instanceof (a check that would load the bundle, or compare against another copy).
function named<T>(err: unknown, name: string): err is T {
  return err instanceof Error && err.name === name;
}

/**
 * The category of a failure reading a sandbox: a file, sandbox or agent that is gone is `not-found`;
 * refused access is `no-permissions`; anything that may work later (an agent that does not answer, a
 * master that cannot be reached, a body that cannot be read, a file too large to open) is `unavailable`.
 */
export function fileErrorCategory(err: unknown): FileErrorCategory {
  if (named<Error>(err, 'SandboxUriError')) return 'not-found';
  if (named<SandboxAccessError>(err, 'SandboxAccessError'))
    return err.kind === 'not-found' ? 'not-found' : 'unavailable';
  if (named<SandboxFileError>(err, 'SandboxFileError')) {
    switch (err.kind) {
      case 'not-found':
        return 'not-found';
      case 'is-directory':
        return 'is-directory';
      case 'unauthorized':
      case 'forbidden':
      case 'outside-sandbox':
        return 'no-permissions';
      default:
        return 'unavailable';
    }
  }
  if (named<TaskSandboxError>(err, 'TaskSandboxError'))
    return err.kind === 'no-agent-address' ? 'unavailable' : 'not-found';
  return 'unavailable';
}
