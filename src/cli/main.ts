import { createLogger } from '../core/log/logSink';
import { StreamSink } from '../core/log/streamSink';
import { VERSION } from '../core/version';
import { CliUsageError, type CliCommand, type CliContext } from './cliCommand';
import { commands } from './commands';

function helpText(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    `mesos-ops ${VERSION}: the Mesos Ops core, headless`,
    '',
    'Usage: mesos-ops <command> [options]',
    '       mesos-ops --help | --version',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `mesos-ops <command> --help` for a command\'s options.',
    '',
  ].join('\n');
}

/** Runs the CLI with the given arguments; resolves to the exit code. Exported for tests. */
export async function main(
  argv: readonly string[],
  io: Pick<CliContext, 'stdout' | 'stderr'> & { signal?: AbortSignal } = process,
): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    io.stdout.write(helpText());
    return first === undefined ? 2 : 0;
  }
  if (first === '--version' || first === '-V') {
    io.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const command: CliCommand | undefined = commands.find((c) => c.name === first);
  if (!command) {
    io.stderr.write(`mesos-ops: unknown command '${first}'. Run 'mesos-ops --help' for the list.\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(`${command.usage}\n`);
    return 0;
  }
  const verbose = rest.includes('--verbose');
  const log = createLogger(new StreamSink(io.stderr, verbose ? 'debug' : 'warn'), command.name);
  const ctx: CliContext = {
    argv: rest.filter((a) => a !== '--verbose'),
    stdout: io.stdout,
    stderr: io.stderr,
    log,
    signal: io.signal ?? new AbortController().signal,
  };
  try {
    return await command.run(ctx);
  } catch (err) {
    if (err instanceof CliUsageError) {
      io.stderr.write(`mesos-ops ${command.name}: ${err.message}\n`);
      return err.exitCode;
    }
    const message = err instanceof Error ? err.message : String(err);
    io.stderr.write(`mesos-ops ${command.name}: ${message}\n`);
    log.debug('failure detail', err);
    return 1;
  }
}
