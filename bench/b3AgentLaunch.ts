import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, request } from 'undici';
import { JenkinsClient } from '../src/core/jenkins/jenkinsClient';
import { createLogger, silentSink } from '../src/core/log/logSink';
import { MasterConnection } from '../src/core/mesos/connection/masterConnection';
import type { AgentTemplate } from '../src/core/scheduler/autoscaler/agentTemplate';
import { AutoscalerDriver, DEFAULT_AUTOSCALER_DRIVER_SETTINGS } from '../src/core/scheduler/autoscaler/autoscalerDriver';
import { readAgentTemplates } from '../src/core/scheduler/autoscaler/readAgentTemplates';
import { frameworkInfoFor } from '../src/core/scheduler/frameworkInfoFor';
import { SchedulerDriver } from '../src/core/scheduler/schedulerDriver';
import { sandboxAgentCommand } from '../src/sandbox/jenkins/sandboxAgentCommand';
import { startSandboxJenkins, type SandboxJenkins } from '../src/sandbox/jenkins/sandboxJenkins';
import { SandboxCluster } from '../src/sandbox/mesos/sandboxCluster';
import { withEventLoopMonitor, type Benchmark, type BenchResult } from './benchmark';

// B3 (performance.md): build queued -> agent launched. A child process runs the sandbox Mesos cluster
// (offering every second) and the sandbox Jenkins; this process runs what the extension runs: the
// SchedulerDriver and the AutoscalerDriver with their default settings (Jenkins polled every 2 s), talking
// to them over loopback. Keeping the sandbox out of this process keeps its work (spawning agents, serving
// the queue and the nodes) out of the drivers' timings and out of the longest event-loop block.
//
// Per queued build, one timestamp per stage: enqueued (the sandbox Jenkins' enqueue) -> demand seen (the
// autoscaler's `launch` decision listing the item) -> offer (arrival of the OFFERS event holding the offer
// its agent's task was placed on) -> ACCEPT (the call handed to the scheduler client) -> TASK_RUNNING (the
// update's arrival) -> agent online (the sandbox Jenkins connects the node). Baseline: the target's own
// bound, one Jenkins poll plus one offer cycle.
//
// Bursts of 1, 100 and 1,000 builds, each against a fresh sandbox, with at most B3_MAX_AGENTS (100) agents:
// a bigger burst gets agents of several executors (1,000 builds: 100 agents of 10). B3_MAX_AGENTS=1000 gives
// every build of the biggest burst its own single-executor agent (measured: 1,000/1,000 online, p99 queued
// -> online 15 s); the sandbox Jenkins stands that since it matches the nodes once per label and change
// rather than once per queue item (it took ~7 minutes of CPU for the 1,000 node creations before). Up to
// B3_REAL_AGENTS_MAX (100) agents run the sandbox's inbound agent (a Node process, ~45 MB, started by
// sandboxAgentCommand); beyond that (B3_MAX_AGENTS raised) they are `curl` holding the same agent-listener
// connection open, a real process speaking the same protocol in a few MB.

const BURSTS = (process.env.B3_BURSTS ?? '1,100,1000').split(',').map(Number);
const MAX_AGENTS = Number(process.env.B3_MAX_AGENTS ?? 100);
const REAL_AGENTS_MAX = Number(process.env.B3_REAL_AGENTS_MAX ?? 100);
const ALLOCATION_MS = 1000;
const POLL_MS = DEFAULT_AUTOSCALER_DRIVER_SETTINGS.pollMs;
const BASELINE_MS = POLL_MS + ALLOCATION_MS;
const ACCEPT_TARGET_MS = 5;
/** Fastest elastic-agent time published (performance.md anchors: 30 s to 2 min). */
const PUBLISHED_BEST_MS = 30_000;
const MESOS_AGENTS = 10;
/**
 * 10 x 24 cpus and 10 x 8 GB: room for 1,200 agents of 0.1 cpu and 32 MB, each with the command executor's
 * own 0.1 cpu and 32 MB on top (10 x 4 GB held only 640).
 */
const MESOS_AGENT_RESOURCES = 'cpus:24;mem:8192;disk:20000;ports:[31000-32000]';
const LABEL = 'b3';
const BUILD_SECONDS = 60;
const CHILD_FLAG = '--b3-sandbox';
const AGENT_JAR = join(__dirname, '..', 'dist', 'sandbox-agent.js');

