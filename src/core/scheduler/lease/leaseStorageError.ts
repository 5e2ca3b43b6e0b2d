/**
 * The directory the windows share (the extension's global storage) cannot be used: nothing about the
 * lease, mailbox or status was decided, and the scheduler cannot safely start here until it can.
 */
export class LeaseStorageError extends Error {
  override readonly name = 'LeaseStorageError';
  readonly nextStep: string;

  constructor(
    readonly path: string,
    readonly action: string,
    cause: unknown,
  ) {
    const code = (cause as NodeJS.ErrnoException | undefined)?.code;
    const why = code ?? (cause instanceof Error ? cause.message : String(cause));
    const nextStep = `Check that ${path} exists, is writable by you and the disk is not full.`;
    super(`Could not ${action} in ${path} (${why}). ${nextStep}`, { cause });
    this.nextStep = nextStep;
  }
}
