import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'undici';
import { masterCallCodec, masterEventCodec, MEDIA_TYPE } from '../../../src/core/mesos/codec';
import type {
  FrameworkInfo,
  KillPolicy,
  MasterEvent,
  MasterInfo,
  Offer,
  Resource,
  SchedulerEvent,
  TaskInfo,
  TaskState,
  TaskStatus,
  WireEncoding,
} from '../../../src/core/mesos/codec';
import { decodeRecordIO } from '../../../src/core/mesos/recordio/recordIoDecoder';
import { createLogger, silentSink } from '../../../src/core/log/logSink';
import type { AgentRuntime } from '../../../src/sandbox/mesos/master/agentRuntime';
import type { MasterContext } from '../../../src/sandbox/mesos/master/masterContext';
import { noFaults } from '../../../src/sandbox/mesos/master/masterFaults';
import { MasterHttpServer } from '../../../src/sandbox/mesos/master/masterHttpServer';
import type { AgentRecord } from '../../../src/sandbox/mesos/master/masterRecords';
import { SandboxMaster, type SchedulerSubscriber } from '../../../src/sandbox/mesos/master/sandboxMaster';

/**
 * A sandbox master with no real agents or schedulers behind it, served over loopback: agents are fake
 * runtimes that record what the master asks of them, frameworks are in-memory subscribers, and the test
 * plays the agents' part by sending status updates. So the master's endpoints are checked on a model the
 * test controls exactly, with the same story as the 1.12 captures in test/fixtures/mesos-1.12.
 */

export const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'mesos-1.12');

export function fixtureText(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

export function fixtureJson(name: string): unknown {
  return JSON.parse(fixtureText(name));
}

export function fixtureBytes(name: string): Uint8Array {
  return readFileSync(join(FIXTURES, name));
}

/** The agent the captures ran: cpus:4;mem:4096;disk:10000;ports:[31000-32000]. */
export const CAPTURE_AGENT_RESOURCES: Resource[] = [
  { name: 'cpus', type: 'SCALAR', scalar: { value: 4 } },
  { name: 'mem', type: 'SCALAR', scalar: { value: 4096 } },
  { name: 'disk', type: 'SCALAR', scalar: { value: 10000 } },
  { name: 'ports', type: 'RANGES', ranges: { range: [{ begin: 31000, end: 32000 }] } },
];

/** Records what the master asks of an agent; the test sends the status updates. */
export class FakeAgentRuntime implements AgentRuntime {
  readonly launched: { framework: FrameworkInfo; task: TaskInfo }[] = [];
  readonly killed: { frameworkId: string; taskId: string; killPolicy?: KillPolicy }[] = [];
  readonly acknowledged: string[] = [];
  readonly shutdownFrameworks: string[] = [];
  stopped = false;

  constructor(readonly id: string) {}

  launch(framework: FrameworkInfo, task: TaskInfo): void {
    this.launched.push({ framework, task });
  }
  kill(frameworkId: string, taskId: string, killPolicy?: KillPolicy): void {
    this.killed.push({ frameworkId, taskId, ...(killPolicy ? { killPolicy } : {}) });
  }
  acknowledge(_frameworkId: string, _taskId: string, uuid: string): boolean {
    this.acknowledged.push(uuid);
    return true;
  }
  shutdownFramework(frameworkId: string): void {
    this.shutdownFrameworks.push(frameworkId);
  }
  async stop(): Promise<void> {
    this.stopped = true;
  }
}

/** A framework's event stream as the master sees it, kept in memory. */
export class FakeSubscriber implements SchedulerSubscriber {
  readonly events: SchedulerEvent[] = [];
  closed = false;
  private readonly closeListeners: (() => void)[] = [];
  send(event: SchedulerEvent): void {
    if (!this.closed) this.events.push(event);
  }
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const l of this.closeListeners.splice(0)) l();
  }
  onClose(listener: () => void): void {
    if (this.closed) listener();
    else this.closeListeners.push(listener);
  }
  startHeartbeats(): void {
    // heartbeats are the HTTP layer's business; the model needs none
  }
  offers(): Offer[] {
    return this.events.flatMap((e) => (e.type === 'OFFERS' ? (e.offers?.offers ?? []) : []));
  }
}

