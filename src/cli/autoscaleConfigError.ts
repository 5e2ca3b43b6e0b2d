import type { AutoscaleConfigProblem } from './autoscaleConfig';
import { CliUsageError } from './cliCommand';

/** The config file of `mesos-ops autoscale` cannot be used: every problem, each with its path in the file. */
export class AutoscaleConfigError extends CliUsageError {
  override readonly name = 'AutoscaleConfigError';

  constructor(
    readonly file: string,
    readonly problems: readonly AutoscaleConfigProblem[],
  ) {
    const list = problems.map((p) => `${p.path}: ${p.message}`).join('; ');
    super(
      `the config file ${file} has ${problems.length === 1 ? 'a problem' : `${problems.length} problems`}: ${list}. ` +
        `Fix ${problems.length === 1 ? 'it' : 'them'} and check again with 'mesos-ops autoscale --config ${file} --once'.`,
      2,
    );
  }
}
