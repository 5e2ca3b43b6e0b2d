/**
 * The Jenkins JSON an autoscaler reads, as the reference gives it (`jenkins.md` §1–§4). Shapes are the full
 * `depth=0` shapes; a response fetched with `tree=` carries only the named keys (plus `_class`), so read
 * such a response through `Partial<…>` / `Pick<…>` and check what you asked for.
 *
 * Times are epoch milliseconds. `_class` is the Java class name.
 */

export const QUEUE_CLASS = 'hudson.model.Queue';
export const WAITING_ITEM_CLASS = 'hudson.model.Queue$WaitingItem';
export const BLOCKED_ITEM_CLASS = 'hudson.model.Queue$BlockedItem';
export const BUILDABLE_ITEM_CLASS = 'hudson.model.Queue$BuildableItem';
export const LEFT_ITEM_CLASS = 'hudson.model.Queue$LeftItem';
export const FREESTYLE_PROJECT_CLASS = 'hudson.model.FreeStyleProject';
export const FREESTYLE_BUILD_CLASS = 'hudson.model.FreeStyleBuild';
/** The queue task of a Pipeline `node(...)` block; it exports no label. */
export const PLACEHOLDER_TASK_CLASS =
  'org.jenkinsci.plugins.workflow.support.steps.ExecutorStepExecution$PlaceholderTask';
export const PLACEHOLDER_EXECUTABLE_CLASS =
  'org.jenkinsci.plugins.workflow.support.steps.ExecutorStepExecution$PlaceholderTask$PlaceholderExecutable';
export const WORKFLOW_JOB_CLASS = 'org.jenkinsci.plugins.workflow.job.WorkflowJob';
export const COMPUTER_SET_CLASS = 'hudson.model.ComputerSet';
export const SLAVE_COMPUTER_CLASS = 'hudson.slaves.SlaveComputer';
export const BUILT_IN_COMPUTER_CLASS = 'hudson.model.Hudson$MasterComputer';
export const DUMB_SLAVE_CLASS = 'hudson.slaves.DumbSlave';
export const JNLP_LAUNCHER_CLASS = 'hudson.slaves.JNLPLauncher';
export const DEFAULT_CRUMB_ISSUER_CLASS = 'hudson.security.csrf.DefaultCrumbIssuer';

export type JenkinsQueueItemClass =
  typeof WAITING_ITEM_CLASS | typeof BLOCKED_ITEM_CLASS | typeof BUILDABLE_ITEM_CLASS | typeof LEFT_ITEM_CLASS;

/** `GET queue/api/json`. Items come waiting, blocked, buildable (newest first), then pending. */
export interface JenkinsQueue {
  readonly _class: typeof QUEUE_CLASS;
  readonly items: readonly JenkinsQueueItem[];
  /** Items the caller may only DISCOVER: just `{ task: { name } }`. */
  readonly discoverableItems: readonly { readonly task: { readonly name: string } }[];
}

/** A queue item; which optional keys exist depends on its class (reference §2.2). */
export interface JenkinsQueueItem {
  readonly _class: JenkinsQueueItemClass;
  /** Stable across stages; becomes the run's queue id. */
  readonly id: number;
  readonly inQueueSince: number;
  readonly blocked: boolean;
  readonly buildable: boolean;
  /** Buildable items only can be true: all nodes of the label offline (or none), or waiting very long. */
  readonly stuck: boolean;
  /** Localised reason (send `Accept-Language: en`); null for left items. */
  readonly why: string | null;
  /** `"\nNAME=value…"` for string parameters, `""` if none. */
  readonly params: string;
  readonly task: JenkinsQueueTask;
  /** `queue/item/<id>/`, relative to the root URL. */
  readonly url: string;
  readonly actions: readonly JenkinsAction[];
  /** Waiting items: when the quiet period ends. */
  readonly timestamp?: number;
  /** Blocked and buildable items: when the item left the waiting stage. */
  readonly buildableStartMilliseconds?: number;
  /** Buildable items: already handed to an executor; not demand. */
  readonly pending?: boolean;
  /** Left items. */
  readonly cancelled?: boolean;
  /** Left items: the run that started, or null. */
  readonly executable?: JenkinsRunRef | null;
}

/**
 * The `task` of a queue item. At `depth=0` a job shows `name`, `url`, `color`; a Pipeline placeholder shows
 * only `_class`. Request more with `tree=items[task[name,url,labelExpression]]`.
 */
export interface JenkinsQueueTask {
  readonly _class: string;
  readonly name?: string;
  /** Jobs: absolute URL. Pipeline placeholders: the run's URL relative to the root (`job/app/42/`). */
  readonly url?: string;
  readonly color?: string;
  readonly fullName?: string;
  readonly displayName?: string;
  readonly fullDisplayName?: string;
  /** Freestyle-like jobs only: the label expression as typed, null when the job may roam. */
  readonly labelExpression?: string | null;
}

export interface JenkinsAction {
  readonly _class?: string;
  readonly causes?: readonly JenkinsCause[];
}

export interface JenkinsCause {
  readonly _class: string;
  readonly shortDescription?: string;
  readonly userId?: string | null;
  readonly userName?: string;
}

export interface JenkinsRunRef {
  readonly _class: string;
  readonly number: number;
  readonly url: string;
}

/** `GET computer/api/json`. The counts cover online computers only. */
export interface JenkinsComputerSet {
  readonly _class: typeof COMPUTER_SET_CLASS;
  readonly busyExecutors: number;
  readonly computer: readonly JenkinsComputer[];
  readonly displayName: string;
  readonly totalExecutors: number;
}

