import type { ComputerView } from '../../jenkins/computerSnapshot';
import { labelMatches } from '../../jenkins/labelExpression';
import { resolveLabel } from '../../jenkins/labelExpressionResolve';
import type { QueueDemand } from '../../jenkins/queueDemand';
import type { QueueRow } from '../../../../webview/protocol';
import type { AgentTemplate } from './agentTemplate';
import type { AutoscalerState } from './autoscalerState';
import { clipPanelText } from './clipPanelText';
import { templateCapacity } from './templateCapacity';
import { templateFor } from './templateFor';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Items that are not demand (blocked, waiting, pending) still show the template their label would use. */
function templateOfLabel(
  labelExpression: string | null | undefined,
  state: AutoscalerState,
): AgentTemplate | undefined {
  if (labelExpression === undefined) return undefined;
  if (labelExpression === null || labelExpression.trim() === '') return templateFor({ kind: 'any' }, state);
  const { expression } = resolveLabel(labelExpression);
  return state.templates.find((t) => labelMatches(expression, new Set(t.labels)));
}

type Standing = Pick<QueueRow, 'state' | 'blockedBy'>;

/**
 * How each waiting build of one template stands, by the rule launchAgents follows: builds an agent was
 * launched for are its own; the others are covered first by idle executors of online agents, then by free
 * executors of agents still starting; what is left gets new agents within the template's and the global
 * maximum, and the rest is held by a limit.
 */
function standings(
  state: AutoscalerState,
  template: AgentTemplate,
  ids: readonly number[],
  out: Map<number, Standing>,
): void {
  const capacity = templateCapacity(state, template);
  const { claimed } = capacity;
  let idle = capacity.idleExecutors;
  const claimedHere = ids.filter((id) => claimed.has(id)).length;
  let freeStarting = Math.max(0, capacity.startingExecutors - claimedHere);
  const templateRoom = Math.max(0, capacity.templateRoom);
  const globalRoom = Math.max(0, capacity.globalRoom);
  let launchable = Math.min(templateRoom, globalRoom) * template.executors;
  const blockedBy =
    templateRoom <= globalRoom
      ? `max agents (${template.maxAgents}) of template ${template.name}`
      : `max agents (${state.options.maxAgents}) of all templates`;
  for (const id of ids) {
    if (claimed.has(id)) out.set(id, { state: 'agent-launching' });
    else if (idle > 0) {
      idle -= 1;
      out.set(id, { state: 'agent-online' });
    } else if (freeStarting > 0) {
      freeStarting -= 1;
      out.set(id, { state: 'agent-launching' });
    } else if (launchable > 0) {
      launchable -= 1;
      out.set(id, { state: 'waiting' });
    } else out.set(id, { state: 'blocked-by-limit', blockedBy });
  }
}

/**
 * The queue as the panel lists it, in Jenkins' order: every item with its job, label, the template that
 * serves it and where it stands from the autoscaler's side. `queue` is the last poll's queue (raw JSON or
 * the client's snapshot); `demand` and `computers` were read from the same poll.
 */
export function queueRows(
  state: AutoscalerState,
  queue: unknown,
  demand: QueueDemand,
  computers: readonly ComputerView[],
): QueueRow[] {
  const items = isRecord(queue) && Array.isArray(queue.items) ? (queue.items as unknown[]) : [];
  const demandById = new Map(demand.items.map((i) => [i.id, i]));
  const byTemplate = new Map<string, number[]>();
  const templateById = new Map<number, AgentTemplate | undefined>();
  for (const item of demand.items) {
    const template = templateFor(item.need, state);
    templateById.set(item.id, template);
    if (!template) continue;
    let list = byTemplate.get(template.name);
    if (!list) byTemplate.set(template.name, (list = []));
    list.push(item.id);
  }
  const standing = new Map<number, Standing>();
  for (const template of state.templates) {
    const ids = byTemplate.get(template.name);
    if (ids) standings(state, template, ids, standing);
  }
  const nodeNames = new Set(computers.map((c) => c.name));
  const rows: QueueRow[] = [];
  for (const raw of items) {
    if (!isRecord(raw) || typeof raw.id !== 'number') continue;
    const task = isRecord(raw.task) ? raw.task : {};
    const exported = task.labelExpression as string | null | undefined;
    const wanted = demandById.get(raw.id);
    const labelExpression =
      typeof exported === 'string' || exported === null
        ? exported
        : wanted?.need.kind === 'label'
          ? wanted.need.name
          : wanted?.need.kind === 'node' && nodeNames.has(wanted.need.node)
            ? wanted.need.node
            : null;
    const template = wanted ? templateById.get(raw.id) : templateOfLabel(exported, state);
    // an item Jenkins has handed to an executor is as good as running
    const given: Standing | undefined = raw.pending === true ? { state: 'agent-online' } : undefined;
    const stands: Standing = given ?? standing.get(raw.id) ?? { state: 'waiting' };
    const job =
      typeof task.name === 'string' && task.name !== ''
        ? task.name
        : typeof task.fullName === 'string' && task.fullName !== ''
          ? task.fullName
          : `item ${raw.id}`;
    rows.push({
      id: raw.id,
      job: clipPanelText(job),
      labelExpression: labelExpression === null ? null : clipPanelText(labelExpression),
      since: typeof raw.inQueueSince === 'number' ? raw.inQueueSince : 0,
      why: typeof raw.why === 'string' ? clipPanelText(raw.why) : null,
      template: template?.name ?? null,
      state: stands.state,
      ...(stands.blockedBy !== undefined ? { blockedBy: stands.blockedBy } : {}),
    });
  }
  return rows;
}
