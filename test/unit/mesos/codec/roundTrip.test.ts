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
  type Codec,
} from '../../../../src/core/mesos/codec';
import {
  agentCalls,
  agentResponses,
  masterCalls,
  masterEvents,
  masterResponses,
  schedulerCalls,
  schedulerEvents,
} from './messageFixtures';
import { referenceDecode } from './reference/referenceDecoder';

/** Every field of `expected` is in `actual` with the same value; `actual` may add fields (defaults). */
function assertIncludes(actual: unknown, expected: unknown, path = '$'): void {
  if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `${path} should be an array`);
    assert.equal(actual.length, expected.length, `${path} length`);
    expected.forEach((item, index) => assertIncludes(actual[index], item, `${path}[${index}]`));
    return;
  }
  if (expected !== null && typeof expected === 'object') {
    assert.ok(actual !== null && typeof actual === 'object' && !Array.isArray(actual), `${path} should be an object`);
    for (const [key, item] of Object.entries(expected)) {
      if (item !== undefined) assertIncludes((actual as Record<string, unknown>)[key], item, `${path}.${key}`);
    }
    return;
  }
  assert.ok(Object.is(actual, expected), `${path}: expected ${String(expected)}, got ${String(actual)}`);
}

// Mesos's JSON for a message: the same object, non-finite doubles as the strings Mesos reads back.
const asMesosJson = (message: unknown): unknown =>
  JSON.parse(
    JSON.stringify(message, (_key, value: unknown) =>
      typeof value === 'number' && !Number.isFinite(value) ? String(value) : value,
    ),
  );

const suites: [string, Codec<{ type?: string }>, readonly { type?: string }[]][] = [
  ['mesos.v1.scheduler.Call', schedulerCallCodec, schedulerCalls],
  ['mesos.v1.scheduler.Event', schedulerEventCodec, schedulerEvents],
  ['mesos.v1.master.Call', masterCallCodec, masterCalls],
  ['mesos.v1.master.Response', masterResponseCodec, masterResponses],
  ['mesos.v1.master.Event', masterEventCodec, masterEvents],
  ['mesos.v1.agent.Call', agentCallCodec, agentCalls],
  ['mesos.v1.agent.Response', agentResponseCodec, agentResponses],
];

for (const [messageType, codec, messages] of suites) {
  describe(`${messageType} round trips`, () => {
    it('is the codec for that message type', () => assert.equal(codec.messageType, messageType));

    messages.forEach((message, index) => {
      it(`${message.type} (#${index}) decodes from either encoding to the same object, holding every field it was given`, () => {
        const fromJson = codec.decode(codec.encode(message, 'json'), 'json');
        const fromProtobuf = codec.decode(codec.encode(message, 'protobuf'), 'protobuf');
        assert.deepStrictEqual(fromProtobuf, fromJson);
        assertIncludes(fromJson, message);
      });

      it(`${message.type} (#${index}) encodes to Mesos's JSON: proto field names, enum names, nothing added`, () => {
        const text = Buffer.from(codec.encode(message, 'json')).toString('utf8');
        assert.deepStrictEqual(JSON.parse(text), asMesosJson(message));
      });

      it(`${message.type} (#${index}) decodes as the reference decoder does, from either encoding`, () => {
        for (const encoding of ['json', 'protobuf'] as const) {
          const bytes = codec.encode(message, encoding);
          assert.deepStrictEqual(
            codec.decode(bytes, encoding),
            referenceDecode(messageType, bytes, encoding),
            encoding,
          );
        }
      });

      it(`${message.type} (#${index}) encodes its decoded form to the same protobuf bytes`, () => {
        const bytes = codec.encode(message, 'protobuf');
        assert.deepEqual(Buffer.from(codec.encode(codec.decode(bytes, 'protobuf'), 'protobuf')), Buffer.from(bytes));
      });
    });
  });
}

describe('fixture coverage', () => {
  const typesOf = (messages: readonly { type?: string }[]) => new Set(messages.map((message) => message.type));

  it('has every scheduler call and event type of the reference', () => {
    const calls = [
      'SUBSCRIBE',
      'TEARDOWN',
      'ACCEPT',
      'DECLINE',
      'ACCEPT_INVERSE_OFFERS',
      'DECLINE_INVERSE_OFFERS',
      'REVIVE',
      'KILL',
      'SHUTDOWN',
      'ACKNOWLEDGE',
      'ACKNOWLEDGE_OPERATION_STATUS',
      'RECONCILE',
      'RECONCILE_OPERATIONS',
      'MESSAGE',
      'REQUEST',
      'SUPPRESS',
      'UPDATE_FRAMEWORK',
    ];
    const events = [
      'SUBSCRIBED',
      'OFFERS',
      'INVERSE_OFFERS',
      'RESCIND',
      'RESCIND_INVERSE_OFFER',
      'UPDATE',
      'UPDATE_OPERATION_STATUS',
      'MESSAGE',
      'FAILURE',
      'ERROR',
      'HEARTBEAT',
    ];
    assert.deepEqual([...typesOf(schedulerCalls)].sort(), [...calls].sort());
    assert.deepEqual([...typesOf(schedulerEvents)].sort(), [...events].sort());
  });

  it('has every master event type and the operator calls the extension makes', () => {
    const events = [
      'SUBSCRIBED',
      'TASK_ADDED',
      'TASK_UPDATED',
      'AGENT_ADDED',
      'AGENT_REMOVED',
      'FRAMEWORK_ADDED',
      'FRAMEWORK_UPDATED',
      'FRAMEWORK_REMOVED',
      'HEARTBEAT',
    ];
    assert.deepEqual([...typesOf(masterEvents)].sort(), [...events].sort());
    for (const type of [
      'GET_HEALTH',
      'GET_VERSION',
      'GET_METRICS',
      'GET_STATE',
      'GET_AGENTS',
      'GET_FRAMEWORKS',
      'GET_TASKS',
      'GET_EXECUTORS',
      'GET_MASTER',
      'SUBSCRIBE',
      'TEARDOWN',
    ]) {
      assert.ok(typesOf(masterCalls).has(type), `master call ${type}`);
      if (type !== 'SUBSCRIBE' && type !== 'TEARDOWN')
        assert.ok(typesOf(masterResponses).has(type), `master response ${type}`);
    }
    for (const type of ['GET_STATE', 'LIST_FILES', 'READ_FILE', 'GET_HEALTH', 'GET_VERSION']) {
      assert.ok(typesOf(agentCalls).has(type) && typesOf(agentResponses).has(type), `agent ${type}`);
    }
  });
});
