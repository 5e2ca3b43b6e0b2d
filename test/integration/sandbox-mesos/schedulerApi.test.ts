import * as assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import type { Offer, SchedulerEvent, TaskState, WireEncoding } from '../../../src/core/mesos/codec';
import { MEDIA_TYPE } from '../../../src/core/mesos/codec';
import type { SandboxCluster } from '../../../src/sandbox/mesos/sandboxCluster';
import { rawPost, rawSubscribe, type RawSubscription } from '../../support/rawScheduler';
import { commandTask } from '../../support/taskInfoBuilder';
import { frameworkInfo, startTestSandbox } from '../../support/sandboxFixture';

// Conformance of the sandbox master's scheduler API with the reference (§2), in both encodings, through a
// bare client: every call type, the status updates of a real local process, and the error paths.

const isUpdate = (taskId: string, state?: TaskState) => (e: SchedulerEvent) =>
  e.type === 'UPDATE' && e.update?.status.task_id.value === taskId && (state === undefined || e.update.status.state === state);

async function firstOffer(sub: RawSubscription): Promise<Offer> {
  const event = await sub.waitFor((e) => e.type === 'OFFERS' && (e.offers?.offers ?? []).length > 0);
  return event.offers!.offers![0]!;
}

/** Acknowledges every update with a uuid, as a well-behaved framework does, until `state` arrives. */
async function followTask(sub: RawSubscription, taskId: string, until: TaskState, since = 0): Promise<TaskState[]> {
  const states: TaskState[] = [];
  let seen = since;
  for (;;) {
    const event = await sub.waitFor((e) => isUpdate(taskId)(e) && sub.events.indexOf(e) >= seen);
    seen = sub.events.indexOf(event) + 1;
    const status = event.update!.status;
    if (states[states.length - 1] !== status.state) states.push(status.state);
    if (status.uuid) {
      const ack = await sub.call({ type: 'ACKNOWLEDGE', acknowledge: { agent_id: status.agent_id!, task_id: status.task_id, uuid: status.uuid } });
      assert.equal(ack.status, 202, ack.body);
    }
    if (status.state === until) return states;
  }
}

