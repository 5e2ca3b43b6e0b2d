import * as assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  masterCallCodec,
  masterResponseCodec,
  MEDIA_TYPE,
  type MasterEvent,
  type WireEncoding,
} from '../../../src/core/mesos/codec';
import { compareShapes, describeDifference, shapeOf } from './jsonShape';
import {
  eventually,
  fixtureBytes,
  fixtureText,
  operatorPost,
  operatorSubscribe,
  playCaptureStory,
  startMasterTestBed,
  type CaptureStory,
  type MasterTestBed,
} from './masterTestBed';

// The operator API's HTTP behaviour: content negotiation and call validation with the real master's
// statuses and wording (reference §1.2, README of the captures), SUBSCRIBE as a live view of the model,
// and the calls that change the model (TEARDOWN, MARK_AGENT_GONE).

const JSON_HEADERS = { 'Content-Type': 'application/json', Accept: 'application/json' };

function assertSameShape(actual: unknown, expected: unknown, optional: readonly string[] = []): void {
  const message = describeDifference(compareShapes(shapeOf(actual), shapeOf(expected), optional));
  assert.equal(message, undefined, message);
}

describe('operator API negotiation and validation', () => {
  let bed: MasterTestBed;
  before(async () => {
    bed = await startMasterTestBed();
    playCaptureStory(bed);
  });
  after(async () => bed.close());

  const post = (body: string | Uint8Array, headers: Record<string, string> = JSON_HEADERS, method = 'POST') =>
    operatorPost(bed.url, body, headers, method);

  test('only POST: anything else is 405', async () => {
    const res = await post('', {}, 'GET');
    assert.equal(res.status, 405);
  });

  test('a missing Content-Type is 400, one with parameters is 415 (compared by exact equality)', async () => {
    const missing = await post(Buffer.from('{"type":"GET_HEALTH"}'), {});
    assert.equal(missing.status, 400);
    assert.equal(missing.body.toString(), "Expecting 'Content-Type' to be present");
    const charset = await post('{"type":"GET_HEALTH"}', { 'Content-Type': 'application/json; charset=utf-8' });
    assert.equal(charset.status, 415);
    assert.equal(charset.headers['content-type'], 'text/plain; charset=utf-8');
  });

  test('a payload-carrying call without its payload gets exactly the 400 a real master gave', async () => {
    const res = await post('{"type":"GET_METRICS"}');
    assert.equal(res.status, 400);
    // operator-get_metrics.pb is what the real master answered to this very request
    assert.equal(res.body.toString(), Buffer.from(fixtureBytes('operator-get_metrics.pb')).toString());
    const teardown = await post('{"type":"TEARDOWN"}');
    assert.equal(teardown.body.toString(), "Failed to validate master::Call: Expecting 'teardown' to be present");
    const ok = await post('{"type":"GET_METRICS","get_metrics":{}}');
    assert.equal(ok.status, 200);
  });

  test('bodies that are not a Call get 400 with the stage that failed', async () => {
    const cases: [string | Uint8Array, Record<string, string>, RegExp][] = [
      ['nope', JSON_HEADERS, /^Failed to parse body into JSON: /],
      ['{}', JSON_HEADERS, /^Failed to validate master::Call: Expecting 'type' to be present$/],
      ['{"type":"NO_SUCH_CALL"}', JSON_HEADERS, /^Failed to validate master::Call: Expecting 'type' to be present$/],
      ['{"type":4}', JSON_HEADERS, /^Failed to convert JSON into Call protobuf: /],
      [
        '{"type":"TEARDOWN","teardown":{}}',
        JSON_HEADERS,
        /^Failed to convert JSON into Call protobuf: Missing required fields: teardown\.framework_id$/,
      ],
      [
        Uint8Array.from([0x08, 0x1f, 0x82, 0x01, 0x00]),
        { 'Content-Type': MEDIA_TYPE.protobuf },
        /^Failed to parse body into Call protobuf$/,
      ],
      [
        Uint8Array.from([0x08, 0x63]),
        { 'Content-Type': MEDIA_TYPE.protobuf },
        /^Failed to validate master::Call: Expecting 'type' to be present$/,
      ],
    ];
    for (const [body, headers, expected] of cases) {
      const res = await post(body, headers);
      assert.equal(res.status, 400, `${String(body)} -> ${res.body.toString()}`);
      assert.match(res.body.toString(), expected);
    }
  });

  test('Accept: JSON preferred, missing or */* means JSON, protobuf on request, recordio is 406', async () => {
    const body = '{"type":"GET_HEALTH"}';
    const typeOf = async (accept?: string) => {
      const res = await post(body, {
        'Content-Type': 'application/json',
        ...(accept === undefined ? {} : { Accept: accept }),
      });
      return `${res.status} ${String(res.headers['content-type'])}`;
    };
    assert.equal(await typeOf(), '200 application/json');
    assert.equal(await typeOf('*/*'), '200 application/json');
    assert.equal(await typeOf('application/x-protobuf'), '200 application/x-protobuf');
    assert.equal(await typeOf('application/x-protobuf, application/json'), '200 application/json');
    assert.match(await typeOf('application/recordio'), /^406 /);
    // validation comes before the Accept check, as in the real master
    const invalid = await post('{"type":"GET_METRICS"}', {
      'Content-Type': 'application/json',
      Accept: 'application/recordio',
    });
    assert.equal(invalid.status, 400);
  });

  test('UNKNOWN is 501; a call the sandbox does not model is 501 and says which', async () => {
    assert.equal((await post('{"type":"UNKNOWN"}')).status, 501);
    const quota = await post('{"type":"GET_QUOTA"}');
    assert.equal(quota.status, 501);
    assert.match(quota.body.toString(), /GET_QUOTA/);
  });

  test('GET_HEALTH in protobuf is byte for byte what the real master sent', async () => {
    const res = await post(masterCallCodec.encode({ type: 'GET_HEALTH' }, 'protobuf'), {
      'Content-Type': MEDIA_TYPE.protobuf,
      Accept: MEDIA_TYPE.protobuf,
    });
    assert.deepEqual(Uint8Array.from(res.body), Uint8Array.from(fixtureBytes('operator-get_health.pb')));
  });
});

