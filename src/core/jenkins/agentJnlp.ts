import { XMLParser } from 'fast-xml-parser';
import type { AgentJnlp } from './jenkinsClientTypes';
import { JenkinsShapeError } from './jenkinsShapeError';

const SECRET = /^[0-9a-f]{64}$/i;

const parser = new XMLParser({
  ignoreAttributes: true,
  // Secrets and names stay text: "0123…" must not become a number.
  parseTagValue: false,
  trimValues: true,
  isArray: (name) => name === 'argument',
  processEntities: true,
});

/**
 * Reads `computer/<name>/jenkins-agent.jnlp` (reference §4.5): the first `<argument>` is the secret, the
 * second the node name, then agent options such as `-webSocket`, `-workDir DIR`, `-url URL`. Errors say
 * what is missing but never quote the file: it holds the secret.
 */
export function parseAgentJnlp(xml: string, expectedName: string): AgentJnlp {
  const document = `the JNLP file of ‘${expectedName}’ (computer/…/jenkins-agent.jnlp)`;
  let parsed: unknown;
  try {
    parsed = parser.parse(xml, true);
  } catch {
    throw new JenkinsShapeError(document, '', 'is not well-formed XML');
  }
  const args = argumentsOf(parsed);
  if (args === undefined) throw new JenkinsShapeError(document, 'jnlp.application-desc', 'has no <argument> elements');
  const [secret, name, ...options] = args;
  if (secret === undefined || !SECRET.test(secret)) {
    throw new JenkinsShapeError(document, 'the first <argument>', 'is not an agent secret (64 hexadecimal characters)');
  }
  if (name !== expectedName) {
    throw new JenkinsShapeError(
      document,
      'the second <argument>',
      `names ${name === undefined ? 'no node' : `the node ${JSON.stringify(name)}`}, not ‘${expectedName}’`,
    );
  }
  const valueAfter = (flag: string) => {
    const i = options.indexOf(flag);
    return i >= 0 ? options[i + 1] : undefined;
  };
  return {
    secret: secret.toLowerCase(),
    name,
    url: valueAfter('-url'),
    webSocket: options.includes('-webSocket'),
    workDir: valueAfter('-workDir'),
    internalDir: valueAfter('-internalDir'),
    options,
  };
}

function argumentsOf(parsed: unknown): string[] | undefined {
  const jnlp = (parsed as { jnlp?: unknown } | undefined)?.jnlp;
  const desc = (jnlp as { 'application-desc'?: unknown } | undefined)?.['application-desc'];
  const list = (desc as { argument?: unknown } | undefined)?.argument;
  if (!Array.isArray(list)) return undefined;
  return list.map((value) =>
    typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value),
  );
}
