import { sandboxIdProblem } from './sandboxIdProblem';

/**
 * A file in a task's sandbox, addressed as a `mesos-sandbox:` URI, the form the editor opens:
 *
 *   mesos-sandbox://<cluster name>/<agent id>/<framework id>/<task id>/<path inside the sandbox>
 *
 * e.g. `mesos-sandbox://prod/0e6c…-S3/0e6c…-0011/web.4f2a/logs/app.log`; the sandbox itself is
 * `mesos-sandbox://prod/<agent id>/<framework id>/<task id>/`.
 *
 * The agent id is part of it because the master forgets completed tasks (a bounded history, and all of
 * it when the leader changes), while the agent goes on listing their runs, and serving their files, until
 * it garbage-collects the sandbox. With the agent id, an editor restored after a reload, or a task the
 * master no longer lists, still resolves: the agent's address comes from the cluster's agents and the run
 * from that agent's /state.
 *
 * Components are given and returned decoded; the editor's Uri does the percent-encoding (a task id
 * `web 1+2` is written `web%201%2B2`). The cluster name is compared without regard to case: VS Code
 * lowercases the authority when it writes a URI as text, and cluster names are unique regardless of case.
 */
export const SANDBOX_FILE_SCHEME = 'mesos-sandbox';

export interface SandboxFileAddress {
  readonly clusterName: string;
  readonly agentId: string;
  readonly frameworkId: string;
  readonly taskId: string;
  /** Inside the sandbox: segments joined by `/`, no leading or trailing slash; `''` is the sandbox itself. */
  readonly path: string;
}

/** The parts of a URI this module reads and writes (a `vscode.Uri` has them, decoded). */
export interface SandboxUriParts {
  readonly scheme: string;
  readonly authority: string;
  readonly path: string;
}

export class SandboxUriError extends Error {
  override readonly name = 'SandboxUriError';
  constructor(
    readonly uri: string,
    readonly reason: string,
    readonly nextStep: string,
  ) {
    super(`${uri} is not a sandbox file address: ${reason}. ${nextStep}`);
  }
}

const NEXT_STEP = "Open sandbox files with Mesos: Open Sandbox File… (from a task's context menu or the palette)";

/** The URI parts of an address (`path` starts with `/`). Throws SandboxUriError for an id or segment that cannot be one. */
export function formatSandboxUri(address: SandboxFileAddress): SandboxUriParts {
  const shown = () => `the sandbox address of task ${JSON.stringify(address.taskId)}`;
  if (address.clusterName.trim() === '') throw new SandboxUriError(shown(), 'the cluster name is empty', NEXT_STEP);
  const ids = [
    checkSegment(address.agentId, 'agent id', shown),
    checkSegment(address.frameworkId, 'framework id', shown),
    checkSegment(address.taskId, 'task id', shown),
  ];
  const inside = splitPath(address.path, shown);
  return { scheme: SANDBOX_FILE_SCHEME, authority: address.clusterName, path: `/${[...ids, ...inside].join('/')}` };
}

/** The address a URI names. Throws SandboxUriError when it is not a `mesos-sandbox:` URI of that form. */
export function parseSandboxUri(parts: SandboxUriParts): SandboxFileAddress {
  const shown = () => `${parts.scheme}://${parts.authority}${parts.path}`;
  if (parts.scheme !== SANDBOX_FILE_SCHEME) {
    throw new SandboxUriError(
      shown(),
      `the scheme is ${JSON.stringify(parts.scheme)}, not ${SANDBOX_FILE_SCHEME}`,
      NEXT_STEP,
    );
  }
  if (parts.authority.trim() === '')
    throw new SandboxUriError(shown(), 'it names no cluster (the part after //)', NEXT_STEP);
  const segments = splitPath(parts.path, shown);
  if (segments.length < 3) {
    throw new SandboxUriError(
      shown(),
      `it has ${segments.length} of the 3 ids it needs after the cluster name (/<agent id>/<framework id>/<task id>)`,
      NEXT_STEP,
    );
  }
  const [agentId, frameworkId, taskId, ...inside] = segments as [string, string, string, ...string[]];
  return { clusterName: parts.authority, agentId, frameworkId, taskId, path: inside.join('/') };
}

/** The entry `name` of the directory at `address`. */
export function sandboxChild(address: SandboxFileAddress, name: string): SandboxFileAddress {
  const inside = splitPath(
    name,
    () => `${JSON.stringify(name)} in the sandbox of task ${JSON.stringify(address.taskId)}`,
  );
  return { ...address, path: [...splitPath(address.path, () => address.path), ...inside].join('/') };
}

/** The directory holding `address`, or undefined for the sandbox itself. */
export function sandboxParent(address: SandboxFileAddress): SandboxFileAddress | undefined {
  if (address.path === '') return undefined;
  const cut = address.path.lastIndexOf('/');
  return { ...address, path: cut < 0 ? '' : address.path.slice(0, cut) };
}

/** The last segment of the path (`''` for the sandbox itself). */
export function sandboxBaseName(address: SandboxFileAddress): string {
  return address.path.slice(address.path.lastIndexOf('/') + 1);
}

/** One task's sandbox, the same for every file in it: `<cluster lowercased>/<agent>/<framework>/<task>`. */
export function sandboxKey(address: SandboxFileAddress): string {
  return [address.clusterName.toLowerCase(), address.agentId, address.frameworkId, address.taskId].join('/');
}

// Empty segments (a doubled or trailing slash) are dropped; `.` and `..` are refused: the agent resolves
// paths itself, and one that climbs out of this task's sandbox would read another task's files.
function splitPath(path: string, shown: () => string): string[] {
  const segments = path.split('/').filter((s) => s !== '');
  for (const segment of segments) {
    if (segment === '.' || segment === '..') {
      throw new SandboxUriError(
        shown(),
        `its path contains ${JSON.stringify(segment)}, which would leave the sandbox`,
        NEXT_STEP,
      );
    }
    if (segment.includes('\0')) throw new SandboxUriError(shown(), 'its path contains a NUL character', NEXT_STEP);
  }
  return segments;
}

function checkSegment(id: string, what: string, shown: () => string): string {
  const bad = sandboxIdProblem(id);
  if (bad !== undefined)
    throw new SandboxUriError(
      shown(),
      `the ${what} ${JSON.stringify(id)} ${bad}`,
      'Mesos does not accept such ids: check where it came from',
    );
  return id;
}
