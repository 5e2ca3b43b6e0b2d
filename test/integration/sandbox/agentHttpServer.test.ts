import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Endpoint } from '../../../src/core/http/endpoint';
import { HttpStatusError } from '../../../src/core/http/errors';
import { agentResponseCodec, MEDIA_TYPE, type TaskStatus, type WireEncoding } from '../../../src/core/mesos/codec';
import { parseResourceFlag } from '../../../src/core/mesos/resources/resourceMath';
import {
  AgentFilesClient,
  parseAgentState,
  postAgentCall,
  resolveTaskSandbox,
  SandboxFileError,
  sandboxFilePath,
} from '../../../src/core/mesos/files';
import { AgentHttpServer, type AgentServerInfo } from '../../../src/sandbox/mesos/agent/agentHttpServer';
import { SandboxAgent } from '../../../src/sandbox/mesos/agent/sandboxAgent';
import { addAgentTask } from '../../support/sandboxAgentTasks';

const signal = new AbortController().signal;
const fixtureBytes = (name: string) => readFileSync(join(__dirname, '../../fixtures/mesos-1.12', name));
const fixtureJson = (name: string) => JSON.parse(fixtureBytes(name).toString('utf8')) as Record<string, unknown>;
const keys = (value: unknown) => Object.keys(value as object).sort();

const INFO: AgentServerInfo = {
  hostname: '127.0.0.1',
  port: 0,
  resources: parseResourceFlag('cpus:4;mem:4096;disk:10000;ports:[31000-32000];cpus(jenkins):2'),
  attributes: [
    { name: 'rack', type: 'TEXT', text: { value: 'r1' } },
    { name: 'zone_id', type: 'SCALAR', scalar: { value: 3 } },
  ],
  masterHostname: 'localhost',
  startTime: 1795566156.93,
  version: '1.12.0',
};

let root: string;
let agent: SandboxAgent;
let server: AgentHttpServer;
let endpoint: Endpoint;
let finished: Promise<TaskStatus>;

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'mesos-ops-agent-http-'));
  let resolveFinished!: (status: TaskStatus) => void;
  finished = new Promise((resolve) => (resolveFinished = resolve));
  // Acknowledges every update as a framework would, so the task runs to its end and leaves the task table.
  const sink = {
    statusUpdate: (_agentId: string, frameworkId: string, status: TaskStatus) => {
      setImmediate(() => {
        agent.acknowledge(frameworkId, status.task_id.value, status.uuid!);
        if (status.state === 'TASK_FINISHED') resolveFinished(status);
      });
    },
  };
  agent = new SandboxAgent('agent-S0', sink, { workDir: join(root, 'work'), statusRetryMs: 60_000 });
  addAgentTask(agent, { frameworkId: 'fw-live', taskId: 'running-task' });
  addAgentTask(agent, { frameworkId: 'fw-live', taskId: 'staging-task', state: 'TASK_STAGING' });
  addAgentTask(agent, { frameworkId: 'fw-live', taskId: 'old-task', state: 'TASK_KILLED', completed: true });
  addAgentTask(agent, { frameworkId: 'fw-gone', taskId: 'gone-task', state: 'TASK_FINISHED', completed: true });
  server = new AgentHttpServer({ agent, info: INFO });
  const port = await server.listen(0);
  endpoint = new Endpoint({ baseUrl: `http://127.0.0.1:${port}`, name: 'Mesos agent' });
  agent.launch(
    {
      id: { value: 'fw-real' },
      name: 'real',
      user: 'root',
      capabilities: [{ type: 'MULTI_ROLE' }],
      roles: ['jenkins'],
    },
    {
      name: 'echo',
      task_id: { value: 'echo-task' },
      agent_id: { value: agent.id },
      resources: [
        { name: 'cpus', type: 'SCALAR', scalar: { value: 0.5 }, role: 'jenkins', allocation_info: { role: 'jenkins' } },
      ],
      command: { shell: true, value: 'printf "from a real process\\n"' },
    },
  );
  await finished;
});

after(async () => {
  await endpoint.close();
  await server.close();
  await agent.stop();
  rmSync(root, { recursive: true, force: true });
});

async function get(path: string): Promise<Record<string, unknown>> {
  const response = await endpoint.request({ path, signal, expectContentType: ['application/json'] });
  return JSON.parse(Buffer.from(response.body).toString()) as Record<string, unknown>;
}

