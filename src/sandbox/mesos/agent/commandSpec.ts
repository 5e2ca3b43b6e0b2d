/**
 * What the sandbox agent needs to run a command task, taken out of a TaskInfo's CommandInfo (reference
 * §3.10): kept apart from the protobuf types so the process code has one small input.
 */
export interface CommandSpec {
  /** true: `/bin/sh -c value` (arguments ignored); false: exec `value` with `arguments` (argv[0] included). */
  readonly shell: boolean;
  readonly value: string;
  readonly arguments: readonly string[];
  readonly environment: Readonly<Record<string, string>>;
  readonly uris: readonly FetchUri[];
}

/** CommandInfo.URI: fetched into the sandbox before the command starts. */
export interface FetchUri {
  readonly value: string;
  /** chmod +x the result; disables extraction. */
  readonly executable: boolean;
  /** Unpack archives (default true in Mesos). */
  readonly extract: boolean;
  /** Local file name, relative to the sandbox (useful when the URI has a query string). */
  readonly outputFile?: string;
}
