import type { InboundAgentOptions } from './inboundAgent';

/**
 * The command line of the sandbox inbound agent, mirroring `agent.jar` (remoting's `Launcher`):
 * `-url URL -name NAME -secret HEX|@file [-webSocket] [-workDir DIR] [-internalDir NAME]
 * [-failIfWorkDirIsMissing] [-noReconnect] [-noReconnectAfter DUR] [-credentials USER:PASS]`, or the old
 * `-jnlpUrl <root>computer/<name>/slave-agent.jnlp -secret HEX`, or positional `<secret> <name>`.
 * Transport options that make no sense over the sandbox's HTTP link are accepted and ignored, so command
 * lines written for the real agent work unchanged.
 */
export class AgentUsageError extends Error {
  override readonly name = 'AgentUsageError';
}

export type ParsedAgentArgs =
  | { readonly kind: 'run'; readonly options: InboundAgentOptions; readonly warnings: readonly string[] }
  | { readonly kind: 'help' }
  | { readonly kind: 'version' };

export const AGENT_USAGE = `Usage: node sandbox-agent.js -url URL -name NAME -secret SECRET [options]
       node sandbox-agent.js -jnlpUrl URL/computer/NAME/slave-agent.jnlp -secret SECRET [options]

The mesos-ops sandbox inbound agent: connects to a sandbox Jenkins, brings its node online and runs the
builds the controller gives it. Options follow Jenkins' agent.jar:
  -url URL                  controller root URL (repeatable: tried in order)
  -name NAME                node name
  -secret HEX|@FILE         the node's secret (from computer/NAME/jenkins-agent.jnlp); @FILE reads a file
  -jnlpUrl URL              old bootstrap: read -url and -name from the controller's JNLP file
  -workDir DIR              work directory (created if missing unless -failIfWorkDirIsMissing)
  -internalDir NAME         directory inside workDir for the agent's own files (default remoting)
  -failIfWorkDirIsMissing   exit instead of creating a missing workDir
  -noReconnect              exit when the connection drops instead of reconnecting
  -noReconnectAfter DUR     stop reconnecting after DUR (30s, 10m, 1h, 2d or ISO-8601 PT10M)
  -credentials USER:PASS    HTTP Basic credentials for -jnlpUrl
  -noCertificateCheck       do not verify HTTPS certificates
  -webSocket, -tunnel, -webSocketHeader, -jar-cache, -agentLog, -loggingConfig, -noKeepAlive, -headless
                            accepted for compatibility; the sandbox link is plain HTTP
  -version, -help
Exit codes: 0 stopped or released by the controller, 1 refused or connection lost, 2 usage error.`;

const IGNORED_WITH_VALUE = new Set([
  '-tunnel',
  '-webSocketHeader',
  '-jar-cache',
  '-agentLog',
  '-loggingConfig',
  '-proxyCredentials',
  '-cert',
  '-protocols',
]);
const IGNORED_FLAGS = new Set(['-noKeepAlive', '-headless']);

/** Expands `@file` arguments (one argument per line), as args4j does for agent.jar. */
export function expandArgumentFiles(argv: readonly string[], readText: (path: string) => string): string[] {
  const out: string[] = [];
  for (const arg of argv) {
    if (arg.startsWith('@') && arg.length > 1) {
      let text: string;
      try {
        text = readText(arg.slice(1));
      } catch (err) {
        throw new AgentUsageError(`cannot read the argument file ${arg.slice(1)}: ${(err as Error).message}`);
      }
      out.push(
        ...text
          .split(/\r?\n/)
          .map((l) => l.trim())
          .filter((l) => l !== ''),
      );
    } else {
      out.push(arg);
    }
  }
  return out;
}

/** `30s`, `10m`, `1h`, `2d`, or ISO-8601 durations such as `PT10M`, `P1DT2H`; milliseconds. */
export function parseAgentDuration(text: string): number {
  const simple = /^(\d+)\s*(ms|s|m|h|d)$/i.exec(text.trim());
  if (simple) {
    const unit = (simple[2] as string).toLowerCase();
    const factor = { ms: 1, s: 1000, m: 60_000, h: 3600_000, d: 86_400_000 }[unit] as number;
    return Number(simple[1]) * factor;
  }
  const iso = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i.exec(text.trim());
  if (iso && text.trim().length > 1 && !/T$/i.test(text.trim())) {
    const [, d, h, m, s] = iso;
    return (Number(d ?? 0) * 86_400 + Number(h ?? 0) * 3600 + Number(m ?? 0) * 60 + Number(s ?? 0)) * 1000;
  }
  throw new AgentUsageError(`-noReconnectAfter: cannot read the duration "${text}" (use 30s, 10m, 1h, 2d or PT10M)`);
}

