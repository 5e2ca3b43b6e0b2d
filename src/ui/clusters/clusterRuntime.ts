// The heavy half of the extension: HTTP (undici), ZooKeeper, the Mesos clients and the cluster session.
// It is bundled apart (dist/clusterRuntime.js) and loaded on first use by loadClusterRuntime(), so that
// activation does not pay for modules no view has asked for yet (bench B6).
export { ClusterSession } from '../../core/cluster/clusterSession';
export { HttpStatusError } from '../../core/http/errors';
export { MasterConnection } from '../../core/mesos/connection/masterConnection';
export { OperatorClient } from '../../core/mesos/operator/operatorClient';
export { Endpoint } from '../../core/http/endpoint';
export { AgentFilesClient } from '../../core/mesos/files/agentFilesClient';
export { SandboxFileFollower } from '../../core/mesos/files/sandboxFileFollower';
export { resolveTaskSandbox, sandboxFilePath } from '../../core/mesos/files/taskSandbox';
export { locateTaskRun } from '../../core/mesos/files/taskRunLocation';
export { JenkinsClient } from '../../core/jenkins/jenkinsClient';
export { JenkinsError } from '../../core/jenkins/jenkinsError';
export { SchedulerDriver } from '../../core/scheduler/schedulerDriver';
export { frameworkInfoFor } from '../../core/scheduler/frameworkInfoFor';
export { SchedulerLease } from '../../core/scheduler/lease/schedulerLease';
export { SchedulerMailbox } from '../../core/scheduler/lease/schedulerMailbox';
export { SchedulerStatusPublisher, readSchedulerStatus, summarizeTasks } from '../../core/scheduler/lease/schedulerStatusFile';
export { leaseKey } from '../../core/scheduler/lease/leaseKey';
export { AutoscalerDriver } from '../../core/scheduler/autoscaler/autoscalerDriver';
export { AutoscalerQueueSource } from '../../core/scheduler/autoscaler/autoscalerQueueSource';
