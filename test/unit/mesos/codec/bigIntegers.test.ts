import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  agentCallCodec,
  masterEventCodec,
  masterResponseCodec,
  schedulerEventCodec,
  type MasterResponse,
  type SchedulerEvent,
} from '../../../../src/core/mesos/codec';

const json = (text: string): Buffer => Buffer.from(text, 'utf8');

// 2^53 + 1: the first integer a double cannot hold. JSON.parse would read it as 9007199254740992.
const JUST_UNSAFE = '9007199254740993';

describe('64-bit integers', () => {
  const values = [
    ['the largest safe integer', 9007199254740991],
    ['2^53 + 1', JUST_UNSAFE],
    ['a nanosecond timestamp', '1795566157810769921'],
    ['the largest int64', '9223372036854775807'],
    ['the smallest int64', '-9223372036854775808'],
    ['minus one', -1],
    ['zero', 0],
  ] as const;

  for (const [label, nanoseconds] of values) {
    it(`keeps ${label} exact through both encodings`, () => {
      const event: SchedulerEvent = {
        type: 'UPDATE',
        update: { status: { task_id: { value: 't' }, state: 'TASK_UNREACHABLE', unreachable_time: { nanoseconds } } },
      };
      for (const encoding of ['json', 'protobuf'] as const) {
        const decoded = schedulerEventCodec.decode(schedulerEventCodec.encode(event, encoding), encoding);
        assert.equal(decoded.update?.status.unreachable_time?.nanoseconds, nanoseconds, encoding);
      }
    });
  }

  it('keeps uint64 values up to 2^64 - 1 exact through both encodings', () => {
    for (const encoding of ['json', 'protobuf'] as const) {
      const call = agentCallCodec.decode(
        agentCallCodec.encode(
          { type: 'READ_FILE', read_file: { path: '/slave/log', offset: '18446744073709551615', length: JUST_UNSAFE } },
          encoding,
        ),
        encoding,
      );
      assert.equal(call.read_file?.offset, '18446744073709551615', encoding);
      assert.equal(call.read_file?.length, JUST_UNSAFE, encoding);
    }
  });

  it('reads a bare integer literal beyond 2^53 exactly, however it is spaced', () => {
    const texts = [
      `{"type":"TASK_UPDATED","task_updated":{"framework_id":{"value":"f"},"state":"TASK_LOST","status":{"task_id":{"value":"t"},"state":"TASK_LOST","unreachable_time":{"nanoseconds":${JUST_UNSAFE}}}}}`,
      `{ "type": "TASK_UPDATED", "task_updated": { "framework_id": { "value": "f" }, "state": "TASK_LOST",\n  "status": { "task_id": { "value": "t" }, "state": "TASK_LOST", "unreachable_time": { "nanoseconds" :\n ${JUST_UNSAFE} } } } }`,
    ];
    for (const text of texts) {
      const event = masterEventCodec.decode(json(text), 'json');
      assert.equal(event.task_updated?.status.unreachable_time?.nanoseconds, JUST_UNSAFE);
    }
  });

  it('reads a long literal in any 64-bit field, not only timestamps', () => {
    const response = masterResponseCodec.decode(
      json(`{"type":"READ_FILE","read_file":{"size":${JUST_UNSAFE},"data":""}}`),
      'json',
    );
    assert.equal(response.read_file?.size, JUST_UNSAFE);
  });

  it('reads numeric strings, as Mesos accepts them, and gives safe ones back as numbers', () => {
    const response = masterResponseCodec.decode(
      json('{"type":"READ_FILE","read_file":{"size":"0042","data":"aGk="}}'),
      'json',
    );
    assert.equal(response.read_file?.size, 42);
    const unsafe = masterResponseCodec.decode(
      json(`{"type":"READ_FILE","read_file":{"size":"${JUST_UNSAFE}","data":""}}`),
      'json',
    );
    assert.equal(unsafe.read_file?.size, JUST_UNSAFE);
  });

  it('keeps a long literal inside a string untouched while reading the real one exactly', () => {
    // The message text has the same digits after a colon; only the field's value is a number.
    const text = `{"type":"UPDATE","update":{"status":{"task_id":{"value":"t"},"state":"TASK_LOST","message":"at:${JUST_UNSAFE}, [${JUST_UNSAFE}]","unreachable_time":{"nanoseconds":${JUST_UNSAFE}}}}}`;
    const event = schedulerEventCodec.decode(json(text), 'json');
    assert.equal(event.update?.status.message, `at:${JUST_UNSAFE}, [${JUST_UNSAFE}]`);
    assert.equal(event.update?.status.unreachable_time?.nanoseconds, JUST_UNSAFE);
  });

  it('sends long values as the numeric strings Mesos reads exactly, and safe ones as numbers', () => {
    const text = Buffer.from(
      masterResponseCodec.encode(
        { type: 'READ_FILE', read_file: { size: JUST_UNSAFE, data: '' } } satisfies MasterResponse,
        'json',
      ),
    ).toString('utf8');
    assert.equal(text, `{"type":"READ_FILE","read_file":{"size":"${JUST_UNSAFE}","data":""}}`);
    const small = Buffer.from(
      masterResponseCodec.encode({ type: 'READ_FILE', read_file: { size: '12', data: '' } }, 'json'),
    ).toString('utf8');
    assert.equal(small, '{"type":"READ_FILE","read_file":{"size":12,"data":""}}');
  });

  it('gives the exact value of a number a caller passes beyond 2^53, rather than refusing it', () => {
    // 2^60 is a double exactly; the codec sends its exact decimal value.
    const decoded = agentCallCodec.decode(
      agentCallCodec.encode({ type: 'READ_FILE', read_file: { path: 'p', offset: 2 ** 60 } }, 'protobuf'),
      'protobuf',
    );
    assert.equal(decoded.read_file?.offset, '1152921504606846976');
  });
});

