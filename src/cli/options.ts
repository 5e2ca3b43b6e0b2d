import { CliUsageError } from './cliCommand';

/** An integer option within [min, max], or the default when absent; a usage error names the option. */
export function intOption(value: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new CliUsageError(`--${name} takes a whole number from ${min} to ${max}, got '${value}'`);
  }
  return n;
}
