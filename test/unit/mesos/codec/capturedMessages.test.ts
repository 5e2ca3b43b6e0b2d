import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  masterEventCodec,
  masterResponseCodec,
  schedulerCallCodec,
  schedulerEventCodec,
} from '../../../../src/core/mesos/codec';
import { jsonLines, readCapture, recordIoRecords, referenceJson, withoutDropped } from './captures';
import { referenceDecode } from './reference/referenceDecoder';

// A v0 field (SlaveInfo.checkpoint, number 7) that the 1.12 master still writes into the v1 AgentInfo;
// the v1 proto has no such field, so the codec drops it in JSON and skips it in protobuf alike.
const DROPPED = ['agent_info.checkpoint'];

describe('captured scheduler SUBSCRIBE stream (JSON)', () => {
  const records = jsonLines('scheduler-subscribe-json.recordio.txt');
  const events = records.map((record) => schedulerEventCodec.decode(record, 'json'));

  it('decodes every record, in the order the master sent them', () => {
    assert.deepEqual(
      events.map((event) => event.type),
      ['SUBSCRIBED', 'HEARTBEAT', 'OFFERS', 'UPDATE', 'UPDATE', 'UPDATE', 'UPDATE', 'UPDATE'],
    );
  });

  it('keeps every field the master wrote, in Mesos JSON shape', () => {
    records.forEach((record, index) =>
      assert.deepStrictEqual(events[index], withoutDropped(referenceJson(record), DROPPED)),
    );
  });

  it('reads the values a scheduler acts on', () => {
    const subscribed = events[0]?.subscribed;
    assert.equal(subscribed?.framework_id.value, '9b5d8929-2afc-4fa6-a716-69ba2145bf88-0011');
    assert.equal(subscribed?.heartbeat_interval_seconds, 15);
    assert.equal(subscribed?.master_info?.ip, 16777343);
    const offer = events[2]?.offers?.offers?.[0];
    assert.equal(offer?.url?.path, '/slave(1)');
    assert.deepEqual(offer?.resources?.[0], {
      name: 'ports',
      type: 'RANGES',
      ranges: { range: [{ begin: 31000, end: 32000 }] },
      role: '*',
    });
    const status = events[3]?.update?.status;
    assert.equal(status?.state, 'TASK_STARTING');
    assert.equal(status?.source, 'SOURCE_EXECUTOR');
    assert.equal(status?.uuid, 'NsCqNnhZRE+5BQU46ZB3jA==');
    assert.equal(status?.timestamp, 1795566364.676108);
    assert.equal(status?.container_status?.network_infos?.[0]?.ip_addresses?.[0]?.protocol, 'IPv4');
  });

  it('gives the same objects as the reference decoder', () => {
    records.forEach((record, index) =>
      assert.deepStrictEqual(referenceDecode('mesos.v1.scheduler.Event', record, 'json'), events[index]),
    );
  });
});

describe('captured scheduler SUBSCRIBE stream (protobuf RecordIO)', () => {
  const records = recordIoRecords(readCapture('scheduler-subscribe-protobuf.recordio'));
  const events = records.map((record) => schedulerEventCodec.decode(record, 'protobuf'));

  it('decodes every record', () => {
    assert.deepEqual(
      events.map((event) => event.type),
      ['SUBSCRIBED', 'HEARTBEAT', 'OFFERS', 'UPDATE', 'UPDATE', 'UPDATE', 'OFFERS'],
    );
  });

  it('reads the task that exited with status 3 the way the JSON stream reads its tasks', () => {
    const updates = events.filter((event) => event.type === 'UPDATE').map((event) => event.update?.status);
    assert.deepEqual(
      updates.map((status) => status?.state),
      ['TASK_STARTING', 'TASK_RUNNING', 'TASK_FAILED'],
    );
    const failed = updates[2];
    assert.equal(failed?.task_id.value, 'capture-pb');
    assert.equal(failed?.message, 'Command exited with status 3');
    assert.equal(failed?.source, 'SOURCE_EXECUTOR');
    assert.equal(typeof failed?.uuid, 'string');
    assert.equal(Buffer.from(failed?.uuid ?? '', 'base64').length, 16);
    assert.equal(typeof failed?.timestamp, 'number');
  });

  it('decodes to the same objects as protobufjs plus a toObject-style conversion', () => {
    records.forEach((record, index) =>
      assert.deepStrictEqual(referenceDecode('mesos.v1.scheduler.Event', record, 'protobuf'), events[index]),
    );
  });

  it('encodes each event back to bytes that decode to the same object', () => {
    for (const event of events) {
      assert.deepStrictEqual(
        schedulerEventCodec.decode(schedulerEventCodec.encode(event, 'protobuf'), 'protobuf'),
        event,
      );
    }
  });
});

