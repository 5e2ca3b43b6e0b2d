/**
 * One kind of Jenkins agent the autoscaler launches as a Mesos task (setting `mesos.jenkins.agentTemplates`,
 * read by readAgentTemplates). Sizes are Mesos units: cpus, MB of mem and disk.
 */
export interface AgentTemplate {
  /** `[a-z0-9-]`, at most 32 characters: part of every agent's node name (`mesos-<name>-…`). */
  readonly name: string;
  /** The node's label atoms. A queue item is this template's demand when its label expression holds for them. */
  readonly labels: readonly string[];
  readonly cpus: number;
  readonly mem: number;
  readonly disk: number;
  /** Executors per agent (builds at once). */
  readonly executors: number;
  /** Agents of this template alive at once; 0 disables the template. */
  readonly maxAgents: number;
  /** An agent idle this long is taken offline and removed; 0 removes it as soon as it is idle. */
  readonly idleMinutes: number;
  /**
   * Also serve builds with no label. Such builds only run on nodes in NORMAL mode, so the template's nodes
   * are NORMAL; otherwise they are EXCLUSIVE and take only builds whose label they satisfy.
   */
  readonly servesUnlabeled: boolean;
  /**
   * A shell command that starts the agent instead of the default `java … -jar agent.jar …`. It finds
   * `agent.jar` in its working directory, JENKINS_URL, JENKINS_AGENT_NAME and JENKINS_AGENT_WORKDIR in its
   * environment, and the secret in the unexported shell variable JENKINS_SECRET (see agentTaskRequest).
   */
  readonly command?: string;
  /** A container image (e.g. `jenkins/inbound-agent`); without `command` its own entrypoint starts the agent. */
  readonly image?: string;
  /** Which Mesos containerizer runs `image`. */
  readonly containerizer: 'mesos' | 'docker';
  /** JVM options for the default command (or JENKINS_JAVA_OPTS for an image's entrypoint). */
  readonly jvmArgs: string;
  /** Marathon-style `[attribute, operator, value?]` placement constraints on the Mesos agent. */
  readonly constraints: readonly (readonly string[])[];
  /** The node's remote root and the agent's `-workDir`; relative paths are inside the task's sandbox. */
  readonly remoteFs: string;
  /** Connect over WebSocket on the HTTP(S) port instead of the TCP agent port. */
  readonly webSocket: boolean;
  /** Mesos role whose resources the agents use; the framework's role when absent. */
  readonly role?: string;
}