test('/state has the keys of a real agent at every level, and the reader parses it', async () => {
  const captured = fixtureJson('agent-state.json');
  const state = await get('/state');
  assert.deepEqual(keys(state), keys(captured));
  const capturedFramework = (captured.frameworks as Record<string, unknown>[])[0]!;
  const capturedExecutor = (capturedFramework.executors as Record<string, unknown>[])[1]!;
  const capturedTask = (capturedExecutor.tasks as Record<string, unknown>[])[0]!;
  const capturedStatus = (capturedTask.statuses as Record<string, unknown>[])[0]!;

  const frameworks = state.frameworks as Record<string, unknown>[];
  assert.deepEqual(
    frameworks.map((f) => f.id),
    ['fw-live'],
  );
  const live = frameworks[0]!;
  assert.deepEqual(keys(live), keys(capturedFramework));
  const executors = live.executors as Record<string, unknown>[];
  for (const executor of executors) assert.deepEqual(keys(executor), keys(capturedExecutor));
  const running = executors.find((e) => e.id === 'running-task')!;
  const task = (running.tasks as Record<string, unknown>[])[0]!;
  assert.deepEqual(keys(task), keys(capturedTask));
  assert.deepEqual(keys((task.statuses as unknown[])[0]), keys(capturedStatus));
  assert.equal(task.executor_id, '');
  // The run's own share plus its task's, as a real agent adds the command executor's.
  assert.deepEqual(running.resources, { cpus: 0.2, gpus: 0, mem: 64, disk: 0 });
  const staging = executors.find((e) => e.id === 'staging-task')!;
  assert.equal((staging.queued_tasks as unknown[]).length, 1);
  assert.equal((staging.tasks as unknown[]).length, 0);
  assert.deepEqual(
    (live.completed_executors as Record<string, unknown>[]).map((e) => e.id),
    ['old-task'],
  );

  const completed = (state.completed_frameworks as Record<string, unknown>[]).map((f) => f.id).sort();
  assert.deepEqual(completed, ['fw-gone', 'fw-real']);
  assert.deepEqual(state.attributes, { rack: 'r1', zone_id: 3 });
  assert.deepEqual(state.reserved_resources, { jenkins: { cpus: 2, gpus: 0, mem: 0, disk: 0 } });
  assert.equal((state.unreserved_resources as Record<string, unknown>).ports, '[31000-32000]');
  assert.equal(state.pid, `slave(1)@127.0.0.1:${new URL(endpoint.display).port}`);

  const parsed = parseAgentState(Buffer.from(JSON.stringify(state)));
  assert.equal(parsed.id, 'agent-S0');
  assert.equal(parsed.flags?.work_dir, join(root, 'work'));
  const real = parsed.completed_frameworks.find((f) => f.id === 'fw-real')!;
  assert.deepEqual(real.roles, ['jenkins']);
  assert.equal(real.role, undefined);
  assert.equal(real.completed_executors[0]!.completed_tasks[0]!.state, 'TASK_FINISHED');
  assert.equal(real.completed_executors[0]!.completed_tasks[0]!.role, 'jenkins');
});

test('/state is also /slave(1)/state, parentheses escaped or not', async () => {
  const plain = await get('/state');
  for (const path of ['/slave(1)/state', '/slave%281%29/state']) {
    const other = await get(path);
    assert.equal(other.id, plain.id, path);
    assert.deepEqual(keys(other), keys(plain));
  }
});

test("a real task's output is read through the sandbox path resolved from the master's view", async () => {
  const where = resolveTaskSandbox(
    { frameworkId: 'fw-real', taskId: 'echo-task', executorId: '' },
    { pid: `slave(1)@${new URL(endpoint.display).host}` },
  );
  const client = new AgentFilesClient(endpoint);
  const size = await client.size(sandboxFilePath(where.path, 'stdout'), { signal });
  assert.equal(size, 'from a real process\n'.length);
  const read = await client.read(sandboxFilePath(where.path, 'stdout'), 0, { signal });
  assert.equal(Buffer.from(read.data).toString(), 'from a real process\n');
});

