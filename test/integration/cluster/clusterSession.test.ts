import * as assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ClusterSession, type ClusterSessionState } from '../../../src/core/cluster/clusterSession';
import type { ClusterConfig } from '../../../src/core/cluster/clusterConfig';
import type { SandboxCluster } from '../../../src/sandbox/mesos/sandboxCluster';
import { rawSubscribe } from '../../support/rawScheduler';
import { frameworkInfo, startTestSandbox } from '../../support/sandboxFixture';
import { commandTask } from '../../support/taskInfoBuilder';
import { until } from '../../support/until';

// The explorer's live model of a cluster against sandboxes: several clusters at once, tasks appearing and
// changing state through the event stream, offers polled on demand, an agent removed, a leader switch,
// and the errors the user must see (unreachable, credentials).

function config(name: string, masters: string, extra: Partial<ClusterConfig> = {}): ClusterConfig {
  return { name, masters, insecure: false, readOnly: false, protected: false, encoding: 'protobuf', ...extra };
}


describe('ClusterSession against the sandbox', () => {
  let a: SandboxCluster;
  let b: SandboxCluster;
  before(async () => {
    [{ cluster: a }, { cluster: b }] = await Promise.all([startTestSandbox({ agents: 2, masters: 2 }), startTestSandbox({ agents: 1 })]);
  });
  after(async () => {
    await Promise.all([a.stop(), b.stop()]);
  });

  test('two clusters load side by side; a task launched later appears and changes state live', async () => {
    const sa = new ClusterSession({ config: config('a', a.masters.map((m) => m.url).join(',')), backstopMs: 60_000 });
    const sb = new ClusterSession({ config: config('b', b.leaderUrl, { encoding: 'json' }) });
    try {
      await Promise.all([sa.start(), sb.start()]);
      assert.equal(sa.model.totals().agents.active, 2);
      assert.equal(sb.model.totals().agents.active, 1);
      assert.equal(sa.state.kind, 'connected');
      const sub = await rawSubscribe(a.leaderUrl, frameworkInfo({ name: 'live' }));
      const offer = (await sub.waitFor((e) => e.type === 'OFFERS')).offers!.offers![0]!;
      await sub.call({
        type: 'ACCEPT',
        accept: {
          offer_ids: [offer.id],
          operations: [
            {
              type: 'LAUNCH',
              launch: {
                task_infos: [commandTask(offer, 'live-task', 'sleep 60', { cpus: 0.25, mem: 64 })],
              },
            },
          ],
        },
      });
      const fwId = sub.frameworkId!;
      await until(() => sa.model.task(fwId, 'live-task') !== undefined, 'the task to appear');
      const s = (await sub.waitFor((e) => e.update?.status.state === 'TASK_STARTING')).update!.status;
      await sub.call({ type: 'ACKNOWLEDGE', acknowledge: { agent_id: s.agent_id!, task_id: s.task_id, uuid: s.uuid! } });
      await until(() => sa.model.task(fwId, 'live-task')?.state === 'TASK_RUNNING', 'RUNNING');
      assert.equal(sa.model.framework(fwId)?.name, 'live');
      assert.equal(sb.model.framework(fwId), undefined, 'cluster b does not see cluster a');

      // offers are read only while watched
      assert.equal(sa.model.totals().offers, 0);
      const watching = sa.watchOffers();
      await until(() => sa.model.totals().offers > 0, 'offers');
      watching.dispose();

      // an agent removed is reflected
      const other = a.agents.find((n) => n.agent.id !== offer.agent_id.value)!;
      await a.removeAgent(other.agent.id);
      await until(() => sa.model.totals().agents.active === 1, 'the agent to go');

      // a leader switch: the stream moves to the new leader and the model stays right
      const states: ClusterSessionState['kind'][] = [];
      sa.onStateChange((st) => states.push(st.kind));
      await a.switchLeader();
      await until(() => states.includes('reconnecting') && sa.state.kind === 'connected', 'reconnection');
      assert.equal(sa.leader, a.leaderUrl);
      assert.equal(sa.model.task(fwId, 'live-task')?.state, 'TASK_RUNNING');
      await sub.call({ type: 'TEARDOWN' }).catch(() => undefined);
      sub.close();
    } finally {
      await sa.dispose();
      await sb.dispose();
    }
  });

  test('an unreachable cluster is an error state with the cause, and disposing leaves nothing running', async () => {
    const s = new ClusterSession({ config: config('gone', 'http://127.0.0.1:1') });
    await s.start();
    assert.equal(s.state.kind, 'error');
    assert.match((s.state as { message: string }).message, /127\.0\.0\.1:1/);
    await s.dispose();
    assert.equal(s.state.kind, 'closed');
  });

  test('401 from a cluster that requires credentials says that credentials are needed', async () => {
    const { cluster } = await startTestSandbox({ agents: 0, credentials: new Map([['ops', 'pw']]) });
    try {
      const denied = new ClusterSession({ config: config('auth', cluster.leaderUrl) });
      await denied.start();
      assert.equal(denied.state.kind, 'error');
      assert.equal((denied.state as { needsCredentials: boolean }).needsCredentials, true);
      await denied.dispose();
      const allowed = new ClusterSession({ config: config('auth', cluster.leaderUrl, { principal: 'ops' }), secret: 'pw' });
      await allowed.start();
      assert.equal(allowed.state.kind, 'connected');
      await allowed.dispose();
    } finally {
      await cluster.stop();
    }
  });
});
