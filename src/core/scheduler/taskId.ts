/**
 * The scheduler names each launch of a request `${requestId}.${attempt}` (attempt 1, 2, … per request), so
 * a restarted request gets a fresh Mesos task id and every task id says which request it belongs to (the
 * last dot splits them, whatever the request id holds).
 */
export function taskIdOf(requestId: string, attempt: number): string {
  return `${requestId}.${attempt}`;
}

/** The request a task id belongs to; an id not made by taskIdOf is its own request. */
export function requestIdOf(taskId: string): string {
  const dot = taskId.lastIndexOf('.');
  return dot > 0 && /^\d+$/.test(taskId.slice(dot + 1)) ? taskId.slice(0, dot) : taskId;
}

/** The attempt number of a task id; 0 for an id not made by taskIdOf. */
export function attemptOf(taskId: string): number {
  const dot = taskId.lastIndexOf('.');
  const suffix = taskId.slice(dot + 1);
  return dot > 0 && /^\d+$/.test(suffix) ? Number(suffix) : 0;
}
