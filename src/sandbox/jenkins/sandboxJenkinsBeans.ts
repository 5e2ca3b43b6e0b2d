import {
  BLOCKED_ITEM_CLASS,
  BUILDABLE_ITEM_CLASS,
  BUILT_IN_COMPUTER_CLASS,
  COMPUTER_SET_CLASS,
  DEFAULT_CRUMB_ISSUER_CLASS,
  DUMB_SLAVE_CLASS,
  FREESTYLE_BUILD_CLASS,
  FREESTYLE_PROJECT_CLASS,
  LEFT_ITEM_CLASS,
  PLACEHOLDER_EXECUTABLE_CLASS,
  PLACEHOLDER_TASK_CLASS,
  QUEUE_CLASS,
  SLAVE_COMPUTER_CLASS,
  WAITING_ITEM_CLASS,
  WORKFLOW_JOB_CLASS,
} from '../../core/jenkins/jenkinsTypes';
import { labelJavaClass, labelName, type LabelExpression } from '../../core/jenkins/labelExpression';
import { ExportedBean, ExportedMap, prop, type ExportValue } from './apiExport';
import type { ModelNode, ModelQueueItem, ModelRun, ModelTask, SandboxJenkinsModel } from './sandboxJenkinsModel';

/**
 * The sandbox model dressed as Jenkins' exported beans: the same class names, keys, visibilities and inline
 * flags as the reference gives, so `depth` and `tree` select what they select on a real controller.
 */

const LOAD_STATISTICS_CLASS = 'hudson.model.Label$1';

function jobUrlPath(job: string): string {
  return `job/${job.split('/').map(encodeURIComponent).join('/job/')}/`;
}

function jobDisplayPath(job: string): string {
  return job.split('/').join(' » ');
}

function shortName(job: string): string {
  const parts = job.split('/');
  return parts[parts.length - 1] as string;
}

function runFullDisplayName(task: ModelTask, number: number): string {
  return `${jobDisplayPath(task.job)} #${number}`;
}

function taskName(task: ModelTask): string {
  if (task.kind === 'freestyle') return shortName(task.job);
  const run = runFullDisplayName(task, task.runNumber ?? 0);
  return task.stage ? `${run} (${task.stage})` : `part of ${run}`;
}

function color(model: SandboxJenkinsModel, job: string): string {
  const state = model.jobState(job);
  const building = model.runningBuilds().some((r) => r.task.job === job);
  const base = state?.lastResult === 'SUCCESS' ? 'blue' : state?.lastResult === 'ABORTED' ? 'aborted' : 'notbuilt';
  return building ? `${base}_anime` : base;
}

export function taskBean(model: SandboxJenkinsModel, task: ModelTask): ExportedBean {
  if (task.kind === 'pipeline') {
    // Every placeholder property has visibility 1, so at depth 0 only `_class` shows (reference §1.2).
    const run = runFullDisplayName(task, task.runNumber ?? 0);
    return new ExportedBean(PLACEHOLDER_TASK_CLASS, [
      prop('name', taskName(task)),
      prop('fullDisplayName', taskName(task)),
      prop('displayName', task.stage ? `${run} (${task.stage})` : run),
      prop('url', `${jobUrlPath(task.job)}${task.runNumber ?? 0}/`),
    ]);
  }
  return new ExportedBean(FREESTYLE_PROJECT_CLASS, [
    prop('name', shortName(task.job), 999),
    prop('url', `${model.rootUrl()}${jobUrlPath(task.job)}`, 999),
    prop('color', () => color(model, task.job), 2),
    prop('fullName', task.job),
    prop('displayName', shortName(task.job)),
    prop('fullDisplayName', jobDisplayPath(task.job)),
    prop('buildable', true),
    prop('concurrentBuild', task.concurrent),
    prop('labelExpression', task.labelExpression),
  ]);
}

