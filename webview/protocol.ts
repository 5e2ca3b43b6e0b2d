/**
 * The one message protocol between the extension host and the Jenkins Queue & Scaling webview, imported by
 * both sides. The webview starts by sending `ready`; the host answers with `init` (a whole snapshot) and
 * only then sends `changes` (messages posted earlier would be lost, and a hidden webview is destroyed, so
 * every `ready` gets a fresh snapshot). The webview's requests carry an id that their `response` repeats.
 * Every message is checked on arrival with `parseWebviewMessage` / `parseHostMessage`, which say what was
 * wrong; nothing else is trusted.
 *
 * The data types here are also what the autoscaler provides to the panel (see src/core/scheduler/autoscaler/queueSource.ts).
 * Times are milliseconds since the epoch; lists are oldest first (the webview orders them for display).
 */
import * as v from 'valibot';

// ---- data -------------------------------------------------------------------------------------------------

/** Where this cluster's scheduler runs, as the design asks the UI to always say. */
export type SchedulerWhere = 'here' | 'other-window' | 'headless' | 'stopped';

export interface SchedulerStatus {
  readonly where: SchedulerWhere;
  /** True while scaling is paused (no launches and no removals). */
  readonly paused: boolean;
  /** True while decisions are recorded but no agent is launched or removed. */
  readonly dryRun: boolean;
  /** A short sentence that adds to `where`, e.g. "headless daemon on ci-01, pid 4242". */
  readonly detail?: string;
}

/**
 * Where a queue item stands from the autoscaler's side: no agent asked for yet, an agent launching for it,
 * an agent online that can take it (Jenkins has yet to assign it), or no agent launched because a limit was
 * reached (`blockedBy` names the limit).
 */
export type QueueItemState = 'waiting' | 'agent-launching' | 'agent-online' | 'blocked-by-limit';

/** One item of the Jenkins build queue. */
export interface QueueRow {
  /** The Jenkins queue item id. */
  readonly id: number;
  /** The job's name (`task.name`). */
  readonly job: string;
  /** The label expression it waits for; null when the job can run anywhere. */
  readonly labelExpression: string | null;
  /** When it entered the queue (`inQueueSince`). */
  readonly since: number;
  /** Jenkins's own `why` text, null when Jenkins gave none. */
  readonly why: string | null;
  /** The name of the agent template that can serve it; null when none matches. */
  readonly template: string | null;
  readonly state: QueueItemState;
  /** The limit that holds it when `state` is `blocked-by-limit`, e.g. "max agents (4) of template linux". */
  readonly blockedBy?: string;
}

export type AgentState = 'launching' | 'idle' | 'busy' | 'offline' | 'removing';

/** One Jenkins agent that the autoscaler launched (a Mesos task). */
export interface AgentRow {
  /** The Jenkins node name. */
  readonly name: string;
  readonly labels: readonly string[];
  readonly state: AgentState;
  /** When it last became idle; null while it is busy, launching or not known. */
  readonly idleSince: number | null;
  /** The Mesos task id it runs as; null before the task was launched. */
  readonly taskId: string | null;
  /** The host name of the Mesos agent it runs on; null until known. */
  readonly host: string | null;
  readonly template?: string;
}

/**
 * One scaling or scheduling decision with its reason: plain data, shaped like the autoscaler's and the
 * reducer's decision records so that passing them on is a copy.
 */
export interface DecisionRow {
  readonly at: number;
  /** e.g. "launch", "removed", "skip", "declined"; the filter offers the kinds it has seen. */
  readonly kind: string;
  /** For a decision not to act, which rule held it back, e.g. "limit", "backoff", "paused". */
  readonly skip?: string;
  readonly reason: string;
  /** The label (expression) the decision was about, when it was about one. */
  readonly label?: string;
  readonly template?: string;
  /** Jenkins queue item ids it serves or concerns. */
  readonly items?: readonly number[];
  /** The Jenkins node name. */
  readonly agent?: string;
  readonly taskId?: string;
  readonly offerId?: string;
  readonly mesosAgentId?: string;
  readonly hostname?: string;
  /** Made in dry-run mode: nothing was done. */
  readonly dryRun?: boolean;
}

/** One sample of the timeline chart. */
export interface TimelinePoint {
  readonly at: number;
  /** Buildable items waiting in the Jenkins queue. */
  readonly queued: number;
  /** Agents launched that have not connected yet. */
  readonly launching: number;
  /** Agents connected to Jenkins (idle or busy). */
  readonly online: number;
  /** Agents running a build. */
  readonly busy: number;
  /** Outstanding Mesos offers held by the scheduler. */
  readonly offers: number;
}