export interface JenkinsComputer {
  readonly _class: string;
  readonly actions: readonly JenkinsAction[];
  /** Includes the self label (the node name; `built-in` for the controller). */
  readonly assignedLabels: readonly { readonly name: string }[];
  readonly description: string | null;
  /** The node name; `Built-In Node` for the controller. There is no `name` key. */
  readonly displayName: string;
  readonly executors: readonly JenkinsExecutor[];
  readonly icon: string;
  readonly iconClassName: string;
  /** All executors idle and no one-off executors. */
  readonly idle: boolean;
  readonly jnlpAgent: boolean;
  readonly launchSupported: boolean;
  readonly loadStatistics: { readonly _class: string };
  readonly manualLaunchAllowed: boolean;
  readonly monitorData: Readonly<Record<string, unknown>>;
  readonly numExecutors: number;
  /** `temporarilyOffline` or not connected; a created inbound node is offline until its agent connects. */
  readonly offline: boolean;
  readonly offlineCause: JenkinsOfflineCause | null;
  readonly offlineCauseReason: string;
  readonly oneOffExecutors: readonly JenkinsExecutor[];
  readonly temporarilyOffline: boolean;
  /** Agents only; null while offline. */
  readonly absoluteRemotePath?: string | null;
}

export interface JenkinsOfflineCause {
  readonly _class: string;
  readonly timestamp?: number;
  readonly description?: string;
}

/** At `depth=0` only `_class`; the rest at `depth>=1` or through `tree`. */
export interface JenkinsExecutor {
  readonly _class?: string;
  readonly number?: number;
  readonly idle?: boolean;
  /** -1 when idle. */
  readonly progress?: number;
  readonly likelyStuck?: boolean;
  readonly currentExecutable?: JenkinsRunRef | null;
}

export type JenkinsLabelClass =
  | 'hudson.model.labels.LabelAtom'
  | 'hudson.model.labels.LabelExpression$And'
  | 'hudson.model.labels.LabelExpression$Or'
  | 'hudson.model.labels.LabelExpression$Not'
  | 'hudson.model.labels.LabelExpression$Implies'
  | 'hudson.model.labels.LabelExpression$Iff'
  | 'hudson.model.labels.LabelExpression$Paren';

/** `GET label/<expr>/api/json`; works for any expression, even one no node matches. */
export interface JenkinsLabel {
  readonly _class: JenkinsLabelClass;
  readonly actions: readonly JenkinsAction[];
  readonly busyExecutors: number;
  readonly clouds: readonly { readonly _class: string; readonly name?: string }[];
  /** A single node's description, `group of …`, `Provisioned from …`, `invalid label`; null for atoms. */
  readonly description: string | null;
  /** Idle executors on online (or connecting) nodes that accept tasks. */
  readonly idleExecutors: number;
  readonly loadStatistics: { readonly _class: string };
  /** Canonical name (atoms raw, expressions re-printed without spaces). */
  readonly name: string;
  readonly nodes: readonly { readonly _class: string; readonly nodeName: string }[];
  /** All nodes offline; true when there are none. */
  readonly offline: boolean;
  readonly tiedJobs: readonly unknown[];
  readonly totalExecutors: number;
  /** Atoms only. */
  readonly propertiesList?: readonly unknown[];
}

/** `GET crumbIssuer/api/json`: send `<crumbRequestField>: <crumb>` on POSTs not authenticated by API token. */
export interface JenkinsCrumb {
  readonly _class: string;
  readonly crumb: string;
  readonly crumbRequestField: string;
}

/** `GET whoAmI/api/json`. */
export interface JenkinsWhoAmI {
  readonly _class: string;
  readonly anonymous: boolean;
  readonly authenticated: boolean;
  readonly authorities: readonly string[];
  readonly name: string;
}

/** `GET api/json` (root), the keys an autoscaler uses. */
export interface JenkinsRoot {
  readonly _class: string;
  readonly mode: 'NORMAL' | 'EXCLUSIVE';
  readonly nodeName: string;
  readonly numExecutors: number;
  readonly quietingDown: boolean;
  readonly quietDownReason?: string | null;
  /** TCP agent port: 0 random, -1 disabled. */
  readonly slaveAgentPort: number;
  /** The configured root URL (may differ from the URL you used). */
  readonly url: string | null;
  readonly useCrumbs: boolean;
  readonly useSecurity: boolean;
  readonly assignedLabels?: readonly { readonly name: string }[];
  readonly jobs?: readonly JenkinsQueueTask[];
}

/** The `json` form field of `POST computer/doCreateItem` (bound onto `hudson.slaves.DumbSlave`). */
export interface JenkinsNodeCreateSpec {
  readonly nodeDescription?: string;
  readonly numExecutors?: number | string;
  readonly remoteFS?: string;
  readonly labelString?: string;
  readonly mode?: 'NORMAL' | 'EXCLUSIVE';
  readonly launcher?: {
    readonly $class?: string;
    readonly 'stapler-class'?: string;
    readonly webSocket?: boolean;
    readonly tunnel?: string;
    readonly workDirSettings?: {
      readonly disabled?: boolean;
      readonly workDirPath?: string;
      readonly internalDir?: string;
      readonly failIfWorkDirIsMissing?: boolean;
    };
  };
  readonly retentionStrategy?: { readonly $class?: string; readonly 'stapler-class'?: string };
  readonly nodeProperties?: unknown;
}