function runRefBean(model: SandboxJenkinsModel, run: ModelRun): ExportedBean {
  const pipeline = run.task.kind === 'pipeline';
  const url = pipeline
    ? `${jobUrlPath(run.task.job)}${run.number}/`
    : `${model.rootUrl()}${jobUrlPath(run.task.job)}${run.number}/`;
  return new ExportedBean(pipeline ? PLACEHOLDER_EXECUTABLE_CLASS : FREESTYLE_BUILD_CLASS, [
    prop('number', run.number, 2),
    prop('url', url, 2),
    prop('building', run.finishedAt === null),
    prop('result', run.result),
    prop('fullDisplayName', runFullDisplayName(run.task, run.number)),
    prop('timestamp', run.startedAt),
    prop('duration', run.finishedAt !== null && run.startedAt !== null ? run.finishedAt - run.startedAt : 0),
    prop('estimatedDuration', run.durationMs),
    prop('queueId', run.queueId),
    prop('builtOn', run.node),
  ]);
}

function itemActions(item: ModelQueueItem): ExportValue[] {
  const actions: ExportValue[] = [
    new ExportedBean('hudson.model.CauseAction', [
      prop(
        'causes',
        [
          new ExportedBean('hudson.model.Cause$UserIdCause', [
            prop('shortDescription', 'Started by user Sandbox workload', 3),
            prop('userId', 'sandbox', 3),
            prop('userName', 'Sandbox workload', 3),
          ]),
        ],
        2,
      ),
    ]),
  ];
  const params = Object.entries(item.params);
  if (params.length > 0) {
    actions.push(
      new ExportedBean('hudson.model.ParametersAction', [
        prop(
          'parameters',
          params.map(
            ([name, value]) =>
              new ExportedBean('hudson.model.StringParameterValue', [prop('name', name, 3), prop('value', value, 3)]),
          ),
          2,
        ),
      ]),
    );
  }
  return actions;
}

const ITEM_CLASS = {
  waiting: WAITING_ITEM_CLASS,
  blocked: BLOCKED_ITEM_CLASS,
  buildable: BUILDABLE_ITEM_CLASS,
  left: LEFT_ITEM_CLASS,
} as const;

export function queueItemBean(model: SandboxJenkinsModel, item: ModelQueueItem): ExportedBean {
  const v = 999;
  const properties = [
    prop('actions', itemActions(item), v),
    prop('blocked', item.stage === 'blocked', v),
    prop('buildable', item.stage === 'buildable', v),
    prop('id', item.id, v),
    prop('inQueueSince', item.inQueueSince, v),
    prop(
      'params',
      Object.entries(item.params)
        .map(([k, val]) => `\n${k}=${val}`)
        .join(''),
      v,
    ),
    prop('stuck', model.isStuck(item), v),
    prop('task', taskBean(model, item.task), v),
    prop('url', `queue/item/${item.id}/`, v),
    prop('why', model.why(item), v),
  ];
  switch (item.stage) {
    case 'waiting':
      properties.push(prop('timestamp', item.timestamp, v));
      break;
    case 'blocked':
      properties.push(prop('buildableStartMilliseconds', item.buildableStartMilliseconds, v));
      break;
    case 'buildable':
      properties.push(prop('buildableStartMilliseconds', item.buildableStartMilliseconds, v));
      properties.push(prop('pending', item.pending, v));
      break;
    case 'left': {
      const run = item.executable;
      properties.push(prop('cancelled', item.cancelled, v));
      properties.push(prop('executable', run ? runRefBean(model, run) : null, v));
      break;
    }
  }
  return new ExportedBean(ITEM_CLASS[item.stage], properties);
}

export function queueBean(model: SandboxJenkinsModel): ExportedBean {
  return new ExportedBean(QUEUE_CLASS, [
    prop('discoverableItems', [], 1, true),
    prop('items', () => model.queueItems().map((item) => queueItemBean(model, item)), 1, true),
  ]);
}

function atomRefBean(name: string): ExportedBean {
  return new ExportedBean('hudson.model.labels.LabelAtom', [prop('name', name, 2)], false);
}

