import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  agentCallCodec,
  masterCallCodec,
  masterEventCodec,
  masterResponseCodec,
  MesosDecodeError,
  MesosEncodeError,
  schedulerCallCodec,
  schedulerEventCodec,
  type SchedulerCall,
} from '../../../../src/core/mesos/codec';
import { FieldProblem } from '../../../../src/core/mesos/codec/fieldProblem';
import { readCapture } from './captures';

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
import { referenceDecode } from './reference/referenceDecoder';

const json = (text: string): Buffer => Buffer.from(text, 'utf8');

function decodeError(run: () => unknown): MesosDecodeError {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof MesosDecodeError, `expected a MesosDecodeError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected decoding to fail');
}

function encodeError(run: () => unknown): MesosEncodeError {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof MesosEncodeError, `expected a MesosEncodeError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected encoding to fail');
}

const update = (status: string) => `{"type":"UPDATE","update":{"status":${status}}}`;

describe('decoding rejects what is not the message, saying what was wrong', () => {
  it('a body that is not JSON', () => {
    const error = decodeError(() => schedulerEventCodec.decode(json('{"type":"HEARTBEAT"'), 'json'));
    assert.equal(error.kind, 'not-json');
    assert.equal(error.encoding, 'json');
    assert.equal(error.messageType, 'mesos.v1.scheduler.Event');
    assert.ok(error.cause instanceof SyntaxError);
    assert.match(error.message, /not valid JSON/);
  });

  it('a plain-text error from Mesos', () => {
    const error = decodeError(() =>
      masterResponseCodec.decode(
        json("Failed to validate master::Call: Expecting 'get_metrics' to be present"),
        'json',
      ),
    );
    assert.equal(error.kind, 'not-json');
    assert.match(error.reason, /plain text, not JSON/);
    assert.match(error.reason, /Expecting 'get_metrics' to be present/);
  });

  it('an HTML page, naming it as probably from a proxy or login page', () => {
    const page =
      '<!DOCTYPE html>\n<html><head><title>Sign in - Corp SSO</title></head><body><form></form></body></html>';
    for (const encoding of ['json', 'protobuf'] as const) {
      const error = decodeError(() => schedulerEventCodec.decode(json(page), encoding));
      assert.equal(error.kind, 'html');
      assert.match(error.message, /an HTML page, probably from a proxy or login page/);
    }
    assert.match(decodeError(() => schedulerEventCodec.decode(json(page), 'json')).reason, /Sign in - Corp SSO/);
  });

  it('an empty body', () => {
    const error = decodeError(() => schedulerEventCodec.decode(new Uint8Array(0), 'json'));
    assert.equal(error.kind, 'empty');
  });

  it('a JSON enum given as a number', () => {
    const error = decodeError(() =>
      schedulerEventCodec.decode(json(update('{"task_id":{"value":"t"},"state":1}')), 'json'),
    );
    assert.equal(error.kind, 'enum-as-number');
    assert.equal(error.path, 'update.status.state');
    assert.match(error.reason, /given as the number 1 \(TASK_RUNNING\)/);
  });

  it('a type given as a number', () => {
    const error = decodeError(() => schedulerEventCodec.decode(json('{"type":8}'), 'json'));
    assert.equal(error.kind, 'enum-as-number');
    assert.equal(error.path, 'type');
  });

  it('an unknown enum name in a required field', () => {
    const error = decodeError(() =>
      schedulerEventCodec.decode(json(update('{"task_id":{"value":"t"},"state":"TASK_EXPLODED"}')), 'json'),
    );
    assert.equal(error.kind, 'unknown-enum');
    assert.equal(error.path, 'update.status.state');
    assert.match(error.reason, /"TASK_EXPLODED" is not a mesos\.v1\.TaskState/);
  });

  it('drops an unknown enum name in an optional field, as Mesos does, and keeps the rest', () => {
    const event = schedulerEventCodec.decode(
      json(
        update(
          '{"task_id":{"value":"t"},"state":"TASK_RUNNING","reason":"REASON_FROM_THE_FUTURE","source":"SOURCE_AGENT"}',
        ),
      ),
      'json',
    );
    assert.deepEqual(event.update?.status, { task_id: { value: 't' }, state: 'TASK_RUNNING', source: 'SOURCE_AGENT' });
  });

  it('drops unknown names from a repeated enum field', () => {
    const response = masterResponseCodec.decode(
      json(
        '{"type":"GET_AGENTS","get_agents":{"agents":[{"agent_info":{"hostname":"h"},"active":true,"version":"1","capabilities":[{"type":"MULTI_ROLE"},{"type":"TELEPORT"}]}]}}',
      ),
      'json',
    );
    assert.deepEqual(response.get_agents?.agents?.[0]?.capabilities, [{ type: 'MULTI_ROLE' }, {}]);
  });

  it('an event without a type', () => {
    for (const [encoding, bytes] of [
      ['json', json('{"heartbeat":{}}')],
      ['protobuf', new Uint8Array(0)],
    ] as const) {
      const error = decodeError(() => schedulerEventCodec.decode(bytes, encoding));
      assert.equal(error.kind, 'missing-field');
      assert.equal(error.path, 'type');
    }
  });

  it('a missing required field deeper in the message, with its path', () => {
    const error = decodeError(() =>
      schedulerEventCodec.decode(
        json(
          '{"type":"OFFERS","offers":{"offers":[{"id":{"value":"o"},"framework_id":{"value":"f"},"agent_id":{"value":"a"}}]}}',
        ),
        'json',
      ),
    );
    assert.equal(error.kind, 'missing-field');
    assert.equal(error.path, 'offers.offers[0]');
    assert.match(error.reason, /mesos\.v1\.Offer is missing its required field 'hostname'/);
  });

  it('a missing required field in protobuf', () => {
    // Event{type: UPDATE, update: Update{status: TaskStatus{task_id: {value: "t"}}}}: no state.
    const bytes = Uint8Array.from([0x08, 0x04, 0x2a, 0x07, 0x0a, 0x05, 0x0a, 0x03, 0x0a, 0x01, 0x74]);
    const error = decodeError(() => schedulerEventCodec.decode(bytes, 'protobuf'));
    assert.equal(error.kind, 'missing-field');
    assert.equal(error.path, 'update.status');
    assert.match(error.reason, /mesos\.v1\.TaskStatus is missing its required field 'state'/);
  });

  it('a value of the wrong type', () => {
    const error = decodeError(() =>
      schedulerEventCodec.decode(json('{"type":"OFFERS","offers":{"offers":{"id":"o"}}}'), 'json'),
    );
    assert.equal(error.kind, 'wrong-type');
    assert.equal(error.path, 'offers.offers');
    const notBase64 = decodeError(() =>
      schedulerEventCodec.decode(
        json(update('{"task_id":{"value":"t"},"state":"TASK_RUNNING","uuid":"not base64!"}')),
        'json',
      ),
    );
    assert.equal(notBase64.kind, 'invalid-base64');
    assert.equal(notBase64.path, 'update.status.uuid');
    const tooBig = decodeError(() =>
      masterResponseCodec.decode(
        json('{"type":"GET_LOGGING_LEVEL","get_master":{"master_info":{"id":"m","ip":4294967296,"port":5050}}}'),
        'json',
      ),
    );
    assert.equal(tooBig.kind, 'out-of-range');
    assert.equal(tooBig.path, 'get_master.master_info.ip');
  });

  it('a message nested deeper than the decoder can follow, in either encoding', () => {
    const depth = 100_000;
    const containerId = `${'{"value":"c","parent":'.repeat(depth)}{"value":"c"}${'}'.repeat(depth)}`;
    const text = `{"type":"TASK_UPDATED","task_updated":{"framework_id":{"value":"f"},"state":"TASK_RUNNING","status":{"task_id":{"value":"t"},"state":"TASK_RUNNING","container_status":{"container_id":${containerId}}}}}`;
    assert.equal(decodeError(() => masterEventCodec.decode(json(text), 'json')).kind, 'too-deep');
    // The same in protobuf: ContainerID{value 1 = "c", parent 2 = ...} nested by hand, outside in.
    const innermost = [0x0a, 0x01, 0x63];
    const lengths = [innermost.length];
    for (let i = 1; i <= depth; i++) {
      const inner = lengths[i - 1] ?? 0;
      lengths.push(innermost.length + 1 + varint(inner).length + inner);
    }
    const nested: number[] = [];
    for (let i = depth; i >= 1; i--) nested.push(...innermost, 0x12, ...varint(lengths[i - 1] ?? 0));
    nested.push(...innermost);
    const containerStatus = [0x22, ...varint(nested.length), ...nested];
    const status = [
      0x0a,
      0x03,
      0x0a,
      0x01,
      0x74,
      0x10,
      0x01,
      0x6a,
      ...varint(containerStatus.length),
      ...containerStatus,
    ];
    const update = [0x0a, ...varint(status.length), ...status];
    const event = Uint8Array.from([0x08, 0x04, 0x2a, ...varint(update.length), ...update]);
    const error = decodeError(() => schedulerEventCodec.decode(event, 'protobuf'));
    assert.ok(error.kind === 'too-deep', `${error.kind}: ${error.message}`);
  });

  it('JSON that is not an object', () => {
    assert.equal(decodeError(() => schedulerEventCodec.decode(json('[1,2]'), 'json')).kind, 'wrong-type');
    assert.equal(decodeError(() => schedulerEventCodec.decode(json('null'), 'json')).kind, 'wrong-type');
  });

  it('malformed protobuf bytes', () => {
    const subscribe = readCapture('scheduler-subscribe-call.pb');
    for (const bytes of [
      subscribe.subarray(0, subscribe.length - 3),
      Uint8Array.from([0x0f, 0x01]),
      Uint8Array.from([0x12, 0x40, 0x01]),
    ]) {
      const error = decodeError(() => schedulerCallCodec.decode(bytes, 'protobuf'));
      assert.equal(error.kind, 'not-protobuf');
      assert.equal(error.encoding, 'protobuf');
      assert.ok(error.cause instanceof Error);
    }
  });

  it('a text error where protobuf was asked for (the captured 400 to GET_METRICS without its payload)', () => {
    const error = decodeError(() => masterResponseCodec.decode(readCapture('operator-get_metrics.pb'), 'protobuf'));
    assert.equal(error.kind, 'not-protobuf');
    assert.match(error.reason, /text, not protobuf/);
    assert.match(error.reason, /Expecting 'get_metrics' to be present/);
  });

  it('an unknown call type, as a master would (400: "Expecting \'type\' to be present")', () => {
    const error = decodeError(() => schedulerCallCodec.decode(json('{"type":"SUBSCRIBE_PLEASE"}'), 'json'));
    assert.equal(error.kind, 'unknown-enum');
    assert.equal(error.path, 'type');
    const protobuf = decodeError(() => schedulerCallCodec.decode(Uint8Array.from([0x10, 0x63]), 'protobuf'));
    assert.equal(protobuf.kind, 'unknown-enum');
  });
});

