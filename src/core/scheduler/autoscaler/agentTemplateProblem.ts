/** A `mesos.jenkins.agentTemplates` entry that could not be used, and why, in words for the user. */
export interface AgentTemplateProblem {
  /** Position in the setting (0-based); -1 when the setting as a whole is wrong. */
  readonly index: number;
  readonly name?: string;
  readonly message: string;
}
