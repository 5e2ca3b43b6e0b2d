import type { ParseArgsConfig } from 'node:util';
import { CliUsageError } from './cliCommand';
import { MASTER_OPTIONS } from './masterOptions';
import { parseCommandArgs } from './parseCommandArgs';

export interface TaskArgsShape {
  /** Whether an optional FILE may follow TASK. */
  readonly file: boolean;
  /** The usage error for missing or extra positionals (the usage is appended). */
  readonly misuse: string;
}

/**
 * The arguments of a command about one task (kill, logs, tail): the cluster options, --framework and the
 * command's own `options`, then TASK (a task id or a unique prefix of one) and, if the command takes one,
 * a FILE. Wrong arguments are a usage error that shows `usage`.
 */
export function parseTaskArgs<T extends NonNullable<ParseArgsConfig['options']>>(
  argv: readonly string[],
  options: T,
  usage: string,
  shape: TaskArgsShape,
) {
  const { values, positionals } = parseCommandArgs(
    argv,
    { ...MASTER_OPTIONS, framework: { type: 'string' }, ...options } as const,
    usage,
    true,
  );
  const [taskId, ...rest] = positionals;
  const file = shape.file ? rest.shift() : undefined;
  if (!taskId || rest.length) throw new CliUsageError(`${shape.misuse}\n\n${usage}`);
  return { values, taskId, file };
}