describe('decoding what a newer Mesos might send', () => {
  it('reads an event type this build does not know as UNKNOWN, so the stream can skip it', () => {
    assert.deepEqual(schedulerEventCodec.decode(json('{"type":"TELEPATHY","telepathy":{"x":1}}'), 'json'), {
      type: 'UNKNOWN',
    });
    assert.deepEqual(schedulerEventCodec.decode(Uint8Array.from([0x08, 0x63]), 'protobuf'), { type: 'UNKNOWN' });
  });

  it('ignores unknown fields in both encodings, and null as unset', () => {
    const event = schedulerEventCodec.decode(
      json('{"type":"HEARTBEAT","heartbeat_count":3,"error":null,"frameworkId":{"value":"f"}}'),
      'json',
    );
    assert.deepEqual(event, { type: 'HEARTBEAT' });
    // type HEARTBEAT, then field 99 (varint) that this build does not know.
    assert.deepEqual(schedulerEventCodec.decode(Uint8Array.from([0x08, 0x08, 0x98, 0x06, 0x01]), 'protobuf'), {
      type: 'HEARTBEAT',
    });
  });
});

describe('encoding refuses messages Mesos would reject or misread', () => {
  const frameworkId = { value: 'f-0001' };

  it('a camelCase key, naming the snake_case field Mesos expects', () => {
    const call = {
      type: 'ACKNOWLEDGE',
      frameworkId,
      acknowledge: { agent_id: { value: 'a' }, task_id: { value: 't' }, uuid: 'AA==' },
    };
    const error = encodeError(() => schedulerCallCodec.encode(call as unknown as SchedulerCall, 'json'));
    assert.equal(error.kind, 'unknown-field');
    assert.match(error.reason, /'frameworkId'.*'framework_id'/);
  });

  it('an enum given as a number or an unknown name', () => {
    const number = encodeError(() => schedulerCallCodec.encode({ type: 3 } as unknown as SchedulerCall, 'json'));
    assert.equal(number.kind, 'enum-as-number');
    const unknown = encodeError(() =>
      schedulerCallCodec.encode({ type: 'LAUNCH' } as unknown as SchedulerCall, 'protobuf'),
    );
    assert.equal(unknown.kind, 'unknown-enum');
  });

  it('a call without its type, framework_id or payload', () => {
    assert.equal(
      encodeError(() => schedulerCallCodec.encode({ framework_id: frameworkId }, 'json')).kind,
      'missing-field',
    );
    assert.equal(
      encodeError(() => schedulerCallCodec.encode({ type: 'TEARDOWN' }, 'json')).kind,
      'missing-framework-id',
    );
    const payload = encodeError(() =>
      schedulerCallCodec.encode({ type: 'ACCEPT', framework_id: frameworkId }, 'protobuf'),
    );
    assert.equal(payload.kind, 'missing-payload');
    assert.equal(payload.path, 'accept');
    assert.equal(encodeError(() => masterCallCodec.encode({ type: 'LIST_FILES' }, 'json')).kind, 'missing-payload');
  });

  it('a missing required field, with its path', () => {
    const call = {
      type: 'KILL',
      framework_id: frameworkId,
      kill: { agent_id: { value: 'a' } },
    } as unknown as SchedulerCall;
    const error = encodeError(() => schedulerCallCodec.encode(call, 'protobuf'));
    assert.equal(error.kind, 'missing-field');
    assert.equal(error.path, 'kill');
    assert.match(error.reason, /task_id/);
  });

  it('bytes that are not Base64 and integers that do not fit', () => {
    const uuid = encodeError(() =>
      schedulerCallCodec.encode(
        {
          type: 'ACKNOWLEDGE',
          framework_id: frameworkId,
          acknowledge: { agent_id: { value: 'a' }, task_id: { value: 't' }, uuid: 'q0wv-S0w' },
        },
        'json',
      ),
    );
    assert.equal(uuid.kind, 'invalid-base64');
    assert.equal(uuid.path, 'acknowledge.uuid');
    const offset = encodeError(() =>
      agentCallCodec.encode({ type: 'READ_FILE', read_file: { path: 'p', offset: -1 } }, 'json'),
    );
    assert.equal(offset.kind, 'out-of-range');
  });

  it('leaves REVIVE and SUPPRESS without payload alone (every role)', () => {
    assert.equal(
      Buffer.from(schedulerCallCodec.encode({ type: 'REVIVE', framework_id: frameworkId }, 'json')).toString(),
      '{"type":"REVIVE","framework_id":{"value":"f-0001"}}',
    );
  });

  it('adds the empty payload an operator call needs (Mesos answers 400 to {"type":"GET_METRICS"})', () => {
    assert.equal(
      Buffer.from(masterCallCodec.encode({ type: 'GET_METRICS' }, 'json')).toString(),
      '{"type":"GET_METRICS","get_metrics":{}}',
    );
    assert.deepEqual(masterCallCodec.decode(masterCallCodec.encode({ type: 'GET_METRICS' }, 'protobuf'), 'protobuf'), {
      type: 'GET_METRICS',
      get_metrics: {},
    });
    assert.equal(Buffer.from(agentCallCodec.encode({ type: 'GET_STATE' }, 'json')).toString(), '{"type":"GET_STATE"}');
  });

  it("does not change the caller's object", () => {
    const call: SchedulerCall = {
      type: 'DECLINE',
      framework_id: frameworkId,
      decline: { offer_ids: [], filters: { refuse_seconds: 5 } },
    };
    const copy = structuredClone(call);
    schedulerCallCodec.encode(call, 'protobuf');
    schedulerCallCodec.encode(call, 'json');
    assert.deepEqual(call, copy);
  });
});

