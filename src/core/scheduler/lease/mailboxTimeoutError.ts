import type { SchedulerWhere } from './leaseInfo';

/**
 * The scheduler that holds the lease did not reply in time. `delivered` tells the two cases apart that
 * matter to the user: false means it never picked the request up (it was withdrawn, nothing happened);
 * true means it took the request and may still act on it.
 */
export class MailboxTimeoutError extends Error {
  override readonly name = 'MailboxTimeoutError';
  readonly nextStep: string;

  constructor(
    readonly requestId: string,
    readonly timeoutMs: number,
    readonly delivered: boolean,
    where: SchedulerWhere = 'window',
  ) {
    const who = where === 'headless' ? 'The headless scheduler' : 'The scheduler in the other window';
    const nextStep = delivered
      ? 'It took the request and may still carry it out: check its tasks before sending it again.'
      : 'The request was withdrawn, so nothing was done: try again, or close the other window to run the scheduler here.';
    super(`${who} did not answer within ${formatSeconds(timeoutMs)} s; it may be busy or closed. ${nextStep}`);
    this.nextStep = nextStep;
  }
}

function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return Number.isInteger(s) ? String(s) : s.toFixed(1);
}