/** Everything the panel shows, sent on every `ready`. */
export interface QueueSnapshot {
  readonly cluster: string;
  readonly scheduler: SchedulerStatus;
  readonly queue: readonly QueueRow[];
  readonly agents: readonly AgentRow[];
  /** Oldest first; the webview keeps the newest `MAX_DECISIONS`. */
  readonly decisions: readonly DecisionRow[];
  /** Oldest first; the webview keeps the last hour. */
  readonly timeline: readonly TimelinePoint[];
}

/**
 * What changed since the last snapshot or change, so that a busy queue does not resend everything:
 * status, queue and agents replace what the webview has; decisions and timeline points are appended.
 * A `snapshot` change replaces all of it (e.g. after the scheduler restarted).
 */
export type QueueChange =
  | { readonly kind: 'status'; readonly scheduler: SchedulerStatus }
  | { readonly kind: 'queue'; readonly queue: readonly QueueRow[] }
  | { readonly kind: 'agents'; readonly agents: readonly AgentRow[] }
  | { readonly kind: 'decisions'; readonly decisions: readonly DecisionRow[] }
  | { readonly kind: 'timeline'; readonly points: readonly TimelinePoint[] }
  | { readonly kind: 'snapshot'; readonly snapshot: QueueSnapshot };

/** What "scale now" did, in a sentence for the user (the decisions it made arrive as changes). */
export interface ScaleNowResult {
  readonly summary: string;
}

// ---- messages ---------------------------------------------------------------------------------------------

/** Sent by the webview once its script runs and it can receive messages. */
export interface ReadyMessage {
  readonly type: 'ready';
}

/** What the webview can ask the host to do. */
export type QueueRequest =
  | { readonly method: 'pause' }
  | { readonly method: 'resume' }
  | { readonly method: 'setDryRun'; readonly on: boolean }
  | { readonly method: 'scaleNow' };

export type QueueRequestMethod = QueueRequest['method'];

/** A request of the webview; the host answers each with one `response` carrying the same id. */
export type RequestMessage = { readonly type: 'request'; readonly id: number } & QueueRequest;

export type WebviewToHost = ReadyMessage | RequestMessage;

/** Sent by the host in answer to `ready`: what the webview needs to render its first frame. */
export interface InitMessage {
  readonly type: 'init';
  readonly productVersion: string;
  readonly snapshot: QueueSnapshot;
}

/** The answer to a request: `result` is set for `scaleNow` only; `error` is a sentence for the user. */
export type ResponseMessage =
  | { readonly type: 'response'; readonly id: number; readonly ok: true; readonly result?: ScaleNowResult }
  | { readonly type: 'response'; readonly id: number; readonly ok: false; readonly error: string };

/** Changes since the last message, in order (the host batches them so a busy queue sends few messages). */
export interface ChangesMessage {
  readonly type: 'changes';
  readonly changes: readonly QueueChange[];
}

export type HostToWebview = InitMessage | ResponseMessage | ChangesMessage;

// ---- validation -------------------------------------------------------------------------------------------

/** The outcome of checking a message: the typed message, or why it was refused. */
export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

// Bounds keep a confused or hostile peer from making us hold or render absurd amounts.
const MAX_TEXT = 4096;
const MAX_ROWS = 100_000;

const text = v.pipe(v.string(), v.maxLength(MAX_TEXT));
const nonEmptyText = v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_TEXT));
const time = v.pipe(v.number(), v.finite(), v.minValue(0));
const count = v.pipe(v.number(), v.integer(), v.minValue(0));
const requestId = v.pipe(v.number(), v.safeInteger(), v.minValue(0));
const rows = <T extends v.GenericSchema>(item: T) => v.pipe(v.array(item), v.maxLength(MAX_ROWS));

// Each schema is typed against the interface above, so the two cannot drift apart.
const schedulerStatus: v.GenericSchema<unknown, SchedulerStatus> = v.object({
  where: v.picklist(['here', 'other-window', 'headless', 'stopped']),
  paused: v.boolean(),
  dryRun: v.boolean(),
  detail: v.optional(text),
});

const queueRow: v.GenericSchema<unknown, QueueRow> = v.object({
  id: count,
  job: nonEmptyText,
  labelExpression: v.nullable(text),
  since: time,
  why: v.nullable(text),
  template: v.nullable(text),
  state: v.picklist(['waiting', 'agent-launching', 'agent-online', 'blocked-by-limit']),
  blockedBy: v.optional(text),
});

const agentRow: v.GenericSchema<unknown, AgentRow> = v.object({
  name: nonEmptyText,
  labels: v.pipe(v.array(text), v.maxLength(1000)),
  state: v.picklist(['launching', 'idle', 'busy', 'offline', 'removing']),
  idleSince: v.nullable(time),
  taskId: v.nullable(text),
  host: v.nullable(text),
  template: v.optional(text),
});

