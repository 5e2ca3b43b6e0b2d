import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { agentTaskRequest } from '../../../src/core/scheduler/autoscaler/agentTaskRequest';
import { readAgentTemplates } from '../../../src/core/scheduler/autoscaler/readAgentTemplates';
import type { SchedulerInput } from '../../../src/core/scheduler/schedulerInput';
import {
  restoreSchedulerState,
  snapshotOf,
  type SchedulerSnapshot,
} from '../../../src/core/scheduler/schedulerSnapshot';
import {
  initialSchedulerState,
  type SchedulerOptions,
  type TrackedTask,
} from '../../../src/core/scheduler/schedulerState';
import type { TaskRequest } from '../../../src/core/scheduler/taskRequest';
import {
  callFailed,
  disconnected,
  implicitReconcile,
  kill,
  killCall,
  kinds,
  launch,
  offer,
  offers,
  plain,
  reconcileCall,
  reconciled,
  req,
  rescind,
  run,
  scalar,
  subscribed,
  tick,
  update,
  type Run,
} from '../../support/schedulerInputs';

const OPTIONS: Partial<SchedulerOptions> = {
  refuseSeconds: 60,
  suppressAfterMs: 1000,
  reconcileRetryMs: 1000,
  reconcileRetryMaxMs: 4000,
  implicitReconcileMs: 60_000,
  unreachableReplaceMs: 10_000,
};
const start = () => initialSchedulerState(OPTIONS);

/** What a driver does on reload: save, read back from disk (JSON), restore. */
function reload(r: Run): ReturnType<typeof restoreSchedulerState> {
  return restoreSchedulerState(JSON.parse(JSON.stringify(snapshotOf(r.state))) as unknown, OPTIONS);
}

const tracked = (taskId: string, more: Partial<TrackedTask> = {}): TrackedTask => ({
  taskId,
  request: req(taskId.split('.')[0]!),
  agentId: 'S1',
  hostname: 'agent-1',
  state: 'TASK_RUNNING',
  killRequested: false,
  ...more,
});

// A session that leaves behind every kind of task a reload has to carry: running, unconfirmed, killed while
// the stream was down, away on an unreachable agent, adopted; and a request that never fits, still queued.
const beforeReload: SchedulerInput[] = [
  subscribed(0),
  launch(10, req('run'), req('maybe'), req('doomed', 1, 512, { restart: 'on-failure' }), req('far')),
  launch(11, req('huge', 64, 1)),
  // the matcher places doomed.1 on S1, far.1 on S2, maybe.1 on S3 and run.1 on S4
  offers(20, offer(1, 1, 512), offer(2, 1, 512), offer(3, 1, 512), offer(4, 1, 512)),
  update(30, 'run.1', 'TASK_RUNNING', { uuid: 'AQ==', agent_id: { value: 'S4' } }),
  update(31, 'x.7', 'TASK_RUNNING', { uuid: 'Ag==', agent_id: { value: 'S9' } }),
  update(32, 'far.1', 'TASK_UNREACHABLE', { agent_id: { value: 'S2' } }),
  rescind(33, 'O9'),
  tick(2000),
  disconnected(2500, 'editor window closed'),
  kill(2600, 'doomed.1'),
];

function placedOn(r: Run, taskId: string): string {
  return r.state.tasks[taskId]!.agentId;
}

describe('snapshotOf', () => {
  it('keeps the framework id and the work, never offers, filters or reconciliation rounds', () => {
    const r = run(beforeReload, start());
    const snap: SchedulerSnapshot = snapshotOf(r.state);
    assert.deepEqual(Object.keys(snap).sort(), ['attempts', 'frameworkId', 'pending', 'tasks', 'version']);
    assert.equal(snap.version, 1);
    assert.equal(snap.frameworkId, 'F1');
    assert.deepEqual(
      snap.pending.map((p) => p.id),
      ['huge'],
    );
    assert.deepEqual(snap.tasks.map((t) => t.taskId).sort(), ['doomed.1', 'far.1', 'maybe.1', 'run.1', 'x.7']);
    assert.deepEqual(snap.attempts, { run: 1, maybe: 1, doomed: 1, far: 1, x: 7 });
  });
});

