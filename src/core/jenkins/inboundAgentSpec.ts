import { jenkinsNameProblem } from './labelExpressionAtomName';
import { quoteJenkinsString, tokenizeLabelString } from './labelExpressionQuoting';
import { InboundAgentRequestError } from './inboundAgentRequestError';

/** What the autoscaler asks for when it creates a Jenkins node for an inbound agent. */
export interface InboundAgentRequest {
  /**
   * The node name: letters, digits, `.`, `_`, `-`, starting with a letter or digit, at most 63 characters,
   * so that it also works as a host name, a Mesos task name and a shell word (reference §7.5). Never
   * reuse a name: its agent secret depends only on the name (§7.6), so add a fresh random suffix.
   */
  readonly name: string;
  /** Label atoms, e.g. `['mesos', 'linux']`; the node also gets its own name as a label. */
  readonly labels: readonly string[];
  /** Executors (whole number, at least 1). */
  readonly executors: number;
  /** The agent's root directory (`remoteFS`), e.g. `/home/jenkins/agent`; also its remoting work directory. */
  readonly remoteFs: string;
  readonly description?: string;
  /**
   * `EXCLUSIVE` (default): only builds whose label the node satisfies; `NORMAL`: also unlabeled builds
   * (reference §7.9).
   */
  readonly mode?: 'NORMAL' | 'EXCLUSIVE';
  /**
   * Default true: the JNLP file and Jenkins' suggested command use WebSocket (the agent needs only the
   * HTTP port). The controller accepts either transport whatever this says.
   */
  readonly webSocket?: boolean;
}

/** A request checked and put in the form both creation endpoints take. */
export interface InboundAgentSpec {
  readonly name: string;
  /** Atoms joined by spaces, quoted where Jenkins' label-string tokenizer needs it. */
  readonly labelString: string;
  readonly executors: number;
  readonly remoteFs: string;
  readonly description: string;
  readonly mode: 'NORMAL' | 'EXCLUSIVE';
  readonly webSocket: boolean;
}

const NODE_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9_-])?$/;
const MAX_NAME_LENGTH = 63;
/** Control characters other than tab, LF and CR: XML 1.0 cannot carry them, and config.xml would. */
function hasControl(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if ((code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) || code === 0x7f) return true;
  }
  return false;
}

/** Checks a request; throws InboundAgentRequestError naming the first bad field. */
export function inboundAgentSpec(request: InboundAgentRequest): InboundAgentSpec {
  const name = checkNodeName(request.name);

  if (!Array.isArray(request.labels)) {
    throw new InboundAgentRequestError('labels', 'is not a list', 'Pass the label atoms as an array of strings');
  }
  const atoms: string[] = [];
  for (const atom of request.labels as readonly unknown[]) {
    if (typeof atom !== 'string' || atom.trim() === '') {
      throw new InboundAgentRequestError(
        'labels',
        `contain ${typeof atom === 'string' ? 'an empty label' : `the non-text value ${String(atom)}`}`,
        'Give each label as a non-empty word such as "linux"',
      );
    }
    if (hasControl(atom)) {
      throw new InboundAgentRequestError(
        'labels',
        `contain ${JSON.stringify(atom)}, which has a control character`,
        'Use printable labels (letters, digits and -_.:/ are safe)',
      );
    }
    if (!atoms.includes(atom)) atoms.push(atom);
  }
  const labelString = atoms.map((atom) => (/[\s"'\\]/.test(atom) ? quoteJenkinsString(atom) : atom)).join(' ');
  const parsed = tokenizeLabelString(labelString);
  if (parsed.length !== atoms.length || parsed.some((atom, i) => atom !== atoms[i])) {
    const bad = atoms.find((atom) => !parsed.includes(atom)) ?? atoms.join(' ');
    throw new InboundAgentRequestError(
      'labels',
      `contain ${JSON.stringify(bad)}, which Jenkins would not read back as one label`,
      'Use labels without control characters (letters, digits and -_.:/ are safe)',
    );
  }

  const executors = request.executors;
  if (typeof executors !== 'number' || !Number.isSafeInteger(executors) || executors < 1) {
    throw new InboundAgentRequestError(
      'executors',
      `is ${String(executors)}, not a whole number of at least 1`,
      'Give the number of builds the agent runs at once (usually 1)',
    );
  }

  const remoteFs = typeof request.remoteFs === 'string' ? request.remoteFs.trim() : '';
  if (remoteFs === '' || hasControl(remoteFs) || /[\r\n\t]/.test(remoteFs)) {
    throw new InboundAgentRequestError(
      'remote root directory (remoteFs)',
      remoteFs === '' ? 'is empty' : 'contains control characters',
      'Give the directory the agent works in, e.g. /home/jenkins/agent',
    );
  }

  const description = request.description ?? '';
  if (typeof description !== 'string' || hasControl(description)) {
    throw new InboundAgentRequestError(
      'description',
      'contains control characters',
      'Use printable text (line breaks are fine)',
    );
  }

  const mode = request.mode ?? 'EXCLUSIVE';
  if (mode !== 'NORMAL' && mode !== 'EXCLUSIVE') {
    throw new InboundAgentRequestError('mode', `is ${JSON.stringify(mode)}`, 'Use "EXCLUSIVE" or "NORMAL"');
  }
  return { name, labelString, executors, remoteFs, description, mode, webSocket: request.webSocket ?? true };
}

/**
 * The stricter rule the client applies to names it creates; names of existing nodes (which may be
 * anything Jenkins accepted) only need `existingNodeNameProblem` to pass.
 */
function checkNodeName(name: unknown): string {
  if (typeof name !== 'string' || name === '') {
    throw new InboundAgentRequestError('name', 'is empty', 'Give the node a name such as mesos-linux-6f1d2c3e');
  }
  if (name.length > MAX_NAME_LENGTH || !NODE_NAME.test(name)) {
    throw new InboundAgentRequestError(
      'name',
      `${JSON.stringify(name)} is not a safe node name`,
      `Use at most ${MAX_NAME_LENGTH} letters, digits, ".", "_" or "-", starting with a letter or digit and not ` +
        'ending with "." (it becomes a host name, a Mesos task name and a shell argument)',
    );
  }
  const problem = jenkinsNameProblem(name);
  if (problem !== null)
    throw new InboundAgentRequestError('name', `is refused by Jenkins' rule: ${problem}`, 'Pick another name');
  return name;
}

/**
 * What is wrong with the name of an existing node, as a path segment of `computer/<name>/…`, or null.
 * Jenkins' own rule (`checkGoodName`), so nodes made by others can still be handled.
 */
export function existingNodeNameProblem(name: unknown): string | null {
  if (typeof name !== 'string') return 'is not text';
  if (name === '(built-in)' || name === '(master)') return 'is the built-in node, which the client never changes';
  return jenkinsNameProblem(name);
}
