import * as assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ZooKeeperLeaderDetector } from '../../../src/core/mesos/leader/zookeeperLeaderDetector';
import type { MasterLocation } from '../../../src/core/mesos/leader/leaderDetector';
import type { SandboxCluster } from '../../../src/sandbox/mesos/sandboxCluster';
import { ZooKeeperServer } from '../../harness/zookeeper';
import { startTestSandbox } from '../../support/sandboxFixture';

// Sandbox masters started with --zk contend in a real ZooKeeper the way Mesos masters do, and the
// product's ZooKeeper detector follows a leader switch.

let zk: ZooKeeperServer;
let cluster: SandboxCluster;
before(async () => {
  zk = await ZooKeeperServer.start();
  ({ cluster } = await startTestSandbox({ agents: 0, masters: 3, zk: `zk://${zk.connectionString}/mesos` }));
});
after(async () => {
  await cluster?.stop();
  await zk?.dispose();
});

test('the ZooKeeper detector names the sandbox leader and follows each switch', async () => {
  const detector = new ZooKeeperLeaderDetector(`zk://${zk.connectionString}/mesos`);
  try {
    const leader = await detector.start(AbortSignal.timeout(10_000));
    assert.equal(leader.url, cluster.leaderUrl);
    assert.equal(leader.id, cluster.leader?.id);
    let current = leader.url;
    for (let i = 0; i < 2; i++) {
      const previous = current;
      const next = new Promise<MasterLocation | undefined>((resolve) => {
        const sub = detector.onLeaderChange((l) => {
          if (l && l.url !== previous) {
            sub.dispose();
            resolve(l);
          }
        });
      });
      await cluster.switchLeader();
      const moved = await next;
      assert.equal(moved?.url, cluster.leaderUrl);
      current = moved!.url;
    }
  } finally {
    await detector.close();
  }
});