function sortedAtoms(model: SandboxJenkinsModel, node: ModelNode): string[] {
  return [...model.nodeAtoms(node)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function executorBean(model: SandboxJenkinsModel, node: ModelNode, index: number): ExportedBean {
  const run = node.executors[index] ?? null;
  const now = model.now();
  const progress =
    run && run.startedAt !== null && run.durationMs > 0
      ? Math.min(99, Math.floor(((now - run.startedAt) / run.durationMs) * 100))
      : -1;
  return new ExportedBean('hudson.model.Executor', [
    prop('currentExecutable', run ? runRefBean(model, run) : null),
    prop('idle', run === null),
    prop('likelyStuck', false),
    prop('number', index),
    prop('progress', run ? progress : -1),
  ]);
}

export function computerBean(model: SandboxJenkinsModel, node: ModelNode): ExportedBean {
  const offline = model.isOffline(node);
  const cause = node.offlineCause;
  const icon = offline ? 'symbol-computer-offline' : 'symbol-computer';
  const properties = [
    prop('actions', []),
    prop('assignedLabels', () => sortedAtoms(model, node).map(atomRefBean)),
    prop('description', node.description),
    prop('displayName', node.displayName),
    prop('executors', () => node.executors.map((_, i) => executorBean(model, node, i))),
    prop('icon', icon),
    prop('iconClassName', icon),
    prop('idle', model.busyExecutors(node) === 0),
    prop('jnlpAgent', node.launcher.kind === 'inbound'),
    prop('launchSupported', node.builtIn || node.launcher.kind !== 'inbound'),
    prop('loadStatistics', new ExportedBean(LOAD_STATISTICS_CLASS, [])),
    prop('manualLaunchAllowed', true),
    prop('monitorData', new ExportedMap({})),
    prop('numExecutors', node.numExecutors),
    prop('offline', offline),
    prop(
      'offlineCause',
      cause
        ? new ExportedBean(cause.javaClass, [
            prop('timestamp', cause.timestamp),
            prop('description', cause.description),
          ])
        : null,
    ),
    prop('offlineCauseReason', cause ? cause.reason : ''),
    prop('oneOffExecutors', []),
    prop('temporarilyOffline', node.temporarilyOffline),
  ];
  if (!node.builtIn) {
    const workDir =
      node.launcher.kind === 'inbound' && node.launcher.workDirPath ? node.launcher.workDirPath : node.remoteFS;
    properties.push(prop('absoluteRemotePath', node.channel ? workDir || null : null));
  }
  return new ExportedBean(node.builtIn ? BUILT_IN_COMPUTER_CLASS : SLAVE_COMPUTER_CLASS, properties);
}

export function computerSetBean(model: SandboxJenkinsModel): ExportedBean {
  const online = () => model.computers().filter((n) => !model.isOffline(n));
  return new ExportedBean(COMPUTER_SET_CLASS, [
    prop('busyExecutors', () => online().reduce((sum, n) => sum + model.busyExecutors(n), 0)),
    prop('computer', () => model.computers().map((n) => computerBean(model, n)), 1, true),
    prop('displayName', 'Nodes'),
    prop('totalExecutors', () => online().reduce((sum, n) => sum + n.numExecutors, 0)),
  ]);
}

function nodeBean(model: SandboxJenkinsModel, node: ModelNode): ExportedBean {
  return new ExportedBean(node.builtIn ? 'hudson.model.Hudson' : DUMB_SLAVE_CLASS, [
    prop('assignedLabels', () => sortedAtoms(model, node).map(atomRefBean)),
    prop('mode', node.mode),
    prop('nodeDescription', node.description),
    prop('nodeName', node.name, 2),
    prop('numExecutors', node.numExecutors),
    prop('labelString', node.labelString),
  ]);
}

/** `Label.getDescription` (atoms report their own, unset, description: null). */
function labelDescription(label: LabelExpression, nodes: ModelNode[]): string | null {
  if (label.kind === 'atom') return null;
  if (nodes.length === 0) return 'invalid label';
  if (nodes.length === 1) return (nodes[0] as ModelNode).description;
  let text = '';
  for (const node of nodes) {
    if (text.length > 80) {
      text += ',...';
      break;
    }
    text += (text ? ',' : '') + node.displayName;
  }
  return `group of ${text}`;
}

export function labelBean(model: SandboxJenkinsModel, label: LabelExpression): ExportedBean {
  const nodes = model.labelNodes(label);
  const online = nodes.filter((n) => !model.isOffline(n));
  const properties = [
    prop('actions', []),
    prop(
      'busyExecutors',
      online.reduce((sum, n) => sum + model.busyExecutors(n), 0),
    ),
    prop('clouds', []),
    prop('description', labelDescription(label, nodes)),
    prop(
      'idleExecutors',
      online.reduce((sum, n) => sum + model.idleExecutors(n), 0),
    ),
    prop('loadStatistics', new ExportedBean(LOAD_STATISTICS_CLASS, [])),
    prop('name', labelName(label)),
    prop('nodes', () => nodes.map((n) => nodeBean(model, n))),
    prop('offline', online.length === 0),
    prop('tiedJobs', []),
    prop(
      'totalExecutors',
      online.reduce((sum, n) => sum + n.numExecutors, 0),
    ),
  ];
  if (label.kind === 'atom') properties.push(prop('propertiesList', []));
  return new ExportedBean(labelJavaClass(label), properties);
}

function topLevelJobBeans(model: SandboxJenkinsModel): ExportedBean[] {
  const seen = new Map<string, ExportedBean>();
  for (const job of model.jobNames()) {
    const top = job.split('/')[0] as string;
    if (seen.has(top)) continue;
    const folder = top !== job;
    const javaClass = folder
      ? 'com.cloudbees.hudson.plugins.folder.Folder'
      : model.jobState(job)?.kind === 'pipeline'
        ? WORKFLOW_JOB_CLASS
        : FREESTYLE_PROJECT_CLASS;
    seen.set(
      top,
      new ExportedBean(javaClass, [
        prop('name', top, 999),
        prop('url', `${model.rootUrl()}${jobUrlPath(top)}`, 999),
        prop('color', folder ? null : color(model, job), 2),
      ]),
    );
  }
  return [...seen.values()];
}

export function rootBean(
  model: SandboxJenkinsModel,
  settings: { useSecurity: boolean; useCrumbs: boolean },
): ExportedBean {
  const builtIn = model.computers()[0] as ModelNode;
  return new ExportedBean('hudson.model.Hudson', [
    prop('assignedLabels', () => sortedAtoms(model, builtIn).map(atomRefBean)),
    prop('mode', builtIn.mode),
    prop('nodeDescription', builtIn.description),
    prop('nodeName', ''),
    prop('numExecutors', builtIn.numExecutors),
    prop('description', null),
    prop('jobs', () => topLevelJobBeans(model)),
    prop('overallLoad', new ExportedBean('hudson.model.OverallLoadStatistics', [])),
    prop(
      'primaryView',
      new ExportedBean('hudson.model.AllView', [prop('name', 'all', 2), prop('url', model.rootUrl(), 2)]),
    ),
    prop('quietDownReason', null),
    prop('quietingDown', false),
    prop('slaveAgentPort', -1),
    prop('unlabeledLoad', new ExportedBean('jenkins.model.UnlabeledLoadStatistics', [])),
    prop('url', model.rootUrl()),
    prop('useCrumbs', settings.useCrumbs),
    prop('useSecurity', settings.useSecurity),
    prop('views', [
      new ExportedBean('hudson.model.AllView', [prop('name', 'all', 2), prop('url', model.rootUrl(), 2)]),
    ]),
  ]);
}

export function crumbBean(crumb: string, field: string): ExportedBean {
  return new ExportedBean(DEFAULT_CRUMB_ISSUER_CLASS, [prop('crumb', crumb), prop('crumbRequestField', field)]);
}

export function whoAmIBean(name: string, anonymous: boolean): ExportedBean {
  return new ExportedBean('hudson.security.WhoAmI', [
    prop('anonymous', anonymous),
    // Spring's anonymous token reports itself authenticated, and Jenkins passes that through.
    prop('authenticated', true),
    prop('authorities', anonymous ? ['anonymous'] : ['authenticated']),
    prop('details', null),
    prop('name', name),
    prop(
      'toString',
      anonymous ? 'AnonymousAuthenticationToken' : `UsernamePasswordAuthenticationToken [Principal=${name}]`,
    ),
  ]);
}