for (const encoding of ['json', 'protobuf'] as WireEncoding[]) {
  describe(`sandbox scheduler API (${encoding})`, () => {
    let cluster: SandboxCluster;
    const open: RawSubscription[] = [];
    const subscribe = async (...args: Parameters<typeof rawSubscribe> extends [string, ...infer R] ? R : never) => {
      const sub = await rawSubscribe(cluster.leaderUrl, ...args);
      open.push(sub);
      return sub;
    };

    before(async () => {
      ({ cluster } = await startTestSandbox({ agents: 1 }));
    });
    // Each test's frameworks go away after it, so the next one gets the agent's resources offered.
    afterEach(async () => {
      for (const sub of open.splice(0)) {
        if (sub.frameworkId) await sub.call({ type: 'TEARDOWN' }).catch(() => undefined);
        sub.close();
      }
    });
    after(() => cluster.stop());

    test('SUBSCRIBE answers 200 with a stream id, SUBSCRIBED, an immediate HEARTBEAT, then offers', async () => {
      const sub = await subscribe(frameworkInfo(), encoding);
      assert.equal(sub.status, 200);
      assert.equal(sub.headers['content-type'], MEDIA_TYPE[encoding]);
      assert.match(sub.streamId ?? '', /^[0-9a-f-]{36}$/);
      await sub.waitFor((e) => e.type === 'OFFERS');
      assert.deepEqual(sub.events.slice(0, 2).map((e) => e.type), ['SUBSCRIBED', 'HEARTBEAT']);
      const subscribed = sub.events[0]!.subscribed!;
      assert.equal(subscribed.heartbeat_interval_seconds, 15);
      assert.equal(subscribed.master_info?.port, Number(new URL(cluster.leaderUrl).port));
      const offer = await firstOffer(sub);
      // not MULTI_ROLE: the old role field, no allocation_info, and no resources reserved for other roles
      assert.equal(offer.allocation_info, undefined);
      assert.ok(offer.resources!.every((r) => r.role === '*' && r.allocation_info === undefined));
      assert.equal(offer.url?.path, '/slave(1)');
      assert.ok(offer.attributes!.some((a) => a.name === 'rack'));
    });

    test('a MULTI_ROLE framework gets allocation_info and its role\'s reserved resources', async () => {
      const sub = await subscribe(frameworkInfo({ roles: ['jenkins'], capabilities: [{ type: 'MULTI_ROLE' }] }), encoding);
      const offer = await firstOffer(sub);
      assert.deepEqual(offer.allocation_info, { role: 'jenkins' });
      assert.ok(offer.resources!.every((r) => r.allocation_info?.role === 'jenkins'));
      assert.ok(offer.resources!.some((r) => r.role === 'jenkins' || r.reservations?.some((x) => x.role === 'jenkins')));
      await sub.call({ type: 'TEARDOWN' });
    });

    test('a launched command runs as a process: STARTING, RUNNING, FINISHED, each acknowledged', async () => {
      const sub = await subscribe(frameworkInfo(), encoding);
      const offer = await firstOffer(sub);
      const accepted = await sub.call({
        type: 'ACCEPT',
        accept: { offer_ids: [offer.id], operations: [{ type: 'LAUNCH', launch: { task_infos: [commandTask(offer, `ok-${encoding}`, 'echo hello; echo oops >&2')] } }] },
      });
      assert.equal(accepted.status, 202, accepted.body);
      const states = await followTask(sub, `ok-${encoding}`, 'TASK_FINISHED');
      assert.deepEqual(states, ['TASK_STARTING', 'TASK_RUNNING', 'TASK_FINISHED']);
      const finished = sub.events.find(isUpdate(`ok-${encoding}`, 'TASK_FINISHED'))!.update!.status;
      assert.equal(finished.message, 'Command exited with status 0');
      assert.equal(finished.source, 'SOURCE_EXECUTOR');
      assert.equal(finished.executor_id?.value, `ok-${encoding}`);
      assert.equal(Buffer.from(finished.uuid!, 'base64').length, 16);
      await sub.call({ type: 'TEARDOWN' });
    });

    test('an unacknowledged update is sent again, and the next one waits for the acknowledgement', async () => {
      const sub = await subscribe(frameworkInfo(), encoding);
      const offer = await firstOffer(sub);
      const id = `noack-${encoding}`;
      await sub.call({ type: 'ACCEPT', accept: { offer_ids: [offer.id], operations: [{ type: 'LAUNCH', launch: { task_infos: [commandTask(offer, id, 'sleep 30')] } }] } });
      const first = await sub.waitFor(isUpdate(id, 'TASK_STARTING'));
      const again = await sub.waitFor((e) => isUpdate(id, 'TASK_STARTING')(e) && e !== first);
      assert.equal(again.update!.status.uuid, first.update!.status.uuid, 'a retry carries the same uuid');
      assert.equal(sub.events.filter(isUpdate(id, 'TASK_RUNNING')).length, 0, 'RUNNING must wait for the ACK of STARTING');
      const status = first.update!.status;
      await sub.call({ type: 'ACKNOWLEDGE', acknowledge: { agent_id: status.agent_id!, task_id: status.task_id, uuid: status.uuid! } });
      await sub.waitFor(isUpdate(id, 'TASK_RUNNING'));
      await sub.call({ type: 'TEARDOWN' });
    });

    test('a failing command is TASK_FAILED with its exit status; a kill is TASK_KILLING then TASK_KILLED', async () => {
      const sub = await subscribe(frameworkInfo({ capabilities: [{ type: 'TASK_KILLING_STATE' }] }), encoding);
      const offer = await firstOffer(sub);
      const failing = commandTask(offer, `fail-${encoding}`, 'echo protobuf; exit 3');
      const sleeper = commandTask(offer, `sleep-${encoding}`, 'sleep 60');
      await sub.call({ type: 'ACCEPT', accept: { offer_ids: [offer.id], operations: [{ type: 'LAUNCH', launch: { task_infos: [failing, sleeper] } }] } });
      await followTask(sub, failing.task_id.value, 'TASK_FAILED');
      assert.equal(sub.events.find(isUpdate(failing.task_id.value, 'TASK_FAILED'))!.update!.status.message, 'Command exited with status 3');
      await followTask(sub, sleeper.task_id.value, 'TASK_RUNNING');
      const mark = sub.events.length;
      assert.equal((await sub.call({ type: 'KILL', kill: { task_id: sleeper.task_id, agent_id: offer.agent_id } })).status, 202);
      const states = await followTask(sub, sleeper.task_id.value, 'TASK_KILLED', mark);
      assert.deepEqual(states, ['TASK_KILLING', 'TASK_KILLED']);
      assert.equal(sub.events.find(isUpdate(sleeper.task_id.value, 'TASK_KILLED'))!.update!.status.message, 'Command terminated with signal Terminated');
      await sub.call({ type: 'TEARDOWN' });
    });

    test('invalid launches: TASK_ERROR for a task larger than the offer, invalid offers for a used offer', async () => {
      const sub = await subscribe(frameworkInfo({ capabilities: [{ type: 'PARTITION_AWARE' }] }), encoding);
      const offer = await firstOffer(sub);
      const huge = commandTask(offer, `huge-${encoding}`, 'true', { cpus: 999 });
      await sub.call({ type: 'ACCEPT', accept: { offer_ids: [offer.id], operations: [{ type: 'LAUNCH', launch: { task_infos: [huge] } }] } });
      const error = (await sub.waitFor(isUpdate(huge.task_id.value))).update!.status;
      assert.equal(error.state, 'TASK_ERROR');
      assert.equal(error.reason, 'REASON_TASK_INVALID');
      assert.equal(error.source, 'SOURCE_MASTER');
      assert.equal(error.uuid, undefined, 'master-generated updates carry no uuid and are not acknowledged');
      assert.match(error.message ?? '', /more resources/);
      const late = commandTask(offer, `late-${encoding}`, 'true');
      const reuse = await sub.call({ type: 'ACCEPT', accept: { offer_ids: [offer.id], operations: [{ type: 'LAUNCH', launch: { task_infos: [late] } }] } });
      assert.equal(reuse.status, 202, 'a used offer is not an error on the call');
      const dropped = (await sub.waitFor(isUpdate(late.task_id.value))).update!.status;
      assert.equal(dropped.state, 'TASK_DROPPED');
      assert.equal(dropped.reason, 'REASON_INVALID_OFFERS');
      await sub.call({ type: 'TEARDOWN' });
    });

    test('KILL and RECONCILE of unknown tasks answer from the master, without uuid', async () => {
      const sub = await subscribe(frameworkInfo({ capabilities: [{ type: 'PARTITION_AWARE' }] }), encoding);
      await sub.waitFor((e) => e.type === 'SUBSCRIBED');
      await sub.call({ type: 'KILL', kill: { task_id: { value: 'ghost' } } });
      const killed = (await sub.waitFor(isUpdate('ghost'))).update!.status;
      assert.equal(killed.state, 'TASK_UNKNOWN');
      assert.equal(killed.reason, 'REASON_RECONCILIATION');
      assert.match(killed.message ?? '', /^Reconciliation:/);
      assert.equal(killed.uuid, undefined);
      await sub.call({ type: 'RECONCILE', reconcile: { tasks: [{ task_id: { value: 'ghost2' }, agent_id: { value: cluster.agents[0]!.agent.id } }] } });
      assert.equal((await sub.waitFor(isUpdate('ghost2'))).update!.status.state, 'TASK_GONE');
      await sub.call({ type: 'TEARDOWN' });
    });

    test('DECLINE with a refusal keeps the agent from this framework; REVIVE brings offers back; SUPPRESS stops them', async () => {
      const sub = await subscribe(frameworkInfo(), encoding);
      const offer = await firstOffer(sub);
      await sub.call({ type: 'DECLINE', decline: { offer_ids: [offer.id], filters: { refuse_seconds: 3600 } } });
      const mark = sub.events.length;
      await new Promise((r) => setTimeout(r, 400));
      assert.equal(sub.events.slice(mark).filter((e) => e.type === 'OFFERS').length, 0, 'declined for an hour: no new offer');
      await sub.call({ type: 'REVIVE', revive: {} });
      await sub.waitFor((e) => e.type === 'OFFERS' && sub.events.indexOf(e) >= mark);
      await sub.call({ type: 'SUPPRESS', suppress: {} });
      const afterSuppress = sub.events.length;
      await new Promise((r) => setTimeout(r, 400));
      assert.equal(sub.events.slice(afterSuppress).filter((e) => e.type === 'OFFERS').length, 0, 'suppressed: no offers');
      await sub.call({ type: 'TEARDOWN' });
    });

    test('RECONCILE with no tasks reports every task the master tracks for the framework', async () => {
      const sub = await subscribe(frameworkInfo(), encoding);
      const offer = await firstOffer(sub);
      const id = `rec-${encoding}`;
      await sub.call({ type: 'ACCEPT', accept: { offer_ids: [offer.id], operations: [{ type: 'LAUNCH', launch: { task_infos: [commandTask(offer, id, 'sleep 30')] } }] } });
      await followTask(sub, id, 'TASK_RUNNING');
      const mark = sub.events.length;
      await sub.call({ type: 'RECONCILE', reconcile: {} });
      const reply = await sub.waitFor((e) => isUpdate(id)(e) && sub.events.indexOf(e) >= mark);
      assert.equal(reply.update!.status.state, 'TASK_RUNNING');
      assert.equal(reply.update!.status.reason, 'REASON_RECONCILIATION');
      await sub.call({ type: 'TEARDOWN' });
    });

    test('a second SUBSCRIBE of the same framework fails the first stream over', async () => {
      const first = await subscribe(frameworkInfo(), encoding);
      await first.waitFor((e) => e.type === 'SUBSCRIBED');
      const second = await subscribe(frameworkInfo(), encoding, { frameworkId: first.frameworkId! });
      assert.equal(second.status, 200);
      const error = await first.waitFor((e) => e.type === 'ERROR');
      assert.equal(error.error?.message, 'Framework failed over');
      await first.ended;
      assert.equal((await second.waitFor((e) => e.type === 'SUBSCRIBED')).subscribed?.framework_id.value, first.frameworkId);
      const stale = await first.call({ type: 'REVIVE', revive: {} });
      assert.equal(stale.status, 400, 'the old stream id no longer matches');
      await second.call({ type: 'TEARDOWN' });
    });

    test('after the failover timeout the framework is removed and its id refused', async () => {
      const sub = await subscribe(frameworkInfo({ failover_timeout: 0.2 }), encoding);
      await sub.waitFor((e) => e.type === 'SUBSCRIBED');
      const id = sub.frameworkId!;
      sub.close();
      await new Promise((r) => setTimeout(r, 600));
      const again = await subscribe(frameworkInfo({ failover_timeout: 0.2 }), encoding, { frameworkId: id });
      assert.equal(again.status, 200);
      assert.equal((await again.waitFor((e) => e.type === 'ERROR')).error?.message, 'Framework has been removed');
    });

    test('a DOCKER task fails with a clear message when no docker works here', async () => {
      const sub = await subscribe(frameworkInfo(), encoding);
      const offer = await firstOffer(sub);
      const task = { ...commandTask(offer, `docker-${encoding}`, 'nginx'), container: { type: 'DOCKER' as const, docker: { image: 'nginx:1.25' } } };
      await sub.call({ type: 'ACCEPT', accept: { offer_ids: [offer.id], operations: [{ type: 'LAUNCH', launch: { task_infos: [task] } }] } });
      const states = await followTask(sub, task.task_id.value, 'TASK_FAILED');
      assert.deepEqual(states, ['TASK_FAILED']);
      const failed = sub.events.find(isUpdate(task.task_id.value, 'TASK_FAILED'))!.update!.status;
      assert.equal(failed.reason, 'REASON_CONTAINER_LAUNCH_FAILED');
      assert.match(failed.message ?? '', /no working docker/);
      await sub.call({ type: 'TEARDOWN' });
    });
  });
}