for (const encoding of ['json', 'protobuf'] as WireEncoding[]) {
  test(`operator API in ${encoding}: GET_HEALTH, GET_VERSION, GET_STATE`, async () => {
    const health = await postAgentCall(endpoint, { type: 'GET_HEALTH' }, { encoding, signal });
    assert.deepEqual(health, fixtureJsonAs('operator-get_health.json'));
    const version = await postAgentCall(endpoint, { type: 'GET_VERSION' }, { encoding, signal });
    assert.equal(version.type, 'GET_VERSION');
    assert.deepEqual(
      keys(version.get_version?.version_info),
      keys((fixtureJson('operator-get_version.json').get_version as Record<string, unknown>).version_info),
    );
    assert.equal(version.get_version?.version_info.version, '1.12.0');

    const state = await postAgentCall(endpoint, { type: 'GET_STATE' }, { encoding, signal });
    assert.equal(state.type, 'GET_STATE');
    const tasks = state.get_state?.get_tasks;
    assert.deepEqual(
      tasks?.launched_tasks?.map((t) => t.task_id.value),
      ['running-task'],
    );
    assert.deepEqual(
      tasks?.queued_tasks?.map((t) => t.task_id.value),
      ['staging-task'],
    );
    assert.deepEqual(tasks?.completed_tasks?.map((t) => [t.task_id.value, t.state]).sort(), [
      ['echo-task', 'TASK_FINISHED'],
      ['gone-task', 'TASK_FINISHED'],
      ['old-task', 'TASK_KILLED'],
    ]);
    const running = tasks?.launched_tasks?.[0];
    assert.equal(running?.agent_id.value, 'agent-S0');
    assert.equal(running?.status_update_state, 'TASK_RUNNING');
    assert.deepEqual(
      state.get_state?.get_frameworks?.frameworks?.map((f) => f.framework_info.id?.value),
      ['fw-live'],
    );
    assert.deepEqual(state.get_state?.get_executors?.executors?.map((e) => e.executor_info.executor_id.value).sort(), [
      'running-task',
      'staging-task',
    ]);

    const agentInfo = await postAgentCall(endpoint, { type: 'GET_AGENT' }, { encoding, signal });
    assert.equal(agentInfo.get_agent?.agent_info?.id?.value, 'agent-S0');
    assert.equal(agentInfo.get_agent?.agent_info?.port, Number(new URL(endpoint.display).port));
  });
}

function fixtureJsonAs(name: string): unknown {
  return agentResponseCodec.decode(fixtureBytes(name), 'json');
}

test('GET_HEALTH in protobuf is byte for byte what Mesos sends (same field numbers as the master capture)', async () => {
  const response = await endpoint.request({
    method: 'POST',
    path: '/api/v1',
    headers: { 'content-type': MEDIA_TYPE.json, accept: MEDIA_TYPE.protobuf },
    body: '{"type":"GET_HEALTH"}',
    signal,
  });
  assert.equal(response.headers.get('content-type'), MEDIA_TYPE.protobuf);
  assert.deepEqual(Buffer.from(response.body), fixtureBytes('operator-get_health.pb'));
});

test('operator API content negotiation and validation answer as Mesos does', async () => {
  const post = async (headers: Record<string, string>, body: string, method = 'POST') => {
    try {
      const response = await endpoint.request({
        method,
        path: '/slave(1)/api/v1',
        headers,
        body: method === 'GET' ? undefined : body,
        signal,
      });
      return [response.status, Buffer.from(response.body).toString()];
    } catch (error) {
      if (error instanceof HttpStatusError) return [error.status, error.reason];
      throw error;
    }
  };
  const json = { 'content-type': 'application/json' };
  assert.equal((await post({ ...json, accept: 'application/json' }, '{"type":"GET_HEALTH"}'))[0], 200);
  assert.equal((await post({ 'content-type': 'application/json; charset=utf-8' }, '{"type":"GET_HEALTH"}'))[0], 415);
  assert.equal((await post({}, '{"type":"GET_HEALTH"}'))[0], 400);
  assert.equal((await post({ ...json, accept: 'text/html' }, '{"type":"GET_HEALTH"}'))[0], 406);
  assert.equal((await post(json, '', 'GET'))[0], 405);
  assert.deepEqual(await post(json, '{}'), [400, "Failed to validate agent::Call: Expecting 'type' to be present"]);
  assert.deepEqual(await post(json, '{"type":"READ_FILE"}'), [
    400,
    "Failed to validate agent::Call: Expecting 'read_file' to be present",
  ]);
  assert.equal((await post(json, '{"type":"NOT_A_CALL"}'))[0], 400);
  assert.equal((await post(json, 'not json'))[0], 400);
  assert.equal((await post(json, '{"type":"GET_CONTAINERS"}'))[0], 501);
  assert.equal((await post({ ...json, 'message-accept': 'application/json' }, '{"type":"GET_HEALTH"}'))[0], 406);
});

