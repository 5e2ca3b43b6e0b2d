import { sandboxAgentCommand } from './sandboxAgentCommand';

/** The labels of the sandbox's default random workload (`mesos-ops sandbox --jenkins`, `npm start`). */
export const SANDBOX_WORKLOAD_LABELS = ['mesos', 'mesos && linux'] as const;

export interface SandboxAgentTemplateOptions {
  /** The program that runs the sandbox agent (a Node, or an Electron binary run as Node). */
  readonly node: string;
  /**
   * `node` is an Electron binary (the desktop editor's own executable): the agent's task then sets
   * ELECTRON_RUN_AS_NODE, because sandbox tasks get only PATH from their agent's environment.
   */
  readonly electron?: boolean;
}

/**
 * An entry of `mesos.jenkins.agentTemplates` that serves the sandbox's random workload (every label in
 * SANDBOX_WORKLOAD_LABELS) with the sandbox agent: what "try it" (`npm start`, Mesos: Start Local Sandbox)
 * gives the autoscaler. Small agents that leave soon after the builds, so a user sees the whole cycle.
 */
export function sandboxAgentTemplate(options: SandboxAgentTemplateOptions): Record<string, unknown> {
  const command = sandboxAgentCommand(options.node);
  return {
    name: 'sandbox',
    labels: ['mesos', 'linux'],
    cpus: 0.5,
    mem: 256,
    executors: 1,
    maxAgents: 4,
    idleMinutes: 1,
    command: options.electron ? `export ELECTRON_RUN_AS_NODE=1\n${command}` : command,
  };
}
