import type { LogLevel, LogSink } from '../core/log/logSink';
import type { CliContext } from './cliCommand';

/**
 * The command's logger as a sink for the core, so `--verbose` shows the scheduler's own log on stderr too.
 *
 * While the command tears its framework down, the master ends the scheduler stream before it answers the
 * TEARDOWN call, and the stream warns that it is down and will subscribe again; that end is the one asked
 * for, so its warnings are logged as debug then. And the end of a subscription is said once, by the
 * command with what it means for the task, rather than also by the stream and the driver.
 */
export class CliLogSink implements LogSink {
  private stopping = false;

  constructor(private readonly ctx: CliContext) {}

  /** From now on the scheduler stream is expected to end. */
  expectStreamEnd(): void {
    this.stopping = true;
  }

  log(level: LogLevel, component: string, message: string, detail?: unknown): void {
    const quiet =
      (this.stopping && level === 'warn' && component.endsWith('.stream')) ||
      message.startsWith('The scheduler subscription ended');
    this.ctx.log.child(component)[quiet ? 'debug' : level](message, detail);
  }
}
