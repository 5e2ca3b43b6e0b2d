/**
 * The `tree=` selections the client asks for (reference §1.2): exactly what the autoscaler reads, so a
 * queue of thousands stays a small payload and no `depth` guessing is needed. `_class` is printed anyway.
 */

/** Everything demand extraction needs (reference §2.2–§2.4, §8.1); `timestamp` for waiting items. */
export const QUEUE_TREE =
  'items[_class,id,inQueueSince,blocked,buildable,stuck,pending,why,params,url,buildableStartMilliseconds,timestamp,' +
  'task[_class,name,url,fullName,labelExpression]]';

const EXECUTOR_TREE = 'number,idle,progress,likelyStuck,currentExecutable[number,url]';

/** One computer's keys: state, capacity, labels, executors (reference §3.1). */
export const COMPUTER_FIELDS =
  '_class,displayName,description,numExecutors,offline,temporarilyOffline,idle,offlineCauseReason,' +
  'offlineCause[timestamp,description],jnlpAgent,launchSupported,manualLaunchAllowed,assignedLabels[name],' +
  `executors[${EXECUTOR_TREE}],oneOffExecutors[${EXECUTOR_TREE}],absoluteRemotePath`;

export const COMPUTERS_TREE = `computer[${COMPUTER_FIELDS}]`;

/** A label without `tiedJobs` (expensive) or load statistics (EMAs; compute demand from the queue). */
export const LABEL_TREE = 'name,description,offline,busyExecutors,idleExecutors,totalExecutors,nodes[nodeName]';

export const WHO_AM_I_TREE = 'name,anonymous,authenticated,authorities';

export const ROOT_TREE = 'url,useSecurity,useCrumbs,quietingDown,slaveAgentPort';
