import * as vscode from 'vscode';
import type { AgentStatus, FrameworkStatus } from '../../core/cluster';
import type { TaskState } from '../../core/mesos/codec';

/**
 * Codicons with theme colours for each state a row can be in, so that a failed task or a gone agent
 * stands out in any theme (the colours are the testing and chart colours every theme defines).
 */

const icon = (id: string, color?: string): vscode.ThemeIcon =>
  color === undefined ? new vscode.ThemeIcon(id) : new vscode.ThemeIcon(id, new vscode.ThemeColor(color));

const PASSED = 'testing.iconPassed';
const FAILED = 'testing.iconFailed';
const PENDING = 'charts.yellow';
const WARNING = 'list.warningForeground';
const MUTED = 'disabledForeground';

const TASK_ICONS: Record<TaskState, vscode.ThemeIcon> = {
  TASK_RUNNING: icon('play-circle', PASSED),
  TASK_STARTING: icon('loading~spin', PENDING),
  TASK_STAGING: icon('clock', PENDING),
  TASK_KILLING: icon('loading~spin', WARNING),
  TASK_UNREACHABLE: icon('question', WARNING),
  TASK_UNKNOWN: icon('question', WARNING),
  TASK_FAILED: icon('error', FAILED),
  TASK_ERROR: icon('error', FAILED),
  TASK_LOST: icon('warning', WARNING),
  TASK_DROPPED: icon('warning', WARNING),
  TASK_GONE: icon('warning', WARNING),
  TASK_GONE_BY_OPERATOR: icon('warning', WARNING),
  TASK_KILLED: icon('circle-slash', MUTED),
  TASK_FINISHED: icon('pass', PASSED),
};

export function taskStateIcon(state: TaskState): vscode.ThemeIcon {
  return TASK_ICONS[state];
}

/** "TASK_GONE_BY_OPERATOR" → "gone by operator": how rows and context values name a state. */
export function taskStateWords(state: TaskState): string {
  return state.slice('TASK_'.length).toLowerCase().replace(/_/g, ' ');
}

/** "TASK_GONE_BY_OPERATOR" → "gone_by_operator": the state part of a task's contextValue. */
export function taskStateToken(state: TaskState): string {
  return state.slice('TASK_'.length).toLowerCase();
}

const AGENT_ICONS: Record<AgentStatus, vscode.ThemeIcon> = {
  active: icon('vm-active', PASSED),
  inactive: icon('vm-outline', MUTED),
  draining: icon('vm', 'charts.orange'),
  gone: icon('vm', 'errorForeground'),
};

export function agentStatusIcon(status: AgentStatus): vscode.ThemeIcon {
  return AGENT_ICONS[status];
}

const FRAMEWORK_ICONS: Record<FrameworkStatus, vscode.ThemeIcon> = {
  active: icon('layers-active', PASSED),
  inactive: icon('layers', 'charts.orange'),
  completed: icon('layers', MUTED),
};

export function frameworkStatusIcon(status: FrameworkStatus): vscode.ThemeIcon {
  return FRAMEWORK_ICONS[status];
}

export const ICONS = {
  connecting: icon('loading~spin'),
  error: icon('error', 'errorForeground'),
  warning: icon('warning', WARNING),
  connected: icon('server-environment', PASSED),
  idle: icon('server-environment', MUTED),
  offer: icon('gift', 'charts.blue'),
  more: icon('ellipsis'),
  previous: icon('arrow-up'),
  info: icon('info'),
  attributes: icon('tag'),
  attribute: icon('symbol-property'),
  tasks: icon('checklist'),
  cpus: icon('chip'),
  mem: icon('circuit-board'),
  disk: icon('database'),
  gpus: icon('dashboard'),
  ports: icon('plug'),
  agent: icon('vm'),
  framework: icon('layers'),
  retry: icon('refresh'),
  edit: icon('edit'),
  key: icon('key'),
  log: icon('output'),
  settings: icon('settings-gear'),
} as const;
