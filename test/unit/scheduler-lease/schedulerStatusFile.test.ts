import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { DecisionRecord } from '../../../src/core/scheduler/decisionRecord';
import {
  readSchedulerStatus,
  SchedulerStatusPublisher,
  summarizeTasks,
  type SchedulerStatusContent,
} from '../../../src/core/scheduler/lease/schedulerStatusFile';
import { initialSchedulerState, type SchedulerState } from '../../../src/core/scheduler/schedulerState';
import { ScriptProcess } from '../../support/scriptProcess';

const KEY = 'prod-0123456789ab';
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'status-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const decision = (at: number): DecisionRecord => ({
  at,
  kind: 'launched',
  requestId: `r${at}`,
  taskId: `r${at}.1`,
  reason: `fits agent-${at}`,
});

function content(overrides: Partial<SchedulerStatusContent> = {}): SchedulerStatusContent {
  return {
    where: 'window',
    ownerId: 'window-a',
    frameworkId: 'F-1',
    master: 'http://127.0.0.1:5050',
    subscription: { state: 'subscribed', message: 'Subscribed to http://127.0.0.1:5050.' },
    tasks: [
      { taskId: 'jenkins-1.1', requestId: 'jenkins-1', state: 'TASK_RUNNING', agentId: 'S1', hostname: 'agent-1' },
    ],
    pending: 2,
    decisions: [
      decision(1),
      { at: 2, kind: 'status', taskId: 'r1.1', state: 'TASK_RUNNING', reason: 'TASK_RUNNING' },
      { at: 3, kind: 'error', taskId: 'r1.1', call: 'KILL', reason: 'KILL was not delivered' },
    ],
    ...overrides,
  };
}

const statusPath = () => join(dir, KEY, 'status.json');

