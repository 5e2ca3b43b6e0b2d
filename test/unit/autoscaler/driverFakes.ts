import { createHash } from 'node:crypto';
import type {
  JenkinsComputerEntry,
  JenkinsComputerSetSnapshot,
  JenkinsQueueSnapshot,
} from '../../../src/core/jenkins/jenkinsClientTypes';
import { JenkinsError } from '../../../src/core/jenkins/jenkinsError';
import type { InboundAgentRequest } from '../../../src/core/jenkins/inboundAgentSpec';
import { BUILT_IN_COMPUTER_CLASS, SLAVE_COMPUTER_CLASS } from '../../../src/core/jenkins/jenkinsTypes';
import type { Disposable } from '../../../src/core/mesos/leader/leaderDetector';
import type { AutoscalerJenkins } from '../../../src/core/scheduler/autoscaler/autoscalerJenkins';
import type { AutoscalerScheduler } from '../../../src/core/scheduler/autoscaler/autoscalerScheduler';
import type { DecisionRecord } from '../../../src/core/scheduler/decisionRecord';
import type { SchedulerInput } from '../../../src/core/scheduler/schedulerInput';
import { reduce } from '../../../src/core/scheduler/schedulerReducer';
import { initialSchedulerState, type SchedulerState } from '../../../src/core/scheduler/schedulerState';
import type { TaskRequest } from '../../../src/core/scheduler/taskRequest';

// In-memory stand-ins for the autoscaler driver's two peers: a Jenkins that keeps nodes and a queue and
// writes down every call, and a scheduler that runs the real reducer synchronously (no network).

interface FakeNode {
  readonly request: InboundAgentRequest;
  connected: boolean;
  busy: boolean;
  temporarilyOffline: boolean;
}

const serverError = (operation: string) =>
  new JenkinsError({
    kind: 'server-error',
    operation,
    endpoint: 'http://jenkins/',
    status: 500,
    summary: `Jenkins at http://jenkins/ failed to ${operation} (500 Server Error)`,
    nextStep: 'Retry later',
    retryable: true,
  });

export class FakeJenkins implements AutoscalerJenkins {
  session: string | undefined = 'S1';
  readonly calls: string[] = [];
  readonly nodes = new Map<string, FakeNode>();
  items: unknown[] = [];
  /** Every read fails with HTTP 500 while set. */
  down = false;
  /** Calls of these kinds wait until `release()`. */
  hold = new Set<string>();
  private held: (() => void)[] = [];

  static secretOf(name: string): string {
    return createHash('sha256').update(`secret:${name}`).digest('hex');
  }

  /** The agent of a node connects (or drops). */
  connect(name: string, connected = true): void {
    this.nodes.get(name)!.connected = connected;
  }

  setBusy(name: string, busy: boolean): void {
    this.nodes.get(name)!.busy = busy;
  }

  release(): void {
    const held = this.held;
    this.held = [];
    for (const h of held) h();
  }

  get heldCount(): number {
    return this.held.length;
  }

  private async gate(kind: string): Promise<void> {
    if (this.hold.has(kind)) await new Promise<void>((resolve) => this.held.push(resolve));
  }

  queue(_signal: AbortSignal): Promise<JenkinsQueueSnapshot> {
    if (this.down) return Promise.reject(serverError('read the build queue'));
    return Promise.resolve({ items: this.items } as unknown as JenkinsQueueSnapshot);
  }

  computers(_signal: AbortSignal): Promise<JenkinsComputerSetSnapshot> {
    if (this.down) return Promise.reject(serverError('list the nodes'));
    return Promise.resolve({
      computer: [
        { _class: BUILT_IN_COMPUTER_CLASS, displayName: 'Built-In Node', offline: false, idle: true, numExecutors: 0 },
        ...[...this.nodes.keys()].map((name) => this.entry(name)),
      ],
    } as unknown as JenkinsComputerSetSnapshot);
  }

  computer(name: string, _signal: AbortSignal): Promise<JenkinsComputerEntry | undefined> {
    return Promise.resolve(this.nodes.has(name) ? (this.entry(name) as unknown as JenkinsComputerEntry) : undefined);
  }

