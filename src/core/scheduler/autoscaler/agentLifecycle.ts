import type { AutoscalerInput } from './autoscalerInput';
import type { ManagedAgent } from './autoscalerState';
import { aboutAgent, type AutoscaleStep } from './autoscaleStep';
import { formatDuration, launchBackoffMs } from './launchBackoff';

/**
 * Moves each agent along its life from what Jenkins and Mesos show and from the clock: failed launches are
 * cleaned up and backed off, agents whose task ended lose their node, drained agents are removed once their
 * build is done, and removals are sent again until both sides show them gone. Judgments that rest on
 * something being absent are only made while that side's view is fresh.
 */

type Cleanup = { readonly kill: boolean; readonly delete: boolean; readonly deleteFirst?: boolean };

function sendCleanup(step: AutoscaleStep, agent: ManagedAgent, cleanup: Cleanup): void {
  const kill = () => step.act({ kind: 'kill-agent', name: agent.name });
  const del = () => step.act({ kind: 'delete-node', name: agent.name });
  if (cleanup.deleteFirst) {
    if (cleanup.delete) del();
    if (cleanup.kill) kill();
  } else {
    if (cleanup.kill) kill();
    if (cleanup.delete) del();
  }
  step.putAgent({ ...agent, phase: 'removing', removalSentAt: step.at, idleSince: undefined });
}

/** A launch that did not lead to a connected agent: clean up, and hold the template's next launch back. */
function failLaunch(step: AutoscaleStep, agent: ManagedAgent, reason: string, cleanup: Cleanup): void {
  const { backoffBaseMs, backoffMaxMs } = step.state.options;
  const failures = (step.state.backoff[agent.template]?.failures ?? 0) + 1;
  const delay = launchBackoffMs(failures, backoffBaseMs, backoffMaxMs);
  if (cleanup.kill || cleanup.delete) sendCleanup(step, agent, cleanup);
  else step.dropAgent(agent.name);
  step.state = {
    ...step.state,
    backoff: { ...step.state.backoff, [agent.template]: { failures, retryAt: step.at + delay } },
  };
  step.decide('failure', reason, { ...aboutAgent(agent), attempt: agent.attempt });
  step.decide(
    'retry',
    `${failures} failed launch(es) of ${agent.template} in a row: the next one waits ${formatDuration(delay)}, ` +
      'and happens only if builds still wait',
    { template: agent.template, ...(agent.items.length > 0 ? { items: agent.items } : {}), attempt: failures + 1 },
  );
}

function removal(
  step: AutoscaleStep,
  agent: ManagedAgent,
  kind: 'removed' | 'failure',
  reason: string,
  cleanup: Cleanup,
): void {
  sendCleanup(step, agent, cleanup);
  step.decide(kind, reason, aboutAgent(agent));
}

function waitingDetail(step: AutoscaleStep, name: string): string {
  const task = step.state.mesos.tasks[name];
  if (!task) return 'no task was reported for it';
  switch (task.state) {
    case 'pending':
      return `its task still waits for an offer${task.unmatched ? `: ${task.unmatched}` : ''}`;
    case 'staging':
      return `its task is still starting${task.hostname ? ` on ${task.hostname}` : ''}`;
    case 'running':
      return (
        `its task runs${task.hostname ? ` on ${task.hostname}` : ''} but the agent never connected: check that ` +
        'Mesos agents can reach the Jenkins URL (and its agent port, unless webSocket) and the task sandbox log'
      );
    case 'terminal':
      return `its task ended: ${task.reason ?? 'no reason given'}`;
  }
}

/**
 * `round`: a Jenkins poll just arrived. Deadlines are judged only then: between polls the last view may be
 * seconds old, and an agent that connected meanwhile must not be killed for looking late.
 */
export function settleAgents(step: AutoscaleStep, round: boolean): void {
  const names = Object.keys(step.state.agents).sort();
  for (const name of names) {
    const agent = step.state.agents[name];
    if (agent) settleAgent(step, agent, round);
  }
}

