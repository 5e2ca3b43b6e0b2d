import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, NegotiationError } from '../http/negotiation';
import { agentJson, frameworkJson, rolesJson, stateJson, stateSummaryJson, taskJson, type Json } from './legacyViews';
import type { MasterContext } from './masterContext';
import { masterFlags } from './masterFlags';
import { masterMetrics } from './masterMetrics';
import type { TaskRecord } from './masterRecords';
import { versionInfo } from './operatorViews';
import { sendText } from './sendText';

/** Mesos's default page size of /master/tasks (TASK_LIMIT). */
const TASK_LIMIT = 100;

/** A JSON body, or with `jsonp` the JavaScript call libprocess wraps it in. */
function sendLegacyJson(res: ServerResponse, value: unknown, jsonp: string | null): void {
  const json = JSON.stringify(value);
  const body = Buffer.from(jsonp === null ? json : `${jsonp}(${json});`, 'utf8');
  res.writeHead(200, {
    'Content-Type': jsonp === null ? 'application/json' : 'text/javascript',
    'Content-Length': String(body.length),
  });
  res.end(body);
}

/** An integer query parameter as Mesos's numify<int> reads it: anything else counts as absent. */
function intParam(value: string | null): number | undefined {
  return value !== null && /^[+-]?\d+$/.test(value.trim()) ? Number(value) : undefined;
}

function firstStatusTime(rec: TaskRecord): number | undefined {
  return rec.task.statuses?.[0]?.timestamp;
}

/**
 * /master/tasks: active, unreachable and completed tasks of registered and completed frameworks, ordered
 * by the time of each task's first status (tasks without any go first ascending, last descending, as in
 * Mesos's TaskComparator), then paged. A negative limit is unlimited and a negative offset is past the
 * end, which is what Mesos's conversion to size_t makes of them.
 */
function tasksJson(ctx: MasterContext, url: URL): Json {
  const { master } = ctx;
  const frameworkId = url.searchParams.get('framework_id');
  const taskId = url.searchParams.get('task_id');
  const limit = intParam(url.searchParams.get('limit')) ?? TASK_LIMIT;
  const offset = intParam(url.searchParams.get('offset')) ?? 0;
  const ascending = url.searchParams.get('order') === 'asc';
  const known = new Set([...master.frameworks.keys(), ...master.completedFrameworks.map((fw) => fw.id)]);
  const tasks = [...master.tasks.values(), ...master.unreachableTasks.values(), ...master.completedTasks].filter(
    (rec) =>
      known.has(rec.frameworkId) &&
      (frameworkId === null || rec.frameworkId === frameworkId) &&
      (taskId === null || rec.task.task_id.value === taskId),
  );
  tasks.sort((a, b) => {
    const ta = firstStatusTime(a);
    const tb = firstStatusTime(b);
    if (ta === undefined || tb === undefined) {
      if (ta === tb) return 0;
      return (ta === undefined) === ascending ? -1 : 1;
    }
    return ascending ? ta - tb : tb - ta;
  });
  const start = offset < 0 ? tasks.length : offset;
  const end = limit < 0 ? tasks.length : start + limit;
  return { tasks: tasks.slice(start, end).map(taskJson) };
}

/** POST /master/teardown with the form body `frameworkId=<id>` (Mesos's wording for each failure). */
async function teardown(req: IncomingMessage, res: ServerResponse, ctx: MasterContext): Promise<void> {
  if (req.method !== 'POST') {
    return sendText(res, 405, `Expecting one of { 'POST' }, but received '${req.method ?? ''}'`, { Allow: 'POST' });
  }
  let body: Uint8Array;
  try {
    body = await readBody(req, 64 * 1024);
  } catch (err) {
    if (err instanceof NegotiationError) return sendText(res, err.status, err.message, err.headers);
    throw err;
  }
  const frameworkId = new URLSearchParams(Buffer.from(body).toString('utf8')).get('frameworkId');
  if (frameworkId === null) return sendText(res, 400, "Missing 'frameworkId' query parameter in the request body");
  const fw = ctx.master.frameworks.get(frameworkId);
  if (!fw) return sendText(res, 400, 'No framework found with specified ID');
  ctx.master.removeFramework(fw, 'operator');
  res.writeHead(200, { 'Content-Length': '0' });
  res.end();
}

/**
 * The master's legacy JSON endpoints (reference §7.2, §7.3, §7.7), `path` already rewritten to its
 * process (`/state` arrives as `/master/state`). Answers and returns true for the paths it serves; returns
 * false for any other path so the router can answer 404.
 */
export async function handleLegacyRequest(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: MasterContext,
  path: string,
  url: URL,
): Promise<boolean> {
  const { master } = ctx;
  const jsonp = url.searchParams.get('jsonp');
  switch (path) {
    case '/master/state':
    case '/master/state.json':
      sendLegacyJson(res, stateJson(ctx), jsonp);
      return true;
    case '/master/state-summary':
      sendLegacyJson(res, stateSummaryJson(ctx), jsonp);
      return true;
    case '/master/frameworks': {
      const id = url.searchParams.get('framework_id');
      const select = (fwId: string) => id === null || fwId === id;
      sendLegacyJson(
        res,
        {
          frameworks: [...master.frameworks.values()]
            .filter((fw) => select(fw.id))
            .map((fw) => frameworkJson(master, fw)),
          completed_frameworks: master.completedFrameworks
            .filter((fw) => select(fw.id))
            .map((fw) => frameworkJson(master, fw)),
          unregistered_frameworks: [],
        },
        jsonp,
      );
      return true;
    }
    case '/master/slaves': {
      const id = url.searchParams.get('slave_id');
      const slaves = [...master.agents.values()].filter((agent) => id === null || agent.id === id);
      sendLegacyJson(
        res,
        { slaves: slaves.map((agent) => agentJson(master, agent, true)), recovered_slaves: [] },
        jsonp,
      );
      return true;
    }
    case '/master/tasks':
      sendLegacyJson(res, tasksJson(ctx, url), jsonp);
      return true;
    case '/master/roles':
      sendLegacyJson(res, rolesJson(master), jsonp);
      return true;
    case '/master/flags':
      sendLegacyJson(res, { flags: masterFlags(ctx) }, jsonp);
      return true;
    case '/version': {
      const { version, build_date, build_time, build_user } = versionInfo(master);
      sendLegacyJson(res, { build_date, build_time, build_user, version }, jsonp);
      return true;
    }
    case '/metrics/snapshot':
      // Every metric is computed on the spot, so a `timeout` never leaves any out.
      sendLegacyJson(res, masterMetrics(ctx), jsonp);
      return true;
    case '/master/teardown':
      await teardown(req, res, ctx);
      return true;
    default:
      return false;
  }
}
