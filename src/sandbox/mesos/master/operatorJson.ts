import {
  masterEventCodec,
  masterResponseCodec,
  type MasterEvent,
  type MasterResponse,
  type WireEncoding,
} from '../../../core/mesos/codec';

/**
 * Operator API bodies byte-compatible in shape with a real master's. The codec checks and encodes every
 * message; for JSON two things a 1.12 master does differently from a generic protobuf-to-JSON writer are
 * then put back (test/fixtures/mesos-1.12/operator-get_state.json shows both):
 * - its hand-written writers for GET_STATE and friends always write the top-level lists, empty or not
 *   (`"unreachable_tasks":[]`, `"recovered_agents":[]`);
 * - it writes `TimeInfo.nanoseconds` as a bare number even beyond 2^53, where the codec keeps the exact
 *   value as a decimal string.
 */

/** The lists the master's writers always write, per payload message. */
const ALWAYS_WRITTEN: Readonly<Record<string, readonly string[]>> = {
  get_tasks: ['tasks', 'unreachable_tasks', 'completed_tasks'],
  get_executors: ['executors'],
  get_frameworks: ['frameworks', 'completed_frameworks'],
  get_agents: ['agents', 'recovered_agents'],
};

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function writeLists(payload: JsonObject, lists: readonly string[]): void {
  for (const list of lists) if (payload[list] === undefined) payload[list] = [];
}

function writeGetState(state: JsonObject): void {
  for (const [name, lists] of Object.entries(ALWAYS_WRITTEN)) {
    const part = isObject(state[name]) ? state[name] : (state[name] = {});
    writeLists(part as JsonObject, lists);
  }
}

// Safe on JSON text: inside a string value the quotes around a key would be escaped.
const QUOTED_NANOSECONDS = /"nanoseconds":"(-?\d+)"/g;

function masterJson(value: JsonObject): Uint8Array {
  return Buffer.from(JSON.stringify(value).replace(QUOTED_NANOSECONDS, '"nanoseconds":$1'), 'utf8');
}

export function encodeMasterResponse(response: MasterResponse, encoding: WireEncoding): Uint8Array {
  const bytes = masterResponseCodec.encode(response, encoding);
  if (encoding === 'protobuf') return bytes;
  const value = JSON.parse(Buffer.from(bytes).toString('utf8')) as JsonObject;
  const payloadName = response.type?.toLowerCase() ?? '';
  const payload = value[payloadName];
  if (isObject(payload)) {
    if (payloadName === 'get_state') writeGetState(payload);
    else if (ALWAYS_WRITTEN[payloadName]) writeLists(payload, ALWAYS_WRITTEN[payloadName]);
  }
  return masterJson(value);
}

export function encodeMasterEvent(event: MasterEvent, encoding: WireEncoding): Uint8Array {
  const bytes = masterEventCodec.encode(event, encoding);
  if (encoding === 'protobuf') return bytes;
  const value = JSON.parse(Buffer.from(bytes).toString('utf8')) as JsonObject;
  const subscribed = value.subscribed;
  if (isObject(subscribed) && isObject(subscribed.get_state)) writeGetState(subscribed.get_state);
  return masterJson(value);
}
