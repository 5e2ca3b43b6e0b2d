/**
 * A legacy endpoint (`/master/state`, `/master/tasks`) answered something that is not the JSON a Mesos
 * master writes there. `path` names the place (`frameworks[2].tasks[0].state`) when one field is wrong.
 */
export class LegacyResponseError extends Error {
  override readonly name = 'LegacyResponseError';

  constructor(
    /** The endpoint path, e.g. `/master/state`. */
    readonly endpoint: string,
    readonly kind: 'not-json' | 'wrong-shape',
    /** What was wrong, without the next step. */
    readonly reason: string,
    readonly path?: string,
    options?: { cause?: unknown },
  ) {
    super(
      `The answer of ${endpoint} is not what a Mesos master sends${path ? ` (at ${path})` : ''}: ${reason}. ` +
        'Check that the URL points at a Mesos master (1.x), not at a proxy or login page.',
      options,
    );
  }
}
