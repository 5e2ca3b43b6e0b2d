import type { JenkinsQueueEntry, JenkinsQueueEntryTask, JenkinsQueueSnapshot } from './jenkinsClientTypes';
import { JenkinsJsonReader } from './jenkinsJsonReader';

/**
 * `queue/api/json?tree=…` (QUEUE_TREE) checked and typed. One malformed item fails the whole read, on
 * purpose: an autoscaler that skipped it would under-count demand without anyone knowing why.
 */
export function parseJenkinsQueue(value: unknown): JenkinsQueueSnapshot {
  const read = new JenkinsJsonReader('the build queue (queue/api/json)');
  const root = read.object(value, '');
  const items = read.optionalArray(root.items, 'items').map((raw, i): JenkinsQueueEntry => {
    const path = `items[${i}]`;
    const item = read.object(raw, path);
    const taskObject = read.object(item.task, `${path}.task`);
    const task: JenkinsQueueEntryTask = {
      _class: read.optionalString(taskObject, '_class', `${path}.task`) ?? '',
      name: read.optionalString(taskObject, 'name', `${path}.task`),
      url: read.optionalString(taskObject, 'url', `${path}.task`),
      fullName: read.optionalString(taskObject, 'fullName', `${path}.task`),
      labelExpression: read.nullableString(taskObject, 'labelExpression', `${path}.task`),
    };
    return {
      _class: read.string(item, '_class', path),
      id: read.number(item, 'id', path),
      inQueueSince: read.number(item, 'inQueueSince', path),
      blocked: read.boolean(item, 'blocked', path),
      buildable: read.boolean(item, 'buildable', path),
      stuck: read.boolean(item, 'stuck', path),
      pending: read.optionalBoolean(item, 'pending', path) ?? false,
      why: read.nullableString(item, 'why', path) ?? null,
      params: read.optionalString(item, 'params', path) ?? '',
      url: read.string(item, 'url', path),
      buildableStartMilliseconds: read.optionalNumber(item, 'buildableStartMilliseconds', path),
      timestamp: read.optionalNumber(item, 'timestamp', path),
      task,
    };
  });
  return { items };
}
