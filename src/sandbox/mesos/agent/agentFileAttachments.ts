import { join } from 'node:path';
import type { SandboxAgent } from './sandboxAgent';

/**
 * The paths the agent's files process serves (reference §7.6), virtual path -> real directory: each run's
 * own directory, the newest run of each executor as `/frameworks/<fid>/executors/<eid>/runs/latest`, and
 * the same under the work directory (the deprecated spelling). Runs stay attached as long as the agent
 * lists them; a directory removed from disk simply resolves to nothing.
 */
export function agentFileAttachments(agent: SandboxAgent): Map<string, string> {
  const attachments = new Map<string, string>();
  // Oldest first, so that a newer run of the same executor id takes `latest`.
  for (const task of [...agent.completed, ...agent.tasks.values()]) {
    attachments.set(task.directory, task.directory);
    const executorPath = ['frameworks', task.frameworkId, 'executors', task.executorId, 'runs', 'latest'];
    attachments.set(`/${executorPath.join('/')}`, task.directory);
    attachments.set(join(agent.agentDir, ...executorPath), task.directory);
  }
  return attachments;
}
