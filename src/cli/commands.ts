import type { CliCommand } from './cliCommand';
import { sandboxCommand } from './commands/sandboxCommand';

/** Every `mesos-ops` subcommand, in the order `--help` lists them. */
export const commands: readonly CliCommand[] = [sandboxCommand];
