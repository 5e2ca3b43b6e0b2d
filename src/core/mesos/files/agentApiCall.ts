import type { Endpoint } from '../../http/endpoint';
import {
  type AgentCall,
  agentCallCodec,
  type AgentResponse,
  agentResponseCodec,
  MEDIA_TYPE,
  type WireEncoding,
  wireEncodingOfContentType,
} from '../codec';

export interface AgentCallOptions {
  /** Body encoding of the call and of the answer asked for (default JSON). */
  readonly encoding?: WireEncoding;
  readonly signal: AbortSignal;
}

/**
 * One call of an agent's v1 operator API (`POST /api/v1`, reference §6.4), answered synchronously. HTTP
 * failures arrive as the HTTP layer's errors; a body that is not an agent Response as MesosDecodeError.
 */
export async function postAgentCall(
  endpoint: Endpoint,
  call: AgentCall,
  options: AgentCallOptions,
): Promise<AgentResponse> {
  const encoding = options.encoding ?? 'json';
  const body = agentCallCodec.encode(call, encoding);
  const response = await endpoint.request({
    method: 'POST',
    path: '/api/v1',
    headers: { 'content-type': MEDIA_TYPE[encoding], accept: MEDIA_TYPE[encoding] },
    body,
    signal: options.signal,
    expectContentType: [MEDIA_TYPE.json, MEDIA_TYPE.protobuf],
  });
  // A Mesos agent answers in the encoding asked for; the header decides in case something in between did not.
  const answered = wireEncodingOfContentType(response.headers.get('content-type')) ?? encoding;
  return agentResponseCodec.decode(response.body, answered);
}