describe('operator TEARDOWN and MARK_AGENT_GONE', () => {
  let bed: MasterTestBed;
  let story: CaptureStory;
  before(async () => {
    bed = await startMasterTestBed();
    story = playCaptureStory(bed);
  });
  after(async () => bed.close());

  const call = async (body: object) => operatorPost(bed.url, JSON.stringify(body), JSON_HEADERS);

  test('TEARDOWN of an unknown or already removed framework is 400', async () => {
    const unknown = await call({ type: 'TEARDOWN', teardown: { framework_id: { value: 'no-such-framework' } } });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.toString(), 'No framework found with specified ID');
    const removed = await call({ type: 'TEARDOWN', teardown: { framework_id: { value: story.probe.id } } });
    assert.equal(removed.status, 400);
  });

  test('TEARDOWN removes the framework: its tasks are killed and it is listed as completed', async () => {
    const res = await call({ type: 'TEARDOWN', teardown: { framework_id: { value: story.framework.id } } });
    assert.equal(res.status, 200);
    assert.equal(res.body.length, 0);
    assert.ok(bed.runtimes.get(story.agent.id)!.shutdownFrameworks.includes(story.framework.id));
    assert.ok(story.framework.subscriber.closed, "the framework's stream is closed");
    const state = masterResponseCodec.decode((await call({ type: 'GET_STATE' })).body, 'json').get_state!;
    assert.deepEqual(state.get_frameworks!.frameworks ?? [], []);
    assert.ok(
      state.get_frameworks!.completed_frameworks!.some(
        (f) => f.framework_info.id?.value === story.framework.id && !f.active,
      ),
    );
    const long = state.get_tasks!.completed_tasks!.find((t) => t.task_id.value === 'capture-long')!;
    assert.equal(long.state, 'TASK_KILLED');
  });

  test('MARK_AGENT_GONE of an unknown agent is 404; of a registered one removes it', async () => {
    const unknown = await call({ type: 'MARK_AGENT_GONE', mark_agent_gone: { agent_id: { value: 'no-such-agent' } } });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.toString(), "Agent 'no-such-agent' not found");
    const spare = bed.addAgent(undefined, 15052);
    const res = await call({ type: 'MARK_AGENT_GONE', mark_agent_gone: { agent_id: { value: spare.id } } });
    assert.equal(res.status, 200);
    assert.ok(bed.runtimes.get(spare.id)!.stopped);
    const agents = masterResponseCodec.decode((await call({ type: 'GET_AGENTS' })).body, 'json').get_agents!;
    assert.deepEqual(
      agents.agents!.map((a) => a.agent_info.id?.value),
      [story.agent.id],
    );
  });
});

