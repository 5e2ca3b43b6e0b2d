import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  agentCallCodec,
  agentResponseCodec,
  masterCallCodec,
  masterEventCodec,
  masterResponseCodec,
  schedulerCallCodec,
  schedulerEventCodec,
} from '../../../../src/core/mesos/codec';

/**
 * Field and enum numbers checked against protobuf bytes assembled by hand from the reference's tables
 * (shared/reference/mesos-http-api.md §2, §3, §6), independently of protobufjs: the round-trip tests
 * cannot see a wrong number, because both directions would share it. The traps of §10.24 come first.
 */

const varint = (value: number): number[] => {
  const bytes: number[] = [];
  let rest = value;
  while (rest > 0x7f) {
    bytes.push((rest & 0x7f) | 0x80);
    rest = Math.floor(rest / 128);
  }
  bytes.push(rest);
  return bytes;
};
const field = (number: number, wireType: number): number[] => varint(number * 8 + wireType);
const enumField = (number: number, value: number): number[] => [...field(number, 0), ...varint(value)];
const message = (number: number, ...content: number[][]): number[] => {
  const body = content.flat();
  return [...field(number, 2), ...varint(body.length), ...body];
};
const text = (number: number, value: string): number[] => message(number, [...Buffer.from(value, 'utf8')]);
const double = (number: number, value: number): number[] => {
  const bytes = Buffer.alloc(8);
  bytes.writeDoubleLE(value);
  return [...field(number, 1), ...bytes];
};
const bytesOf = (...parts: number[][]): Buffer => Buffer.from(parts.flat());

const frameworkId = { value: 'f' };
const id = (number: number, value: string): number[] => message(number, text(1, value));

describe('numbers that differ from what one would guess (reference §10.24)', () => {
  it('scheduler REVIVE is type 5 but its payload is field 15; SUPPRESS is 12 and field 16', () => {
    const revive = schedulerCallCodec.encode(
      { type: 'REVIVE', framework_id: frameworkId, revive: { roles: ['r'] } },
      'protobuf',
    );
    assert.deepEqual(Buffer.from(revive), bytesOf(id(1, 'f'), enumField(2, 5), message(15, text(1, 'r'))));
    const suppress = schedulerCallCodec.encode(
      { type: 'SUPPRESS', framework_id: frameworkId, suppress: { roles: ['r'] } },
      'protobuf',
    );
    assert.deepEqual(Buffer.from(suppress), bytesOf(id(1, 'f'), enumField(2, 12), message(16, text(1, 'r'))));
  });

  it('Attribute has text at 5 and set at 6, the other way round from Resource (set 5)', () => {
    const event = schedulerEventCodec.decode(
      bytesOf(
        enumField(1, 2),
        message(
          3,
          message(
            1,
            id(1, 'o'),
            id(2, 'f'),
            id(3, 'a'),
            text(4, 'h'),
            message(5, text(1, 'zones'), enumField(2, 2), message(5, text(1, 'z1'))),
            message(7, text(1, 'rack'), enumField(2, 3), message(5, text(1, 'r1'))),
            message(7, text(1, 'disks'), enumField(2, 2), message(6, text(1, 'ssd'))),
          ),
        ),
      ),
      'protobuf',
    );
    const offer = event.offers?.offers?.[0];
    assert.deepEqual(offer?.resources, [{ name: 'zones', type: 'SET', set: { item: ['z1'] } }]);
    assert.deepEqual(offer?.attributes, [
      { name: 'rack', type: 'TEXT', text: { value: 'r1' } },
      { name: 'disks', type: 'SET', set: { item: ['ssd'] } },
    ]);
  });

  it('master LIST_FILES is call 7 with payload 4, but response 6 with payload 7', () => {
    const call = masterCallCodec.encode({ type: 'LIST_FILES', list_files: { path: '/p' } }, 'protobuf');
    assert.deepEqual(Buffer.from(call), bytesOf(enumField(1, 7), message(4, text(1, '/p'))));
    const response = masterResponseCodec.decode(
      bytesOf(enumField(1, 6), message(7, message(1, text(1, '/p/stdout')))),
      'protobuf',
    );
    assert.deepEqual(response, { type: 'LIST_FILES', list_files: { file_infos: [{ path: '/p/stdout' }] } });
  });
});

