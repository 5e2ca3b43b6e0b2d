import { randomBytes, randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import {
  addResources,
  resourceRole,
  resourcesForRole,
  scalarTotal,
  subtractResources,
} from '../../../core/mesos/resources/resourceMath';
import type {
  AgentInfo,
  Attribute,
  FrameworkInfo,
  MasterEvent,
  MasterInfo,
  Offer,
  Resource,
  SchedulerCall,
  SchedulerEvent,
  Task,
  TaskInfo,
  TaskState,
  TaskStatus,
  TaskStatusReason,
} from '../../../core/mesos/proto/generated/wireTypes';
import { isTerminalTaskState } from '../../../core/cluster/taskStates';
import type { AgentRuntime, StatusSink } from './agentRuntime';
import type { AgentRecord, FrameworkRecord, OfferRecord, TaskRecord } from './masterRecords';

/** A subscribed scheduler's event stream, as the master sees it. */
export interface SchedulerSubscriber {
  send(event: SchedulerEvent): void;
  close(): void;
  onClose(listener: () => void): void;
  startHeartbeats(): void;
  /** Fault injection: send half a record, then drop the connection. */
  cutMidRecord?(event: SchedulerEvent): void;
  /** Fault injection: send a record that does not decode. */
  sendMalformed?(): void;
}

/** The answer to a non-SUBSCRIBE scheduler call: a status and Mesos's text reason for errors. */
export interface CallResult {
  readonly status: number;
  readonly reason?: string;
}

export interface SandboxMasterOptions {
  /** How often unused resources are offered (default 1 s). */
  readonly allocationIntervalMs?: number;
  /** Version reported in MasterInfo and /version. */
  readonly version?: string;
  readonly clock?: () => number;
}

/** Mesos's isTerminalState (reference §4.1), shared with the model the views read. */
export const isTerminal = isTerminalTaskState;

const DEFAULT_REFUSE_SECONDS = 5;
const MAX_REFUSE_SECONDS = 31_536_000;
// The command executor's overhead on top of the task's resources (reference §3.8).
const EXECUTOR_CPUS = 0.1;
const EXECUTOR_MEM = 32;

function capabilities(info: FrameworkInfo): Set<string> {
  return new Set((info.capabilities ?? []).map((c) => c.type ?? 'UNKNOWN'));
}

/** The roles a framework subscribes with: `roles` under MULTI_ROLE, else the single `role` ('*' default). */
export function frameworkRoles(info: FrameworkInfo): string[] {
  return capabilities(info).has('MULTI_ROLE') ? [...(info.roles ?? [])] : [info.role ?? '*'];
}

const ROLE_COMPONENT_INVALID = /^(\.|\.\.|\*|-.*)$/;
// whitespace or backspace anywhere in a role is refused (Apache Mesos, src/common/roles.cpp)
const hasSpaceOrBackspace = (s: string) => /\s/.test(s) || s.includes(String.fromCharCode(8));
function invalidRole(role: string): string | undefined {
  if (role === '*') return undefined;
  if (role === '' || role.startsWith('/') || role.endsWith('/') || role.includes('//')) return `Role '${role}' is invalid`;
  if (hasSpaceOrBackspace(role)) return `Role '${role}' is invalid`;
  for (const part of role.split('/')) if (ROLE_COMPONENT_INVALID.test(part)) return `Role '${role}' is invalid`;
  return undefined;
}

/**
 * The brain of the sandbox master: frameworks, agents, tasks and offers, and the rules the real master
 * applies to scheduler calls (reference §2): subscription and failover, offers from unused resources,
 * launches checked against the offers, status updates forwarded until acknowledged, kills, reconciliation,
 * suppress/revive and teardown. HTTP lives elsewhere; this class speaks in decoded messages. It emits
 * operator events ('event', MasterEvent) for the operator API's SUBSCRIBE stream.
 */
export class SandboxMaster extends EventEmitter implements StatusSink {
  readonly frameworks = new Map<string, FrameworkRecord>();
  readonly completedFrameworks: FrameworkRecord[] = [];
  readonly removedFrameworkIds = new Set<string>();
  readonly agents = new Map<string, AgentRecord>();
  readonly runtimes = new Map<string, AgentRuntime>();
  readonly tasks = new Map<string, TaskRecord>(); // key: frameworkId/taskId
  readonly completedTasks: TaskRecord[] = [];
  readonly unreachableTasks = new Map<string, TaskRecord>();
  readonly offers = new Map<string, OfferRecord>();
  private readonly subscribers = new Map<string, SchedulerSubscriber>();
  readonly clusterId = randomUUID();
  readonly startTime: number;
  electedTime: number;
  private frameworkCounter = 0;
  private offerCounter = 0;
  private agentCounter = 0;
  private allocationTimer: NodeJS.Timeout | undefined;
  private readonly clock: () => number;
  readonly version: string;
  /** Counters for /metrics/snapshot. */
  readonly counters: Record<string, number> = {};
  /** The leading master's MasterInfo: set by the cluster when leadership changes. */
  leaderInfo: MasterInfo | undefined;

  constructor(private readonly options: SandboxMasterOptions = {}) {
    super();
    this.clock = options.clock ?? Date.now;
    this.version = options.version ?? '1.12.0';
    this.startTime = this.clock() / 1000;
    this.electedTime = this.startTime;
  }

  now(): number {
    return this.clock();
  }

  /** Starts the allocation loop. */
  start(): void {
    if (this.allocationTimer) return;
    this.allocationTimer = setInterval(() => this.allocate(), this.options.allocationIntervalMs ?? 1000);
    this.allocationTimer.unref();
  }

  /** Stops everything: streams closed, timers cleared, every agent's tasks killed. */
  async stop(): Promise<void> {
    if (this.allocationTimer) clearInterval(this.allocationTimer);
    this.allocationTimer = undefined;
    for (const sub of this.subscribers.values()) sub.close();
    this.subscribers.clear();
    for (const fw of this.frameworks.values()) if (fw.failoverTimer) clearTimeout(fw.failoverTimer);
    await Promise.all([...this.runtimes.values()].map((r) => r.stop()));
    this.runtimes.clear();
  }

  // ---------------------------------------------------------------- agents

  /** Registers an agent: a new AgentID per registration, as a restarted agent gets in Mesos. */
  addAgent(
    runtimeFactory: (agentId: string) => AgentRuntime,
    info: { hostname: string; port: number; resources: Resource[]; attributes?: Attribute[] },
    url: string,
  ): AgentRecord {
    const id = `${this.clusterId}-S${this.agentCounter++}`;
    const runtime = runtimeFactory(id);
    const record: AgentRecord = {
      id,
      info: { hostname: info.hostname, port: info.port, resources: info.resources, attributes: info.attributes ?? [], id: { value: id } },
      url,
      pid: `slave(1)@127.0.0.1:${info.port}`,
      registeredTime: this.clock() / 1000,
      active: true,
      used: [],
    };
    this.agents.set(id, record);
    this.runtimes.set(id, runtime);
    this.emitOperator({ type: 'AGENT_ADDED', agent_added: { agent: this.agentView(record) } });
    return record;
  }

  /**
   * Removes an agent as if its machine vanished: its tasks' processes are killed, its offers rescinded,
   * each framework told (FAILURE with the agent id), and its tasks become TASK_UNREACHABLE for
   * partition-aware frameworks ('unreachable') or TASK_GONE_BY_OPERATOR ('gone'), TASK_LOST for the others.
   */
  async removeAgent(agentId: string, mode: 'unreachable' | 'gone' = 'unreachable'): Promise<boolean> {
    const agent = this.agents.get(agentId);
    if (!agent) return false;
    this.agents.delete(agentId);
    const runtime = this.runtimes.get(agentId);
    this.runtimes.delete(agentId);
    for (const offer of [...this.offers.values()]) if (offer.agentId === agentId) this.rescind(offer);
    for (const [key, rec] of [...this.tasks]) {
      if (rec.agentId !== agentId) continue;
      const fw = this.frameworks.get(rec.frameworkId);
      const pa = fw ? capabilities(fw.info).has('PARTITION_AWARE') : false;
      const state: TaskState = !pa ? 'TASK_LOST' : mode === 'gone' ? 'TASK_GONE_BY_OPERATOR' : 'TASK_UNREACHABLE';
      const reason: TaskStatusReason = mode === 'gone' ? 'REASON_AGENT_REMOVED_BY_OPERATOR' : 'REASON_AGENT_REMOVED';
      const status: TaskStatus = {
        task_id: rec.task.task_id,
        state,
        source: 'SOURCE_MASTER',
        reason,
        message: mode === 'gone' ? 'Agent has been marked gone' : `Agent ${agent.info.hostname} removed: unreachable`,
        agent_id: { value: agentId },
        timestamp: this.clock() / 1000,
        ...(state === 'TASK_UNREACHABLE' ? { unreachable_time: { nanoseconds: String(BigInt(this.clock()) * 1_000_000n) } } : {}),
      };
      this.applyStatus(rec, status);
      this.tasks.delete(key);
      if (state === 'TASK_UNREACHABLE') this.unreachableTasks.set(key, rec);
      else this.completedTasks.push(rec);
      this.sendToFramework(rec.frameworkId, { type: 'UPDATE', update: { status } });
    }
    for (const fwId of this.subscribers.keys()) {
      this.sendToFramework(fwId, { type: 'FAILURE', failure: { agent_id: { value: agentId } } });
    }
    this.emitOperator({ type: 'AGENT_REMOVED', agent_removed: { agent_id: { value: agentId } } });
    await runtime?.stop();
    return true;
  }

  // ---------------------------------------------------------------- scheduler API

  /**
   * SUBSCRIBE, after HTTP-level checks. Returns an error to answer with a status, or undefined when the
   * stream was taken (200; an invalid FrameworkInfo gets an ERROR event and the stream closes, as in Mesos).
   */
  subscribe(call: SchedulerCall, subscriber: SchedulerSubscriber, streamId: string, authenticatedPrincipal?: string): CallResult | undefined {
    const sub = call.subscribe;
    if (!sub) return { status: 400, reason: "Expecting 'subscribe' to be present" };
    const info = { ...sub.framework_info };
    const callFwId = call.framework_id?.value;
    const infoFwId = info.id?.value;
    if (callFwId !== infoFwId) {
      return { status: 400, reason: "'framework_id' differs from 'subscribe.framework_info.id'" };
    }
    if (authenticatedPrincipal !== undefined && info.principal !== undefined && info.principal !== authenticatedPrincipal) {
      return { status: 400, reason: `Authenticated principal '${authenticatedPrincipal}' does not match principal '${info.principal}' set in 'FrameworkInfo'` };
    }
    if (authenticatedPrincipal !== undefined && info.principal === undefined) info.principal = authenticatedPrincipal;

    const fail = (message: string) => {
      subscriber.send({ type: 'ERROR', error: { message } });
      subscriber.close();
      return undefined;
    };
    const invalid = this.validateFrameworkInfo(info);
    if (invalid) return fail(invalid);
    if (infoFwId && this.removedFrameworkIds.has(infoFwId)) return fail('Framework has been removed');

    let fw = infoFwId ? this.frameworks.get(infoFwId) : undefined;
    if (fw && fw.info.principal !== undefined && info.principal !== fw.info.principal) {
      return fail("Changing framework's principal is not allowed.");
    }
    const now = this.clock() / 1000;
    if (fw) {
      // Failover: the previous stream is told and closed; user and checkpoint changes are ignored.
      const previous = this.subscribers.get(fw.id);
      if (previous) {
        this.subscribers.delete(fw.id);
        previous.send({ type: 'ERROR', error: { message: 'Framework failed over' } });
        previous.close();
      }
      if (fw.failoverTimer) clearTimeout(fw.failoverTimer);
      fw.failoverTimer = undefined;
      fw.info = { ...info, user: fw.info.user, checkpoint: fw.info.checkpoint, id: { value: fw.id } };
      fw.reregisteredTime = now;
      fw.unregisteredTime = undefined;
    } else {
      const id = infoFwId ?? `${this.clusterId}-${String(this.frameworkCounter++).padStart(4, '0')}`;
      fw = {
        id,
        info: { ...info, id: { value: id } },
        connected: false,
        active: false,
        registeredTime: now,
        suppressedRoles: new Set(),
        refusals: new Map(),
      };
      this.frameworks.set(id, fw);
    }
    fw.suppressedRoles = new Set(sub.suppressed_roles ?? []);
    fw.connected = true;
    fw.active = true;
    fw.streamId = streamId;
    // Every (re)subscription discards the framework's outstanding offers (reference §2.5).
    for (const offer of [...this.offers.values()]) if (offer.frameworkId === fw.id) this.offers.delete(offer.offer.id.value);
    this.subscribers.set(fw.id, subscriber);
    const fwRecord = fw;
    subscriber.onClose(() => this.onStreamClosed(fwRecord, subscriber));
    subscriber.send({
      type: 'SUBSCRIBED',
      subscribed: { framework_id: { value: fw.id }, heartbeat_interval_seconds: 15, ...(this.leaderInfo ? { master_info: this.leaderInfo } : {}) },
    });
    subscriber.startHeartbeats();
    this.emitOperator(
      fw.reregisteredTime === now
        ? { type: 'FRAMEWORK_UPDATED', framework_updated: { framework: this.frameworkView(fw) } }
        : { type: 'FRAMEWORK_ADDED', framework_added: { framework: this.frameworkView(fw) } },
    );
    this.allocate();
    return undefined;
  }

  private validateFrameworkInfo(info: FrameworkInfo): string | undefined {
    const multiRole = capabilities(info).has('MULTI_ROLE');
    if (multiRole && info.role !== undefined && info.role !== '*') return "'FrameworkInfo.role' must not be set when the framework is MULTI_ROLE capable";
    if (!multiRole && (info.roles ?? []).length > 0) return "'FrameworkInfo.roles' is set but the framework is not MULTI_ROLE capable";
    const roles = frameworkRoles(info);
    if (new Set(roles).size !== roles.length) return "'FrameworkInfo.roles' contains duplicate items";
    for (const role of roles) {
      const bad = invalidRole(role);
      if (bad) return bad;
    }
    if (info.failover_timeout !== undefined && (!(info.failover_timeout >= 0) || info.failover_timeout > 9.2e9)) {
      return `Invalid failover_timeout: ${info.failover_timeout}`;
    }
    return undefined;
  }

  private onStreamClosed(fw: FrameworkRecord, subscriber: SchedulerSubscriber): void {
    if (this.subscribers.get(fw.id) !== subscriber) return; // replaced by a failover: not a disconnect
    this.subscribers.delete(fw.id);
    this.disconnect(fw);
  }

  /** A framework lost its stream: offers go, calls get 403, and the failover timeout starts. */
  private disconnect(fw: FrameworkRecord): void {
    fw.connected = false;
    fw.active = false;
    fw.streamId = undefined;
    fw.unregisteredTime = this.clock() / 1000;
    for (const offer of [...this.offers.values()]) if (offer.frameworkId === fw.id) this.offers.delete(offer.offer.id.value);
    const timeoutMs = Math.min((fw.info.failover_timeout ?? 0) * 1000, 2 ** 31 - 1);
    fw.failoverTimer = setTimeout(() => this.removeFramework(fw, 'failover timeout'), timeoutMs);
    fw.failoverTimer.unref();
    this.emitOperator({ type: 'FRAMEWORK_UPDATED', framework_updated: { framework: this.frameworkView(fw) } });
  }

  /** Ends every scheduler stream, as a master failover does; frameworks keep their tasks. */
  dropAllStreams(): void {
    for (const [fwId, sub] of [...this.subscribers]) {
      this.subscribers.delete(fwId);
      sub.close();
      const fw = this.frameworks.get(fwId);
      if (fw) {
        fw.connected = false;
        fw.active = false;
        fw.streamId = undefined;
        fw.unregisteredTime = this.clock() / 1000;
      }
    }
    this.offers.clear();
  }

  /** The stream of a framework, for the fault-injection endpoint. */
  subscriberOf(frameworkId: string): SchedulerSubscriber | undefined {
    return this.subscribers.get(frameworkId);
  }

  subscribedFrameworkIds(): string[] {
    return [...this.subscribers.keys()];
  }

  /** Every non-SUBSCRIBE call, checked in the order the real master checks (reference §2.6). */
  call(call: SchedulerCall, streamId: string | undefined, authenticatedPrincipal?: string): CallResult {
    const type = call.type;
    if (type === undefined) return { status: 400, reason: "Expecting 'type' to be present" };
    if (type === 'UNKNOWN') return { status: 501, reason: 'Received an unknown call type' };
    const fwId = call.framework_id?.value;
    if (fwId === undefined) return { status: 400, reason: "Expecting 'framework_id' to be present" };
    const payload = PAYLOAD_FIELD[type];
    if (payload && call[payload] === undefined) return { status: 400, reason: `Expecting '${payload}' to be present` };
    const fw = this.frameworks.get(fwId);
    if (!fw) return { status: 400, reason: 'Framework cannot be found' };
    if (authenticatedPrincipal !== undefined && fw.info.principal !== authenticatedPrincipal) {
      return { status: 400, reason: `Authenticated principal '${authenticatedPrincipal}' does not match principal '${fw.info.principal ?? ''}' set in 'FrameworkInfo'` };
    }
    if (!fw.connected) return { status: 403, reason: 'Framework is not subscribed' };
    if (streamId === undefined) return { status: 400, reason: "All non-subscribe calls should include the 'Mesos-Stream-Id' header" };
    if (streamId !== fw.streamId) {
      return { status: 400, reason: `The stream ID '${streamId}' included in this request didn't match the stream ID currently associated with framework ID ${fw.id}` };
    }
    switch (type) {
      case 'TEARDOWN':
        this.removeFramework(fw, 'teardown');
        break;
      case 'ACCEPT':
        this.accept(fw, call);
        break;
      case 'DECLINE':
        for (const id of call.decline?.offer_ids ?? []) this.declineOffer(fw, id.value, call.decline?.filters?.refuse_seconds);
        break;
      case 'REVIVE':
        this.revive(fw, call.revive?.roles ?? []);
        break;
      case 'SUPPRESS': {
        const roles = call.suppress?.roles?.length ? call.suppress.roles : frameworkRoles(fw.info);
        for (const r of roles) fw.suppressedRoles.add(r);
        for (const offer of [...this.offers.values()]) {
          if (offer.frameworkId === fw.id && fw.suppressedRoles.has(offer.role)) this.rescind(offer);
        }
        break;
      }
      case 'KILL':
        this.kill(fw, call);
        break;
      case 'ACKNOWLEDGE': {
        const ack = call.acknowledge!;
        if (Buffer.from(ack.uuid, 'base64').length !== 16) return { status: 400, reason: 'Failed to validate scheduler::Call: Not a valid UUID' };
        const runtime = this.runtimes.get(ack.agent_id.value);
        runtime?.acknowledge(fw.id, ack.task_id.value, ack.uuid);
        const rec = this.tasks.get(`${fw.id}/${ack.task_id.value}`);
        if (rec && rec.task.status_update_uuid === ack.uuid && isTerminal(rec.task.state)) {
          this.tasks.delete(`${fw.id}/${ack.task_id.value}`);
          this.completedTasks.push(rec);
        }
        break;
      }
      case 'RECONCILE':
        this.reconcile(fw, call);
        break;
      case 'SHUTDOWN':
      case 'MESSAGE':
      case 'REQUEST':
      case 'ACCEPT_INVERSE_OFFERS':
      case 'DECLINE_INVERSE_OFFERS':
      case 'ACKNOWLEDGE_OPERATION_STATUS':
      case 'RECONCILE_OPERATIONS':
        break; // accepted and without effect in the sandbox (no custom executors, no operations)
      case 'UPDATE_FRAMEWORK':
        return this.updateFramework(fw, call);
      default:
        return { status: 400, reason: `Unsupported call type ${String(type)}` };
    }
    return { status: 202 };
  }

  private updateFramework(fw: FrameworkRecord, call: SchedulerCall): CallResult {
    const info = call.update_framework!.framework_info;
    if (info.id?.value !== fw.id) return { status: 400, reason: "'framework_id' differs from 'update_framework.framework_info.id'" };
    if (info.user !== fw.info.user || (info.checkpoint ?? false) !== (fw.info.checkpoint ?? false) || info.principal !== fw.info.principal) {
      return { status: 400, reason: "Updating 'FrameworkInfo.user', 'checkpoint' or 'principal' is not supported" };
    }
    const invalid = this.validateFrameworkInfo(info);
    if (invalid) return { status: 400, reason: invalid };
    fw.info = { ...info };
    fw.suppressedRoles = new Set(call.update_framework!.suppressed_roles ?? []);
    this.emitOperator({ type: 'FRAMEWORK_UPDATED', framework_updated: { framework: this.frameworkView(fw) } });
    return { status: 200 };
  }

  private revive(fw: FrameworkRecord, roles: readonly string[]): void {
    const all = roles.length === 0;
    for (const r of all ? [...fw.suppressedRoles] : roles) fw.suppressedRoles.delete(r);
    fw.refusals.clear();
    this.allocate();
  }

  private declineOffer(fw: FrameworkRecord, offerId: string, refuseSeconds: number | undefined): void {
    const offer = this.offers.get(offerId);
    if (!offer || offer.frameworkId !== fw.id) return;
    this.offers.delete(offerId);
    const seconds = refuseSeconds === undefined || refuseSeconds < 0 ? DEFAULT_REFUSE_SECONDS : Math.min(refuseSeconds, MAX_REFUSE_SECONDS);
    if (seconds > 0) fw.refusals.set(offer.agentId, this.clock() + seconds * 1000);
  }

  private accept(fw: FrameworkRecord, call: SchedulerCall): void {
    const accept = call.accept!;
    const launches = (accept.operations ?? []).flatMap((op) =>
      op.type === 'LAUNCH' ? (op.launch?.task_infos ?? []) : op.type === 'LAUNCH_GROUP' ? (op.launch_group?.task_group?.tasks ?? []) : [],
    );
    const offerIds = (accept.offer_ids ?? []).map((o) => o.value);
    const offers = offerIds.map((id) => this.offers.get(id));
    const invalid = offers.findIndex((o) => !o || o.frameworkId !== fw.id);
    const pa = capabilities(fw.info).has('PARTITION_AWARE');
    const drop = (task: TaskInfo, message: string, state: TaskState, reason: TaskStatusReason) => {
      this.count(state.replace(/^TASK_/, 'tasks_').toLowerCase());
      this.sendToFramework(fw.id, {
        type: 'UPDATE',
        update: {
          status: {
            task_id: task.task_id,
            state,
            source: 'SOURCE_MASTER',
            reason,
            message,
            agent_id: task.agent_id,
            timestamp: this.clock() / 1000,
          },
        },
      });
    };
    if (invalid >= 0 || offers.length === 0) {
      // A used or rescinded offer: the call is accepted (202) and its launches dropped (reference §5).
      for (const id of offerIds) {
        const o = this.offers.get(id);
        if (o && o.frameworkId === fw.id) this.offers.delete(id);
      }
      for (const task of launches) {
        drop(task, `Task launched with invalid offers: Offer ${offerIds[Math.max(invalid, 0)] ?? ''} is no longer valid`, pa ? 'TASK_DROPPED' : 'TASK_LOST', 'REASON_INVALID_OFFERS');
      }
      return;
    }
    const valid = offers as OfferRecord[];
    const agentId = valid[0]!.agentId;
    const role = valid[0]!.role;
    if (valid.some((o) => o.agentId !== agentId || o.role !== role)) {
      for (const o of valid) this.offers.delete(o.offer.id.value);
      for (const task of launches) drop(task, 'Task launched with invalid offers: Aggregated offers must belong to one agent and one allocation role', 'TASK_ERROR', 'REASON_INVALID_OFFERS');
      return;
    }
    for (const o of valid) this.offers.delete(o.offer.id.value);
    let remaining = addResources(
      valid.flatMap((o) => o.resources),
      [],
    );
    const agent = this.agents.get(agentId);
    const runtime = this.runtimes.get(agentId);
    for (const op of accept.operations ?? []) {
      if (op.type === 'LAUNCH_GROUP') {
        for (const task of op.launch_group?.task_group?.tasks ?? []) {
          drop(task, 'The sandbox agent runs command tasks only: LAUNCH_GROUP is not supported', 'TASK_ERROR', 'REASON_TASK_GROUP_INVALID');
        }
        continue;
      }
      if (op.type !== 'LAUNCH') continue; // reservations and volumes are not modelled by the sandbox
      for (const task of op.launch?.task_infos ?? []) {
        const error = this.validateTask(fw, task, agentId, remaining);
        if (error) {
          drop(task, error, 'TASK_ERROR', 'REASON_TASK_INVALID');
          continue;
        }
        const taskResources = (task.resources ?? []).map((r) => stripAllocation(r));
        remaining = subtractResources(remaining, taskResources) ?? remaining;
        if (!agent || !runtime) {
          drop(task, `Agent ${agentId} is not registered`, pa ? 'TASK_DROPPED' : 'TASK_LOST', 'REASON_AGENT_REMOVED');
          continue;
        }
        this.launchTask(fw, agent, runtime, task, role);
      }
    }
    const seconds = accept.filters?.refuse_seconds;
    const refuse = seconds === undefined || seconds < 0 ? DEFAULT_REFUSE_SECONDS : Math.min(seconds, MAX_REFUSE_SECONDS);
    if (refuse > 0 && remaining.length > 0) fw.refusals.set(agentId, this.clock() + refuse * 1000);
  }

  private validateTask(fw: FrameworkRecord, task: TaskInfo, agentId: string, available: Resource[]): string | undefined {
    const id = task.task_id.value;
    if (!id || id === '.' || id === '..' || /[/\\]/.test(id) || hasControlCharacter(id) || Buffer.byteLength(id) > 255) {
      return `Task ID '${id}' is invalid`;
    }
    if (this.tasks.has(`${fw.id}/${id}`)) return `Task has duplicate ID: ${id}`;
    if (task.agent_id.value !== agentId) return `Task uses agent ${task.agent_id.value} but the offers are for agent ${agentId}`;
    if ((task.command === undefined) === (task.executor === undefined)) return 'Task should have at least one (but not both) of CommandInfo or ExecutorInfo present';
    if (task.executor !== undefined) return 'The sandbox agent runs command tasks only: a custom ExecutorInfo is not supported';
    const resources = (task.resources ?? []).map((r) => stripAllocation(r));
    if (resources.length === 0 || scalarTotal(resources, 'cpus') <= 0 && scalarTotal(resources, 'mem') <= 0) {
      return 'Task uses no resources (set cpus and mem)';
    }
    for (const r of task.resources ?? []) {
      const allocated = r.allocation_info?.role;
      if (allocated !== undefined && !frameworkRoles(fw.info).includes(allocated)) return `Task resources are allocated to role '${allocated}' which the framework is not subscribed to`;
    }
    if (subtractResources(available, resources) === undefined) {
      return `Task uses more resources ${describe(resources)} than available ${describe(available)}`;
    }
    return undefined;
  }

  private launchTask(fw: FrameworkRecord, agent: AgentRecord, runtime: AgentRuntime, info: TaskInfo, role: string): void {
    const resources = (info.resources ?? []).map((r) => stripAllocation(r));
    const task: Task = {
      name: info.name,
      task_id: info.task_id,
      framework_id: { value: fw.id },
      agent_id: { value: agent.id },
      state: 'TASK_STAGING',
      resources: info.resources ?? [],
      statuses: [],
      ...(info.labels ? { labels: info.labels } : {}),
      ...(info.container ? { container: info.container } : {}),
      ...(info.kill_policy ? { kill_policy: info.kill_policy } : {}),
      ...(info.discovery ? { discovery: info.discovery } : {}),
      ...(info.command?.user !== undefined ? { user: info.command.user } : {}),
    };
    const rec: TaskRecord = { task, info, frameworkId: fw.id, agentId: agent.id, role };
    this.tasks.set(`${fw.id}/${info.task_id.value}`, rec);
    agent.used = addResources(agent.used, [
      ...resources,
      { name: 'cpus', type: 'SCALAR', scalar: { value: EXECUTOR_CPUS }, role: '*' },
      { name: 'mem', type: 'SCALAR', scalar: { value: EXECUTOR_MEM }, role: '*' },
    ]);
    this.count('tasks_staging');
    this.emitOperator({ type: 'TASK_ADDED', task_added: { task } });
    runtime.launch(fw.info, info);
  }

  private kill(fw: FrameworkRecord, call: SchedulerCall): void {
    const kill = call.kill!;
    const rec = this.tasks.get(`${fw.id}/${kill.task_id.value}`);
    if (rec && (kill.agent_id === undefined || kill.agent_id.value === rec.agentId)) {
      this.runtimes.get(rec.agentId)?.kill(fw.id, kill.task_id.value, kill.kill_policy);
      return;
    }
    if (rec) return; // names another agent than the master's record: ignored, as in Mesos
    // Unknown task: the master answers with an explicit reconciliation for it (reference §2.3 Kill).
    this.reconcile(fw, { type: 'RECONCILE', reconcile: { tasks: [{ task_id: kill.task_id, ...(kill.agent_id ? { agent_id: kill.agent_id } : {}) }] } });
  }

  private reconcile(fw: FrameworkRecord, call: SchedulerCall): void {
    const requested = call.reconcile?.tasks ?? [];
    const pa = capabilities(fw.info).has('PARTITION_AWARE');
    const reply = (rec: TaskRecord | undefined, taskId: string, agentId: string | undefined) => {
      let state: TaskState;
      let message: string;
      if (rec) {
        state = rec.task.state;
        message = 'Reconciliation: Latest task state';
      } else if (agentId !== undefined && this.agents.has(agentId)) {
        state = pa ? 'TASK_GONE' : 'TASK_LOST';
        message = 'Reconciliation: Task is unknown to the agent';
      } else {
        state = pa ? 'TASK_UNKNOWN' : 'TASK_LOST';
        message = 'Reconciliation: Task is unknown';
      }
      const status: TaskStatus = {
        task_id: { value: taskId },
        state,
        source: 'SOURCE_MASTER',
        reason: 'REASON_RECONCILIATION',
        message,
        timestamp: this.clock() / 1000,
        ...(rec ? { agent_id: { value: rec.agentId } } : agentId ? { agent_id: { value: agentId } } : {}),
        ...(rec?.task.state === 'TASK_UNREACHABLE' ? {} : {}),
      };
      this.sendToFramework(fw.id, { type: 'UPDATE', update: { status } });
    };
    if (requested.length === 0) {
      for (const rec of this.tasks.values()) if (rec.frameworkId === fw.id) reply(rec, rec.task.task_id.value, rec.agentId);
      for (const rec of this.unreachableTasks.values()) if (rec.frameworkId === fw.id) reply(rec, rec.task.task_id.value, rec.agentId);
      return;
    }
    for (const t of requested) {
      const key = `${fw.id}/${t.task_id.value}`;
      const rec = this.tasks.get(key) ?? this.unreachableTasks.get(key) ?? this.completedTasks.find((c) => c.frameworkId === fw.id && c.task.task_id.value === t.task_id.value);
      reply(rec, t.task_id.value, t.agent_id?.value);
    }
  }

  /** TEARDOWN or failover timeout: every task killed, the framework completed, its id dead for good. */
  removeFramework(fw: FrameworkRecord, why: 'teardown' | 'failover timeout' | 'operator'): void {
    if (!this.frameworks.has(fw.id)) return;
    if (fw.failoverTimer) clearTimeout(fw.failoverTimer);
    const sub = this.subscribers.get(fw.id);
    this.subscribers.delete(fw.id);
    if (sub && why !== 'teardown') sub.send({ type: 'ERROR', error: { message: 'Framework has been removed' } });
    sub?.close();
    for (const runtime of this.runtimes.values()) runtime.shutdownFramework(fw.id);
    for (const offer of [...this.offers.values()]) if (offer.frameworkId === fw.id) this.offers.delete(offer.offer.id.value);
    for (const [key, rec] of [...this.tasks]) {
      if (rec.frameworkId !== fw.id) continue;
      if (!isTerminal(rec.task.state)) {
        this.release(rec);
        this.applyStatus(rec, {
          task_id: rec.task.task_id,
          state: 'TASK_KILLED',
          source: 'SOURCE_MASTER',
          reason: 'REASON_FRAMEWORK_REMOVED',
          message: `Framework ${fw.id} removed`,
          agent_id: { value: rec.agentId },
          timestamp: this.clock() / 1000,
        });
      }
      this.tasks.delete(key);
      this.completedTasks.push(rec);
    }
    fw.connected = false;
    fw.active = false;
    fw.unregisteredTime = this.clock() / 1000;
    this.frameworks.delete(fw.id);
    this.completedFrameworks.push(fw);
    this.removedFrameworkIds.add(fw.id);
    this.emitOperator({ type: 'FRAMEWORK_REMOVED', framework_removed: { framework_info: fw.info } });
  }

  // ---------------------------------------------------------------- status updates (from agents)

  statusUpdate(agentId: string, frameworkId: string, status: TaskStatus): void {
    const rec = this.tasks.get(`${frameworkId}/${status.task_id.value}`);
    if (!rec || rec.agentId !== agentId) return;
    // A retry of the update the master already holds is forwarded again, not recorded twice.
    const retry = status.uuid !== undefined && rec.task.status_update_uuid === status.uuid;
    if (!retry) {
      const wasTerminal = isTerminal(rec.task.state);
      this.applyStatus(rec, status);
      if (!wasTerminal && isTerminal(status.state)) this.release(rec);
    }
    // Forwarded only while the framework is connected; the agent re-sends until acknowledged.
    this.sendToFramework(frameworkId, { type: 'UPDATE', update: { status } });
  }

  private applyStatus(rec: TaskRecord, status: TaskStatus): void {
    const previous = rec.task.state;
    rec.task.state = status.state;
    rec.task.statuses = [...(rec.task.statuses ?? []), status];
    if (status.uuid !== undefined) {
      rec.task.status_update_state = status.state;
      rec.task.status_update_uuid = status.uuid;
    }
    if (previous !== status.state) this.count(status.state.replace(/^TASK_/, 'tasks_').toLowerCase());
    this.emitOperator({
      type: 'TASK_UPDATED',
      task_updated: {
        framework_id: { value: rec.frameworkId },
        status,
        state: status.state,
      },
    });
  }

  private release(rec: TaskRecord): void {
    const agent = this.agents.get(rec.agentId);
    if (!agent) return;
    const resources = (rec.task.resources ?? []).map((r) => stripAllocation(r));
    agent.used =
      subtractResources(agent.used, [
        ...resources,
        { name: 'cpus', type: 'SCALAR', scalar: { value: EXECUTOR_CPUS }, role: '*' },
        { name: 'mem', type: 'SCALAR', scalar: { value: EXECUTOR_MEM }, role: '*' },
      ]) ?? agent.used;
  }

  // ---------------------------------------------------------------- allocation

  /** One allocation cycle: every active framework is offered what no one uses or holds, per agent and role. */
  allocate(): void {
    const now = this.clock();
    const frameworks = [...this.frameworks.values()].filter((f) => f.active && this.subscribers.has(f.id));
    // rotate who goes first, so that no framework always gets the whole cluster
    const start = frameworks.length ? this.offerCounter % frameworks.length : 0;
    const ordered = [...frameworks.slice(start), ...frameworks.slice(0, start)];
    const byFramework = new Map<string, Offer[]>();
    for (const agent of this.agents.values()) {
      if (!agent.active) continue;
      let free = subtractResources(agent.info.resources, agent.used) ?? [];
      for (const o of this.offers.values()) if (o.agentId === agent.id) free = subtractResources(free, o.resources) ?? free;
      for (const fw of ordered) {
        const until = fw.refusals.get(agent.id);
        if (until !== undefined && until > now) continue;
        if (until !== undefined) fw.refusals.delete(agent.id);
        if ([...this.offers.values()].some((o) => o.frameworkId === fw.id && o.agentId === agent.id)) continue;
        for (const role of frameworkRoles(fw.info)) {
          if (fw.suppressedRoles.has(role)) continue;
          const offerable = resourcesForRole(free, role);
          if (scalarTotal(offerable, 'cpus') < 0.01 && scalarTotal(offerable, 'mem') < 32) continue;
          const offer = this.makeOffer(fw, agent, role, offerable);
          free = subtractResources(free, offerable) ?? [];
          byFramework.set(fw.id, [...(byFramework.get(fw.id) ?? []), offer]);
        }
      }
    }
    for (const [fwId, offers] of byFramework) this.sendToFramework(fwId, { type: 'OFFERS', offers: { offers } });
  }

  private makeOffer(fw: FrameworkRecord, agent: AgentRecord, role: string, resources: Resource[]): Offer {
    const multiRole = capabilities(fw.info).has('MULTI_ROLE');
    const id = `${this.clusterId}-O${this.offerCounter++}`;
    const shown = resources.map((r) => {
      const copy: Resource = { ...r };
      if (!copy.role) copy.role = resourceRole(r);
      if (multiRole) copy.allocation_info = { role };
      else delete copy.allocation_info;
      return copy;
    });
    const offer: Offer = {
      id: { value: id },
      framework_id: { value: fw.id },
      agent_id: { value: agent.id },
      hostname: agent.info.hostname,
      url: {
        scheme: 'http',
        address: { hostname: agent.info.hostname, ip: '127.0.0.1', port: agent.info.port ?? 5051 },
        path: '/slave(1)',
      },
      resources: shown,
      attributes: agent.info.attributes ?? [],
      executor_ids: [],
      ...(multiRole ? { allocation_info: { role } } : {}),
    };
    this.offers.set(id, { offer, frameworkId: fw.id, agentId: agent.id, role, resources });
    return offer;
  }

  /** Withdraws an offer and tells its framework (RESCIND). */
  rescind(offer: OfferRecord): void {
    if (!this.offers.delete(offer.offer.id.value)) return;
    this.sendToFramework(offer.frameworkId, { type: 'RESCIND', rescind: { offer_id: offer.offer.id } });
  }

  // ---------------------------------------------------------------- views and plumbing

  private sendToFramework(frameworkId: string, event: SchedulerEvent): void {
    this.subscribers.get(frameworkId)?.send(event);
  }

  private emitOperator(event: MasterEvent): void {
    this.emit('event', event);
  }

  private count(name: string): void {
    this.counters[name] = (this.counters[name] ?? 0) + 1;
  }

  /** An agent as the operator API's GET_AGENTS / AGENT_ADDED show it. */
  agentView(agent: AgentRecord): NonNullable<NonNullable<MasterEvent['agent_added']>['agent']> {
    const offered = [...this.offers.values()].filter((o) => o.agentId === agent.id).flatMap((o) => o.resources);
    return {
      agent_info: agent.info as AgentInfo,
      active: agent.active,
      version: this.version,
      pid: agent.pid,
      registered_time: { nanoseconds: secondsToNanos(agent.registeredTime) },
      total_resources: agent.info.resources,
      allocated_resources: agent.used,
      offered_resources: addResources(offered, []),
      capabilities: [{ type: 'MULTI_ROLE' }, { type: 'HIERARCHICAL_ROLE' }, { type: 'RESERVATION_REFINEMENT' }],
    };
  }

  /** A framework as GET_FRAMEWORKS / FRAMEWORK_ADDED show it. */
  frameworkView(fw: FrameworkRecord): NonNullable<NonNullable<MasterEvent['framework_added']>['framework']> {
    const used = [...this.tasks.values()].filter((t) => t.frameworkId === fw.id).flatMap((t) => t.task.resources ?? []);
    const offered = [...this.offers.values()].filter((o) => o.frameworkId === fw.id).flatMap((o) => o.offer.resources ?? []);
    return {
      framework_info: fw.info,
      active: fw.active,
      connected: fw.connected,
      recovered: false,
      registered_time: { nanoseconds: secondsToNanos(fw.registeredTime) },
      ...(fw.reregisteredTime !== undefined ? { reregistered_time: { nanoseconds: secondsToNanos(fw.reregisteredTime) } } : {}),
      ...(fw.unregisteredTime !== undefined ? { unregistered_time: { nanoseconds: secondsToNanos(fw.unregisteredTime) } } : {}),
      allocated_resources: used,
      offered_resources: offered,
    };
  }

  /** A fresh 16-byte status-update UUID, Base64, as agents stamp updates. */
  static newStatusUuid(): string {
    return randomBytes(16).toString('base64');
  }
}

// Which payload field each call type requires (reference §2.2).
const PAYLOAD_FIELD: Partial<Record<NonNullable<SchedulerCall['type']>, keyof SchedulerCall>> = {
  ACCEPT: 'accept',
  DECLINE: 'decline',
  KILL: 'kill',
  SHUTDOWN: 'shutdown',
  ACKNOWLEDGE: 'acknowledge',
  RECONCILE: 'reconcile',
  MESSAGE: 'message',
  REQUEST: 'request',
  ACCEPT_INVERSE_OFFERS: 'accept_inverse_offers',
  DECLINE_INVERSE_OFFERS: 'decline_inverse_offers',
  ACKNOWLEDGE_OPERATION_STATUS: 'acknowledge_operation_status',
  RECONCILE_OPERATIONS: 'reconcile_operations',
  UPDATE_FRAMEWORK: 'update_framework',
};

function hasControlCharacter(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) < 0x20 || s.charCodeAt(i) === 0x7f) return true;
  return false;
}

function stripAllocation(r: Resource): Resource {
  if (r.allocation_info === undefined) return r;
  const { allocation_info: _drop, ...rest } = r;
  return rest;
}

function describe(resources: readonly Resource[]): string {
  return resources
    .map((r) => `${r.name}(${resourceRole(r)}):${r.type === 'SCALAR' ? r.scalar?.value : r.type === 'RANGES' ? (r.ranges?.range ?? []).map((x) => `[${x.begin}-${x.end}]`).join(',') : '…'}`)
    .join('; ');
}

function secondsToNanos(seconds: number): string | number {
  const nanos = BigInt(Math.round(seconds * 1000)) * 1_000_000n;
  return nanos <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(nanos) : nanos.toString();
}