test('/version and /metrics/snapshot', async () => {
  const version = await get('/version');
  assert.deepEqual(keys(version), keys(fixtureJson('version.json')));
  assert.equal(version.version, '1.12.0');
  const metrics = await get('/metrics/snapshot');
  for (const key of [
    'slave/registered',
    'slave/uptime_secs',
    'slave/cpus_total',
    'slave/cpus_used',
    'slave/cpus_percent',
    'slave/mem_total',
    'slave/disk_total',
    'slave/gpus_total',
    'slave/tasks_running',
    'slave/tasks_staging',
    'slave/tasks_starting',
    'slave/tasks_killing',
    'slave/tasks_finished',
    'slave/tasks_failed',
    'slave/tasks_killed',
    'slave/tasks_lost',
    'slave/tasks_gone',
    'slave/executors_running',
    'slave/executors_registering',
    'slave/executors_terminating',
    'slave/executors_terminated',
    'slave/frameworks_active',
    'system/cpus_total',
    'system/load_1min',
    'system/mem_total_bytes',
  ]) {
    assert.equal(typeof metrics[key], 'number', key);
  }
  assert.equal(metrics['slave/cpus_total'], 6);
  assert.equal(metrics['slave/tasks_running'], 1);
  assert.equal(metrics['slave/tasks_staging'], 1);
  assert.equal(metrics['slave/tasks_finished'], 2);
  assert.equal(metrics['slave/tasks_killed'], 1);
  assert.equal(metrics['slave/frameworks_active'], 1);
  // Running task 0.1 cpus and its executor's 0.1, the staging one likewise.
  assert.equal(metrics['slave/cpus_used'], 0.4);
});

test('with credentials: 401 without them, typed unauthorized and forbidden errors in the client', async () => {
  const guarded = new AgentHttpServer({
    agent,
    info: INFO,
    credentials: new Map([['ops', 'secret']]),
    authorizeFiles: (principal, path) => principal === 'ops' && !path.includes('fw-live'),
  });
  const port = await guarded.listen(0);
  const anonymous = new Endpoint({ baseUrl: `http://127.0.0.1:${port}` });
  const ops = new Endpoint({ baseUrl: `http://127.0.0.1:${port}`, auth: { principal: 'ops', secret: 'secret' } });
  try {
    await assert.rejects(
      anonymous.request({ path: '/state', signal }),
      (e: unknown) => e instanceof HttpStatusError && e.status === 401,
    );
    const challenge = await fetchStatus(port, '/files/read?path=/x&offset=0');
    assert.deepEqual(challenge, [401, 'Basic realm="mesos-agent-readonly"']);
    assert.deepEqual(await fetchStatus(port, '/version'), [200, null]);
    const path = `/frameworks/fw-live/executors/running-task/runs/latest/stdout`;
    await assert.rejects(
      new AgentFilesClient(anonymous).size(path, { signal }),
      (e: unknown) => e instanceof SandboxFileError && e.kind === 'unauthorized',
    );
    for (const client of [
      new AgentFilesClient(ops),
      new AgentFilesClient(ops, { api: 'operator', encoding: 'protobuf' }),
    ]) {
      await assert.rejects(
        client.size(path, { signal }),
        (e: unknown) => e instanceof SandboxFileError && e.kind === 'forbidden' && /403/.test(e.message),
      );
      assert.equal(await client.size('/frameworks/fw-real/executors/echo-task/runs/latest/stdout', { signal }), 20);
    }
    assert.equal((await new AgentFilesClient(ops).state({ signal })).id, 'agent-S0');
  } finally {
    await anonymous.close();
    await ops.close();
    await guarded.close();
  }
});

test('before its agent exists the server answers 503', async () => {
  const early = new AgentHttpServer({ agent: () => undefined, info: INFO });
  const port = await early.listen(0);
  try {
    assert.equal((await fetchStatus(port, '/state'))[0], 503);
    assert.equal((await fetchStatus(port, '/version'))[0], 200);
  } finally {
    await early.close();
  }
});

/** Status and WWW-Authenticate of a GET, error statuses included. */
async function fetchStatus(port: number, path: string): Promise<[number, string | null]> {
  const endpoint = new Endpoint({ baseUrl: `http://127.0.0.1:${port}` });
  try {
    const response = await endpoint.request({ path, signal, allowStatus: [401, 403, 404, 503] });
    return [response.status, response.headers.get('www-authenticate')];
  } finally {
    await endpoint.close();
  }
}
