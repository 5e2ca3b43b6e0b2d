import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { masterResponseCodec, schedulerCallCodec, type SchedulerCall } from '../../../../src/core/mesos/codec';
import { readCapture } from './captures';

describe('byte-exact protobuf calls', () => {
  // What the capture's framework sent: a first SUBSCRIBE (no framework_id) with a 30 s failover timeout.
  const subscribe: SchedulerCall = {
    type: 'SUBSCRIBE',
    subscribe: { framework_info: { user: 'root', name: 'capture-protobuf', failover_timeout: 30 } },
  };

  // One LAUNCH of a command task on one offer, the resources as that framework wrote them (without role
  // or allocation_info, which the master fills in).
  const accept: SchedulerCall = {
    framework_id: { value: '9b5d8929-2afc-4fa6-a716-69ba2145bf88-0013' },
    type: 'ACCEPT',
    accept: {
      offer_ids: [{ value: '9b5d8929-2afc-4fa6-a716-69ba2145bf88-O21' }],
      operations: [
        {
          type: 'LAUNCH',
          launch: {
            task_infos: [
              {
                name: 'capture-pb',
                task_id: { value: 'capture-pb' },
                agent_id: { value: '9b5d8929-2afc-4fa6-a716-69ba2145bf88-S0' },
                resources: [
                  { name: 'cpus', type: 'SCALAR', scalar: { value: 0.1 } },
                  { name: 'mem', type: 'SCALAR', scalar: { value: 32 } },
                ],
                command: { value: 'echo protobuf; exit 3' },
              },
            ],
          },
        },
      ],
    },
  };

  for (const [name, literal, file] of [
    ['SUBSCRIBE', subscribe, 'scheduler-subscribe-call.pb'],
    ['ACCEPT', accept, 'scheduler-accept-call.pb'],
  ] as const) {
    it(`re-encodes the captured ${name} byte for byte`, () => {
      const captured = readCapture(file);
      const decoded = schedulerCallCodec.decode(captured, 'protobuf');
      assert.deepEqual(Buffer.from(schedulerCallCodec.encode(decoded, 'protobuf')), captured);
    });

    it(`encodes the ${name} built from a literal to the captured bytes`, () => {
      assert.deepEqual(Buffer.from(schedulerCallCodec.encode(literal, 'protobuf')), readCapture(file));
    });
  }

  it('fills in explicit defaults on decode, as Mesos JSON shows them, and leaves them off the wire', () => {
    const decoded = schedulerCallCodec.decode(readCapture('scheduler-accept-call.pb'), 'protobuf');
    assert.equal(decoded.accept?.operations?.[0]?.launch?.task_infos?.[0]?.command?.shell, true);
    const framework = schedulerCallCodec.decode(readCapture('scheduler-subscribe-call.pb'), 'protobuf').subscribe
      ?.framework_info;
    assert.equal(framework?.checkpoint, false);
    assert.equal(framework?.role, undefined, 'a deprecated field keeps no default');
  });

  it('encodes the same SUBSCRIBE as the JSON body a master accepts', () => {
    const json = Buffer.from(schedulerCallCodec.encode(subscribe, 'json')).toString('utf8');
    assert.deepEqual(JSON.parse(json), {
      type: 'SUBSCRIBE',
      subscribe: { framework_info: { user: 'root', name: 'capture-protobuf', failover_timeout: 30 } },
    });
  });
});

describe('JSON and protobuf captures of the same operator calls', () => {
  for (const name of ['get_health', 'get_version', 'get_master', 'get_agents', 'get_frameworks']) {
    it(`decodes operator-${name} to the same object from either encoding`, () => {
      const fromJson = masterResponseCodec.decode(readCapture(`operator-${name}.json`), 'json');
      const fromProtobuf = masterResponseCodec.decode(readCapture(`operator-${name}.pb`), 'protobuf');
      assert.deepStrictEqual(fromProtobuf, fromJson);
    });
  }

  it('decodes operator-get_state to the same object, apart from tasks that completed between the two captures', () => {
    const fromJson = masterResponseCodec.decode(readCapture('operator-get_state.json'), 'json');
    const fromProtobuf = masterResponseCodec.decode(readCapture('operator-get_state.pb'), 'protobuf');
    const earlier = fromProtobuf.get_state?.get_tasks?.completed_tasks ?? [];
    const later = fromJson.get_state?.get_tasks?.completed_tasks ?? [];
    // The JSON was captured later: its completed tasks start with the protobuf capture's, in order.
    assert.ok(earlier.length > 0 && later.length > earlier.length);
    assert.deepStrictEqual(later.slice(0, earlier.length), earlier);
    const withCompleted = (response: typeof fromJson, completed: typeof earlier) => ({
      ...response,
      get_state: { ...response.get_state, get_tasks: { ...response.get_state?.get_tasks, completed_tasks: completed } },
    });
    assert.deepStrictEqual(withCompleted(fromProtobuf, earlier), withCompleted(fromJson, earlier));
  });

  it('agrees on the values that differ most between the encodings', () => {
    const fromJson = masterResponseCodec.decode(readCapture('operator-get_agents.json'), 'json');
    const fromProtobuf = masterResponseCodec.decode(readCapture('operator-get_agents.pb'), 'protobuf');
    for (const response of [fromJson, fromProtobuf]) {
      const agent = response.get_agents?.agents?.[0];
      assert.equal(agent?.registered_time?.nanoseconds, '1795566157810769920');
      assert.equal(agent?.agent_info.port, 15051);
      assert.equal(agent?.deactivated, false);
      assert.deepEqual(
        agent?.capabilities?.map((capability) => capability.type),
        [
          'MULTI_ROLE',
          'HIERARCHICAL_ROLE',
          'RESERVATION_REFINEMENT',
          'RESOURCE_PROVIDER',
          'RESIZE_VOLUME',
          'AGENT_OPERATION_FEEDBACK',
          'AGENT_DRAINING',
          'TASK_RESOURCE_LIMITS',
        ],
      );
    }
  });
});