describe('restoreSchedulerState', () => {
  it('starts empty, with no problem, when nothing was saved', () => {
    assert.deepEqual(restoreSchedulerState(undefined, OPTIONS), { state: start() });
    assert.deepEqual(restoreSchedulerState(null, OPTIONS), { state: start() });
    assert.deepEqual(restoreSchedulerState(undefined).state, initialSchedulerState());
  });

  it('starts empty and says so when the saved state is not an object', () => {
    assert.deepEqual(restoreSchedulerState('{"version":1', OPTIONS), {
      state: start(),
      problem: 'the saved scheduler state is not an object; starting empty',
    });
  });

  it('reads back what it wrote, as the state the driver had (less offers, filters and the stream)', () => {
    const r = run(beforeReload, start());
    const restored = reload(r);
    assert.equal(restored.problem, undefined);
    assert.deepEqual(restored.state, {
      ...start(),
      frameworkId: 'F1',
      pending: plain(r.state.pending),
      tasks: plain(r.state.tasks),
      attempts: r.state.attempts,
    });
    assert.equal(restored.state.subscribed, false);
    assert.equal(restored.state.tasks['maybe.1'] === undefined, false);
  });

  it('keeps the readable framework id from a damaged snapshot and reports each dropped part', () => {
    const damaged = {
      version: 1,
      frameworkId: 'F1',
      pending: [req('ok'), { id: 'no-cpus', mem: 1 }, 'junk'],
      tasks: [
        tracked('good.2'),
        { taskId: 'bad.1', agentId: 'S1', state: 'TASK_NOT_A_STATE', request: req('bad') },
        null,
      ],
      attempts: { ok: 0, good: 2, broken: 'three', negative: -1 },
    };
    const restored = restoreSchedulerState(damaged, OPTIONS);
    assert.deepEqual(restored, {
      state: {
        ...start(),
        frameworkId: 'F1',
        pending: [req('ok')],
        tasks: { 'good.2': tracked('good.2') },
        attempts: { ok: 0, good: 2 },
      },
      problem:
        '2 unreadable pending request(s) dropped; 2 unreadable task(s) dropped (reconciliation adopts them if they run); 2 unreadable launch count(s) dropped',
    });
  });

  it('keeps the framework id when every other part is unreadable', () => {
    const restored = restoreSchedulerState(
      { version: 1, frameworkId: 'F1', pending: {}, tasks: 'x', attempts: [] },
      OPTIONS,
    );
    assert.deepEqual(restored, {
      state: { ...start(), frameworkId: 'F1' },
      problem:
        'the pending requests are not a list; none restored; the tasks are not a list; none restored (reconciliation adopts those that run); the launch counts are not readable; counting from the restored tasks',
    });
  });

  it('reports a framework id it cannot read, since the scheduler then registers anew', () => {
    const restored = restoreSchedulerState(
      { version: 1, frameworkId: 42, pending: [], tasks: [], attempts: {} },
      OPTIONS,
    );
    assert.deepEqual(restored, {
      state: start(),
      problem: 'the framework id is not readable; the scheduler registers as a new framework',
    });
  });

  it('reports an unknown version and still keeps what it can read', () => {
    const restored = restoreSchedulerState(
      { version: 2, frameworkId: 'F1', pending: [req('a')], tasks: [], attempts: { a: 3 } },
      OPTIONS,
    );
    assert.deepEqual(restored, {
      state: { ...start(), frameworkId: 'F1', pending: [req('a')], attempts: { a: 3 } },
      problem: 'unknown state version 2',
    });
    assert.equal(
      restoreSchedulerState({ frameworkId: 'F1', pending: [], tasks: [], attempts: {} }).problem,
      'unknown state version undefined',
    );
  });

  it('never hands out a task id again when the launch counts were lost', () => {
    const snapshot = {
      version: 1,
      frameworkId: 'F1',
      pending: [],
      tasks: [tracked('a.3', { request: req('a', 1, 512, { restart: 'on-failure' }) })],
    };
    const restored = restoreSchedulerState(snapshot, OPTIONS);
    assert.deepEqual(restored.state.attempts, { a: 3 });
    assert.equal(restored.problem, 'the launch counts are not readable; counting from the restored tasks');
    const r = run([subscribed(0), update(1, 'a.3', 'TASK_FAILED'), offers(2, offer(1, 4, 4096))], restored.state);
    assert.deepEqual(kinds(r.decisions[1]!).slice(0, 1), ['requeued']);
    const accept = r.calls[2]!.find((c) => c.type === 'ACCEPT')!;
    assert.equal(accept.accept!.operations![0]!.launch!.task_infos![0]!.task_id.value, 'a.4');
  });
});

