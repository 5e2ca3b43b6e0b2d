/** A launch request or one of its placement constraints cannot be understood; nothing was matched. */
export class LaunchRequestError extends Error {
  override readonly name = 'LaunchRequestError';
  constructor(
    readonly requestId: string,
    readonly problem: string,
    readonly nextStep: string,
  ) {
    super(`launch request '${requestId}': ${problem}. ${nextStep}`);
  }
}
