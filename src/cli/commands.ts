import type { CliCommand } from './cliCommand';
import { autoscaleCommand } from './commands/autoscaleCommand';
import { catCommand } from './commands/catCommand';
import { executeCommand } from './commands/executeCommand';
import { killCommand } from './commands/killCommand';
import { logsCommand } from './commands/logsCommand';
import { psCommand } from './commands/psCommand';
import { sandboxCommand } from './commands/sandboxCommand';
import { sandboxFaultCommand } from './commands/sandboxFaultCommand';
import { stateCommand } from './commands/stateCommand';
import { tailCommand } from './commands/tailCommand';
import { watchCommand } from './commands/watchCommand';

/** Every `mesos-ops` subcommand, in the order `--help` lists them. */
export const commands: readonly CliCommand[] = [
  stateCommand,
  psCommand,
  watchCommand,
  catCommand,
  tailCommand,
  logsCommand,
  executeCommand,
  killCommand,
  autoscaleCommand,
  sandboxCommand,
  sandboxFaultCommand,
];