function settleAgent(step: AutoscaleStep, agent: ManagedAgent, round: boolean): void {
  const { jenkins, mesos, options } = step.state;
  const at = step.at;
  const node = jenkins.nodes[agent.name];
  const task = mesos.tasks[agent.name];
  const live = task !== undefined && task.state !== 'terminal';
  const both = jenkins.fresh && mesos.fresh;
  const judgeDeadline = round && both;
  let ended: string | undefined;
  if (mesos.fresh) {
    if (task?.state === 'terminal') ended = task.reason ?? 'the task ended';
    else if (!task && agent.taskSeen) ended = 'Mesos no longer knows its task';
  }
  switch (agent.phase) {
    case 'creating':
      if (judgeDeadline && at >= agent.connectDeadline) {
        failLaunch(step, agent, `its node was not created within ${formatDuration(options.connectTimeoutMs)}`, {
          kill: false,
          delete: true,
        });
      }
      return;
    case 'launching':
      if (ended) {
        failLaunch(step, agent, `its task ended before the agent connected: ${ended}`, { kill: false, delete: true });
      } else if (judgeDeadline && at >= agent.connectDeadline) {
        failLaunch(
          step,
          agent,
          `did not connect within ${formatDuration(options.connectTimeoutMs)}: ${waitingDetail(step, agent.name)}`,
          { kill: true, delete: true },
        );
      }
      return;
    case 'online':
      if (jenkins.fresh && !node) {
        removal(step, agent, 'removed', 'its node was deleted outside the autoscaler: its task is killed', {
          kill: live,
          delete: false,
        });
      } else if (ended) {
        removal(step, agent, 'failure', `its task ended: ${ended}; its node is deleted`, { kill: false, delete: true });
      } else if (
        judgeDeadline &&
        agent.disconnectedAt !== undefined &&
        at - agent.disconnectedAt >= options.connectTimeoutMs
      ) {
        removal(
          step,
          agent,
          'failure',
          `disconnected ${formatDuration(at - agent.disconnectedAt)} ago and did not come back: task killed, node deleted`,
          { kill: true, delete: true },
        );
      }
      return;
    case 'draining':
      if (jenkins.fresh && !node) {
        removal(step, agent, 'removed', 'its node is gone: its task is killed', { kill: live, delete: false });
      } else if (ended) {
        removal(step, agent, 'removed', `its task ended while it was being removed (${ended}): node deleted`, {
          kill: false,
          delete: true,
        });
      } else if (jenkins.fresh && node?.idle) {
        removal(step, agent, 'removed', 'offline and no build running: node deleted, task killed', {
          kill: live || !mesos.fresh,
          delete: true,
          deleteFirst: true,
        });
      } else if (round) {
        step.skip(
          'build-running',
          'taken offline; waits for its running build to finish before removal',
          aboutAgent(agent),
        );
      }
      return;
    case 'removing': {
      const nodeGone = jenkins.fresh && !node;
      const taskGone = mesos.fresh && !live;
      if (nodeGone && taskGone) {
        step.dropAgent(agent.name);
      } else if (both && at - (agent.removalSentAt ?? 0) >= options.resendAfterMs) {
        if (node) step.act({ kind: 'delete-node', name: agent.name });
        if (live) step.act({ kind: 'kill-agent', name: agent.name });
        step.putAgent({ ...agent, removalSentAt: at });
      }
      return;
    }
  }
}

type ResultInput = Extract<
  AutoscalerInput,
  {
    kind:
      | 'node-created'
      | 'node-create-failed'
      | 'launch-failed'
      | 'node-offline-failed'
      | 'node-delete-failed'
      | 'kill-failed';
  }
>;

/** What the driver reports back about an action. */
export function onActionResult(step: AutoscaleStep, input: ResultInput): void {
  const agent = step.state.agents[input.name];
  if (!agent) return;
  switch (input.kind) {
    case 'node-created':
      // a node created after its launch was given up is deleted by the removal that is under way
      if (agent.phase !== 'creating') return;
      step.putAgent({ ...agent, phase: 'launching' });
      step.act({ kind: 'launch-agent', name: agent.name, template: agent.template });
      return;
    case 'node-create-failed':
      if (agent.phase !== 'creating') return;
      failLaunch(step, agent, `Jenkins did not create its node: ${input.message}`, { kill: false, delete: false });
      return;
    case 'launch-failed':
      if (agent.phase !== 'launching') return;
      failLaunch(step, agent, `its task could not be launched: ${input.message}`, { kill: false, delete: true });
      return;
    case 'node-offline-failed':
      if (agent.phase !== 'draining') return;
      // back to work; its idle time starts again so the next attempt is not immediate
      step.putAgent({ ...agent, phase: 'online', idleSince: step.at });
      step.decide('failure', `could not be taken offline: ${input.message}; it stays online`, aboutAgent(agent));
      return;
    case 'node-delete-failed':
    case 'kill-failed':
      step.decide(
        'failure',
        `${input.kind === 'kill-failed' ? 'its task could not be killed' : 'its node could not be deleted'}: ` +
          `${input.message}; tried again in ${formatDuration(step.state.options.resendAfterMs)}`,
        aboutAgent(agent),
      );
      return;
  }
}
