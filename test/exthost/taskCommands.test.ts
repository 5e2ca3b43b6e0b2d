import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { isTerminalTaskState } from '../../src/core/cluster/taskStates';
import { createLogger, MemorySink } from '../../src/core/log/logSink';
import type { DecisionRecord } from '../../src/core/scheduler/decisionRecord';
import type { TaskRequest } from '../../src/core/scheduler/taskRequest';
import type { SandboxCluster } from '../../src/sandbox/mesos/sandboxCluster';
import type {
  SchedulerAccess,
  SchedulerAccessProvider,
  SchedulerTaskSummary,
  SchedulerTaskUpdate,
  SchedulerWhere,
} from '../../src/ui/scheduler/schedulerAccess';
import { TEAR_DOWN } from '../../src/ui/tasks/killTasks';
import { DROP_REQUEST, FOLLOW_LOGS } from '../../src/ui/tasks/launchTasks';
import { createTaskCommands, type TaskCommands } from '../../src/ui/tasks/taskCommands';
import type { ProgressReport, TaskCommandsUi } from '../../src/ui/tasks/taskCommandsUi';
import { rawSubscribe, type RawSubscription } from '../support/rawScheduler';
import { frameworkInfo, startTestSandbox } from '../support/sandboxFixture';
import { commandTask } from '../support/taskInfoBuilder';
import { until } from '../support/until';
import { extensionApi } from './support/extensionApi';

// Launch and kill commands inside a real extension host, against a scheduler stand-in that records what it
// is asked and answers with the decisions and status updates a real one sends. Clusters come from settings;
// the teardown of another framework goes to a real sandbox master.

const at = Date.now();

class FakeAccess implements SchedulerAccess {
  where: SchedulerWhere = 'here';
  frameworkId: string | undefined = 'fw-ours';
  readonly launched: TaskRequest[][] = [];
  readonly killed: string[][] = [];
  ensureRunningCalls = 0;
  summaries: SchedulerTaskSummary[] = [];
  /** What the scheduler does when requests arrive (emits decisions and updates). */
  react: (requests: readonly TaskRequest[]) => void = () => undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly decisions = new vscode.EventEmitter<DecisionRecord>();
  readonly updates = new vscode.EventEmitter<SchedulerTaskUpdate>();
  readonly onDidChange = this.changed.event;
  readonly onDecision = this.decisions.event;
  readonly onTaskUpdate = this.updates.event;

  constructor(readonly cluster: string) {}

  async ensureRunning(): Promise<void> {
    this.ensureRunningCalls++;
  }

  async launch(requests: readonly TaskRequest[]): Promise<void> {
    this.launched.push([...requests]);
    this.react(requests);
  }

  async kill(taskIds: readonly string[]): Promise<void> {
    this.killed.push([...taskIds]);
  }

  tasks(): readonly SchedulerTaskSummary[] {
    return this.summaries;
  }

  decide(d: Omit<DecisionRecord, 'at'>): void {
    this.decisions.fire({ at, ...d });
  }
}

class FakeProvider implements SchedulerAccessProvider {
  readonly accesses = new Map<string, FakeAccess>();
  forCluster(name: string): FakeAccess {
    let a = this.accesses.get(name);
    if (!a) this.accesses.set(name, (a = new FakeAccess(name)));
    return a;
  }
}

/** Answers every question from a script, records what was said, and never blocks. */
class ScriptedUi implements TaskCommandsUi {
  readonly said: { kind: string; message: string; actions: string[] }[] = [];
  readonly confirms: { message: string; detail: string; actions: string[] }[] = [];
  readonly inputs: vscode.InputBoxOptions[] = [];
  readonly progressRuns: { title: string; messages: string[] }[] = [];
  confirmAnswers: (string | undefined)[] = [];
  inputAnswers: (string | undefined)[] = [];
  /** The button "pressed" on the next notification that offers it. */
  press: string | undefined;
  cancel: vscode.CancellationTokenSource | undefined;

