import * as assert from 'node:assert/strict';
import { request } from 'undici';
import { after, before, describe, test } from 'node:test';
import type { Offer, SchedulerEvent, TaskState, WireEncoding } from '../../../src/core/mesos/codec';
import { MasterConnection } from '../../../src/core/mesos/connection/masterConnection';
import type { SubscriptionStatus } from '../../../src/core/mesos/connection/subscriptionStatus';
import { OperatorClient } from '../../../src/core/mesos/operator/operatorClient';
import { SchedulerClient } from '../../../src/core/mesos/scheduler/schedulerClient';
import type { SandboxCluster } from '../../../src/sandbox/mesos/sandboxCluster';
import { frameworkInfo, startTestSandbox } from '../../support/sandboxFixture';

// The product's scheduler and operator clients against the sandbox over real HTTP, including the faults
// the sandbox injects: a stream cut mid-record, a malformed record, stalled heartbeats, a leader switch.

async function admin(cluster: SandboxCluster, path: string, body?: unknown): Promise<unknown> {
  const res = await request(`${cluster.leaderUrl}/__sandbox/${path}`, {
    method: 'POST',
    ...(body ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}),
  });
  return res.body.json();
}

/** Collects a client's events and status changes, with a wait for the next matching one. */
function recorder(client: SchedulerClient) {
  const events: SchedulerEvent[] = [];
  const statuses: SubscriptionStatus[] = [];
  client.onEvent((e) => events.push(e));
  client.onStatusChange((s) => statuses.push(s));
  const waitFor = async (predicate: (e: SchedulerEvent) => boolean, from = 0, ms = 10_000) => {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = events.slice(from).find(predicate);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no matching event; got ${events.map((e) => e.type).join(', ')}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const waitStatus = async (state: SubscriptionStatus['state'], from = 0, ms = 10_000) => {
    const deadline = Date.now() + ms;
    while (!statuses.slice(from).some((s) => s.state === state)) {
      if (Date.now() > deadline) throw new Error(`never ${state}; saw ${statuses.map((s) => s.state).join(', ')}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  return { events, statuses, waitFor, waitStatus };
}

for (const encoding of ['protobuf', 'json'] as WireEncoding[]) {
  describe(`SchedulerClient and OperatorClient against the sandbox (${encoding})`, () => {
    let cluster: SandboxCluster;
    let connection: MasterConnection;
    before(async () => {
      ({ cluster } = await startTestSandbox({ agents: 1, masters: 2 }));
      connection = new MasterConnection({ masters: cluster.masters.map((m) => m.url), encoding, retry: { initialMs: 50, maxMs: 200 } });
    });
    after(async () => {
      await connection.close();
      await cluster.stop();
    });

    test('launch, acknowledge every update, and see the task through the operator API', async () => {
      const client = new SchedulerClient({ connection, backoff: { initialMs: 50, maxMs: 200 } });
      const rec = recorder(client);
      try {
        const subscribed = await client.subscribe(frameworkInfo({ name: `client-${encoding}` }));
        assert.equal(subscribed.master, cluster.leaderUrl);
        const offer: Offer = (await rec.waitFor((e) => e.type === 'OFFERS')).offers!.offers![0]!;
        const signal = AbortSignal.timeout(10_000);
        const taskId = `client-task-${encoding}`;
        await client.accept(
          {
            offer_ids: [offer.id],
            operations: [
              {
                type: 'LAUNCH',
                launch: {
                  task_infos: [
                    {
                      name: taskId,
                      task_id: { value: taskId },
                      agent_id: offer.agent_id,
                      resources: offer.resources!.filter((r) => r.name === 'cpus' || r.name === 'mem').map((r) => ({ ...r, scalar: { value: r.name === 'cpus' ? 0.2 : 64 } })),
                      command: { value: 'echo done' },
                    },
                  ],
                },
              },
            ],
          },
          signal,
        );
        const seen: TaskState[] = [];
        for (let from = 0; !seen.includes('TASK_FINISHED'); ) {
          const event = await rec.waitFor((e) => e.type === 'UPDATE' && e.update?.status.task_id.value === taskId, from);
          from = rec.events.indexOf(event) + 1;
          const status = event.update!.status;
          seen.push(status.state);
          await client.acknowledge({ agent_id: status.agent_id!, task_id: status.task_id, uuid: status.uuid! }, signal);
        }
        assert.deepEqual(seen, ['TASK_STARTING', 'TASK_RUNNING', 'TASK_FINISHED']);
        const operator = new OperatorClient({ connection });
        const tasks = await operator.getTasks(signal);
        const done = [...(tasks.tasks ?? []), ...(tasks.completed_tasks ?? [])].find((t) => t.task_id.value === taskId);
        assert.equal(done?.state, 'TASK_FINISHED');
        await operator.close();
      } finally {
        await client.teardown(AbortSignal.timeout(5000)).catch(() => undefined);
        await client.close();
      }
    });

    test('a stream cut mid-record, a malformed record and stalled heartbeats each end in a resubscription with the same framework id', async () => {
      const client = new SchedulerClient({
        connection,
        backoff: { initialMs: 20, maxMs: 100 },
        watchdog: { missedHeartbeats: 2, heartbeatIntervalMs: 150 },
      });
      const rec = recorder(client);
      try {
        const first = await client.subscribe(frameworkInfo({ name: `faults-${encoding}` }));
        for (const fault of ['cut', 'malformed', 'stall'] as const) {
          const mark = rec.statuses.length;
          const streamBefore = client.streamId;
          if (fault === 'cut') await admin(cluster, 'streams/cut?kind=scheduler');
          if (fault === 'malformed') await admin(cluster, 'streams/malformed?kind=scheduler');
          if (fault === 'stall') await admin(cluster, 'faults', { stallHeartbeats: true });
          await rec.waitStatus('reconnecting', mark);
          if (fault === 'stall') await admin(cluster, 'faults', { stallHeartbeats: false });
          await rec.waitStatus('subscribed', mark);
          assert.equal(client.frameworkId, first.frameworkId, `${fault}: the framework id is kept`);
          assert.notEqual(client.streamId, streamBefore, `${fault}: a new stream id`);
        }
        // and calls work on the new stream
        await client.revive({}, AbortSignal.timeout(5000));
      } finally {
        await admin(cluster, 'faults', { stallHeartbeats: false });
        await client.teardown(AbortSignal.timeout(5000)).catch(() => undefined);
        await client.close();
      }
    });

    test('the operator stream can hand SUBSCRIBED over as bytes, for a state parsed in slices', async () => {
      const operator = new OperatorClient({ connection });
      const bodies: Uint8Array[] = [];
      const events: string[] = [];
      const subscription = operator.subscribe({ snapshotBytes: (b) => bodies.push(b) });
      subscription.onEvent((e) => events.push(`${e.type}:${e.subscribed?.heartbeat_interval_seconds ?? ''}:${e.subscribed?.get_state ? 'state' : ''}`));
      try {
        const deadline = Date.now() + 10_000;
        while (bodies.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
        const parsed = JSON.parse(Buffer.from(bodies[0]!).toString('utf8')) as { type: string; subscribed: { get_state: { get_agents: { agents: unknown[] } } } };
        assert.equal(parsed.type, 'SUBSCRIBED');
        assert.equal(parsed.subscribed.get_state.get_agents.agents.length, cluster.agents.length);
        assert.equal(events[0], 'SUBSCRIBED:0.5:', 'listeners get SUBSCRIBED with its heartbeat interval and without the state');
      } finally {
        subscription.close();
        await operator.close();
      }
    });

    test('a leader switch moves the subscription to the new leader, with the framework id', async () => {
      const client = new SchedulerClient({ connection, backoff: { initialMs: 20, maxMs: 100 } });
      const rec = recorder(client);
      try {
        const first = await client.subscribe(frameworkInfo({ name: `ha-${encoding}` }));
        const mark = rec.statuses.length;
        const old = cluster.leaderUrl;
        await admin(cluster, 'leader');
        assert.notEqual(cluster.leaderUrl, old);
        await rec.waitStatus('reconnecting', mark);
        await rec.waitStatus('subscribed', mark + 1);
        assert.equal(client.frameworkId, first.frameworkId);
        assert.equal(client.subscribed?.master, cluster.leaderUrl);
      } finally {
        await client.teardown(AbortSignal.timeout(5000)).catch(() => undefined);
        await client.close();
      }
    });
  });
}
