import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type AgentCall,
  agentCallCodec,
  type AgentResponse,
  agentResponseCodec,
  MEDIA_TYPE,
  MesosDecodeError,
  type WireEncoding,
} from '../../../core/mesos/codec';
import { NegotiationError, readBody, requestEncoding, responseEncoding } from '../http/negotiation';
import { sendText } from '../master/sendText';
import { agentMetrics } from './agentMetrics';
import type { AgentServerInfo } from './agentServerInfo';
import { type AgentAddress, buildInfo } from './agentStateJson';
import { agentGetExecutors, agentGetFrameworks, agentGetState, agentGetTasks } from './agentV1State';
import type { SandboxAgent } from './sandboxAgent';
import type { SandboxFiles } from './sandboxFiles';

/** What one operator call on the agent needs. */
export interface AgentOperatorContext {
  readonly agent: SandboxAgent;
  readonly info: AgentServerInfo;
  readonly address: AgentAddress;
  readonly files: SandboxFiles;
  readonly flags: Readonly<Record<string, string>>;
  /** The authenticated principal, when authentication is on. */
  readonly principal: string | undefined;
  /** Whether the principal may see this sandbox path; false answers 403 (the agent's sandbox ACLs). */
  readonly mayReadFiles: (path: string) => boolean;
}

class CallError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * `POST /api/v1` of the agent (reference §6.4) for the calls the sandbox agent answers: GET_HEALTH,
 * GET_VERSION, GET_FLAGS, GET_METRICS, GET_STATE, GET_TASKS, GET_EXECUTORS, GET_FRAMEWORKS, GET_AGENT,
 * LIST_FILES and READ_FILE, in JSON or protobuf with Mesos's content negotiation (§1.2). Anything else is
 * 501, as a call type the agent does not implement.
 */
export async function handleAgentOperatorRequest(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: AgentOperatorContext,
): Promise<void> {
  let requestType: WireEncoding;
  let answerType: WireEncoding;
  let call: AgentCall;
  try {
    requestType = requestEncoding(req);
    if (req.headers['message-content-type'] !== undefined) {
      throw new NegotiationError(415, "Expecting 'Message-Content-Type' to be not set for non-streaming requests");
    }
    answerType = responseEncoding(req);
    if (req.headers['message-accept'] !== undefined) {
      throw new NegotiationError(406, "Expecting 'Message-Accept' to be not set for non-streaming responses");
    }
    const body = await readBody(req);
    call = decodeCall(body, requestType);
  } catch (error) {
    if (error instanceof NegotiationError || error instanceof CallError)
      return sendText(res, error.status, error.message);
    throw error;
  }
  let response: AgentResponse;
  try {
    response = await answer(call, ctx);
  } catch (error) {
    if (error instanceof CallError) return sendText(res, error.status, error.message);
    throw error;
  }
  const bytes = agentResponseCodec.encode(response, answerType);
  res.writeHead(200, { 'Content-Type': MEDIA_TYPE[answerType], 'Content-Length': String(bytes.length) });
  res.end(bytes);
}

function decodeCall(body: Uint8Array, encoding: WireEncoding): AgentCall {
  try {
    return agentCallCodec.decode(body, encoding);
  } catch (error) {
    if (!(error instanceof MesosDecodeError)) throw error;
    if (error.path === 'type' && error.kind === 'missing-field') {
      throw new CallError(400, "Failed to validate agent::Call: Expecting 'type' to be present");
    }
    throw new CallError(400, `Failed to parse body into Call: ${error.reason}`);
  }
}

async function answer(call: AgentCall, ctx: AgentOperatorContext): Promise<AgentResponse> {
  const { agent, info } = ctx;
  switch (call.type) {
    case 'GET_HEALTH':
      return { type: 'GET_HEALTH', get_health: { healthy: true } };
    case 'GET_VERSION':
      return { type: 'GET_VERSION', get_version: { version_info: buildInfo(info) } };
    case 'GET_FLAGS':
      return {
        type: 'GET_FLAGS',
        get_flags: { flags: Object.entries(ctx.flags).map(([name, value]) => ({ name, value })) },
      };
    case 'GET_METRICS': {
      const metrics = agentMetrics(agent, info, Date.now() / 1000);
      return {
        type: 'GET_METRICS',
        get_metrics: { metrics: Object.entries(metrics).map(([name, value]) => ({ name, value })) },
      };
    }
    case 'GET_STATE':
      return { type: 'GET_STATE', get_state: agentGetState(agent) };
    case 'GET_TASKS':
      return { type: 'GET_TASKS', get_tasks: agentGetTasks(agent) };
    case 'GET_EXECUTORS':
      return { type: 'GET_EXECUTORS', get_executors: agentGetExecutors(agent) };
    case 'GET_FRAMEWORKS':
      return { type: 'GET_FRAMEWORKS', get_frameworks: agentGetFrameworks(agent) };
    case 'GET_AGENT':
      return {
        type: 'GET_AGENT',
        get_agent: {
          agent_info: {
            hostname: info.hostname,
            port: ctx.address.port,
            resources: [...info.resources],
            attributes: [...info.attributes],
            id: { value: agent.id },
          },
        },
      };
    case 'LIST_FILES': {
      const path = required(call.list_files, 'list_files').path;
      if (!ctx.mayReadFiles(path)) throw new CallError(403, '');
      const listing = await ctx.files.browse(path);
      if (!listing.ok) throw new CallError(listing.status, listing.message);
      return {
        type: 'LIST_FILES',
        list_files: {
          file_infos: listing.value.map((f) => ({
            path: f.path,
            nlink: f.nlink,
            size: f.size,
            mtime: { nanoseconds: (BigInt(f.mtime) * 1_000_000_000n).toString() },
            mode: f.mode,
            uid: f.uid,
            gid: f.gid,
          })),
        },
      };
    }
    case 'READ_FILE': {
      const request = required(call.read_file, 'read_file');
      const offset = Number(request.offset);
      const length = request.length === undefined ? undefined : Number(request.length);
      if (!Number.isSafeInteger(offset) || offset < 0)
        throw new CallError(400, `Negative offset provided: ${String(request.offset)}.\n`);
      if (length !== undefined && (!Number.isSafeInteger(length) || length < 0)) {
        throw new CallError(400, `Negative length provided: ${String(request.length)}.\n`);
      }
      if (!ctx.mayReadFiles(request.path)) throw new CallError(403, '');
      const read = await ctx.files.read(request.path, offset, length);
      if (!read.ok) throw new CallError(read.status, read.message);
      return { type: 'READ_FILE', read_file: { size: read.value.size, data: read.value.data.toString('base64') } };
    }
    case 'UNKNOWN':
    case undefined:
      throw new CallError(501, '');
    default:
      throw new CallError(501, `The sandbox agent does not implement ${call.type}`);
  }
}

function required<T>(payload: T | undefined, field: string): T {
  if (payload === undefined)
    throw new CallError(400, `Failed to validate agent::Call: Expecting '${field}' to be present`);
  return payload;
}