  private note(kind: string, message: string, actions: string[]): Thenable<string | undefined> {
    this.said.push({ kind, message, actions });
    const pressed = this.press !== undefined && actions.includes(this.press) ? this.press : undefined;
    if (pressed) this.press = undefined;
    return Promise.resolve(pressed);
  }
  info = (message: string, ...actions: string[]) => this.note('info', message, actions);
  warning = (message: string, ...actions: string[]) => this.note('warning', message, actions);
  error = (message: string, ...actions: string[]) => this.note('error', message, actions);
  confirm = (message: string, detail: string, ...actions: string[]) => {
    this.confirms.push({ message, detail, actions });
    return Promise.resolve(this.confirmAnswers.shift());
  };
  input = (options: vscode.InputBoxOptions) => {
    this.inputs.push(options);
    return Promise.resolve(this.inputAnswers.shift());
  };
  pickOne = <T extends vscode.QuickPickItem>(items: readonly T[]) => Promise.resolve(items[0]);
  pickMany = <T extends vscode.QuickPickItem>(items: readonly T[]) => Promise.resolve(items);
  progress<R>(
    title: string,
    task: (progress: ProgressReport, token: vscode.CancellationToken) => Thenable<R>,
  ): Thenable<R> {
    const record = { title, messages: [] as string[] };
    this.progressRuns.push(record);
    this.cancel = new vscode.CancellationTokenSource();
    const token = this.cancel.token;
    // the real notification, with a token the test can cancel
    return vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title, cancellable: true },
      (p) => task({ report: (v) => (record.messages.push(v.message ?? ''), p.report(v)) }, token),
    );
  }
  get lastSaid() {
    return this.said[this.said.length - 1];
  }
}