const decisionRow: v.GenericSchema<unknown, DecisionRow> = v.object({
  at: time,
  kind: nonEmptyText,
  skip: v.optional(text),
  reason: text,
  label: v.optional(text),
  template: v.optional(text),
  items: v.optional(v.pipe(v.array(count), v.maxLength(MAX_ROWS))),
  agent: v.optional(text),
  taskId: v.optional(text),
  offerId: v.optional(text),
  mesosAgentId: v.optional(text),
  hostname: v.optional(text),
  dryRun: v.optional(v.boolean()),
});

const timelinePoint: v.GenericSchema<unknown, TimelinePoint> = v.object({
  at: time,
  queued: count,
  launching: count,
  online: count,
  busy: count,
  offers: count,
});

export const queueSnapshotSchema: v.GenericSchema<unknown, QueueSnapshot> = v.object({
  cluster: nonEmptyText,
  scheduler: schedulerStatus,
  queue: rows(queueRow),
  agents: rows(agentRow),
  decisions: rows(decisionRow),
  timeline: rows(timelinePoint),
});

const queueChange: v.GenericSchema<unknown, QueueChange> = v.variant('kind', [
  v.object({ kind: v.literal('status'), scheduler: schedulerStatus }),
  v.object({ kind: v.literal('queue'), queue: rows(queueRow) }),
  v.object({ kind: v.literal('agents'), agents: rows(agentRow) }),
  v.object({ kind: v.literal('decisions'), decisions: rows(decisionRow) }),
  v.object({ kind: v.literal('timeline'), points: rows(timelinePoint) }),
  v.object({ kind: v.literal('snapshot'), snapshot: queueSnapshotSchema }),
]);

const scaleNowResult: v.GenericSchema<unknown, ScaleNowResult> = v.object({ summary: text });

// What the webview sends is checked strictly: an unknown field is refused, not ignored.
const webviewMessage: v.GenericSchema<unknown, WebviewToHost> = v.variant('type', [
  v.strictObject({ type: v.literal('ready') }),
  v.variant('method', [
    v.strictObject({ type: v.literal('request'), id: requestId, method: v.literal('pause') }),
    v.strictObject({ type: v.literal('request'), id: requestId, method: v.literal('resume') }),
    v.strictObject({ type: v.literal('request'), id: requestId, method: v.literal('setDryRun'), on: v.boolean() }),
    v.strictObject({ type: v.literal('request'), id: requestId, method: v.literal('scaleNow') }),
  ]),
]);

const hostMessage: v.GenericSchema<unknown, HostToWebview> = v.variant('type', [
  v.object({ type: v.literal('init'), productVersion: text, snapshot: queueSnapshotSchema }),
  v.variant('ok', [
    v.object({ type: v.literal('response'), id: requestId, ok: v.literal(true), result: v.optional(scaleNowResult) }),
    v.object({ type: v.literal('response'), id: requestId, ok: v.literal(false), error: text }),
  ]),
  v.object({ type: v.literal('changes'), changes: v.pipe(v.array(queueChange), v.maxLength(MAX_ROWS)) }),
]);

/** "at queue[3].since: Invalid type: Expected number but received "x"" — the first problem, with its path. */
function reasonOf(issues: readonly v.BaseIssue<unknown>[]): string {
  const issue = issues[0];
  if (!issue) return 'Invalid message';
  const path = v.getDotPath(issue);
  return path ? `at ${path}: ${issue.message}` : issue.message;
}

function parseWith<T>(schema: v.GenericSchema<unknown, T>, value: unknown): Parsed<T> {
  const result = v.safeParse(schema, value, { abortEarly: true });
  return result.success ? { ok: true, value: result.output } : { ok: false, reason: reasonOf(result.issues) };
}

/** Checks a message from the webview: the host trusts nothing else. */
export function parseWebviewMessage(value: unknown): Parsed<WebviewToHost> {
  return parseWith(webviewMessage, value);
}

/** Checks a message from the host. */
export function parseHostMessage(value: unknown): Parsed<HostToWebview> {
  return parseWith(hostMessage, value);
}

/** Checks a snapshot (what a QueueSource hands the host, and what the webview kept in its state). */
export function parseQueueSnapshot(value: unknown): Parsed<QueueSnapshot> {
  return parseWith(queueSnapshotSchema, value);
}

/** Checks a change from a QueueSource before the host passes it on. */
export function parseQueueChange(value: unknown): Parsed<QueueChange> {
  return parseWith(queueChange, value);
}

/** The request id of a refused message when it has a usable one, so the host can still answer it. */
export function requestIdOf(value: unknown): number | undefined {
  const id = (value as { id?: unknown } | null)?.id;
  return typeof value === 'object' && value !== null && v.is(requestId, id) ? id : undefined;
}