export interface TestFramework {
  readonly id: string;
  readonly streamId: string;
  readonly subscriber: FakeSubscriber;
}

export interface MasterTestBed {
  readonly master: SandboxMaster;
  readonly ctx: MasterContext;
  readonly url: string;
  readonly runtimes: Map<string, FakeAgentRuntime>;
  /** Advances the master's clock (ms). */
  advance(ms: number): void;
  addAgent(resources?: Resource[], port?: number): AgentRecord;
  subscribe(info: FrameworkInfo): TestFramework;
  /** ACCEPT of the framework's newest offer on the agent, launching the given tasks there. */
  launch(fw: TestFramework, agent: AgentRecord, tasks: { id: string; cpus?: number; mem?: number }[]): void;
  /** An update from the agent, with a uuid as executors send (a master-made one has none). */
  update(
    fw: TestFramework,
    agent: AgentRecord,
    taskId: string,
    state: TaskState,
    extra?: Partial<TaskStatus>,
  ): TaskStatus;
  acknowledge(fw: TestFramework, status: TaskStatus): void;
  /** A second master process of the same model, following this one as a standby. */
  startStandby(): Promise<string>;
  close(): Promise<void>;
}

const LOOPBACK_PACKED = 16777343;

async function startServer(
  ctxFor: (self: MasterInfo) => MasterContext,
): Promise<{ server: MasterHttpServer; info: MasterInfo; url: string }> {
  const info: MasterInfo = {
    id: `master-${randomBytes(4).toString('hex')}`,
    ip: LOOPBACK_PACKED,
    port: 0,
    hostname: '127.0.0.1',
    version: '1.12.0',
  };
  const server = new MasterHttpServer({
    ctx: ctxFor(info),
    credentials: undefined,
    log: createLogger(silentSink, 'master'),
  });
  const port = await server.listen(0);
  info.port = port;
  info.address = { hostname: '127.0.0.1', ip: '127.0.0.1', port };
  return { server, info, url: `http://127.0.0.1:${port}` };
}