suite('task commands (inside the extension host)', () => {
  let provider: FakeProvider;
  let ui: ScriptedUi;
  let commands: TaskCommands;
  let ran: { command: string; args: unknown[] }[];
  let dir: string;
  let sandbox: SandboxCluster | undefined;
  let victim: RawSubscription | undefined;

  suiteSetup(async () => {
    const { clusters } = await extensionApi();
    dir = mkdtempSync(join(tmpdir(), 'mesos-tasks-'));
    await vscode.workspace.getConfiguration('mesos').update(
      'clusters',
      [
        { name: 'tasks-a', masters: 'http://127.0.0.1:1' },
        { name: 'tasks-ro', masters: 'http://127.0.0.1:1', readOnly: true },
        { name: 'tasks-prot', masters: 'http://127.0.0.1:1', protected: true },
      ],
      vscode.ConfigurationTarget.Global,
    );
    await until(() => clusters.get('tasks-prot') !== undefined, 'the clusters from settings');
  });

  setup(async () => {
    const { clusters } = await extensionApi();
    provider = new FakeProvider();
    ui = new ScriptedUi();
    ran = [];
    commands = createTaskCommands({
      clusters,
      schedulers: provider,
      log: createLogger(new MemorySink(), 'tasks'),
      ui,
      showLog: () => undefined,
      runCommand: async (command, ...args) => void ran.push({ command, args }),
    });
  });

  suiteTeardown(async () => {
    victim?.close();
    await vscode.workspace.getConfiguration('mesos').update('clusters', [], vscode.ConfigurationTarget.Global);
    await sandbox?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('a definition with errors launches nothing and names each problem by path; the unsaved text is what counts', async () => {
    const file = join(dir, 'broken.mesos-task.json');
    writeFileSync(file, JSON.stringify({ cluster: 'tasks-a', name: 'fine', command: 'true' }));
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    const edit = new vscode.WorkspaceEdit();
    const bad = JSON.stringify(
      {
        cluster: 'tasks-a',
        tasks: [
          { name: 'ok', command: 'true' },
          { name: 'bad', command: 'true', cpus: 0 },
          { name: 'x', commnd: 'y' },
        ],
      },
      null,
      2,
    );
    edit.replace(doc.uri, new vscode.Range(0, 0, doc.lineCount, 0), bad);
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(doc.isDirty, 'the edit is not saved');

    const outcome = await commands.launchTaskFromFile(doc.uri);
    assert.equal(outcome?.status, 'invalid');
    assert.deepEqual(
      outcome?.problems?.map((p) => p.path),
      ['tasks[1].cpus', 'tasks[2].commnd', 'tasks[2].command'],
    );
    assert.equal(provider.accesses.size, 0, 'no scheduler was even asked');
    const said = ui.lastSaid!;
    assert.equal(said.kind, 'error');
    assert.match(
      said.message,
      /^broken\.mesos-task\.json has 3 problems, so nothing was launched: tasks\[1\]\.cpus: must be > 0 \(got 0\); tasks\[2\]\.commnd: unknown property \(did you mean "command"\?\); tasks\[2\]\.command: is required/,
    );
    await doc.save();
  });

  test('a good definition launches the exact requests, shows why it waits, and ends when the task runs', async () => {
    const file = join(dir, 'web.mesos-task.json');
    writeFileSync(
      file,
      JSON.stringify({
        cluster: 'tasks-a',
        command: ['python3', '-m', 'http.server'],
        cpus: 0.5,
        mem: 64,
        environment: { A: '1' },
      }),
    );
    const access = provider.forCluster('tasks-a');
    access.react = ([request]) => {
      const id = request!.id;
      access.decide({ kind: 'queued', requestId: id, reason: 'waiting for an offer' });
      setTimeout(() => {
        access.decide({ kind: 'unmatched', requestId: id, reason: 'a1 (o1): mem: needs 64, offer has 32' });
        access.decide({ kind: 'launched', requestId: id, taskId: `${id}.1`, agentId: 'ag1', reason: 'placed on a1' });
        access.updates.fire({ taskId: `${id}.1`, requestId: id, state: 'TASK_STARTING' });
        setTimeout(() => access.updates.fire({ taskId: `${id}.1`, requestId: id, state: 'TASK_RUNNING' }), 20);
      }, 20);
    };
    ui.press = FOLLOW_LOGS;
    const outcome = await commands.launchTaskFromFile(vscode.Uri.file(file));
    assert.equal(outcome?.status, 'done');
    assert.equal(access.ensureRunningCalls, 1);
    assert.equal(access.launched.length, 1);
    const [request] = access.launched[0]!;
    assert.match(request!.id, /^web-[a-z0-9]{6}$/, 'the id is the slugged file name plus a random part');
    assert.deepEqual(request, {
      id: request!.id,
      name: 'web',
      cpus: 0.5,
      mem: 64,
      command: {
        shell: false,
        value: 'python3',
        arguments: ['python3', '-m', 'http.server'],
        environment: { variables: [{ name: 'A', value: '1' }] },
      },
    });
    assert.equal(ui.progressRuns[0]!.title, 'Launching "web" on tasks-a');
    assert.ok(
      ui.progressRuns[0]!.messages.includes(
        'Waiting for an offer: no offer fits yet: a1 (o1): mem: needs 64, offer has 32',
      ),
      ui.progressRuns[0]!.messages.join(' | '),
    );
    assert.deepEqual(ui.lastSaid, {
      kind: 'info',
      message: `Task "web" is running on tasks-a (${request!.id}.1).`,
      actions: [FOLLOW_LOGS],
    });
    await until(() => ran.length === 1, 'Follow Logs to run');
    assert.deepEqual(ran[0], {
      command: 'mesos.followTaskLogs',
      args: [{ clusterName: 'tasks-a', frameworkId: 'fw-ours', taskId: `${request!.id}.1` }],
    });
  });

  test('a prefilled request skips the wizard; a failure ends the progress with its reason', async () => {
    const access = provider.forCluster('tasks-a');
    const request: TaskRequest = {
      id: 'fail-1',
      name: 'fail',
      cpus: 0.1,
      mem: 32,
      command: { shell: true, value: 'exit 3' },
    };
    access.react = () =>
      setTimeout(() => {
        access.decide({
          kind: 'launched',
          requestId: 'fail-1',
          taskId: 'fail-1.1',
          agentId: 'ag1',
          reason: 'placed on a1',
        });
        access.updates.fire({
          taskId: 'fail-1.1',
          state: 'TASK_FAILED',
          message: 'Command exited with status 3',
          reason: 'REASON_COMMAND_EXECUTOR_FAILED',
        });
      }, 10);
    const outcome = await commands.launchTask({ cluster: 'tasks-a', request });
    assert.deepEqual(access.launched, [[request]]);
    assert.equal(outcome?.status, 'done');
    assert.equal(outcome?.results[0]?.phase, 'failed');
    assert.equal(ui.lastSaid!.kind, 'error');
    assert.equal(
      ui.lastSaid!.message,
      '"fail" failed (fail-1.1): TASK_FAILED: Command exited with status 3 · REASON_COMMAND_EXECUTOR_FAILED.',
    );
    assert.ok(ui.lastSaid!.actions.includes(FOLLOW_LOGS), "the failed task's logs can be followed");
  });

  test('a request larger than any agent says so and can be dropped; an invalid prefilled request is not sent', async () => {
    const access = provider.forCluster('tasks-a');
    access.react = ([r]) =>
      setTimeout(() => access.decide({ kind: 'unmatched', requestId: r!.id, reason: 'larger than any agent' }), 10);
    ui.press = DROP_REQUEST;
    const outcome = await commands.launchTask({
      cluster: 'tasks-a',
      request: { id: 'huge-1', name: 'huge', cpus: 512, mem: 1 },
    });
    assert.equal(outcome?.results[0]?.phase, 'too-large');
    assert.match(
      ui.lastSaid!.message,
      /^"huge" is larger than any agent of tasks-a \(larger than any agent\); it stays queued until one joins\.$/,
    );
    await until(() => access.killed.length === 1, 'the request to be dropped');
    assert.deepEqual(access.killed, [['huge-1']]);

    const invalid = await commands.launchTask({ cluster: 'tasks-a', request: { id: 'neg', cpus: -1, mem: 1 } });
    assert.equal(invalid?.status, 'invalid');
    assert.equal(access.launched.length, 1, 'only the first request was sent');
  });

  test('cancelling the progress stops the waiting, not the task', async () => {
    const access = provider.forCluster('tasks-a');
    access.react = ([r]) => access.decide({ kind: 'queued', requestId: r!.id, reason: 'waiting for an offer' });
    const launching = commands.launchTask({
      cluster: 'tasks-a',
      request: { id: 'slow-1', name: 'slow', cpus: 1, mem: 1 },
    });
    await until(() => access.launched.length === 1, 'the launch');
    ui.cancel!.cancel();
    const outcome = await launching;
    assert.equal(outcome?.status, 'cancelled');
    assert.deepEqual(access.killed, []);
    assert.match(ui.lastSaid!.message, /^Stopped waiting for "slow" on tasks-a; the scheduler goes on with it/);
  });

  test('a read-only cluster refuses launch and kill; a protected one asks first', async () => {
    const launch = await commands.launchTask({ cluster: 'tasks-ro', request: { id: 'r', cpus: 1, mem: 1 } });
    assert.equal(launch?.status, 'refused');
    assert.match(ui.lastSaid!.message, /^Cluster "tasks-ro" is read-only, so nothing was launched\./);
    const kill = await commands.killTask({ cluster: 'tasks-ro', taskIds: ['r.1'] });
    assert.deepEqual(
      kill?.refused.map((t) => t.taskId),
      ['r.1'],
    );
    assert.equal(provider.accesses.get('tasks-ro'), undefined, 'the scheduler of a read-only cluster is never asked');

    ui.confirmAnswers = [undefined];
    const declined = await commands.launchTask({
      cluster: 'tasks-prot',
      request: { id: 'p', name: 'p', cpus: 1, mem: 1 },
    });
    assert.equal(declined?.status, 'declined');
    assert.match(ui.confirms[0]!.message, /^Launch "p" on the protected cluster "tasks-prot"\?$/);
    assert.equal(provider.accesses.get('tasks-prot'), undefined);

    ui.confirmAnswers = [undefined, 'Kill'];
    const node = { kind: 'task', clusterName: 'tasks-prot', frameworkId: 'fw-ours', taskId: 'p.1' };
    const notKilled = await commands.killTask(node, [node]);
    assert.deepEqual(
      notKilled?.declined.map((t) => t.taskId),
      ['p.1'],
    );
    const killed = await commands.killTask(node, [node]);
    assert.deepEqual(
      killed?.killed.map((t) => t.taskId),
      ['p.1'],
    );
    assert.deepEqual(provider.forCluster('tasks-prot').killed, [['p.1']]);
  });

  test("multi-select kill sends one kill for the selection; the palette lists the scheduler's tasks and pending requests", async () => {
    const a = { kind: 'task', clusterName: 'tasks-a', frameworkId: 'fw-ours', taskId: 'a.1' };
    const b = { kind: 'task', clusterName: 'tasks-a', frameworkId: 'fw-ours', taskId: 'b.1' };
    const outcome = await commands.killTask(a, [a, b]);
    assert.deepEqual(
      outcome?.killed.map((t) => t.taskId),
      ['a.1', 'b.1'],
    );
    const access = provider.forCluster('tasks-a');
    assert.deepEqual(access.killed, [['a.1', 'b.1']]);

    access.summaries = [
      { taskId: 'c.1', requestId: 'c', name: 'c', state: 'TASK_RUNNING', hostname: 'a1' },
      { taskId: '', requestId: 'd', name: 'd', state: 'PENDING' },
      { taskId: 'e.1', requestId: 'e', name: 'e', state: 'TASK_FINISHED' },
    ];
    await commands.killTask();
    assert.deepEqual(
      access.killed[1],
      ['c.1', 'd'],
      'running tasks by task id, pending requests by request id, ended ones not offered',
    );
  });

  test('a task of another framework is not killed through the scheduler; TEARDOWN needs the framework name typed', async () => {
    const node = { kind: 'task', clusterName: 'tasks-a', frameworkId: 'fw-other', taskId: 'theirs.1' };
    ui.confirmAnswers = [undefined];
    const refused = await commands.killTask(node, [node]);
    assert.deepEqual(
      refused?.refused.map((t) => t.taskId),
      ['theirs.1'],
    );
    assert.match(
      ui.confirms[0]!.message,
      /^theirs\.1 belongs to the framework "fw-other", not to this editor's scheduler/,
    );
    assert.deepEqual(ui.confirms[0]!.actions, [TEAR_DOWN]);
    assert.match(ui.confirms[0]!.detail, /EVERY task of it is killed, and its framework id can never be used again/);

    ui.confirmAnswers = [TEAR_DOWN];
    ui.inputAnswers = ['fw-othe'];
    const mistyped = await commands.killTask(node, [node]);
    assert.deepEqual(
      mistyped?.declined.map((t) => t.taskId),
      ['theirs.1'],
    );
    assert.equal(ui.inputs[0]!.validateInput!('fw-othe'), 'Type "fw-other" exactly to tear it down.');
    assert.equal(ui.inputs[0]!.validateInput!('fw-other'), undefined);
    assert.deepEqual(provider.forCluster('tasks-a').killed, [], 'kill was never called for a foreign task');
    assert.deepEqual(mistyped?.tornDown, []);
  });

  test('TEARDOWN of another framework, confirmed by its name, reaches the master and ends the framework', async () => {
    const { clusters } = await extensionApi();
    sandbox = (await startTestSandbox({ agents: 1 })).cluster;
    await vscode.workspace
      .getConfiguration('mesos')
      .update('clusters', [{ name: 'tasks-sbx', masters: sandbox.leaderUrl }], vscode.ConfigurationTarget.Global);
    await until(() => clusters.get('tasks-sbx') !== undefined, 'the sandbox cluster');
    const session = await clusters.get('tasks-sbx')!.session();
    victim = await rawSubscribe(sandbox.leaderUrl, frameworkInfo({ name: 'victim' }));
    const offer = (await victim.waitFor((e) => e.type === 'OFFERS')).offers!.offers![0]!;
    await victim.call({
      type: 'ACCEPT',
      accept: {
        offer_ids: [offer.id],
        operations: [{ type: 'LAUNCH', launch: { task_infos: [commandTask(offer, 'sleeper', 'sleep 60')] } }],
      },
    });
    const victimId = victim.frameworkId!;
    await until(
      () =>
        session.model.task(victimId, 'sleeper') !== undefined && session.model.framework(victimId)?.name === 'victim',
      'the victim task in the model',
    );

    ui.confirmAnswers = [TEAR_DOWN];
    ui.inputAnswers = ['victim'];
    const node = { kind: 'task', clusterName: 'tasks-sbx', frameworkId: victimId, taskId: 'sleeper' };
    const outcome = await commands.killTask(node, [node]);
    assert.deepEqual(outcome?.tornDown, [{ cluster: 'tasks-sbx', frameworkId: victimId }]);
    assert.match(ui.inputs[0]!.prompt!, /Every task of "victim" will be killed/);
    assert.deepEqual(provider.forCluster('tasks-sbx').killed, []);
    await until(() => session.model.framework(victimId)?.status === 'completed', 'the framework to be completed');
    await until(() => {
      const state = session.model.task(victimId, 'sleeper')?.state;
      return state !== undefined && isTerminalTaskState(state);
    }, 'its task to end');
  });
});