export function parseInboundAgentArgs(argv: readonly string[], readText: (path: string) => string): ParsedAgentArgs {
  const args = expandArgumentFiles(argv, readText);
  const urls: string[] = [];
  const positional: string[] = [];
  const warnings: string[] = [];
  let name: string | undefined;
  let secret: string | undefined;
  let jnlpUrl: string | undefined;
  let workDir: string | undefined;
  let internalDir: string | undefined;
  let failIfWorkDirIsMissing = false;
  let noReconnect = false;
  let noReconnectAfterMs: number | undefined;
  let credentials: string | undefined;
  let noCertificateCheck = false;
  let webSocket = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const value = (): string => {
      const v = args[++i];
      if (v === undefined) throw new AgentUsageError(`${arg} needs a value`);
      return v;
    };
    switch (arg) {
      case '-help':
      case '--help':
      case '-h':
        return { kind: 'help' };
      case '-version':
      case '--version':
        return { kind: 'version' };
      case '-url':
        urls.push(value());
        break;
      case '-name':
        name = value();
        break;
      case '-secret':
        secret = value();
        break;
      case '-jnlpUrl':
        jnlpUrl = value();
        break;
      case '-workDir':
        workDir = value();
        break;
      case '-internalDir':
        internalDir = value();
        break;
      case '-failIfWorkDirIsMissing':
        failIfWorkDirIsMissing = true;
        break;
      case '-noReconnect':
      case '-noreconnect':
        noReconnect = true;
        break;
      case '-noReconnectAfter':
        noReconnectAfterMs = parseAgentDuration(value());
        break;
      case '-credentials':
      case '-jnlpCredentials':
        credentials = value();
        if (!credentials.includes(':')) throw new AgentUsageError(`${arg} takes USER:PASSWORD`);
        break;
      case '-noCertificateCheck':
      case '-disableHttpsCertValidation':
        noCertificateCheck = true;
        break;
      case '-webSocket':
        webSocket = true;
        break;
      case '-direct':
      case '-instanceIdentity':
        throw new AgentUsageError(
          `${arg} (a direct TCP connection) is not available: the sandbox agent connects over HTTP with -url`,
        );
      default:
        if (IGNORED_WITH_VALUE.has(arg)) {
          value();
        } else if (IGNORED_FLAGS.has(arg)) {
          // accepted for compatibility
        } else if (arg.startsWith('-')) {
          throw new AgentUsageError(`unknown option ${arg}`);
        } else {
          positional.push(arg);
        }
    }
  }
  if (positional.length > 0) {
    if (positional.length !== 2 || secret !== undefined || name !== undefined) {
      throw new AgentUsageError(`unexpected arguments: ${positional.join(' ')}`);
    }
    [secret, name] = positional as [string, string];
    warnings.push('Positional <secret> <name> arguments are deprecated; use -secret and -name.');
  }
  if (jnlpUrl !== undefined) {
    if (urls.length > 0 || name !== undefined || webSocket) {
      throw new AgentUsageError('-jnlpUrl cannot be combined with -url, -name or -webSocket');
    }
    if (secret === undefined && credentials === undefined) {
      throw new AgentUsageError('-jnlpUrl needs -secret (or -credentials to read the file unencrypted)');
    }
  } else {
    if (urls.length === 0) throw new AgentUsageError('-url is required (the controller root URL)');
    if (name === undefined) throw new AgentUsageError('-name is required');
    if (secret === undefined) throw new AgentUsageError('-secret is required');
    if (webSocket && urls.length !== 1) throw new AgentUsageError('-webSocket allows exactly one -url');
  }
  return {
    kind: 'run',
    warnings,
    options: {
      urls,
      name,
      secret,
      jnlpUrl,
      workDir,
      internalDir,
      failIfWorkDirIsMissing,
      noReconnect,
      noReconnectAfterMs,
      credentials,
      noCertificateCheck,
    },
  };
}