/** The agent the big bursts run: the agent-listener connection without Node; the secret comes on fd 3. */
const CURL_AGENT_COMMAND = [
  'exec curl -sS --fail -N -o /dev/null -H "Node-Name: $JENKINS_AGENT_NAME" -H @/dev/fd/3 ' +
    '"${JENKINS_URL}__sandbox/agent/connect" 3<<EOF',
  'Secret-Key: $JENKINS_SECRET',
  'EOF',
].join('\n');

/** Epoch milliseconds with sub-millisecond resolution, the same clock in both processes. */
const clock = (): number => performance.timeOrigin + performance.now();

type ToSandbox =
  | { readonly type: 'ping'; readonly t: number }
  | { readonly type: 'enqueue'; readonly count: number }
  | { readonly type: 'stop' };

type FromSandbox =
  | { readonly type: 'ready'; readonly master: string; readonly jenkins: string }
  | { readonly type: 'pong'; readonly t: number; readonly at: number }
  | { readonly type: 'enqueued'; readonly items: readonly (readonly [number, number])[] }
  | { readonly type: 'online'; readonly node: string; readonly at: number }
  | { readonly type: 'stopped' }
  | { readonly type: 'failed'; readonly message: string };

// ---- the child: sandbox master, agents and Jenkins ------------------------------------------------

async function serveSandbox(): Promise<void> {
  const send = (message: FromSandbox) => process.send?.(message);
  const cluster = new SandboxCluster({
    agents: MESOS_AGENTS,
    agentResources: MESOS_AGENT_RESOURCES,
    allocationIntervalMs: ALLOCATION_MS,
    log: createLogger(silentSink, 'sandbox'),
  });
  let jenkins: SandboxJenkins | undefined;
  let stopping: Promise<void> | undefined;
  // the cluster first: it kills the agents' processes (and waits for them) before Jenkins drops their links
  const stop = () =>
    (stopping ??= (async () => {
      await cluster.stop().catch(() => undefined);
      await jenkins?.close().catch(() => undefined);
    })());
  const stopAndExit = () => void stop().finally(() => process.exit(0));
  process.on('disconnect', stopAndExit);
  process.on('SIGTERM', stopAndExit);
  process.on('message', (message: ToSandbox) => {
    if (message.type === 'ping') send({ type: 'pong', t: message.t, at: clock() });
    else if (message.type === 'enqueue') {
      const items: [number, number][] = [];
      for (let i = 0; i < message.count; i++) {
        const id = jenkins!.enqueue({ job: `build-${i}`, label: LABEL, durationSeconds: BUILD_SECONDS });
        items.push([id, clock()]);
      }
      send({ type: 'enqueued', items });
    } else if (message.type === 'stop') {
      void stop().then(() => {
        send({ type: 'stopped' });
        process.exit(0);
      });
    }
  });
  try {
    await cluster.start();
    jenkins = await startSandboxJenkins({ agentJar: { path: AGENT_JAR } });
  } catch (error) {
    send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
    await stop();
    process.exit(1);
  }
  jenkins.onEvent((e) => {
    if (e.type === 'nodeOnline') send({ type: 'online', node: e.node, at: clock() });
  });
  send({ type: 'ready', master: cluster.leaderUrl, jenkins: jenkins.url });
}

// ---- this process's handle on the child ----------------------------------------------------------

class SandboxProcess {
  /** The child's clock minus ours (measured by ping-pong; sub-millisecond on one machine). */
  private offset = 0;
  private readonly waiters = new Set<(m: FromSandbox) => boolean>();
  private exited = false;

  private constructor(
    private readonly child: ChildProcess,
    readonly master: string,
    readonly jenkins: string,
    private readonly onOnline: (node: string, at: number) => void,
  ) {
    child.on('message', (m: FromSandbox) => {
      if (m.type === 'online') this.onOnline(m.node, m.at - this.offset);
      for (const w of [...this.waiters]) if (w(m)) this.waiters.delete(w);
    });
  }