describe('the calls a scheduler makes, byte for byte', () => {
  it('ACKNOWLEDGE: agent_id 1, task_id 2, uuid 3 (bytes)', () => {
    const uuid = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
    const call = schedulerCallCodec.encode(
      {
        type: 'ACKNOWLEDGE',
        framework_id: frameworkId,
        acknowledge: { agent_id: { value: 'a' }, task_id: { value: 't' }, uuid: uuid.toString('base64') },
      },
      'protobuf',
    );
    assert.deepEqual(
      Buffer.from(call),
      bytesOf(id(1, 'f'), enumField(2, 8), message(8, id(1, 'a'), id(2, 't'), message(3, [...uuid]))),
    );
  });

  it('DECLINE with a filter: offer_ids 1, filters 2 with refuse_seconds 1 (double)', () => {
    const call = schedulerCallCodec.encode(
      {
        type: 'DECLINE',
        framework_id: frameworkId,
        decline: { offer_ids: [{ value: 'o' }], filters: { refuse_seconds: 3600 } },
      },
      'protobuf',
    );
    assert.deepEqual(
      Buffer.from(call),
      bytesOf(id(1, 'f'), enumField(2, 4), message(5, id(1, 'o'), message(2, double(1, 3600)))),
    );
  });

  it('KILL: task_id 1, agent_id 2, kill_policy 3 with grace_period 1', () => {
    const call = schedulerCallCodec.encode(
      {
        type: 'KILL',
        framework_id: frameworkId,
        kill: { task_id: { value: 't' }, agent_id: { value: 'a' }, kill_policy: { grace_period: { nanoseconds: 5 } } },
      },
      'protobuf',
    );
    assert.deepEqual(
      Buffer.from(call),
      bytesOf(id(1, 'f'), enumField(2, 6), message(6, id(1, 't'), id(2, 'a'), message(3, message(1, enumField(1, 5))))),
    );
  });

  it('RECONCILE: tasks 1 of (task_id 1, agent_id 2), at field 9', () => {
    const call = schedulerCallCodec.encode(
      { type: 'RECONCILE', framework_id: frameworkId, reconcile: { tasks: [{ task_id: { value: 't' } }] } },
      'protobuf',
    );
    assert.deepEqual(Buffer.from(call), bytesOf(id(1, 'f'), enumField(2, 9), message(9, message(1, id(1, 't')))));
  });

  it('SUBSCRIBE with capabilities and roles: FrameworkInfo user 1, name 2, roles 12, capabilities 10', () => {
    const call = schedulerCallCodec.encode(
      {
        type: 'SUBSCRIBE',
        subscribe: {
          framework_info: {
            user: 'u',
            name: 'n',
            roles: ['r'],
            capabilities: [{ type: 'MULTI_ROLE' }],
            checkpoint: true,
          },
        },
      },
      'protobuf',
    );
    assert.deepEqual(
      Buffer.from(call),
      bytesOf(
        enumField(2, 1),
        message(
          3,
          message(1, text(1, 'u'), text(2, 'n'), enumField(5, 1), message(10, enumField(1, 6)), text(12, 'r')),
        ),
      ),
    );
  });
});

describe('events and responses assembled by hand', () => {
  it('reads repeated numbers whether packed or not (HTTPCheckInfo.statuses, field 4)', () => {
    // TASK_ADDED (2) with task_added (3) holding a Task whose health_check (15) is an HTTP check (type 8 = 2).
    const healthCheck = (statuses: number[]) => [...enumField(8, 2), ...message(1, enumField(1, 8080), statuses)];
    const taskAdded = (healthCheckBody: number[]) =>
      bytesOf(
        enumField(1, 2),
        message(
          3,
          message(1, text(1, 't'), id(2, 't'), id(3, 'f'), id(5, 'a'), enumField(6, 1), message(15, healthCheckBody)),
        ),
      );
    const unpacked = masterEventCodec.decode(
      taskAdded(healthCheck([...enumField(4, 200), ...enumField(4, 204)])),
      'protobuf',
    );
    const packed = masterEventCodec.decode(taskAdded(healthCheck(message(4, varint(200), varint(204)))), 'protobuf');
    assert.deepEqual(packed.task_added?.task.health_check?.http?.statuses, [200, 204]);
    assert.deepStrictEqual(packed, unpacked);
  });

  it('UPDATE: TaskStatus task_id 1, state 2, message 4, agent_id 5, timestamp 6, source 9, reason 10, uuid 11', () => {
    const event = schedulerEventCodec.decode(
      bytesOf(
        enumField(1, 4),
        message(
          5,
          message(
            1,
            id(1, 't'),
            enumField(2, 5),
            text(4, 'gone'),
            id(5, 'a'),
            double(6, 1.5),
            enumField(9, 0),
            enumField(10, 11),
            message(11, [1, 2]),
          ),
        ),
      ),
      'protobuf',
    );
    assert.deepEqual(event.update?.status, {
      task_id: { value: 't' },
      state: 'TASK_LOST',
      message: 'gone',
      agent_id: { value: 'a' },
      timestamp: 1.5,
      source: 'SOURCE_MASTER',
      reason: 'REASON_AGENT_REMOVED',
      uuid: 'AQI=',
    });
  });

  it('master TASK_UPDATED is event 3 with payload 4: framework_id 1, status 2, state 3', () => {
    const event = masterEventCodec.decode(
      bytesOf(enumField(1, 3), message(4, id(1, 'f'), message(2, id(1, 't'), enumField(2, 1)), enumField(3, 4))),
      'protobuf',
    );
    assert.deepEqual(event, {
      type: 'TASK_UPDATED',
      task_updated: {
        framework_id: { value: 'f' },
        status: { task_id: { value: 't' }, state: 'TASK_RUNNING' },
        state: 'TASK_KILLED',
      },
    });
  });

  it('master GET_STATE is call 9, and response 8 with payload 9', () => {
    assert.deepEqual(Buffer.from(masterCallCodec.encode({ type: 'GET_STATE' }, 'protobuf')), bytesOf(enumField(1, 9)));
    assert.deepEqual(masterResponseCodec.decode(bytesOf(enumField(1, 8), message(9)), 'protobuf'), {
      type: 'GET_STATE',
      get_state: {},
    });
  });

  it('agent READ_FILE is call 8 with payload 5 (path 1, offset 2, length 3), and response 7 with payload 8 (size 1, data 2)', () => {
    const call = agentCallCodec.encode(
      { type: 'READ_FILE', read_file: { path: '/p', offset: 0, length: 10 } },
      'protobuf',
    );
    assert.deepEqual(
      Buffer.from(call),
      bytesOf(enumField(1, 8), message(5, text(1, '/p'), enumField(2, 0), enumField(3, 10))),
    );
    const response = agentResponseCodec.decode(
      bytesOf(enumField(1, 7), message(8, enumField(1, 3), message(2, [0x68, 0x69, 0x0a]))),
      'protobuf',
    );
    assert.deepEqual(response, { type: 'READ_FILE', read_file: { size: 3, data: 'aGkK' } });
  });
});