describe('replay', () => {
  // the reload happens while the stream is down: the editor closed, the tasks kept running
  const afterReload: SchedulerInput[] = [
    subscribed(10_000),
    reconciled(10_100, 'run.1', 'TASK_RUNNING', 'S4'),
    reconciled(10_200, 'maybe.1', 'TASK_GONE', 'S3', 'Reconciliation: Task is unknown to the agent'),
    tick(11_000),
    update(11_500, 'doomed.1', 'TASK_KILLED', { uuid: 'Aw==' }),
    offers(12_000, offer(5, 4, 4096)),
    tick(13_000),
    tick(16_000),
    tick(30_000),
    update(31_000, 'far.1', 'TASK_RUNNING', { uuid: 'BA==', agent_id: { value: 'S2' } }),
    kill(31_100, 'far.1'),
    callFailed(31_101, killCall('far.1', 'S2'), false, 'no answer within 30000 ms'),
    update(32_000, 'far.1', 'TASK_KILLED', { uuid: 'BQ==', agent_id: { value: 'S2' } }),
    tick(80_000),
  ];

  it('gives deep-equal calls, decisions and state for the same recording', () => {
    const recording = [...beforeReload, ...afterReload];
    assert.deepEqual(run(recording, start()), run(recording, start()));
  });

  it('gives deep-equal outputs through snapshot, JSON and restore in the middle', () => {
    const once = () => {
      const first = run(beforeReload, start());
      const restored = reload(first);
      return { first, restored, second: run(afterReload, restored.state) };
    };
    assert.deepEqual(once(), once());
  });

  it('makes a reload invisible once subscribed again: same calls, decisions and work as staying up', () => {
    const stayed = run([...beforeReload, ...afterReload], start());
    const first = run(beforeReload, start());
    const reloaded = run(afterReload, reload(first).state);
    const n = beforeReload.length;
    assert.deepEqual(reloaded.calls, stayed.calls.slice(n));
    assert.deepEqual(reloaded.decisions, stayed.decisions.slice(n));
    assert.deepEqual(plain(reloaded.state), plain(stayed.state));
  });

  it('after the reload, SUBSCRIBED kills what was asked for and reconciles every restored task', () => {
    const first = run(beforeReload, start());
    const second = run(afterReload, reload(first).state);
    assert.deepEqual(
      ['doomed.1', 'far.1', 'maybe.1', 'run.1'].map((id) => placedOn(first, id)),
      ['S1', 'S2', 'S3', 'S4'],
    );
    assert.deepEqual(second.calls[0], [
      killCall('doomed.1', 'S1'),
      reconcileCall(['doomed.1', 'S1'], ['far.1', 'S2'], ['maybe.1', 'S3'], ['run.1', 'S4'], ['x.7', 'S9']),
      implicitReconcile,
    ]);
    assert.deepEqual(second.decisions[0], [
      { at: 10_000, kind: 'subscribed', reason: 'subscribed as framework F1; reconciling 5 known task(s)' },
    ]);
  });

  it('continues the restored work as recorded', () => {
    const first = run(beforeReload, start());
    const r = run(afterReload, reload(first).state);
    // maybe.1's ACCEPT went through, so GONE is an ordinary end, and restart 'never' lets it go
    assert.deepEqual(kinds(r.decisions[2]!), ['finished']);
    // the killed task is not restarted despite 'on-failure'
    assert.deepEqual(kinds(r.decisions[4]!), ['finished']);
    // the away task is replaced only with 'on-failure' (far has 'never'): nothing queued but 'huge'
    assert.deepEqual(
      r.state.pending.map((p) => p.id),
      ['huge'],
    );
    assert.deepEqual(Object.keys(r.state.tasks).sort(), ['run.1', 'x.7']);
    assert.deepEqual(r.state.attempts, { run: 1, maybe: 1, doomed: 1, far: 1, x: 7 });
  });

  it('a launch whose ACCEPT timed out before the reload is placed again when reconciliation says it never started', () => {
    const before: SchedulerInput[] = [
      subscribed(0),
      launch(10, req('a')),
      offers(20, offer(1, 4, 4096)),
      callFailed(30, acceptFor('a.1'), false, 'no answer within 30000 ms'),
      disconnected(40),
    ];
    const first = run(before, start());
    const restored = reload(first);
    assert.equal(restored.state.tasks['a.1']!.unconfirmed, true);
    const r = run(
      [
        subscribed(1000),
        reconciled(1100, 'a.1', 'TASK_GONE', 'S1', 'Reconciliation: Task is unknown to the agent'),
        offers(1200, offer(2, 4, 4096)),
      ],
      restored.state,
    );
    assert.deepEqual(r.calls[0], [reconcileCall(['a.1', 'S1']), implicitReconcile]);
    assert.deepEqual(kinds(r.decisions[1]!), ['requeued']);
    const accept = r.calls[2]!.find((c) => c.type === 'ACCEPT')!;
    assert.equal(accept.accept!.operations![0]!.launch!.task_infos![0]!.task_id.value, 'a.2');
  });
});

