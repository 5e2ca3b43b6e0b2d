import { formatDetail, type LogLevel, type LogSink } from './logSink';

const ORDER: Record<LogLevel, number> = { trace: 0, debug: 1, info: 2, warn: 3, error: 4 };

/** Writes log lines to a writable stream (the CLI's stderr), from a minimum level up. */
export class StreamSink implements LogSink {
  constructor(
    private readonly out: { write(chunk: string): unknown },
    private readonly minLevel: LogLevel = 'info',
  ) {}

  log(level: LogLevel, component: string, message: string, detail?: unknown): void {
    if (ORDER[level] < ORDER[this.minLevel]) return;
    const suffix = detail === undefined ? '' : ` ${formatDetail(detail)}`;
    this.out.write(`${new Date().toISOString()} ${level} [${component}] ${message}${suffix}\n`);
  }
}
