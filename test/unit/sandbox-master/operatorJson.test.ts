import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { masterEventCodec, masterResponseCodec } from '../../../src/core/mesos/codec';
import { encodeMasterEvent, encodeMasterResponse } from '../../../src/sandbox/mesos/master/operatorJson';

// The JSON a real master writes for the operator API: its top-level lists even when empty, and
// nanoseconds as bare numbers even beyond 2^53 (test/fixtures/mesos-1.12/operator-get_state.json).

const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');

test('empty lists of GET_AGENTS, GET_FRAMEWORKS, GET_TASKS and GET_EXECUTORS are written', () => {
  assert.equal(
    text(encodeMasterResponse({ type: 'GET_AGENTS', get_agents: {} }, 'json')),
    '{"type":"GET_AGENTS","get_agents":{"agents":[],"recovered_agents":[]}}',
  );
  assert.equal(
    text(encodeMasterResponse({ type: 'GET_FRAMEWORKS', get_frameworks: {} }, 'json')),
    '{"type":"GET_FRAMEWORKS","get_frameworks":{"frameworks":[],"completed_frameworks":[]}}',
  );
  assert.equal(
    text(encodeMasterResponse({ type: 'GET_TASKS', get_tasks: {} }, 'json')),
    '{"type":"GET_TASKS","get_tasks":{"tasks":[],"unreachable_tasks":[],"completed_tasks":[]}}',
  );
  assert.equal(
    text(encodeMasterResponse({ type: 'GET_EXECUTORS', get_executors: {} }, 'json')),
    '{"type":"GET_EXECUTORS","get_executors":{"executors":[]}}',
  );
});

test('GET_STATE and the SUBSCRIBED snapshot write all four parts with their lists', () => {
  const expected = {
    get_tasks: { tasks: [], unreachable_tasks: [], completed_tasks: [] },
    get_executors: { executors: [] },
    get_frameworks: { frameworks: [], completed_frameworks: [] },
    get_agents: { agents: [], recovered_agents: [] },
  };
  assert.deepEqual(
    JSON.parse(text(encodeMasterResponse({ type: 'GET_STATE', get_state: {} }, 'json'))).get_state,
    expected,
  );
  const subscribed = JSON.parse(
    text(
      encodeMasterEvent({ type: 'SUBSCRIBED', subscribed: { get_state: {}, heartbeat_interval_seconds: 15 } }, 'json'),
    ),
  );
  assert.deepEqual(subscribed.subscribed, { get_state: expected, heartbeat_interval_seconds: 15 });
});

test('nanoseconds beyond 2^53 are written as bare numbers, exactly', () => {
  const framework = {
    framework_info: { user: 'root', name: 'f' },
    active: true,
    connected: true,
    recovered: false,
    registered_time: { nanoseconds: '1795566364324297984' },
  };
  const json = text(
    encodeMasterResponse({ type: 'GET_FRAMEWORKS', get_frameworks: { frameworks: [framework] } }, 'json'),
  );
  assert.match(json, /"registered_time":\{"nanoseconds":1795566364324297984\}/);
  // and our own codec reads the exact value back
  const back = masterResponseCodec.decode(Buffer.from(json), 'json');
  assert.equal(String(back.get_frameworks!.frameworks![0]!.registered_time!.nanoseconds), '1795566364324297984');
});

test('a string value that looks like a nanoseconds field is left alone', () => {
  const framework = {
    framework_info: { user: 'root', name: '"nanoseconds":"12"' },
    active: true,
    connected: true,
    recovered: false,
  };
  const json = text(
    encodeMasterResponse({ type: 'GET_FRAMEWORKS', get_frameworks: { frameworks: [framework] } }, 'json'),
  );
  const back = masterResponseCodec.decode(Buffer.from(json), 'json');
  assert.equal(back.get_frameworks!.frameworks![0]!.framework_info.name, '"nanoseconds":"12"');
});

test("protobuf is the codec's encoding untouched", () => {
  const event = {
    type: 'TASK_UPDATED' as const,
    task_updated: {
      framework_id: { value: 'f' },
      status: { task_id: { value: 't' }, state: 'TASK_RUNNING' as const },
      state: 'TASK_RUNNING' as const,
    },
  };
  assert.deepEqual(encodeMasterEvent(event, 'protobuf'), masterEventCodec.encode(event, 'protobuf'));
});