describe('scheduler status file', () => {
  it('round-trips what the holder publishes, with its age by the reader’s clock', async () => {
    const publisher = SchedulerStatusPublisher.open({ dir, key: KEY, clock: () => 1_000_000 });
    publisher.publish(content());
    await publisher.dispose();
    const read = await readSchedulerStatus(dir, KEY, { clock: () => 1_004_000 });
    assert.deepEqual(read.problems, []);
    assert.equal(read.ageMs, 4000);
    assert.deepEqual(read.status, { version: 1, publishedAt: 1_000_000, ...content() });
  });

  it('writes a burst of snapshots as the first and the last, never more than the interval allows', async () => {
    let writes = 0;
    const publisher = SchedulerStatusPublisher.open({ dir, key: KEY, minIntervalMs: 60_000, clock: () => ++writes });
    for (let i = 0; i < 20; i++) publisher.publish(content({ pending: i }));
    await publisher.flush();
    assert.equal(writes, 2);
    assert.equal((await readSchedulerStatus(dir, KEY)).status?.pending, 19);
    await publisher.dispose();
    assert.equal(writes, 2, 'nothing was left to write');
  });

  it('keeps only the latest decisions', async () => {
    const publisher = SchedulerStatusPublisher.open({ dir, key: KEY, maxDecisions: 3 });
    publisher.publish(content({ decisions: [1, 2, 3, 4, 5].map(decision) }));
    await publisher.dispose();
    assert.deepEqual(
      (await readSchedulerStatus(dir, KEY)).status?.decisions.map((d) => d.at),
      [3, 4, 5],
    );
  });

  it('a failing write is logged once and retried with the next snapshot, never thrown', async () => {
    // A directory where the file should be makes every write fail.
    await mkdir(statusPath(), { recursive: true });
    const warnings: string[] = [];
    const log = {
      trace() {},
      debug() {},
      info() {},
      error() {},
      warn: (m: string) => warnings.push(m),
      child: () => log,
    };
    const publisher = SchedulerStatusPublisher.open({ dir, key: KEY, minIntervalMs: 0, log });
    publisher.publish(content());
    await publisher.flush();
    publisher.publish(content({ pending: 7 }));
    await publisher.flush();
    assert.equal(warnings.length, 1);
    await rm(statusPath(), { recursive: true });
    publisher.publish(content({ pending: 8 }));
    await publisher.dispose();
    assert.equal((await readSchedulerStatus(dir, KEY)).status?.pending, 8);
  });

  it('readers get a problem, not an exception, for a missing, torn or foreign file', async () => {
    assert.deepEqual(await readSchedulerStatus(dir, KEY), { problems: ['no status has been published'] });
    await mkdir(join(dir, KEY), { recursive: true });
    await writeFile(statusPath(), JSON.stringify({ version: 1, publishedAt: 5, ownerId: 'w' }).slice(0, 20));
    const torn = await readSchedulerStatus(dir, KEY);
    assert.equal(torn.status, undefined);
    assert.match(torn.problems[0]!, /not JSON/);
    await writeFile(statusPath(), '[1, 2, 3]');
    assert.deepEqual(await readSchedulerStatus(dir, KEY), {
      problems: ['the status file does not hold a JSON object'],
    });
  });

  it('readers fill in what an old or partial file lacks and say what was missing', async () => {
    await mkdir(join(dir, KEY), { recursive: true });
    await writeFile(
      statusPath(),
      JSON.stringify({
        version: 2,
        ownerId: 'window-a',
        where: 'headless',
        tasks: [{ taskId: 'ok.1', state: 'TASK_STAGING' }, { state: 'TASK_RUNNING' }, 'junk'],
        decisions: [
          decision(4),
          { at: 'yesterday', kind: 'launched', reason: 'r' },
          { at: 9, kind: 'from-the-future', reason: 'new kind' },
        ],
        futureField: true,
      }),
    );
    const read = await readSchedulerStatus(dir, KEY);
    assert.deepEqual(read.status, {
      version: 1,
      publishedAt: 0,
      where: 'headless',
      ownerId: 'window-a',
      subscription: { state: 'idle', message: 'The scheduler did not say how its subscription stands.' },
      tasks: [{ taskId: 'ok.1', requestId: '', state: 'TASK_STAGING', agentId: '', hostname: '' }],
      pending: 0,
      decisions: [decision(4), { at: 9, kind: 'from-the-future', reason: 'new kind' }],
    });
    assert.equal(read.ageMs, undefined);
    assert.deepEqual(read.problems, [
      'written by a newer version (2); showing what this version understands',
      'publishedAt is missing',
      'subscription is missing',
      '2 of 3 tasks could not be read',
      '1 of 3 decisions could not be read',
      'pending is missing',
    ]);
  });

  it('summarizes a scheduler state’s tasks', () => {
    const state: SchedulerState = {
      ...initialSchedulerState(),
      tasks: {
        'jenkins-1.1': {
          taskId: 'jenkins-1.1',
          request: { id: 'jenkins-1', cpus: 1, mem: 512 },
          agentId: 'S1',
          hostname: 'agent-1',
          state: 'TASK_RUNNING',
          killRequested: false,
        },
      },
    };
    assert.deepEqual(summarizeTasks(state.tasks), [
      { taskId: 'jenkins-1.1', requestId: 'jenkins-1', state: 'TASK_RUNNING', agentId: 'S1', hostname: 'agent-1' },
    ]);
  });

  it('a reader never sees a torn file while another process keeps rewriting it', async () => {
    const writer = new ScriptProcess('statusWriter.ts', { dir, key: KEY });
    let reads = 0;
    const seenPending = new Set<number>();
    try {
      await writer.waitFor((e) => e.event === 'ready', 'ready');
      const first = Date.now();
      // Read until the writer has replaced the file many times under us.
      while (seenPending.size < 50 && Date.now() - first < 15_000) {
        const read = await readSchedulerStatus(dir, KEY);
        if (read.status === undefined && read.problems[0] === 'no status has been published') continue;
        reads++;
        assert.deepEqual(read.problems, [], `read ${reads}`);
        assert.equal(read.status?.ownerId, 'writer');
        assert.equal(read.status?.tasks.length, read.status!.pending % 40);
        seenPending.add(read.status!.pending);
      }
    } finally {
      await writer.stop();
    }
    const done = writer.events.find((e) => e.event === 'done') as { writes: number } | undefined;
    assert.ok(seenPending.size >= 50, `saw ${seenPending.size} versions in ${reads} reads`);
    assert.ok(done !== undefined && done.writes >= seenPending.size);
    assert.deepEqual(
      (await readdir(join(dir, KEY))).filter((n) => n.startsWith('.')),
      [],
      'no scratch files left',
    );
  });
});
