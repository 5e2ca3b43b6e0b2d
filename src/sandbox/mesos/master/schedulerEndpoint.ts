import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { MesosDecodeError, schedulerCallCodec, schedulerEventCodec, type SchedulerCall, type SchedulerEvent } from '../../../core/mesos/codec';
import { EventStream } from '../http/eventStream';
import { NegotiationError, readBody, requestEncoding, responseEncoding } from '../http/negotiation';
import type { MasterContext } from './masterContext';
import { sendText } from './sendText';

const HEARTBEAT: SchedulerEvent = { type: 'HEARTBEAT' };

/**
 * POST /api/v1/scheduler: the v1 scheduler API's HTTP rules (reference §2.1, §2.5, §2.6) in front of the
 * sandbox master. SUBSCRIBE becomes a RecordIO event stream with a fresh Mesos-Stream-Id; every other
 * call is answered 202 (200 for UPDATE_FRAMEWORK) or with the status and text Mesos gives.
 */
export async function handleSchedulerRequest(req: IncomingMessage, res: ServerResponse, ctx: MasterContext, principal: string | undefined): Promise<void> {
  let call: SchedulerCall;
  let accept: ReturnType<typeof responseEncoding> = 'json';
  try {
    const encoding = requestEncoding(req);
    const body = await readBody(req);
    call = schedulerCallCodec.decode(body, encoding);
    if (call.type === 'SUBSCRIBE') accept = responseEncoding(req);
  } catch (err) {
    if (err instanceof NegotiationError) return sendText(res, err.status, err.message, err.headers);
    if (err instanceof MesosDecodeError) return sendText(res, 400, `Failed to parse body into Call: ${err.message}`);
    throw err;
  }
  const streamHeader = req.headers['mesos-stream-id'];
  const streamId = Array.isArray(streamHeader) ? streamHeader[0] : streamHeader;

  if (call.type === 'SUBSCRIBE') {
    if (streamId !== undefined) return sendText(res, 400, "Subscribe calls should not include the 'Mesos-Stream-Id' header");
    const newStreamId = randomUUID();
    const stream = new EventStream<SchedulerEvent>(
      res,
      (e, enc) => schedulerEventCodec.encode(e, enc),
      accept,
      HEARTBEAT,
      ctx.heartbeatMs,
      ctx.faults,
      { 'Mesos-Stream-Id': newStreamId },
    );
    const refused = ctx.master.subscribe(call, stream, newStreamId, principal);
    if (refused) sendText(res, refused.status, refused.reason ?? '');
    return;
  }
  const result = ctx.master.call(call, streamId, principal);
  if (result.status >= 400) return sendText(res, result.status, result.reason ?? '');
  res.writeHead(result.status, { 'Content-Length': '0' });
  res.end();
}