/** The ACCEPT for `a.1` on O1 exactly as the reducer built it (checked in schedulerRecovery.test.ts). */
function acceptFor(taskId: string) {
  return {
    type: 'ACCEPT' as const,
    accept: {
      offer_ids: [{ value: 'O1' }],
      operations: [
        {
          type: 'LAUNCH' as const,
          launch: {
            task_infos: [
              {
                name: 'a',
                task_id: { value: taskId },
                agent_id: { value: 'S1' },
                resources: [scalar('cpus', 1), scalar('mem', 512)],
                command: { value: 'run a' },
              },
            ],
          },
        },
      ],
      filters: { refuse_seconds: 60 },
    },
  };
}

describe('secret environment', () => {
  const SECRET = 'c0ffee'.repeat(10) + 'beef';
  const [linux] = readAgentTemplates([{ name: 'linux', labels: ['linux'], cpus: 1, mem: 512 }]).templates;
  const agent = (name: string, more: Partial<TaskRequest> = {}): TaskRequest => ({
    ...agentTaskRequest(linux!, name, 'https://ci.example.com/', SECRET),
    ...more,
  });
  const env = (request: TaskRequest) =>
    Object.fromEntries((request.command?.environment?.variables ?? []).map((v) => [v.name, v.value]));

  // one agent placed (tracked), one still waiting for an offer (pending), next to an ordinary request
  const session: SchedulerInput[] = [
    subscribed(0),
    launch(10, agent('mesos-linux-t1-1'), req('plain'), agent('mesos-linux-t1-2', { cpus: 64 })),
    offers(20, offer(1, 4, 4096)),
    update(30, 'mesos-linux-t1-1.1', 'TASK_RUNNING', { uuid: 'AQ==' }),
  ];

  it('never reaches the snapshot JSON, while the ACCEPT and the live state keep it', () => {
    const r = run(session, start());
    const accept = r.calls[2]!.find((c) => c.type === 'ACCEPT')!;
    const launched = accept.accept!.operations![0]!.launch!.task_infos!;
    assert.equal(
      launched
        .filter((t) => JSON.stringify(t).includes(SECRET))
        .map((t) => t.task_id.value)
        .join(),
      'mesos-linux-t1-1.1',
      'the agent gets its secret',
    );
    assert.equal(env(r.state.tasks['mesos-linux-t1-1.1']!.request).JENKINS_SECRET, SECRET);
    assert.equal(env(r.state.pending[0]!).JENKINS_SECRET, SECRET);

    const json = JSON.stringify(snapshotOf(r.state));
    assert.equal(json.includes(SECRET), false, 'the secret is not in the saved JSON');
    const saved = JSON.parse(json) as SchedulerSnapshot;
    const savedTask = saved.tasks.find((t) => t.taskId === 'mesos-linux-t1-1.1')!;
    assert.deepEqual(env(savedTask.request), {
      ...env(agent('x')),
      JENKINS_AGENT_NAME: 'mesos-linux-t1-1',
      JENKINS_SECRET: '',
    });
    assert.deepEqual(savedTask.request.secretEnvironment, ['JENKINS_SECRET']);
    assert.deepEqual(
      saved.pending.map((p) => [p.id, env(p).JENKINS_SECRET]),
      [['mesos-linux-t1-2', '']],
    );
    // the state the driver keeps working with is untouched
    assert.equal(env(r.state.tasks['mesos-linux-t1-1.1']!.request).JENKINS_SECRET, SECRET);
  });

  it('blanks a secret carried as a Mesos Secret too, and leaves requests without secrets as they are', () => {
    const withSecretRef = agent('mesos-linux-t1-3');
    const variables = withSecretRef.command!.environment!.variables!.map((v) =>
      v.name === 'JENKINS_SECRET'
        ? { ...v, type: 'SECRET' as const, secret: { type: 'VALUE' as const, value: { data: SECRET } } }
        : v,
    );
    const request = { ...withSecretRef, command: { ...withSecretRef.command!, environment: { variables } } };
    const r = run([launch(1, request, req('plain'))], start());
    const snap = snapshotOf(r.state);
    assert.equal(JSON.stringify(snap).includes(SECRET), false);
    assert.equal(snap.pending[1], r.state.pending[1], 'a request without secrets is saved as it is');
  });

  it('a restored pending request that carried secrets is dropped and reported; a running agent task is kept', () => {
    const r = run(session, start());
    const restored = reload(r);
    assert.deepEqual(
      restored.state.pending.map((p) => p.id),
      [],
    );
    assert.equal(
      restored.problem,
      '1 pending request(s) with secret environment dropped (secrets are never saved): mesos-linux-t1-2',
    );
    assert.deepEqual(Object.keys(restored.state.tasks).sort(), ['mesos-linux-t1-1.1', 'plain.1']);
    assert.equal(env(restored.state.tasks['mesos-linux-t1-1.1']!.request).JENKINS_SECRET, '');
  });

  it("a restored task with secrets and restart 'on-failure' is not restarted without them", () => {
    const r = run(
      [subscribed(0), launch(10, agent('svc', { restart: 'on-failure' })), offers(20, offer(1, 4, 4096))],
      start(),
    );
    const restored = reload(r);
    assert.equal(restored.state.tasks['svc.1']!.request.restart, 'never');
    assert.equal(
      restored.problem,
      '1 task(s) with secret environment will not be restarted after they end (secrets are never saved): svc.1',
    );
    const after = run([subscribed(100), update(110, 'svc.1', 'TASK_FAILED', { uuid: 'AQ==' })], restored.state);
    assert.deepEqual(kinds(after.decisions[1]!), ['finished']);
    assert.deepEqual(after.state.pending, []);
  });
});
