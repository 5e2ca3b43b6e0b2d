import type { FrameworkStatus } from '../../core/cluster';
import type { TaskState } from '../../core/mesos/codec';

/**
 * The key of each tree element: its path from the cluster down, so a key names one place in one view.
 * Keys are the TreeItem ids (VS Code keeps expansion state by them) and the keys of the providers'
 * element caches (the same node always gets the same object). Ids are encoded, so no id can fake a path.
 */

const enc = encodeURIComponent;

export const ROOT_KEY = '';

export const clusterKey = (cluster: string): string => `c:${enc(cluster)}`;

export const childKey = (parentKey: string, part: string, id?: string): string =>
  `${parentKey}/${part}${id === undefined ? '' : `:${enc(id)}`}`;

export const problemKey = (index: number, name: string | undefined): string => childKey('problem', String(index), name ?? '');

export const messageKey = (cluster: string, kind: string): string => childKey(clusterKey(cluster), 'msg', kind);

export const frameworkGroupKey = (cluster: string, status: FrameworkStatus): string => childKey(clusterKey(cluster), 'fg', status);

export const frameworkKey = (cluster: string, status: FrameworkStatus, frameworkId: string): string =>
  childKey(frameworkGroupKey(cluster, status), 'fw', frameworkId);

export const taskGroupKey = (frameworkNodeKey: string, state: TaskState): string => childKey(frameworkNodeKey, 'tg', state);

export const frameworkTaskKey = (groupKey: string, taskId: string): string => childKey(groupKey, 't', taskId);

export const agentKey = (cluster: string, agentId: string): string => childKey(clusterKey(cluster), 'ag', agentId);

export const agentTasksKey = (cluster: string, agentId: string): string => childKey(agentKey(cluster, agentId), 'tasks');

export const agentTaskKey = (cluster: string, agentId: string, frameworkId: string, taskId: string): string =>
  `${childKey(agentTasksKey(cluster, agentId), 't', frameworkId)}:${enc(taskId)}`;

export const offerKey = (cluster: string, offerId: string): string => childKey(clusterKey(cluster), 'of', offerId);

export const showMoreKey = (ownerKey: string, direction: 'next' | 'previous'): string => childKey(ownerKey, direction === 'next' ? 'more' : 'previous');

