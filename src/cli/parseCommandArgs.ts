import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliUsageError } from './cliCommand';

/** node:util parseArgs with strict checking, turning its errors into usage errors that show the usage. */
export function parseCommandArgs<T extends NonNullable<ParseArgsConfig['options']>>(
  argv: readonly string[],
  options: T,
  usage: string,
  allowPositionals = false,
) {
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals });
  } catch (err) {
    throw new CliUsageError(`${(err as Error).message}\n\n${usage}`);
  }
}