  private entry(name: string): Record<string, unknown> {
    const n = this.nodes.get(name)!;
    return {
      _class: SLAVE_COMPUTER_CLASS,
      displayName: name,
      description: n.request.description,
      offline: !n.connected || n.temporarilyOffline,
      temporarilyOffline: n.temporarilyOffline,
      idle: !n.busy,
      numExecutors: n.request.executors,
      executors: Array.from({ length: n.request.executors }, (_, i) => ({ idle: !n.busy || i > 0 })),
      assignedLabels: [...n.request.labels, name].map((l) => ({ name: l })),
    };
  }

  async createInboundAgent(request: InboundAgentRequest, _signal: AbortSignal): Promise<void> {
    this.calls.push(`create ${request.name}`);
    await this.gate('create');
    this.nodes.set(request.name, { request, connected: false, busy: false, temporarilyOffline: false });
  }

  async agentSecret(name: string, _signal: AbortSignal): Promise<string> {
    this.calls.push(`secret ${name}`);
    await this.gate('secret');
    if (!this.nodes.has(name))
      throw new JenkinsError({
        kind: 'not-found',
        operation: 'read the secret',
        endpoint: 'x',
        summary: 'no node',
        nextStep: 'none',
        retryable: false,
      });
    return FakeJenkins.secretOf(name);
  }

  async setOffline(name: string, _message: string, _signal: AbortSignal): Promise<void> {
    this.calls.push(`offline ${name}`);
    await this.gate('offline');
    const node = this.nodes.get(name);
    if (node) node.temporarilyOffline = true;
  }

  async setOnline(name: string, _signal: AbortSignal): Promise<boolean> {
    this.calls.push(`online ${name}`);
    const node = this.nodes.get(name);
    const was = node?.temporarilyOffline ?? false;
    if (node) node.temporarilyOffline = false;
    return was;
  }

  async deleteNode(name: string, _signal: AbortSignal): Promise<boolean> {
    this.calls.push(`delete ${name}`);
    await this.gate('delete');
    return this.nodes.delete(name);
  }
}

/** The real scheduler reducer, reduced synchronously: launch and kill are inputs, like in SchedulerDriver. */
export class ReducerScheduler implements AutoscalerScheduler {
  state: SchedulerState = initialSchedulerState({ suppressAfterMs: 1000, refuseSeconds: 60 });
  readonly launched: TaskRequest[] = [];
  readonly killed: string[] = [];
  readonly decisions: DecisionRecord[] = [];
  private readonly decisionListeners = new Set<(d: DecisionRecord) => void>();
  private readonly stateListeners = new Set<(s: SchedulerState) => void>();

  input(input: SchedulerInput): void {
    const step = reduce(this.state, input);
    const changed = step.state !== this.state;
    this.state = step.state;
    for (const d of step.decisions) {
      this.decisions.push(d);
      for (const l of this.decisionListeners) l(d);
    }
    if (changed) for (const l of this.stateListeners) l(this.state);
  }

  /** Set: launch requests are refused, as a scheduler that validates them differently would. */
  refuse: string | undefined;

  launch(requests: readonly TaskRequest[]): void {
    this.launched.push(...requests);
    if (this.refuse === undefined) {
      this.input({ kind: 'launch', at: Date.now(), requests });
      return;
    }
    for (const r of requests) {
      const d: DecisionRecord = { at: Date.now(), kind: 'rejected', requestId: r.id, reason: this.refuse };
      this.decisions.push(d);
      for (const l of this.decisionListeners) l(d);
    }
  }

  kill(taskId: string): void {
    this.killed.push(taskId);
    this.input({ kind: 'kill', at: Date.now(), taskId });
  }

  onDecision(listener: (d: DecisionRecord) => void): Disposable {
    this.decisionListeners.add(listener);
    return { dispose: () => void this.decisionListeners.delete(listener) };
  }

  onStateChange(listener: (s: SchedulerState) => void): Disposable {
    this.stateListeners.add(listener);
    return { dispose: () => void this.stateListeners.delete(listener) };
  }
}
