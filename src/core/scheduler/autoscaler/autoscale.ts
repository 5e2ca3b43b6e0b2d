import { readComputerSnapshot, type ComputerView } from '../../jenkins/computerSnapshot';
import { JenkinsShapeError } from '../../jenkins/jenkinsShapeError';
import { readQueueDemand, type QueueDemand } from '../../jenkins/queueDemand';
import { onActionResult, settleAgents } from './agentLifecycle';
import { isOwnAgentNode, parseAgentNodeName } from './agentNodeName';
import type { AgentTaskReport } from './agentTaskReport';
import { assignDemand } from './assignDemand';
import type { AutoscaleDecision } from './autoscaleDecision';
import type { AutoscalerAction } from './autoscalerAction';
import type { AutoscalerInput } from './autoscalerInput';
import { isStartingAgent, type AutoscalerState, type ManagedAgent } from './autoscalerState';
import { aboutAgent, AutoscaleStep, type NoteScope } from './autoscaleStep';
import { launchAgents } from './launchAgents';
import { formatDuration } from './launchBackoff';
import { reconcileAgents } from './reconcileAgents';
import { removeIdleAgents } from './removeIdleAgents';

export interface AutoscaleResult {
  readonly state: AutoscalerState;
  /** For the driver to perform, in order. Empty in dry run. */
  readonly actions: AutoscalerAction[];
  readonly decisions: AutoscaleDecision[];
}

/**
 * The Jenkins autoscaler as a pure reducer: same state and input, same result; time comes only from
 * `input.at`. Each input is handled in two parts. Observing updates the views of Jenkins and Mesos and what
 * they say about our agents (connected, placed, idle since…): that is kept even in dry run. Reacting
 * decides (launch, remove, clean up, reconcile): in dry run it runs on a copy whose state is dropped, so its
 * decisions are reported (once each while they hold) and nothing is done.
 */
export function autoscale(state: AutoscalerState, input: AutoscalerInput): AutoscaleResult {
  switch (input.kind) {
    case 'pause':
    case 'resume':
    case 'dry-run':
    case 'templates':
      return changeMode(state, input);
    default:
      break;
  }
  const scope: NoteScope =
    input.kind === 'poll' || input.kind === 'poll-failed' || input.kind === 'scheduler' ? input.kind : 'other';
  const observed = new AutoscaleStep(state, input.at, scope, false);
  let demand: QueueDemand | undefined;
  if (input.kind === 'poll') demand = observePoll(observed, input);
  else if (input.kind === 'poll-failed') jenkinsOutage(observed, input.message);
  else if (input.kind === 'scheduler') observeScheduler(observed, input);

  const dryRun = state.dryRun;
  // a dry run decides only once per Jenkins poll, from a full view, so each of its decisions is reported once
  const reacts = !dryRun || (input.kind === 'poll' && demand !== undefined);
  const reacted = new AutoscaleStep(observed.state, input.at, scope, dryRun);
  if (reacts) {
    switch (input.kind) {
      case 'poll':
        if (demand) round(reacted, demand);
        break;
      case 'tick':
      case 'scheduler':
      case 'poll-failed':
        settleAgents(reacted, false);
        break;
      default:
        onActionResult(reacted, input);
        break;
    }
  }
  const result = dryRun ? { ...observed.state, noted: reacted.state.noted } : reacted.state;
  const final = new AutoscaleStep(result, input.at, scope, false);
  final.tidy(input.kind === 'poll' && demand !== undefined ? ['poll-failed'] : []);
  return { state: final.state, actions: reacted.actions, decisions: [...observed.decisions, ...reacted.decisions] };
}

function round(step: AutoscaleStep, demand: QueueDemand): void {
  settleAgents(step, true);
  // an unreadable item is demand nobody can see: say so rather than under-count silently
  for (const problem of demand.problems)
    step.skip('unknown-label', `the queue has an item that cannot be read: ${problem}`);
  const assigned = assignDemand(step, demand.items);
  if (!step.state.paused) removeIdleAgents(step, assigned);
  if (!step.state.mesos.fresh) {
    const waiting = [...assigned.values()].flat();
    if (waiting.length > 0) {
      step.skip(
        'waiting-for-mesos',
        'the Mesos scheduler is not connected and reconciled yet: agents cannot be counted',
        {
          items: waiting.map((a) => a.item.id),
        },
      );
    }
    return;
  }
  reconcileAgents(step);
  launchAgents(step, assigned);
}

function changeMode(
  state: AutoscalerState,
  input: Extract<AutoscalerInput, { kind: 'pause' | 'resume' | 'dry-run' | 'templates' }>,
): AutoscaleResult {
  const step = new AutoscaleStep(state, input.at, 'other', false);
  switch (input.kind) {
    case 'pause':
      if (state.paused) break;
      step.state = { ...state, paused: true };
      step.decide(
        'mode',
        'paused: no agents are launched or removed for idling and orphans are left alone; launches under way are ' +
          'finished or cleaned up',
      );
      break;
    case 'resume':
      if (!state.paused) break;
      step.state = { ...state, paused: false };
      step.decide('mode', 'resumed');
      break;
    case 'dry-run':
      if (state.dryRun === input.enabled) break;
      // a fresh start for the dry run's "report once" memory
      step.state = { ...state, dryRun: input.enabled, noted: {} };
      step.decide('mode', input.enabled ? 'dry run: decisions are recorded, nothing is done' : 'dry run off');
      break;
    case 'templates':
      step.state = { ...state, templates: input.templates };
      step.decide('mode', `templates: ${input.templates.map((t) => t.name).join(', ') || 'none'}`);
      break;
  }
  return { state: step.state, actions: [], decisions: step.decisions };
}

