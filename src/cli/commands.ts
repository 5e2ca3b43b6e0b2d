import type { CliCommand } from './cliCommand';

/** Every `mesos-ops` subcommand, in the order `--help` lists them. */
export const commands: readonly CliCommand[] = [];
