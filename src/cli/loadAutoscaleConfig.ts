import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { readAutoscaleConfig, type AutoscaleConfig } from './autoscaleConfig';
import { AutoscaleConfigError } from './autoscaleConfigError';
import { CliUsageError } from './cliCommand';

/**
 * Reads and checks the config file. Relative paths in it (caFile, tokenFile, stateDir) are taken from the
 * file's own directory, so a config works the same from any working directory (a service manager's).
 */
export async function loadAutoscaleConfig(file: string): Promise<AutoscaleConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliUsageError(
      `cannot read the config file ${file} (${code ?? (error as Error).message}): check the path given to --config and its permissions`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (error) {
    throw new CliUsageError(
      `the config file ${file} is not JSON (${(error as Error).message}): fix its syntax (no comments or trailing commas)`,
    );
  }
  const { config, problems } = readAutoscaleConfig(value);
  if (!config) throw new AutoscaleConfigError(file, problems);
  const base = dirname(resolve(file));
  const at = (path: string) => resolve(base, path);
  const { caFile } = config.cluster;
  const { tokenFile } = config.jenkins;
  const { stateDir } = config.scheduler;
  return {
    ...config,
    cluster: { ...config.cluster, ...(caFile !== undefined && { caFile: at(caFile) }) },
    jenkins: { ...config.jenkins, ...(tokenFile !== undefined && { tokenFile: at(tokenFile) }) },
    scheduler: { ...config.scheduler, ...(stateDir !== undefined && { stateDir: at(stateDir) }) },
  };
}