describe('captured operator SUBSCRIBE stream (JSON)', () => {
  const records = jsonLines('operator-subscribe-json.recordio.txt');
  const events = records.map((record) => masterEventCodec.decode(record, 'json'));

  it('decodes SUBSCRIBED with the full state, HEARTBEAT and TASK_UPDATED on the kill', () => {
    assert.deepEqual(
      events.map((event) => event.type),
      ['SUBSCRIBED', 'HEARTBEAT', 'TASK_UPDATED'],
    );
    const updated = events[2]?.task_updated;
    assert.equal(updated?.state, 'TASK_KILLED');
    assert.equal(updated?.status.task_id.value, 'capture-long');
  });

  it('keeps the nanosecond timestamps exact, beyond 2^53', () => {
    const agent = events[0]?.subscribed?.get_state?.get_agents?.agents?.[0];
    assert.equal(agent?.registered_time?.nanoseconds, '1795566157810769920');
    const framework = events[0]?.subscribed?.get_state?.get_frameworks?.frameworks?.[0];
    assert.equal(typeof framework?.registered_time?.nanoseconds, 'string');
  });

  it('keeps every field the master wrote except the documented drops', () => {
    records.forEach((record, index) =>
      assert.deepStrictEqual(events[index], withoutDropped(referenceJson(record), DROPPED)),
    );
  });

  it('gives the same objects as the reference decoder', () => {
    records.forEach((record, index) =>
      assert.deepStrictEqual(referenceDecode('mesos.v1.master.Event', record, 'json'), events[index]),
    );
  });
});

describe('captured operator responses', () => {
  const jsonCaptures = ['get_health', 'get_version', 'get_master', 'get_agents', 'get_frameworks', 'get_state'];
  const protobufCaptures = [...jsonCaptures, 'get_tasks'];

  for (const name of jsonCaptures) {
    it(`decodes operator-${name}.json without losing a field`, () => {
      const bytes = readCapture(`operator-${name}.json`);
      const response = masterResponseCodec.decode(bytes, 'json');
      assert.equal(response.type, name.toUpperCase());
      assert.deepStrictEqual(response, withoutDropped(referenceJson(bytes), DROPPED));
      assert.deepStrictEqual(referenceDecode('mesos.v1.master.Response', bytes, 'json'), response);
    });
  }

  for (const name of protobufCaptures) {
    it(`decodes operator-${name}.pb as protobufjs does, and re-encodes it losslessly`, () => {
      const bytes = readCapture(`operator-${name}.pb`);
      const response = masterResponseCodec.decode(bytes, 'protobuf');
      assert.equal(response.type, name.toUpperCase());
      assert.deepStrictEqual(referenceDecode('mesos.v1.master.Response', bytes, 'protobuf'), response);
      const again = masterResponseCodec.decode(masterResponseCodec.encode(response, 'protobuf'), 'protobuf');
      assert.deepStrictEqual(again, response);
    });
  }

  it('reads GET_TASKS from protobuf with its statuses and uuids', () => {
    const response = masterResponseCodec.decode(readCapture('operator-get_tasks.pb'), 'protobuf');
    const running = response.get_tasks?.tasks?.find((task) => task.state === 'TASK_RUNNING');
    assert.equal(running?.name, 'capture-long');
    assert.equal(running?.status_update_state, 'TASK_RUNNING');
    assert.equal(Buffer.from(running?.status_update_uuid ?? '', 'base64').length, 16);
    assert.ok((running?.statuses?.length ?? 0) >= 2);
  });
});

describe('captured scheduler calls', () => {
  it('decodes the SUBSCRIBE and ACCEPT bodies a framework sent', () => {
    const subscribe = schedulerCallCodec.decode(readCapture('scheduler-subscribe-call.pb'), 'protobuf');
    assert.equal(subscribe.type, 'SUBSCRIBE');
    assert.equal(subscribe.subscribe?.framework_info.name, 'capture-protobuf');
    const accept = schedulerCallCodec.decode(readCapture('scheduler-accept-call.pb'), 'protobuf');
    assert.equal(accept.type, 'ACCEPT');
    assert.equal(accept.accept?.operations?.[0]?.launch?.task_infos?.[0]?.command?.value, 'echo protobuf; exit 3');
  });
});