export async function startMasterTestBed(options: { heartbeatMs?: number } = {}): Promise<MasterTestBed> {
  let now = 1_795_566_000_000;
  const master = new SandboxMaster({ clock: () => now });
  const runtimes = new Map<string, FakeAgentRuntime>();
  const operatorStreams: MasterContext['operatorStreams'] = new Set();
  // the first master started is the leader; set once it is listening
  const elected: { info?: MasterInfo } = {};
  const context = (self: MasterInfo): MasterContext => ({
    master,
    self,
    leader: () => elected.info,
    faults: noFaults(),
    heartbeatMs: options.heartbeatMs ?? 15_000,
    operatorStreams,
  });
  const leader = await startServer(context);
  elected.info = leader.info;
  master.leaderInfo = leader.info;
  const servers = [leader.server];
  // the leader's context as its server has it (the operator streams set is the same object)
  const ctx = context(leader.info);
  let streams = 0;
  let timestamp = 1_795_566_364;

  const bed: MasterTestBed = {
    master,
    ctx,
    url: leader.url,
    runtimes,
    advance(ms) {
      now += ms;
    },
    addAgent(resources = CAPTURE_AGENT_RESOURCES, port = 15051) {
      return master.addAgent(
        (id) => {
          const runtime = new FakeAgentRuntime(id);
          runtimes.set(id, runtime);
          return runtime;
        },
        { hostname: '127.0.0.1', port, resources },
        `http://127.0.0.1:${port}`,
      );
    },
    subscribe(info) {
      const subscriber = new FakeSubscriber();
      const streamId = `stream-${streams++}`;
      const refused = master.subscribe(
        { type: 'SUBSCRIBE', subscribe: { framework_info: info } },
        subscriber,
        streamId,
      );
      if (refused) throw new Error(`SUBSCRIBE refused: ${refused.status} ${refused.reason}`);
      const subscribed = subscriber.events.find((e) => e.type === 'SUBSCRIBED');
      if (!subscribed) throw new Error(`no SUBSCRIBED: ${subscriber.events.map((e) => e.type).join(', ')}`);
      return { id: subscribed.subscribed!.framework_id.value, streamId, subscriber };
    },
    launch(fw, agent, tasks) {
      const offer = [...fw.subscriber.offers()]
        .reverse()
        .find((o) => o.agent_id.value === agent.id && master.offers.has(o.id.value));
      if (!offer) throw new Error(`framework ${fw.id} holds no offer for agent ${agent.id}`);
      const taskInfos: TaskInfo[] = tasks.map((t) => ({
        name: t.id,
        task_id: { value: t.id },
        agent_id: { value: agent.id },
        resources: [
          { name: 'cpus', type: 'SCALAR', scalar: { value: t.cpus ?? 0.1 } },
          { name: 'mem', type: 'SCALAR', scalar: { value: t.mem ?? 32 } },
        ],
        command: { shell: true, value: 'sleep 1000' },
      }));
      const result = master.call(
        {
          type: 'ACCEPT',
          framework_id: { value: fw.id },
          accept: { offer_ids: [offer.id], operations: [{ type: 'LAUNCH', launch: { task_infos: taskInfos } }] },
        },
        fw.streamId,
      );
      if (result.status !== 202) throw new Error(`ACCEPT answered ${result.status} ${result.reason}`);
      const launched = new Set(runtimes.get(agent.id)!.launched.map((l) => l.task.task_id.value));
      const dropped = tasks.filter((t) => !launched.has(t.id));
      if (dropped.length)
        throw new Error(
          `not launched: ${dropped.map((t) => t.id).join(', ')}; ${JSON.stringify(fw.subscriber.events.at(-1))}`,
        );
    },
    update(fw, agent, taskId, state, extra = {}) {
      const status: TaskStatus = {
        task_id: { value: taskId },
        state,
        source: 'SOURCE_EXECUTOR',
        agent_id: { value: agent.id },
        executor_id: { value: taskId },
        timestamp: timestamp++ + 0.25,
        uuid: randomBytes(16).toString('base64'),
        container_status: {
          container_id: { value: `container-${taskId}` },
          network_infos: [{ ip_addresses: [{ protocol: 'IPv4', ip_address: '127.0.0.1' }] }],
          executor_pid: 4242,
        },
        ...extra,
      };
      master.statusUpdate(agent.id, fw.id, status);
      return status;
    },
    acknowledge(fw, status) {
      const result = master.call(
        {
          type: 'ACKNOWLEDGE',
          framework_id: { value: fw.id },
          acknowledge: { agent_id: status.agent_id!, task_id: status.task_id, uuid: status.uuid! },
        },
        fw.streamId,
      );
      if (result.status !== 202) throw new Error(`ACKNOWLEDGE answered ${result.status} ${result.reason}`);
    },
    async startStandby() {
      const standby = await startServer(context);
      servers.push(standby.server);
      return standby.url;
    },
    async close() {
      await Promise.all(servers.map((s) => s.close()));
      await master.stop();
    },
  };
  return bed;
}

export interface CaptureStory {
  readonly agent: AgentRecord;
  /** The framework that is still registered, with `capture-long` running and `capture-short` finished. */
  readonly framework: TestFramework;
  /** A framework torn down while its task was starting: a completed framework with a killed task. */
  readonly probe: TestFramework;
}

/**
 * The story the 1.12 captures tell: a probe framework launched a task and was torn down; the capture
 * framework launched `capture-short` (ran and finished, every update acknowledged) and `capture-long`
 * (running, acknowledged).
 */