describe('non-finite doubles', () => {
  it('accepts the bare tokens Infinity, -Infinity and NaN that Mesos writes', () => {
    const text =
      '{"type":"TASK_ADDED","task_added":{"task":{"name":"t","task_id":{"value":"t"},"framework_id":{"value":"f"},' +
      '"agent_id":{"value":"a"},"state":"TASK_RUNNING","limits":{"cpus":{"value":Infinity},"mem":{"value":-Infinity},' +
      '"disk":{"value":NaN}},"statuses":[{"task_id":{"value":"t"},"state":"TASK_RUNNING","message":"Infinity and NaN"}]}}}';
    const task = masterEventCodec.decode(json(text), 'json').task_added?.task;
    assert.equal(task?.limits?.cpus?.value, Infinity);
    assert.equal(task?.limits?.mem?.value, -Infinity);
    assert.ok(Number.isNaN(task?.limits?.disk?.value));
    assert.equal(task?.statuses?.[0]?.message, 'Infinity and NaN');
  });

  it('accepts them together with a long integer in the same body', () => {
    const text = `{"type":"SUBSCRIBED","subscribed":{"heartbeat_interval_seconds":Infinity,"get_state":{"get_agents":{"agents":[{"agent_info":{"hostname":"h"},"active":true,"version":"1","registered_time":{"nanoseconds":${JUST_UNSAFE}}}]}}}}`;
    const event = masterEventCodec.decode(json(text), 'json');
    assert.equal(event.subscribed?.heartbeat_interval_seconds, Infinity);
    assert.equal(event.subscribed?.get_state?.get_agents?.agents?.[0]?.registered_time?.nanoseconds, JUST_UNSAFE);
  });

  it('accepts the strings "Infinity" and "NaN" too, and sends non-finite values as those strings', () => {
    const response = masterResponseCodec.decode(
      json(
        '{"type":"GET_METRICS","get_metrics":{"metrics":[{"name":"a","value":"Infinity"},{"name":"b","value":"-12.5"}]}}',
      ),
      'json',
    );
    assert.deepEqual(response.get_metrics?.metrics, [
      { name: 'a', value: Infinity },
      { name: 'b', value: -12.5 },
    ]);
    const text = Buffer.from(
      masterResponseCodec.encode(
        {
          type: 'GET_METRICS',
          get_metrics: {
            metrics: [
              { name: 'a', value: -Infinity },
              { name: 'b', value: NaN },
            ],
          },
        },
        'json',
      ),
    ).toString('utf8');
    assert.equal(
      text,
      '{"type":"GET_METRICS","get_metrics":{"metrics":[{"name":"a","value":"-Infinity"},{"name":"b","value":"NaN"}]}}',
    );
  });

  it('carries them through protobuf as doubles', () => {
    const response = masterResponseCodec.decode(
      masterResponseCodec.encode(
        { type: 'GET_METRICS', get_metrics: { metrics: [{ name: 'a', value: Infinity }] } },
        'protobuf',
      ),
      'protobuf',
    );
    assert.equal(response.get_metrics?.metrics?.[0]?.value, Infinity);
  });
});
