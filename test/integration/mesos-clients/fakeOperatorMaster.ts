import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  MEDIA_TYPE,
  masterCallCodec,
  masterEventCodec,
  masterResponseCodec,
  type MasterCall,
  type WireEncoding,
} from '../../../src/core/mesos/codec/index';
import type { LegacyMasterState, LegacyTask } from '../../../src/core/mesos/operator/legacyMasterState';
import { encodeRecord } from '../../../src/core/mesos/recordio/recordIoEncoder';
import { type LoopbackServer, startLoopbackServer } from '../../support/loopbackServer';
import { capture, CAPTURES, jsonRecords } from './captures';

export interface RecordedOperatorCall {
  readonly call: MasterCall;
  /** The body as text (JSON calls), to check what went on the wire, not only what it means. */
  readonly text: string;
  readonly headers: IncomingMessage['headers'];
}

/** Every task of the captured /master/state, as /master/tasks draws them (active and completed frameworks). */
export function capturedTasks(): LegacyTask[] {
  const state = JSON.parse(capture('master-state.json').toString('utf8')) as LegacyMasterState;
  return [...state.frameworks, ...state.completed_frameworks].flatMap((f) => [
    ...f.tasks,
    ...f.unreachable_tasks,
    ...f.completed_tasks,
  ]);
}

const firstStatusTime = (task: LegacyTask) => task.statuses[0]?.timestamp ?? 0;

/**
 * An operator endpoint that answers with what a real 1.12 master answered (test/fixtures/mesos-1.12):
 * GET_* from the operator-get_*.json/.pb captures, SUBSCRIBE from the captured stream, and the legacy
 * /master/state and /master/tasks (paged as Mesos pages them) from master-state.json. With `v1 = false`
 * it is a master without the v1 API: /api/v1 is a 404.
 */
export class FakeOperatorMaster {
  readonly calls: RecordedOperatorCall[] = [];
  readonly taskPages: URLSearchParams[] = [];
  v1 = true;
  /** Replaces the answer to a call type. */
  override: ((call: MasterCall, res: ServerResponse) => boolean) | undefined;
  /** What a SUBSCRIBE stream carries; by default the capture, then it stays open. */
  onSubscribe: ((res: ServerResponse, encoding: WireEncoding, attempt: number) => void) | undefined;
  subscribeAttempts = 0;

  private constructor(readonly server: LoopbackServer) {}

  static async start(): Promise<FakeOperatorMaster> {
    const ref: { master?: FakeOperatorMaster } = {};
    const server = await startLoopbackServer((req, res, body) => ref.master?.handle(req, res, body));
    ref.master = new FakeOperatorMaster(server);
    return ref.master;
  }

  get url(): string {
    return this.server.url;
  }

  close(): Promise<void> {
    return this.server.close();
  }

  /**
   * The captured answer to a call type in an encoding (JSON made from the protobuf capture when only that
   * exists). GET_METRICS has no captured answer: `operator-get_metrics.pb` holds the master's 400 text for
   * a call without its empty payload, so the answer is composed from real master metric names.
   */
  static answer(type: string, encoding: WireEncoding): Buffer {
    if (type === 'GET_METRICS') {
      const metrics = [
        { name: 'master/elected', value: 1 },
        { name: 'master/uptime_secs', value: 576.25 },
        { name: 'master/tasks_running', value: 1 },
      ];
      return Buffer.from(masterResponseCodec.encode({ type: 'GET_METRICS', get_metrics: { metrics } }, encoding));
    }
    const base = `operator-${type.toLowerCase()}`;
    if (encoding === 'json' && existsSync(join(CAPTURES, `${base}.json`))) return capture(`${base}.json`);
    if (encoding === 'protobuf') return capture(`${base}.pb`);
    return Buffer.from(
      masterResponseCodec.encode(masterResponseCodec.decode(capture(`${base}.pb`), 'protobuf'), 'json'),
    );
  }

  /** The captured operator SUBSCRIBE stream's records in an encoding. */
  static subscribeRecords(encoding: WireEncoding): Uint8Array[] {
    const records = jsonRecords('operator-subscribe-json.recordio.txt');
    if (encoding === 'json') return records;
    return records.map((record) => masterEventCodec.encode(masterEventCodec.decode(record, 'json'), 'protobuf'));
  }

  private handle(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://x');
    const refuse = (status: number, reason: string) => {
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(reason);
    };
    const json = (value: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(typeof value === 'string' || Buffer.isBuffer(value) ? value : JSON.stringify(value));
    };
    switch (url.pathname) {
      case '/master/state':
        return json(capture('master-state.json'));
      case '/master/tasks':
        return json({ tasks: this.tasksPage(url.searchParams) });
      case '/api/v1':
      case '/master/api/v1':
        break;
      default:
        return refuse(404, '');
    }
    if (!this.v1) return refuse(404, '');
    const contentType = req.headers['content-type'];
    const encoding: WireEncoding | undefined =
      contentType === MEDIA_TYPE.json ? 'json' : contentType === MEDIA_TYPE.protobuf ? 'protobuf' : undefined;
    if (encoding === undefined)
      return refuse(415, 'Expecting Content-Type of application/json or application/x-protobuf');
    const accept = req.headers.accept;
    const answerIn: WireEncoding | undefined =
      accept === undefined || accept === '*/*' || accept === MEDIA_TYPE.json
        ? 'json'
        : accept === MEDIA_TYPE.protobuf
          ? 'protobuf'
          : undefined;
    if (answerIn === undefined) return refuse(406, 'Expecting Accept of application/json or application/x-protobuf');
    let call: MasterCall;
    try {
      call = masterCallCodec.decode(body, encoding);
    } catch (error) {
      return refuse(400, `Failed to parse body into Call: ${error instanceof Error ? error.message : String(error)}`);
    }
    this.calls.push({ call, text: encoding === 'json' ? body.toString('utf8') : '', headers: req.headers });
    if (this.override?.(call, res)) return;
    if (call.type === 'GET_METRICS' && call.get_metrics === undefined) {
      return refuse(400, capture('operator-get_metrics.pb').toString('utf8'));
    }
    if (call.type === 'TEARDOWN') {
      res.writeHead(200);
      return void res.end();
    }
    if (call.type === 'SUBSCRIBE') {
      res.writeHead(200, { 'content-type': MEDIA_TYPE[answerIn] });
      res.flushHeaders();
      this.subscribeAttempts++;
      if (this.onSubscribe) return this.onSubscribe(res, answerIn, this.subscribeAttempts);
      for (const record of FakeOperatorMaster.subscribeRecords(answerIn)) res.write(encodeRecord(record));
      return;
    }
    res.writeHead(200, { 'content-type': MEDIA_TYPE[answerIn] });
    res.end(FakeOperatorMaster.answer(call.type ?? 'UNKNOWN', answerIn));
  }

  /** /master/tasks as Mesos serves it: sorted by each task's first status, then `offset` and `limit`. */
  private tasksPage(query: URLSearchParams): LegacyTask[] {
    this.taskPages.push(query);
    const limit = Number(query.get('limit') ?? 100);
    const offset = Number(query.get('offset') ?? 0);
    const order = query.get('order') ?? 'desc';
    const frameworkId = query.get('framework_id');
    const tasks = capturedTasks()
      .filter((task) => frameworkId === null || task.framework_id === frameworkId)
      .sort((a, b) => (order === 'asc' ? 1 : -1) * (firstStatusTime(a) - firstStatusTime(b)));
    return tasks.slice(offset, offset + limit);
  }
}
