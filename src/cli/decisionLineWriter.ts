import { closeSync, openSync, writeSync } from 'node:fs';
import type { AutoscaleDecision } from '../core/scheduler/autoscaler/autoscaleDecision';
import { CliUsageError } from './cliCommand';

/**
 * Writes each autoscaler decision as one JSON line (the same records as "Export Scaling Decisions…", so
 * DecisionRing.fromJsonLines reads a daemon's file back), appended to a file or written to stdout.
 *
 * File writes are synchronous: decisions come a few at a time, and a line written before the process
 * is killed must be whole and on disk, not in a stream's buffer.
 */
export class DecisionLineWriter {
  private failed = false;

  private constructor(
    private readonly out: { write(chunk: string): unknown } | undefined,
    private fd: number | undefined,
    private readonly where: string,
    private readonly onError: (message: string) => void,
  ) {}

  /** Appends to `file` (created if missing), or writes to `stdout` when no file is given. */
  static open(
    file: string | undefined,
    stdout: { write(chunk: string): unknown },
    onError: (message: string) => void,
  ): DecisionLineWriter {
    if (file === undefined) return new DecisionLineWriter(stdout, undefined, 'stdout', onError);
    let fd: number;
    try {
      fd = openSync(file, 'a', 0o644);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new CliUsageError(
        `cannot open the decisions file ${file} (${code ?? (error as Error).message}): check that its directory exists and is writable`,
      );
    }
    return new DecisionLineWriter(undefined, fd, file, onError);
  }

  write(decision: AutoscaleDecision): void {
    const line = `${JSON.stringify(decision)}\n`;
    try {
      if (this.fd !== undefined) writeSync(this.fd, line);
      else this.out?.write(line);
    } catch (error) {
      // the daemon goes on scaling; the log says once that its record is incomplete
      if (this.failed) return;
      this.failed = true;
      this.onError(
        `could not write a decision to ${this.where} (${(error as Error).message}); later decisions may be missing there too`,
      );
    }
  }

  close(): void {
    if (this.fd === undefined) return;
    try {
      closeSync(this.fd);
    } finally {
      this.fd = undefined;
    }
  }
}