export function playCaptureStory(bed: MasterTestBed): CaptureStory {
  const agent = bed.addAgent();
  bed.advance(1000);
  const probe = bed.subscribe({ user: 'root', name: 'heldout-probe', failover_timeout: 60 });
  bed.launch(probe, agent, [{ id: 'probe-task' }]);
  bed.acknowledge(probe, bed.update(probe, agent, 'probe-task', 'TASK_STARTING'));
  bed.advance(1000);
  const teardown = bed.master.call({ type: 'TEARDOWN', framework_id: { value: probe.id } }, probe.streamId);
  if (teardown.status !== 202) throw new Error(`TEARDOWN answered ${teardown.status}`);

  bed.advance(1000);
  const framework = bed.subscribe({ user: 'root', name: 'capture-framework', failover_timeout: 30 });
  bed.launch(framework, agent, [{ id: 'capture-short' }, { id: 'capture-long' }]);
  for (const state of ['TASK_STARTING', 'TASK_RUNNING'] as const) {
    bed.acknowledge(framework, bed.update(framework, agent, 'capture-short', state));
    bed.acknowledge(framework, bed.update(framework, agent, 'capture-long', state));
  }
  bed.acknowledge(
    framework,
    bed.update(framework, agent, 'capture-short', 'TASK_FINISHED', { message: 'Command exited with status 0' }),
  );
  return { agent, framework, probe };
}

/** A POST to the operator API, body as given, answered as raw bytes. */
export async function operatorPost(
  url: string,
  body: Uint8Array | string,
  headers: Record<string, string>,
  method = 'POST',
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  const res = await request(`${url}/api/v1`, {
    method: method as 'POST',
    body: method === 'GET' ? undefined : body,
    headers,
  });
  return { status: res.statusCode, headers: res.headers, body: Buffer.from(await res.body.arrayBuffer()) };
}

export async function httpGet(
  url: string,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> {
  const res = await request(url);
  return { status: res.statusCode, headers: res.headers, text: await res.body.text() };
}

export interface OperatorSubscription {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  /** Every event received so far, decoded, with its record's bytes. */
  readonly events: MasterEvent[];
  readonly records: Uint8Array[];
  /** Waits for the first event at or after `from` (an index into `events`) that matches. */
  waitFor(predicate: (e: MasterEvent) => boolean, from?: number, timeoutMs?: number): Promise<MasterEvent>;
  /** Resolves when the server ended the stream (or close() cut it). */
  readonly ended: Promise<void>;
  close(): void;
}

/** A bare operator SUBSCRIBE client: undici, RecordIO and the codec. */
export async function operatorSubscribe(url: string, encoding: WireEncoding): Promise<OperatorSubscription> {
  const controller = new AbortController();
  const res = await request(`${url}/api/v1`, {
    method: 'POST',
    body: masterCallCodec.encode({ type: 'SUBSCRIBE' }, encoding),
    headers: { 'Content-Type': MEDIA_TYPE[encoding], Accept: MEDIA_TYPE[encoding] },
    signal: controller.signal,
  });
  const events: MasterEvent[] = [];
  const records: Uint8Array[] = [];
  const waiters = new Set<() => void>();
  const wake = () => [...waiters].forEach((w) => w());
  let ended: Promise<void> = Promise.resolve();
  if (res.statusCode === 200) {
    ended = (async () => {
      try {
        for await (const record of decodeRecordIO(res.body)) {
          records.push(record);
          events.push(masterEventCodec.decode(record, encoding));
          wake();
        }
      } catch {
        // cut by close() or by the server; the test looks at what arrived
      } finally {
        wake();
      }
    })();
  } else {
    await res.body.text();
  }
  let finished = false;
  void ended.then(() => (finished = true));
  return {
    status: res.statusCode,
    headers: res.headers,
    events,
    records,
    ended,
    async waitFor(predicate, from = 0, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (let seen = from; ;) {
        for (; seen < events.length; seen++) if (predicate(events[seen]!)) return events[seen]!;
        if (finished)
          throw new Error(`the stream ended without a matching event; got ${events.map((e) => e.type).join(', ')}`);
        const left = deadline - Date.now();
        if (left <= 0)
          throw new Error(`no matching event within ${timeoutMs} ms; got ${events.map((e) => e.type).join(', ')}`);
        await new Promise<void>((resolve) => {
          const done = () => {
            clearTimeout(timer);
            waiters.delete(done);
            resolve();
          };
          const timer = setTimeout(done, left);
          waiters.add(done);
        });
      }
    },
    close() {
      controller.abort();
    },
  };
}

/** Polls a condition of the server's state that follows a client's action asynchronously (a socket closing). */
export async function eventually(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