describe('the compiled decoders report the problems the reference decoder finds', () => {
  const jsonCases: [string, string][] = [
    ['enum as number', update('{"task_id":{"value":"t"},"state":1}')],
    ['unknown required enum', update('{"task_id":{"value":"t"},"state":"TASK_EXPLODED"}')],
    [
      'missing nested field',
      '{"type":"OFFERS","offers":{"offers":[{"id":{"value":"o"},"framework_id":{"value":"f"},"agent_id":{"value":"a"}}]}}',
    ],
    ['wrong type', '{"type":"OFFERS","offers":{"offers":{"id":"o"}}}'],
    ['bad Base64', update('{"task_id":{"value":"t"},"state":"TASK_RUNNING","uuid":"not base64!"}')],
    ['bad boolean', update('{"task_id":{"value":"t"},"state":"TASK_RUNNING","healthy":"yes"}')],
    [
      'an array where a message belongs',
      '{"type":"UPDATE_OPERATION_STATUS","update_operation_status":{"status":{"state":"OPERATION_PENDING","uuid":[]}}}',
    ],
  ];
  for (const [label, text] of jsonCases) {
    it(`${label} (JSON)`, () => {
      const compiled = decodeError(() => schedulerEventCodec.decode(json(text), 'json'));
      let reference: unknown;
      try {
        referenceDecode('mesos.v1.scheduler.Event', json(text), 'json');
      } catch (error) {
        reference = error;
      }
      assert.ok(reference instanceof FieldProblem, 'the reference decoder rejects it too');
      assert.equal(compiled.kind, reference.kind);
      assert.equal(compiled.path, reference.path);
      assert.equal(compiled.reason, reference.reason);
    });
  }

  it('a missing required field (protobuf)', () => {
    // Event{type: UPDATE, update: Update{status: TaskStatus{task_id: {value: "t"}}}}: no state.
    const bytes = Uint8Array.from([0x08, 0x04, 0x2a, 0x07, 0x0a, 0x05, 0x0a, 0x03, 0x0a, 0x01, 0x74]);
    assert.throws(() => referenceDecode('mesos.v1.scheduler.Event', bytes, 'protobuf'), /missing required 'state'/);
    assert.match(decodeError(() => schedulerEventCodec.decode(bytes, 'protobuf')).reason, /required field 'state'/);
  });

  it('truncated bytes (protobuf)', () => {
    const bytes = Uint8Array.from([0x08, 0x04, 0x2a, 0x09, 0x0a]);
    assert.throws(() => referenceDecode('mesos.v1.scheduler.Event', bytes, 'protobuf'), RangeError);
    assert.equal(decodeError(() => schedulerEventCodec.decode(bytes, 'protobuf')).kind, 'not-protobuf');
  });
});

describe('error messages', () => {
  it('never quote the content of a bytes field, which may be a secret', () => {
    const call: SchedulerCall = {
      type: 'ACCEPT',
      framework_id: { value: 'f' },
      accept: {
        operations: [
          {
            type: 'LAUNCH',
            launch: {
              task_infos: [
                {
                  name: 't',
                  task_id: { value: 't' },
                  agent_id: { value: 'a' },
                  command: {
                    environment: {
                      variables: [
                        { name: 'TOKEN', type: 'SECRET', secret: { type: 'VALUE', value: { data: 'hunter2-s3cr3t' } } },
                      ],
                    },
                  },
                },
              ],
            },
          },
        ],
      },
    };
    const error = encodeError(() => schedulerCallCodec.encode(call, 'json'));
    assert.equal(error.kind, 'invalid-base64');
    assert.ok(!error.message.includes('hunter2'), error.message);
    assert.match(error.path ?? '', /secret\.value\.data$/);
  });
});
