import { CliUsageError } from './cliCommand';

/**
 * A decimal option (cpus, seconds) greater than `min` (or equal, with `inclusive`), or the default when
 * absent; a usage error names the option and what it takes.
 */
export function numberOption(
  value: string | undefined,
  name: string,
  fallback: number,
  limits: { min: number; inclusive?: boolean; max?: number },
): number {
  if (value === undefined) return fallback;
  const n = value.trim() === '' ? NaN : Number(value);
  const low = limits.inclusive ? n >= limits.min : n > limits.min;
  if (!Number.isFinite(n) || !low || (limits.max !== undefined && n > limits.max)) {
    const range = `${limits.inclusive ? 'at least' : 'more than'} ${limits.min}${limits.max !== undefined ? ` and at most ${limits.max}` : ''}`;
    throw new CliUsageError(`--${name} takes a number ${range}, got '${value}'`);
  }
  return n;
}