describe('sandbox scheduler API: error paths (reference §1.2, §2.5, §2.6)', () => {
  let cluster: SandboxCluster;
  let url: string;
  before(async () => {
    ({ cluster } = await startTestSandbox({ agents: 1 }));
    url = `${cluster.leaderUrl}/api/v1/scheduler`;
  });
  after(() => cluster.stop());

  const json = (body: unknown) => JSON.stringify(body);
  const subscribeBody = json({ type: 'SUBSCRIBE', subscribe: { framework_info: { user: 'root', name: 'x' } } });

  test('Content-Type with a charset is 415; no Content-Type is 400; GET is 405', async () => {
    assert.equal((await rawPost(url, subscribeBody, { 'Content-Type': 'application/json; charset=utf-8' })).status, 415);
    assert.equal((await rawPost(url, subscribeBody, {})).status, 400);
    const { request } = await import('undici');
    const get = await request(url, { method: 'GET' });
    await get.body.dump();
    assert.equal(get.statusCode, 405);
  });

  test('Accept: application/recordio is 406 on SUBSCRIBE', async () => {
    const r = await rawPost(url, subscribeBody, { 'Content-Type': 'application/json', Accept: 'application/recordio' });
    assert.equal(r.status, 406);
  });

  test('SUBSCRIBE carrying a Mesos-Stream-Id is 400', async () => {
    const r = await rawPost(url, subscribeBody, { 'Content-Type': 'application/json', 'Mesos-Stream-Id': 'x' });
    assert.equal(r.status, 400);
  });

  test('camelCase keys are ignored, so the required field is missing: 400 naming it', async () => {
    const r = await rawPost(url, json({ type: 'SUBSCRIBE', subscribe: { frameworkInfo: { user: 'root', name: 'x' } } }), { 'Content-Type': 'application/json' });
    assert.equal(r.status, 400);
    assert.match(r.body, /framework_info/);
    assert.equal(r.headers['content-type'], 'text/plain; charset=utf-8');
  });

  test('an enum sent as a JSON number is 400', async () => {
    const r = await rawPost(url, json({ type: 1, subscribe: { framework_info: { user: 'root', name: 'x' } } }), { 'Content-Type': 'application/json' });
    assert.equal(r.status, 400);
  });

  test('non-SUBSCRIBE calls: missing framework_id, unknown framework, missing stream id, unsubscribed framework', async () => {
    const h = { 'Content-Type': 'application/json' };
    let r = await rawPost(url, json({ type: 'REVIVE' }), h);
    assert.equal(r.status, 400);
    assert.match(r.body, /Expecting 'framework_id' to be present/);
    r = await rawPost(url, json({ type: 'REVIVE', framework_id: { value: 'nope' } }), h);
    assert.equal(r.status, 400);
    assert.match(r.body, /Framework cannot be found/);
    const sub = await rawSubscribe(cluster.leaderUrl, frameworkInfo({ failover_timeout: 60 }));
    await sub.waitFor((e) => e.type === 'SUBSCRIBED');
    r = await rawPost(url, json({ type: 'REVIVE', framework_id: { value: sub.frameworkId } }), h);
    assert.equal(r.status, 400);
    assert.match(r.body, /Mesos-Stream-Id/);
    r = await rawPost(url, json({ type: 'ACCEPT', framework_id: { value: sub.frameworkId } }), { ...h, 'Mesos-Stream-Id': sub.streamId! });
    assert.equal(r.status, 400);
    assert.match(r.body, /Expecting 'accept' to be present/);
    sub.close();
    await new Promise((resolve) => setTimeout(resolve, 200));
    r = await rawPost(url, json({ type: 'REVIVE', framework_id: { value: sub.frameworkId } }), { ...h, 'Mesos-Stream-Id': sub.streamId! });
    assert.equal(r.status, 403);
    assert.match(r.body, /Framework is not subscribed/);
  });

  test('an invalid FrameworkInfo is 200, then an ERROR event, then the end of the stream', async () => {
    const sub = await rawSubscribe(cluster.leaderUrl, frameworkInfo({ roles: ['a'] }));
    assert.equal(sub.status, 200);
    const error = await sub.waitFor((e) => e.type === 'ERROR');
    assert.match(error.error?.message ?? '', /MULTI_ROLE/);
    await sub.ended;
  });
});

