import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  masterCallCodec,
  MEDIA_TYPE,
  MesosDecodeError,
  type MasterCall,
  type MasterEvent,
  type MasterResponse,
  type WireEncoding,
} from '../../../core/mesos/codec';
import { EventStream } from '../http/eventStream';
import { NegotiationError, readBody, requestEncoding, responseEncoding } from '../http/negotiation';
import type { MasterContext } from './masterContext';
import { MAX_OPERATOR_SUBSCRIBERS, masterFlags } from './masterFlags';
import { masterMetrics } from './masterMetrics';
import { encodeMasterEvent, encodeMasterResponse } from './operatorJson';
import {
  getAgentsView,
  getExecutorsView,
  getFrameworksView,
  getMasterView,
  getStateView,
  getTasksView,
  operatorEvent,
  versionInfo,
} from './operatorViews';
import { sendText } from './sendText';

const HEARTBEAT: MasterEvent = { type: 'HEARTBEAT' };

/**
 * Payload fields Mesos's call validation requires for their call type (src/master/validation.cpp), among
 * those our proto subset decodes: `{"type":"GET_METRICS"}` is a 400, `"get_metrics":{}` is fine.
 */
const REQUIRED_PAYLOAD: ReadonlySet<keyof MasterCall> = new Set<keyof MasterCall>([
  'get_metrics',
  'set_logging_level',
  'list_files',
  'read_file',
  'update_weights',
  'reserve_resources',
  'unreserve_resources',
  'create_volumes',
  'destroy_volumes',
  'grow_volume',
  'shrink_volume',
  'teardown',
  'mark_agent_gone',
  'deactivate_agent',
  'reactivate_agent',
]);

class CallRejected extends Error {}

/** Mesos's wording for a body that is not a valid master::Call (src/master/http.cpp, `api`). */
function rejection(error: MesosDecodeError, encoding: WireEncoding): CallRejected {
  // An unknown type name or number is dropped by the proto2 parser, so Mesos finds no type at all.
  if (error.path === 'type' && (error.kind === 'missing-field' || error.kind === 'unknown-enum')) {
    return new CallRejected("Failed to validate master::Call: Expecting 'type' to be present");
  }
  if (encoding === 'protobuf') return new CallRejected('Failed to parse body into Call protobuf');
  if (error.kind === 'not-json' || error.kind === 'empty' || error.kind === 'html') {
    return new CallRejected(`Failed to parse body into JSON: ${error.reason}`);
  }
  const required = error.kind === 'missing-field' ? /required field '([^']+)'/.exec(error.reason)?.[1] : undefined;
  if (required !== undefined) {
    return new CallRejected(
      `Failed to convert JSON into Call protobuf: Missing required fields: ${error.path ? `${error.path}.` : ''}${required}`,
    );
  }
  return new CallRejected(
    `Failed to convert JSON into Call protobuf: ${error.reason}${error.path ? ` (at '${error.path}')` : ''}`,
  );
}

function sendResponse(res: ServerResponse, response: MasterResponse, encoding: WireEncoding): void {
  const body = encodeMasterResponse(response, encoding);
  res.writeHead(200, { 'Content-Type': MEDIA_TYPE[encoding], 'Content-Length': String(body.length) });
  res.end(body);
}

function sendEmpty(res: ServerResponse, status: number): void {
  res.writeHead(status, { 'Content-Length': '0' });
  res.end();
}

/**
 * POST /api/v1 on the sandbox master: the v1 operator API with the real master's checks in the real
 * master's order (reference §1.2, §6): method, Content-Type, body, call validation, then Accept. The
 * read calls answer from the model (operatorViews.ts); SUBSCRIBE streams a snapshot and then the model's
 * changes; TEARDOWN and MARK_AGENT_GONE act on it. Calls the sandbox does not model answer 501.
 */
