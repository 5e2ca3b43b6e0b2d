/**
 * A createInboundAgent request refused before anything was sent: `field` names the bad option,
 * `problem` what is wrong with it, `nextStep` how to fix it.
 */
export class InboundAgentRequestError extends Error {
  override readonly name = 'InboundAgentRequestError';

  constructor(
    readonly field: string,
    readonly problem: string,
    readonly nextStep: string,
  ) {
    super(`The agent node's ${field} ${problem}. ${nextStep}`);
  }

  /** The message without its next step. */
  get summary(): string {
    return `The agent node's ${this.field} ${this.problem}`;
  }
}