describe('sandbox scheduler API: authentication and high availability', () => {
  test('with --auth, no credentials is 401 with WWW-Authenticate; the right ones subscribe', async () => {
    const { cluster } = await startTestSandbox({ agents: 0, credentials: new Map([['fw', 's3cret']]) });
    try {
      const denied = await rawSubscribe(cluster.leaderUrl, frameworkInfo());
      assert.equal(denied.status, 401);
      assert.equal(denied.headers['www-authenticate'], 'Basic realm="mesos"');
      const wrong = await rawSubscribe(cluster.leaderUrl, frameworkInfo(), 'json', { authorization: `Basic ${Buffer.from('fw:nope').toString('base64')}` });
      assert.equal(wrong.status, 401);
      const ok = await rawSubscribe(cluster.leaderUrl, frameworkInfo(), 'json', { authorization: `Basic ${Buffer.from('fw:s3cret').toString('base64')}` });
      assert.equal(ok.status, 200);
      const subscribed = await ok.waitFor((e) => e.type === 'SUBSCRIBED');
      assert.ok(subscribed.subscribed?.framework_id.value);
      ok.close();
    } finally {
      await cluster.stop();
    }
  });

  test('a standby answers 307 with a scheme-less Location; a leader switch ends streams and the new leader serves', async () => {
    const { cluster } = await startTestSandbox({ agents: 1, masters: 2 });
    try {
      const standby = cluster.masters.find((m) => m.url !== cluster.leaderUrl)!;
      const r = await rawPost(`${standby.url}/api/v1/scheduler`, JSON.stringify({ type: 'SUBSCRIBE' }), { 'Content-Type': 'application/json' });
      assert.equal(r.status, 307);
      assert.equal(r.headers.location, `//127.0.0.1:${new URL(cluster.leaderUrl).port}/master/api/v1/scheduler`);
      const sub = await rawSubscribe(cluster.leaderUrl, frameworkInfo());
      await sub.waitFor((e) => e.type === 'SUBSCRIBED');
      const old = cluster.leaderUrl;
      await cluster.switchLeader();
      assert.notEqual(cluster.leaderUrl, old);
      await sub.ended;
      const again = await rawSubscribe(cluster.leaderUrl, frameworkInfo(), 'json', { frameworkId: sub.frameworkId! });
      assert.equal((await again.waitFor((e) => e.type === 'SUBSCRIBED')).subscribed?.framework_id.value, sub.frameworkId);
      again.close();
    } finally {
      await cluster.stop();
    }
  });
});
