import { readFileSync } from 'node:fs';
import { VERSION } from '../../core/version';
import { startInboundAgent } from './inboundAgent';
import { AGENT_USAGE, AgentUsageError, parseInboundAgentArgs } from './inboundAgentArgs';

export interface AgentCliIo {
  readonly stdout: { write(chunk: string): unknown };
  readonly stderr: { write(chunk: string): unknown };
  readonly signal?: AbortSignal;
}

/**
 * The sandbox agent's command line: parses agent.jar-style arguments, runs the agent until it stops, and
 * resolves to the process exit code (0 stopped or released, 1 refused or lost, 2 usage error).
 */
export async function runInboundAgentCli(argv: readonly string[], io: AgentCliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseInboundAgentArgs(argv, (path) => readFileSync(path, 'utf8'));
  } catch (err) {
    if (!(err instanceof AgentUsageError)) throw err;
    io.stderr.write(`sandbox-agent: ${err.message}\n\n${AGENT_USAGE}\n`);
    return 2;
  }
  if (parsed.kind === 'help') {
    io.stdout.write(`${AGENT_USAGE}\n`);
    return 0;
  }
  if (parsed.kind === 'version') {
    io.stdout.write(`mesos-ops sandbox agent ${VERSION}\n`);
    return 0;
  }
  for (const warning of parsed.warnings) io.stderr.write(`WARNING: ${warning}\n`);
  const agent = startInboundAgent({
    ...parsed.options,
    log: (line) => io.stdout.write(`${line}\n`),
    signal: io.signal,
  });
  return (await agent.done).code;
}
