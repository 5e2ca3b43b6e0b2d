// The public surface of the sandbox files client: import from here, not from the files behind it.
export { postAgentCall, type AgentCallOptions } from './agentApiCall';
export {
  AgentFilesClient,
  MAX_READ_LENGTH,
  type AgentFilesApi,
  type AgentFilesClientOptions,
  type FileChunk,
  type FileDownload,
  type FilesCallOptions,
} from './agentFilesClient';
export {
  agentStateFromJson,
  findExecutorRuns,
  parseAgentState,
  runHoldsTask,
  type AgentState,
  type AgentStateExecutor,
  type AgentStateFramework,
  type AgentStateLabel,
  type AgentStateQueuedTask,
  type AgentStateTask,
  type AgentStateTaskStatus,
  type ExecutorRun,
  type ResourceSummary,
} from './agentState';
export { fileModeString } from './fileModeString';
export { FilesReadBodyError, parseFilesReadBody, type FilesReadBody } from './filesReadBody';
export { SandboxFileError, sandboxFileErrorFromHttp, type SandboxFileErrorKind } from './sandboxFileError';
export { fileEntryFromBrowse, fileEntryFromFileInfo, type SandboxFileEntry } from './sandboxFileEntry';
export {
  agentBaseUrl,
  DEFAULT_AGENT_PORT,
  executorIdOfTask,
  latestRunPath,
  resolveTaskSandbox,
  runDirectoryPath,
  sandboxFilePath,
  TaskSandboxError,
  type SandboxAgentRef,
  type SandboxTaskRef,
  type TaskSandbox,
  type TaskSandboxErrorKind,
} from './taskSandbox';
