/**
 * A response Jenkins sent that does not have the shape Jenkins gives it: a JSON key of the wrong type, a
 * JNLP file without the secret. `path` says where (`items[3].task.name`), `problem` what was wrong. The
 * message never quotes a secret: JNLP problems describe the argument, not its value.
 */
export class JenkinsShapeError extends Error {
  override readonly name = 'JenkinsShapeError';

  constructor(
    /** What was being read: "the build queue", "the JNLP file of ‘agent-1’". */
    readonly document: string,
    /** Where in it, in JavaScript notation; empty for the whole document. */
    readonly path: string,
    readonly problem: string,
  ) {
    super(`In ${document}${path ? `, ${path}` : ''} ${problem}`);
  }
}