for (const encoding of ['json', 'protobuf'] as WireEncoding[]) {
  describe(`operator SUBSCRIBE (${encoding})`, () => {
    let bed: MasterTestBed;
    let story: CaptureStory;
    before(async () => {
      bed = await startMasterTestBed({ heartbeatMs: 50 });
      story = playCaptureStory(bed);
    });
    after(async () => bed.close());

    test('SUBSCRIBED carries the state and the heartbeat interval, a HEARTBEAT follows at once, then one per interval', async () => {
      const sub = await operatorSubscribe(bed.url, encoding);
      try {
        assert.equal(sub.status, 200);
        assert.equal(sub.headers['content-type'], MEDIA_TYPE[encoding]);
        assert.equal(sub.headers['mesos-stream-id'], undefined, 'the operator stream has no stream id');
        await sub.waitFor((e) => e.type === 'HEARTBEAT', 2);
        assert.deepEqual(
          sub.events.slice(0, 3).map((e) => e.type),
          ['SUBSCRIBED', 'HEARTBEAT', 'HEARTBEAT'],
        );
        const subscribed = sub.events[0]!.subscribed!;
        assert.equal(subscribed.heartbeat_interval_seconds, 0.05);
        const state = masterResponseCodec.decode(
          (
            await operatorPost(bed.url, masterCallCodec.encode({ type: 'GET_STATE' }, encoding), {
              'Content-Type': MEDIA_TYPE[encoding],
              Accept: MEDIA_TYPE[encoding],
            })
          ).body,
          encoding,
        );
        assert.deepEqual(subscribed.get_state, state.get_state);
        if (encoding === 'json') {
          const [capturedSubscribed] = fixtureText('operator-subscribe-json.recordio.txt').split('\n');
          const ours = JSON.parse(Buffer.from(sub.records[0]!).toString('utf8')) as unknown;
          assertSameShape(ours, JSON.parse(capturedSubscribed!), [
            '.subscribed.get_state.get_agents.agents[].agent_info.checkpoint',
          ]);
        }
        assert.equal(bed.ctx.operatorStreams.size, 1);
      } finally {
        sub.close();
      }
      await eventually(() => bed.ctx.operatorStreams.size === 0, 'the closed stream to be forgotten');
    });

    test('changes of the model arrive as events, in the shapes GET_STATE uses', async () => {
      const listenersBefore = bed.master.listenerCount('event');
      const sub = await operatorSubscribe(bed.url, encoding);
      try {
        await sub.waitFor((e) => e.type === 'SUBSCRIBED');
        assert.equal(bed.master.listenerCount('event'), listenersBefore + 1);
        const is = (type: MasterEvent['type']) => (e: MasterEvent) => e.type === type;

        // a kill, as in the capture: the framework asks, the agent reports TASK_KILLED
        const kill = bed.master.call(
          { type: 'KILL', framework_id: { value: story.framework.id }, kill: { task_id: { value: 'capture-long' } } },
          story.framework.streamId,
        );
        assert.equal(kill.status, 202);
        assert.deepEqual(
          bed.runtimes.get(story.agent.id)!.killed.map((k) => k.taskId),
          ['capture-long'],
        );
        bed.update(story.framework, story.agent, 'capture-long', 'TASK_KILLED', {
          message: 'Command terminated with signal Terminated',
        });
        const updated = await sub.waitFor(is('TASK_UPDATED'));
        assert.equal(updated.task_updated!.framework_id.value, story.framework.id);
        assert.equal(updated.task_updated!.state, 'TASK_KILLED');
        assert.equal(updated.task_updated!.status.task_id.value, 'capture-long');
        if (encoding === 'json') {
          const captured = fixtureText('operator-subscribe-json.recordio.txt').split('\n')[2]!;
          const ours = JSON.parse(Buffer.from(sub.records[sub.events.indexOf(updated)]!).toString('utf8')) as unknown;
          assertSameShape(ours, JSON.parse(captured));
        }

        // a new agent, a new framework and its task
        const agent = bed.addAgent(undefined, 15060);
        const added = await sub.waitFor(is('AGENT_ADDED'));
        assert.equal(added.agent_added!.agent.agent_info.id?.value, agent.id);
        assert.ok(added.agent_added!.agent.total_resources!.every((r) => r.role === '*'));
        const fw = bed.subscribe({ user: 'root', name: 'late-framework' });
        const frameworkAdded = await sub.waitFor(is('FRAMEWORK_ADDED'));
        const framework = frameworkAdded.framework_added!.framework;
        assert.equal(framework.framework_info.id?.value, fw.id);
        assert.equal(framework.framework_info.failover_timeout, 0);
        assert.equal(framework.allocated_resources, undefined, 'events carry no resources');
        assert.equal(framework.offers, undefined, 'events carry no offers');
        assert.equal(framework.offer_constraints, undefined);
        const from = sub.events.length;
        // the allocator decides which agent the new framework is offered
        const offered = bed.master.agents.get(fw.subscriber.offers()[0]!.agent_id.value)!;
        bed.launch(fw, offered, [{ id: 'late-task' }]);
        const taskAdded = await sub.waitFor(is('TASK_ADDED'), from);
        assert.equal(taskAdded.task_added!.task.task_id.value, 'late-task');
        assert.equal(taskAdded.task_added!.task.state, 'TASK_STAGING');
        assert.ok(taskAdded.task_added!.task.resources!.every((r) => r.allocation_info?.role === '*'));
        bed.update(fw, offered, 'late-task', 'TASK_STARTING');
        const starting = await sub.waitFor(
          (e) => e.type === 'TASK_UPDATED' && e.task_updated?.status.task_id.value === 'late-task',
          from,
        );
        assert.equal(starting.task_updated!.state, 'TASK_STARTING');

        // the operator takes the framework and the agent away
        const headers = { 'Content-Type': MEDIA_TYPE[encoding], Accept: MEDIA_TYPE[encoding] };
        const teardown = await operatorPost(
          bed.url,
          masterCallCodec.encode({ type: 'TEARDOWN', teardown: { framework_id: { value: fw.id } } }, encoding),
          headers,
        );
        assert.equal(teardown.status, 200);
        const removed = await sub.waitFor(is('FRAMEWORK_REMOVED'), from);
        assert.equal(removed.framework_removed!.framework_info.id?.value, fw.id);
        const gone = await operatorPost(
          bed.url,
          masterCallCodec.encode(
            { type: 'MARK_AGENT_GONE', mark_agent_gone: { agent_id: { value: agent.id } } },
            encoding,
          ),
          headers,
        );
        assert.equal(gone.status, 200);
        const agentRemoved = await sub.waitFor(is('AGENT_REMOVED'), from);
        assert.equal(agentRemoved.agent_removed!.agent_id.value, agent.id);
      } finally {
        sub.close();
      }
      await eventually(
        () => bed.master.listenerCount('event') === listenersBefore,
        'the listener of the closed stream to be removed',
      );
      assert.equal(bed.ctx.operatorStreams.size, 0);
    });

    test('streams closed by the master (a leader switch) end cleanly for the client', async () => {
      const sub = await operatorSubscribe(bed.url, encoding);
      await sub.waitFor((e) => e.type === 'HEARTBEAT');
      for (const stream of [...bed.ctx.operatorStreams]) stream.close();
      await sub.ended;
      assert.equal(bed.ctx.operatorStreams.size, 0);
    });
  });
}
