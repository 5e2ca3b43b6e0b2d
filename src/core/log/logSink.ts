/**
 * The core's only way to log. The extension connects it to its LogOutputChannel, the CLI to stderr,
 * tests to an array; the core never knows which. Component tags ("scheduler", "http", …) let a reader
 * filter one subsystem out of a busy log.
 */
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

export interface LogSink {
  log(level: LogLevel, component: string, message: string, detail?: unknown): void;
}

/** A component-scoped view of a sink, so call sites read `log.info('subscribed')`. */
export interface Logger {
  trace(message: string, detail?: unknown): void;
  debug(message: string, detail?: unknown): void;
  info(message: string, detail?: unknown): void;
  warn(message: string, detail?: unknown): void;
  error(message: string, detail?: unknown): void;
  child(component: string): Logger;
}

export function createLogger(sink: LogSink, component: string): Logger {
  const at = (level: LogLevel) => (message: string, detail?: unknown) =>
    sink.log(level, component, message, detail);
  return {
    trace: at('trace'),
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (sub) => createLogger(sink, `${component}.${sub}`),
  };
}

/** Drops everything: for library callers that pass no sink. */
export const silentSink: LogSink = { log: () => undefined };

/** Collects records in memory: for tests that assert what was (or was not) logged. */
export class MemorySink implements LogSink {
  readonly records: { level: LogLevel; component: string; message: string; detail?: unknown }[] = [];
  log(level: LogLevel, component: string, message: string, detail?: unknown): void {
    this.records.push({ level, component, message, detail });
  }
  text(): string {
    return this.records
      .map((r) => `${r.level} [${r.component}] ${r.message}${r.detail === undefined ? '' : ' ' + formatDetail(r.detail)}`)
      .join('\n');
  }
}

/** Renders a detail value for a text log; errors keep their cause chain, which is the useful part. */
export function formatDetail(detail: unknown): string {
  if (detail instanceof Error) {
    let out = detail.stack ?? `${detail.name}: ${detail.message}`;
    let cause = (detail as { cause?: unknown }).cause;
    for (let depth = 0; cause !== undefined && depth < 5; depth++) {
      out += `\n  caused by: ${cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause)}`;
      cause = cause instanceof Error ? (cause as { cause?: unknown }).cause : undefined;
    }
    return out;
  }
  if (typeof detail === 'string') return detail;
  try {
    return JSON.stringify(detail);
  } catch {
    return String(detail);
  }
}