function jenkinsOutage(step: AutoscaleStep, message: string): void {
  const wasFresh = step.state.jenkins.fresh;
  step.state = {
    ...step.state,
    jenkins: { ...step.state.jenkins, fresh: false },
    reconcileCause: wasFresh ? 'after Jenkins could not be polled' : step.state.reconcileCause,
  };
  step.decide(
    'outage',
    `Jenkins could not be polled: ${message}; nothing that needs its view is decided until it answers`,
  );
}

/** Reads the poll; an answer that is not a queue or computer list counts as a failed poll. */
function observePoll(step: AutoscaleStep, input: Extract<AutoscalerInput, { kind: 'poll' }>): QueueDemand | undefined {
  let computers: ComputerView[];
  let demand: QueueDemand;
  try {
    computers = readComputerSnapshot(input.computers);
    demand = readQueueDemand(input.queue, computers);
  } catch (err) {
    if (!(err instanceof JenkinsShapeError)) throw err;
    jenkinsOutage(step, err.message);
    return undefined;
  }
  const { owner } = step.state.options;
  const nodes: Record<string, ComputerView> = {};
  for (const c of computers) if (!c.builtIn && isOwnAgentNode(c.name, c.description, owner)) nodes[c.name] = c;
  const previous = step.state.jenkins;
  let reconcileCause = step.state.reconcileCause;
  if (previous.session !== undefined && input.session !== undefined && previous.session !== input.session) {
    reconcileCause = 'after Jenkins restarted (its X-Jenkins-Session changed)';
  }
  step.state = {
    ...step.state,
    reconcileCause,
    jenkins: {
      fresh: true,
      nodes,
      lastPollAt: input.at,
      ...(input.session !== undefined ? { session: input.session } : {}),
    },
  };
  for (const name of Object.keys(step.state.agents).sort()) observeNode(step, step.state.agents[name]!, nodes[name]);
  return demand;
}

function observeNode(step: AutoscaleStep, agent: ManagedAgent, node: ComputerView | undefined): void {
  const at = step.at;
  if (!node) return;
  const connected = !node.offline;
  if (isStartingAgent(agent) && connected) {
    step.putAgent({ ...agent, phase: 'online', connectedAt: at, ...(node.idle ? { idleSince: at } : {}) });
    const backoff = { ...step.state.backoff };
    delete backoff[agent.template];
    step.state = { ...step.state, backoff };
    step.decide(
      'connected',
      `online in Jenkins ${formatDuration(at - agent.launchedAt)} after its launch`,
      aboutAgent(agent),
    );
    return;
  }
  if (agent.phase !== 'online') return;
  if (connected) {
    const idleSince = node.idle ? (agent.idleSince ?? at) : undefined;
    if (idleSince !== agent.idleSince || agent.disconnectedAt !== undefined) {
      step.putAgent({ ...agent, idleSince, disconnectedAt: undefined });
    }
  } else if (!node.temporarilyOffline) {
    if (agent.disconnectedAt === undefined || agent.idleSince !== undefined) {
      step.putAgent({ ...agent, disconnectedAt: agent.disconnectedAt ?? at, idleSince: undefined });
    }
  } else if (agent.idleSince !== undefined) {
    // someone else took it offline: leave it to them
    step.putAgent({ ...agent, idleSince: undefined });
  }
}

function observeScheduler(step: AutoscaleStep, input: Extract<AutoscalerInput, { kind: 'scheduler' }>): void {
  const tasks: Record<string, AgentTaskReport> = {};
  for (const [name, report] of Object.entries(input.tasks)) if (parseAgentNodeName(name)) tasks[name] = report;
  const wasFresh = step.state.mesos.fresh;
  step.state = {
    ...step.state,
    mesos: { fresh: input.reconciled, tasks },
    reconcileCause: wasFresh && !input.reconciled ? 'after the Mesos scheduler reconnected' : step.state.reconcileCause,
  };
  if (!input.reconciled) {
    step.decide(
      'outage',
      'the Mesos scheduler is not connected and reconciled: no agent is launched or judged by its task until it is',
    );
  }
  for (const name of Object.keys(tasks).sort()) {
    const agent = step.state.agents[name];
    const report = tasks[name]!;
    if (!agent) continue;
    let next = agent;
    if (report.state !== 'terminal' && !agent.taskSeen) next = { ...next, taskSeen: true };
    if ((report.state === 'staging' || report.state === 'running') && agent.placedAt === undefined) {
      next = { ...next, placedAt: step.at };
      const template = step.state.templates.find((t) => t.name === agent.template);
      step.decide('placed', `its task got an offer${report.hostname ? ` on ${report.hostname}` : ''}`, {
        ...aboutAgent(agent),
        ...(report.offerId !== undefined ? { offerId: report.offerId } : {}),
        ...(report.mesosAgentId !== undefined ? { mesosAgentId: report.mesosAgentId } : {}),
        ...(report.hostname !== undefined ? { hostname: report.hostname } : {}),
        ...(template ? { resources: { cpus: template.cpus, mem: template.mem, disk: template.disk } } : {}),
      });
    }
    if (report.state === 'pending' && report.unmatched) {
      step.skip('unplaced', `no offer fits its task: ${report.unmatched}`, aboutAgent(agent));
    }
    if (next !== agent) step.putAgent(next);
  }
}