  static async start(onOnline: (node: string, at: number) => void): Promise<SandboxProcess> {
    const child = fork(__filename, [CHILD_FLAG], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const ready = await new Promise<FromSandbox>((resolve, reject) => {
      child.once('message', resolve);
      child.once('exit', (code) => reject(new Error(`B3: the sandbox process exited (${code}) before it was ready`)));
    }).catch(async (error: unknown) => {
      child.kill('SIGTERM');
      await exited;
      throw error;
    });
    if (ready.type !== 'ready') {
      child.kill('SIGTERM');
      await exited;
      throw new Error(`B3: the sandbox did not start: ${ready.type === 'failed' ? ready.message : ready.type}`);
    }
    const sandbox = new SandboxProcess(child, ready.master, ready.jenkins, onOnline);
    void exited.then(() => (sandbox.exited = true));
    await sandbox.measureOffset();
    return sandbox;
  }

  private ask<T extends FromSandbox>(message: ToSandbox, answer: (m: FromSandbox) => m is T, timeoutMs = 30_000): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`B3: the sandbox did not answer ${message.type} within ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter = (m: FromSandbox) => {
        if (!answer(m)) return false;
        clearTimeout(timer);
        resolve(m);
        return true;
      };
      this.waiters.add(waiter);
      this.child.send(message);
    });
  }

  /** The child's clock against ours, from the ping-pong with the shortest round trip. */
  private async measureOffset(): Promise<void> {
    let best = Number.POSITIVE_INFINITY;
    for (let i = 0; i < 10; i++) {
      const t = clock();
      const pong = await this.ask({ type: 'ping', t }, (m): m is Extract<FromSandbox, { type: 'pong' }> => m.type === 'pong' && m.t === t);
      const now = clock();
      if (now - t < best) {
        best = now - t;
        this.offset = pong.at - (t + now) / 2;
      }
    }
  }

  /** Queues `count` labelled builds at once; their item ids with when each was queued (our clock). */
  async enqueue(count: number): Promise<Map<number, number>> {
    const answer = await this.ask({ type: 'enqueue', count }, (m): m is Extract<FromSandbox, { type: 'enqueued' }> => m.type === 'enqueued');
    return new Map(answer.items.map(([id, at]) => [id, at - this.offset]));
  }

  /** Stops the sandbox (its agents' processes first) and waits for the child to exit. */
  async stop(): Promise<void> {
    if (this.exited) return;
    const exit = new Promise<void>((resolve) => (this.exited ? resolve() : this.child.once('exit', () => resolve())));
    this.child.send({ type: 'stop' } satisfies ToSandbox);
    const timer = setTimeout(() => this.child.kill('SIGTERM'), 60_000);
    await exit;
    clearTimeout(timer);
  }
}

// ---- one burst -------------------------------------------------------------------------------------

interface Stamps {
  readonly enqueued: Map<number, number>;
  /** item -> the launch decision that covers it */
  readonly demand: Map<number, { at: number; agent: string }>;
  /** agent -> its task and the offer it was placed on */
  readonly placed: Map<string, { taskId: string; offerId: string; decidedAt: number }>;
  readonly accepted: Map<string, number>; // task id -> ACCEPT handed to the client
  readonly online: Map<string, number>; // node -> connected in the sandbox Jenkins
  readonly seen: Map<string, number>; // node -> the autoscaler's poll saw it online
}

function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

function ms(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  return value < 10 ? `${value.toFixed(2)} ms` : value < 10_000 ? `${value.toFixed(0)} ms` : `${(value / 1000).toFixed(1)} s`;
}

function spread(values: readonly number[]): string {
  return `${ms(percentile(values, 0.5))}/${ms(percentile(values, 0.99))}`;
}

function spreadCount(values: readonly number[]): string {
  return `${percentile(values, 0.5)}/${percentile(values, 0.99)}`;
}

/** Asks the master for its health every 100 ms until aborted, keeping how long each answer took. */
async function probeMaster(master: string, signal: AbortSignal, answers: number[]): Promise<void> {
  const dispatcher = new Agent();
  try {
    while (!signal.aborted) {
      const started = performance.now();
      try {
        const res = await request(`${master}/master/health`, { dispatcher, signal });
        await res.body.dump();
        answers.push(performance.now() - started);
      } catch {
        // aborted: the burst is over
      }
      await sleep(100, undefined, { signal }).catch(() => undefined);
    }
  } finally {
    await dispatcher.close();
  }
}

function agentTemplate(agents: number, executors: number, command: string): AgentTemplate {
  const { templates, problems } = readAgentTemplates([
    { name: 'b3', labels: [LABEL], cpus: 0.1, mem: 32, executors, maxAgents: agents, idleMinutes: 60, command },
  ]);
  if (problems.length > 0) throw new Error(`B3: bad agent template: ${JSON.stringify(problems)}`);
  return templates[0]!;
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

async function burst(count: number): Promise<BenchResult[]> {
  const stamps: Stamps = {
    enqueued: new Map(),
    demand: new Map(),
    placed: new Map(),
    accepted: new Map(),
    online: new Map(),
    seen: new Map(),
  };
  const sandbox = await SandboxProcess.start((node, at) => {
    if (!stamps.online.has(node)) stamps.online.set(node, at);
  });
  try {
    return await measure(count, sandbox, stamps);
  } finally {
    await sandbox.stop();
  }
}

async function measure(count: number, sandbox: SandboxProcess, stamps: Stamps): Promise<BenchResult[]> {
  const agents = Math.min(count, MAX_AGENTS);
  const executors = Math.ceil(count / agents);
  const light = agents > REAL_AGENTS_MAX;
  const connection = new MasterConnection({ masters: [sandbox.master] });
  const client = new JenkinsClient({ url: sandbox.jenkins });
  const scheduler = new SchedulerDriver({
    connection,
    frameworkInfo: frameworkInfoFor({ name: 'b3', failoverTimeoutSeconds: 60 }),
    now: clock,
    record: true,
  });
  const autoscaler = new AutoscalerDriver({
    jenkins: client,
    scheduler,
    jenkinsUrl: sandbox.jenkins,
    templates: [agentTemplate(agents, executors, light ? CURL_AGENT_COMMAND : sandboxAgentCommand(process.execPath))],
    owner: 'b3',
    now: clock,
    record: true,
    options: { maxAgents: agents },
  });
  scheduler.onDecision((d) => {
    if (d.kind === 'launched' && d.requestId && d.taskId && d.offerId && !stamps.placed.has(d.requestId))
      stamps.placed.set(d.requestId, { taskId: d.taskId, offerId: d.offerId, decidedAt: clock() });
  });
  /**
   * When each call of the control lane was handed to the client, in order: what an ACCEPT waited behind.
   * ACKNOWLEDGEs go in a lane of their own beside it (SchedulerDriver.pump), so they are not counted.
   */
  const controlHandedAt: number[] = [];
  scheduler.onCall((call) => {
    const at = clock();
    if (call.type !== 'ACKNOWLEDGE') controlHandedAt.push(at);
    if (call.type !== 'ACCEPT') return;
    for (const op of call.accept?.operations ?? [])
      for (const task of op.launch?.task_infos ?? []) if (!stamps.accepted.has(task.task_id.value)) stamps.accepted.set(task.task_id.value, at);
  });
  autoscaler.onDecision((d) => {
    if (d.kind === 'launch' && !d.dryRun && d.agent)
      for (const item of d.items ?? []) if (!stamps.demand.has(item)) stamps.demand.set(item, { at: d.at, agent: d.agent });
    if (d.kind === 'connected' && d.agent && !stamps.seen.has(d.agent)) stamps.seen.set(d.agent, d.at);
  });
  const timeoutMs = Number(process.env.B3_TIMEOUT_S ?? 60 + count * 0.15) * 1000;
  const complete = () =>
    stamps.enqueued.size === count &&
    [...stamps.enqueued.keys()].every((item) => {
      const agent = stamps.demand.get(item)?.agent;
      return agent !== undefined && stamps.online.has(agent) && stamps.seen.has(agent);
    });
  let finished = false;
  let longestBlockMs = 0;
  const probe = new AbortController();
  const masterAnswers: number[] = [];
  let probing: Promise<void> | undefined;
  try {
    await scheduler.start();
    await autoscaler.start();
    if (!(await waitFor(() => autoscaler.health.mesosReconciled, 30_000))) throw new Error('B3: the scheduler never reconciled');
    // how fast the sandbox master answers while the burst loads it: every call to it waits as long
    probing = probeMaster(sandbox.master, probe.signal, masterAnswers);
    // the longest block is the burst's: from the enqueue until every agent is online
    ({ longestBlockMs } = await withEventLoopMonitor(async () => {
      for (const [id, at] of await sandbox.enqueue(count)) stamps.enqueued.set(id, at);
      const progress = process.env.B3_PROGRESS
        ? setInterval(() => {
            const phases = Object.values(autoscaler.state.agents).reduce<Record<string, number>>((n, a) => ({ ...n, [a.phase]: (n[a.phase] ?? 0) + 1 }), {});
            process.stderr.write(
              `B3.${count}: ${JSON.stringify(phases)} pending ${scheduler.state.pending.length}, tasks ${Object.keys(scheduler.state.tasks).length}, ` +
                `accepted ${stamps.accepted.size}, online ${stamps.online.size}\n`,
            );
          }, 5000)
        : undefined;
      finished = await waitFor(complete, timeoutMs);
      clearInterval(progress);
    }));
  } finally {
    probe.abort();
    await probing;
    await autoscaler.stop().catch(() => undefined);
    // teardown: Mesos kills every agent task of the framework
    await scheduler.stop({ teardown: true }).catch(() => scheduler.stop());
    await client.close().catch(() => undefined);
    await connection.close().catch(() => undefined);
  }

  // offers and updates as they reached the driver (the recorded inputs carry their arrival times)
  const offerAt = new Map<string, number>();
  const runningAt = new Map<string, number>();
  for (const input of scheduler.recording) {
    if (input.kind !== 'event') continue;
    const event = input.event;
    if (event.type === 'OFFERS') for (const o of event.offers?.offers ?? []) offerAt.set(o.id.value, input.at);
    const status = event.type === 'UPDATE' ? event.update?.status : undefined;
    if (status?.state === 'TASK_RUNNING' && !runningAt.has(status.task_id.value)) runningAt.set(status.task_id.value, input.at);
  }

  // the autoscaler's side of each launch: node created in Jenkins, then its task handed to the scheduler
  const nodeCreatedAt = new Map<string, number>();
  for (const input of autoscaler.recording) if (input.kind === 'node-created') nodeCreatedAt.set(input.name, input.at);
  const taskQueuedAt = new Map<string, number>();
  for (const input of scheduler.recording)
    if (input.kind === 'launch') for (const r of input.requests) if (!taskQueuedAt.has(r.id)) taskQueuedAt.set(r.id, input.at);

  // per build: from its enqueue; per agent (its Mesos task): between the stages of its own launch
  const build = { toDemand: [] as number[], toOffer: [] as number[], toAccept: [] as number[], toOnline: [] as number[] };
  const agent = {
    demandToNode: [] as number[],
    nodeToQueued: [] as number[],
    queuedToOffer: [] as number[],
    callsAhead: [] as number[],
    offerToAccept: [] as number[],
    offerToPlaced: [] as number[],
    placedToAccept: [] as number[],
    acceptToRunning: [] as number[],
    runningToOnline: [] as number[],
    onlineToSeen: [] as number[],
  };
  const launches = new Map<string, { offered?: number; accepted?: number; online?: number }>();
  const launchDecidedAt = new Map<string, number>();
  for (const { at, agent: name } of stamps.demand.values()) if (!launchDecidedAt.has(name)) launchDecidedAt.set(name, at);
  for (const [name, placed] of stamps.placed) {
    const offered = offerAt.get(placed.offerId);
    const accepted = stamps.accepted.get(placed.taskId);
    const running = runningAt.get(placed.taskId);
    const online = stamps.online.get(name);
    const seen = stamps.seen.get(name);
    launches.set(name, { offered, accepted, online });
    const demandAt = launchDecidedAt.get(name);
    const created = nodeCreatedAt.get(name);
    const queued = taskQueuedAt.get(name);
    if (demandAt !== undefined && created !== undefined && queued !== undefined && offered !== undefined) {
      agent.demandToNode.push(created - demandAt);
      agent.nodeToQueued.push(queued - created);
      agent.queuedToOffer.push(offered - queued);
    }
    if (offered === undefined || accepted === undefined) continue;
    agent.callsAhead.push(controlHandedAt.filter((t) => t > placed.decidedAt && t < accepted).length);
    agent.offerToAccept.push(accepted - offered);
    agent.offerToPlaced.push(placed.decidedAt - offered);
    agent.placedToAccept.push(accepted - placed.decidedAt);
    if (running === undefined || online === undefined) continue;
    agent.acceptToRunning.push(running - accepted);
    agent.runningToOnline.push(online - running);
    if (seen !== undefined) agent.onlineToSeen.push(seen - online);
  }
  for (const [item, enqueuedAt] of stamps.enqueued) {
    const demand = stamps.demand.get(item);
    if (!demand) continue;
    build.toDemand.push(demand.at - enqueuedAt);
    const launch = launches.get(demand.agent);
    if (launch?.offered === undefined || launch.accepted === undefined) continue;
    build.toOffer.push(launch.offered - demand.at);
    build.toAccept.push(launch.accepted - enqueuedAt);
    if (launch.online !== undefined) build.toOnline.push(launch.online - enqueuedAt);
  }

  const id = `B3.${count}`;
  const shape =
    `${count} build(s) on ${stamps.placed.size} agent(s) of ${executors} executor(s)` +
    `${executors > 1 ? ` (capped at ${MAX_AGENTS} agents)` : ''}, ${light ? 'curl agents' : 'sandbox inbound agents (node)'}`;
  const acceptP99 = percentile(agent.offerToAccept, 0.99);
  const toAcceptP99 = percentile(build.toAccept, 0.99);
  const toOnlineP99 = percentile(build.toOnline, 0.99);
  const allAccepted = build.toAccept.length === count;
  const allOnline = finished && build.toOnline.length === count;
  return [
    {
      id: `${id}.accept`,
      what:
        `${shape}: offer arrival -> ACCEPT handed to the client, per agent p99 (p50 ${ms(percentile(agent.offerToAccept, 0.5))}, ` +
        `max ${ms(Math.max(...agent.offerToAccept))}); p50/p99 offer -> placed by the reducer ${spread(agent.offerToPlaced)}, ` +
        `placed -> ACCEPT out of the control lane ${spread(agent.placedToAccept)} (ACCEPT, DECLINE, KILL, RECONCILE, ` +
        `REVIVE and SUPPRESS go one at a time, each after the last one's answer, ACKNOWLEDGEs in their own lane ` +
        `beside them; ${spreadCount(agent.callsAhead)} other control calls went first); the sandbox master ` +
        `answered a probe in ${spread(masterAnswers)}`,
      figure: ms(acceptP99),
      baseline: `target ${ACCEPT_TARGET_MS} ms`,
      ratio: acceptP99 / ACCEPT_TARGET_MS,
      target: `<= ${ACCEPT_TARGET_MS} ms`,
      pass: allAccepted && acceptP99 <= ACCEPT_TARGET_MS,
      longestBlockMs,
    },
    {
      id: `${id}.toAccept`,
      what:
        `queued -> ACCEPT per build p99 (p50 ${ms(percentile(build.toAccept, 0.5))}); stages p50/p99: ` +
        `queued->demand seen ${spread(build.toDemand)}, demand->offer ${spread(build.toOffer)} ` +
        `(per agent: node created ${spread(agent.demandToNode)}, task queued ${spread(agent.nodeToQueued)}, ` +
        `offer ${spread(agent.queuedToOffer)}), offer->ACCEPT ${spread(agent.offerToAccept)}; ${build.toAccept.length}/${count} accepted`,
      figure: ms(toAcceptP99),
      baseline: `poll ${POLL_MS} + offer cycle ${ALLOCATION_MS} = ${BASELINE_MS} ms`,
      ratio: toAcceptP99 / BASELINE_MS,
      target: '<= 1.00',
      pass: allAccepted && toAcceptP99 <= BASELINE_MS,
      longestBlockMs,
    },
    {
      id: `${id}.toOnline`,
      what:
        `queued -> agent online per build p99 (p50 ${ms(percentile(build.toOnline, 0.5))}); stages p50/p99: ` +
        `ACCEPT->TASK_RUNNING ${spread(agent.acceptToRunning)}, TASK_RUNNING->online ${spread(agent.runningToOnline)}, ` +
        `online->seen by a poll ${spread(agent.onlineToSeen)}; ${build.toOnline.length}/${count} online`,
      figure: ms(toOnlineP99),
      baseline: `${BASELINE_MS} ms`,
      ratio: toOnlineP99 / BASELINE_MS,
      target: `<= ${PUBLISHED_BEST_MS / 1000} s (published: 30 s - 2 min)`,
      pass: allOnline && toOnlineP99 <= PUBLISHED_BEST_MS,
      longestBlockMs,
    },
  ];
}

export const b3AgentLaunch: Benchmark = {
  id: 'B3',
  title: `build queued -> agent launched: bursts of ${BURSTS.join(', ')} against the sandbox master and Jenkins`,
  async run() {
    if (!existsSync(AGENT_JAR)) throw new Error(`B3 needs ${AGENT_JAR}: run it through \`npm run bench\`, which builds dist/ first`);
    if (BURSTS.some((n) => Math.min(n, MAX_AGENTS) > REAL_AGENTS_MAX)) {
      try {
        execFileSync('curl', ['--version'], { stdio: 'ignore' });
      } catch {
        throw new Error(`B3: more than ${REAL_AGENTS_MAX} agents run curl, and curl was not found; install it or lower B3_MAX_AGENTS`);
      }
    }
    const rows: BenchResult[] = [];
    for (const count of BURSTS) rows.push(...(await burst(count)));
    return rows;
  },
};

if (process.argv.includes(CHILD_FLAG)) {
  serveSandbox().catch((error: unknown) => {
    process.stderr.write(`B3 sandbox failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