export async function handleOperatorRequest(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: MasterContext,
  _principal: string | undefined,
): Promise<void> {
  let call: MasterCall;
  let accept: WireEncoding;
  try {
    const encoding = requestEncoding(req);
    const body = await readBody(req);
    try {
      call = masterCallCodec.decode(body, encoding);
    } catch (err) {
      if (err instanceof MesosDecodeError) throw rejection(err, encoding);
      throw err;
    }
    const payload = call.type?.toLowerCase() as keyof MasterCall | undefined;
    if (payload !== undefined && REQUIRED_PAYLOAD.has(payload) && call[payload] === undefined) {
      throw new CallRejected(`Failed to validate master::Call: Expecting '${payload}' to be present`);
    }
    accept = responseEncoding(req);
  } catch (err) {
    if (err instanceof NegotiationError) return sendText(res, err.status, err.message, err.headers);
    if (err instanceof CallRejected) return sendText(res, 400, err.message);
    throw err;
  }

  const { master } = ctx;
  switch (call.type) {
    case 'UNKNOWN':
      return sendText(res, 501, '');
    case 'GET_HEALTH':
      return sendResponse(res, { type: 'GET_HEALTH', get_health: { healthy: true } }, accept);
    case 'GET_FLAGS': {
      const flags = Object.entries(masterFlags(ctx)).map(([name, value]) => ({ name, value }));
      return sendResponse(res, { type: 'GET_FLAGS', get_flags: { flags } }, accept);
    }
    case 'GET_VERSION':
      return sendResponse(res, { type: 'GET_VERSION', get_version: { version_info: versionInfo(master) } }, accept);
    case 'GET_METRICS': {
      const metrics = Object.entries(masterMetrics(ctx)).map(([name, value]) => ({ name, value }));
      return sendResponse(res, { type: 'GET_METRICS', get_metrics: { metrics } }, accept);
    }
    case 'GET_STATE':
      return sendResponse(res, { type: 'GET_STATE', get_state: getStateView(master) }, accept);
    case 'GET_AGENTS':
      return sendResponse(res, { type: 'GET_AGENTS', get_agents: getAgentsView(master) }, accept);
    case 'GET_FRAMEWORKS':
      return sendResponse(res, { type: 'GET_FRAMEWORKS', get_frameworks: getFrameworksView(master) }, accept);
    case 'GET_EXECUTORS':
      return sendResponse(res, { type: 'GET_EXECUTORS', get_executors: getExecutorsView() }, accept);
    case 'GET_TASKS':
      return sendResponse(res, { type: 'GET_TASKS', get_tasks: getTasksView(master) }, accept);
    case 'GET_MASTER':
      return sendResponse(res, { type: 'GET_MASTER', get_master: getMasterView(ctx) }, accept);
    // The sandbox has no offer operations and no role weights: both lists are truthfully empty.
    case 'GET_OPERATIONS':
      return sendResponse(res, { type: 'GET_OPERATIONS', get_operations: {} }, accept);
    case 'GET_WEIGHTS':
      return sendResponse(res, { type: 'GET_WEIGHTS', get_weights: {} }, accept);
    case 'SUBSCRIBE':
      return subscribe(res, ctx, accept);
    case 'TEARDOWN': {
      const fw = master.frameworks.get(call.teardown!.framework_id.value);
      if (!fw) return sendText(res, 400, 'No framework found with specified ID');
      master.removeFramework(fw, 'operator');
      return sendEmpty(res, 200);
    }
    case 'MARK_AGENT_GONE': {
      const agentId = call.mark_agent_gone!.agent_id.value;
      if (!master.agents.has(agentId)) return sendText(res, 404, `Agent '${agentId}' not found`);
      await master.removeAgent(agentId, 'gone');
      return sendEmpty(res, 200);
    }
    default:
      return sendText(res, 501, `The sandbox master does not implement ${call.type ?? 'this call'}`);
  }
}

/**
 * SUBSCRIBE: SUBSCRIBED with the whole state, a HEARTBEAT at once, then every change of the model and a
 * heartbeat per interval, until the client goes away or the stream is closed (leader switch, shutdown).
 */
function subscribe(res: ServerResponse, ctx: MasterContext, accept: WireEncoding): void {
  const { master } = ctx;
  const stream = new EventStream<MasterEvent>(res, encodeMasterEvent, accept, HEARTBEAT, ctx.heartbeatMs, ctx.faults);
  const forward = (event: MasterEvent) => {
    try {
      stream.send(operatorEvent(master, event));
    } catch {
      // An event that cannot be encoded must not break the master that emitted it; ending the stream
      // makes the client resubscribe and start again from a consistent snapshot.
      stream.close();
    }
  };
  stream.send({
    type: 'SUBSCRIBED',
    subscribed: { get_state: getStateView(master), heartbeat_interval_seconds: ctx.heartbeatMs / 1000 },
  });
  stream.startHeartbeats();
  master.on('event', forward);
  ctx.operatorStreams.add(stream);
  stream.onClose(() => {
    master.off('event', forward);
    ctx.operatorStreams.delete(stream);
  });
  for (const oldest of ctx.operatorStreams) {
    if (ctx.operatorStreams.size <= MAX_OPERATOR_SUBSCRIBERS) break;
    oldest.close();
  }
}
