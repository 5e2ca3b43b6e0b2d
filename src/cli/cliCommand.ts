import type { Logger } from '../core/log/logSink';

/** What a CLI command gets: its own arguments, where to print results, and a logger on stderr. */
export interface CliContext {
  readonly argv: readonly string[];
  readonly stdout: { write(chunk: string | Uint8Array): unknown };
  readonly stderr: { write(chunk: string): unknown };
  readonly log: Logger;
  /** Aborted on Ctrl-C / SIGTERM: long-running commands stop their streams and exit cleanly. */
  readonly signal: AbortSignal;
}

/** One `mesos-ops <name>` subcommand; each lives in its own file under commands/. */
export interface CliCommand {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  /** Resolves to the process exit code. */
  run(ctx: CliContext): Promise<number>;
}

/** A user error: printed as one line with no stack, exit code 2 (usage) unless told otherwise. */
export class CliUsageError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
    this.name = 'CliUsageError';
  }
}
