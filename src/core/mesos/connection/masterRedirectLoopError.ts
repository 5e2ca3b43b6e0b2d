import { MesosHttpError, type MesosHttpErrorInit } from '../../http/errors';

/**
 * Masters kept redirecting without one of them answering: during an election two masters can each name
 * the other as leader for a moment, so this is retried with backoff, but never followed forever.
 */
export class MasterRedirectLoopError extends MesosHttpError {
  override name = 'MasterRedirectLoopError';
  override readonly category = 'unexpected-response';

  constructor(
    init: MesosHttpErrorInit,
    /** Every URL asked, in order, the last one being where the final redirect pointed. */
    readonly hops: readonly string[],
    /** True when the last redirect pointed back at a URL already asked; false when the hop limit ran out. */
    readonly cycle: boolean,
  ) {
    super(
      init,
      `The Mesos masters redirected ${init.method ?? 'the request'} ${cycle ? 'in a circle' : `${hops.length - 1} times without an answer`}: ` +
        `${hops.join(' -> ')}`,
      'An election is probably under way, so this is retried; if it persists, check that the masters agree on a ' +
        'leader (their /master/redirect) and that their --hostname values are reachable from here',
      true,
    );
  }
}
