import { readFile } from 'node:fs/promises';
import type { ClusterSession } from '../../core/cluster/clusterSession';
import type { Logger } from '../../core/log/logSink';
import type { AgentFilesClient } from '../../core/mesos/files/agentFilesClient';
import { type SandboxFileAddress, sandboxKey } from '../../core/mesos/files/sandboxFileUri';
import type { ClusterHandle, ClusterRegistry } from '../clusters/clusterRegistry';
import type { ClusterSecrets } from '../clusters/clusterSecrets';
import { loadClusterRuntime } from '../clusters/loadClusterRuntime';
import { SandboxAccessError } from './sandboxAccessError';

/** A task's sandbox, found: the client of its agent and the sandbox's path there. */
export interface LocatedSandbox {
  readonly client: AgentFilesClient;
  /** The sandbox as a path the agent's /files serve (a run directory, or `…/runs/latest`). */
  readonly root: string;
  /** The agent's base URL, for messages. */
  readonly agent: string;
}

export interface SandboxLocatorOptions {
  readonly clusters: ClusterRegistry;
  readonly secrets: Pick<ClusterSecrets, 'get'>;
  readonly log: Logger;
  /** How long a found sandbox is trusted before it is looked up again (default 30 s). */
  readonly ttlMs?: number;
}

// Failures of the agent's /state after which the `runs/latest` path is still worth trying: the agent
// answered, but would not or could not say (401/403 on /state only, an old or odd agent). A connection
// that fails would fail for the files too, so those are reported as they are.
const UNREACHABLE_CATEGORIES = new Set(['connection', 'tls', 'timeout', 'aborted', 'config']);

/**
 * Finds the sandbox of the task a `mesos-sandbox:` address names: the cluster from the registry, the
 * agent's address from the cluster's state, and the task's run from the agent's /state (so completed
 * runs, task groups and tasks the master has forgotten resolve too), falling back to
 * `/frameworks/<fid>/executors/<eid>/runs/latest`. Keeps one files client per agent and cluster (their
 * connection pools are closed on reset and dispose) and each found sandbox for a short while, since the
 * editor asks for stat and read of the same file one after the other.
 */
export class SandboxLocator {
  private readonly sandboxes = new Map<string, { expires: number; located: Promise<LocatedSandbox> }>();
  private readonly clients = new Map<string, Promise<AgentFilesClient>>();
  private controller = new AbortController();
  private readonly ttlMs: number;

  constructor(private readonly options: SandboxLocatorOptions) {
    this.ttlMs = options.ttlMs ?? 30_000;
  }

  /** The task's sandbox. Rejects with SandboxAccessError, TaskSandboxError or the HTTP layer's errors. */
  locate(address: SandboxFileAddress): Promise<LocatedSandbox> {
    const key = sandboxKey(address);
    const cached = this.sandboxes.get(key);
    if (cached && cached.expires > Date.now()) return cached.located;
    const located = this.find(address, this.controller.signal);
    const entry = { expires: Date.now() + this.ttlMs, located };
    this.sandboxes.set(key, entry);
    // a failure is not remembered: the next request looks again
    located.catch(() => {
      if (this.sandboxes.get(key) === entry) this.sandboxes.delete(key);
    });
    return located;
  }

  /** Looks the task's sandbox up again next time (after a file request failed in a way a new look may fix). */
  forget(address: SandboxFileAddress): void {
    this.sandboxes.delete(sandboxKey(address));
  }

  /** The cluster named in an address: names are unique regardless of case, and VS Code lowercases URI authorities. */
  handleOf(clusterName: string): ClusterHandle | undefined {
    const { clusters } = this.options;
    return (
      clusters.get(clusterName) ?? clusters.clusters.find((h) => h.name.toLowerCase() === clusterName.toLowerCase())
    );
  }

  /** The cluster's session with its first state loaded; a SandboxAccessError when there is none. */
  async loadedSession(clusterName: string): Promise<{ handle: ClusterHandle; session: ClusterSession }> {
    const handle = this.handleOf(clusterName);
    if (!handle) {
      throw new SandboxAccessError(
        'unavailable',
        `There is no cluster named ${JSON.stringify(clusterName)} in mesos.clusters`,
        'Add it again (Mesos: Add Cluster…) with the same name to open its sandbox files',
      );
    }
    let session: ClusterSession;
    try {
      session = await handle.session();
    } catch (err) {
      throw new SandboxAccessError(
        'unavailable',
        `Cluster ${handle.name} cannot start: ${(err as Error).message}`,
        'Fix the cluster, then try again',
        { cause: err },
      );
    }
    // resolves once the first state is in the model, or at the first failure
    await session.start();
    if (!session.model.isLoaded) {
      const state = session.state;
      const why = state.kind === 'error' || state.kind === 'reconnecting' ? `: ${state.message}` : ' yet';
      throw new SandboxAccessError(
        'unavailable',
        `The state of cluster ${handle.name} could not be read${why}`,
        'Check the cluster in the Mesos views (they show why it cannot connect), then try again',
      );
    }
    return { handle, session };
  }

  private async find(address: SandboxFileAddress, signal: AbortSignal): Promise<LocatedSandbox> {
    const { handle, session } = await this.loadedSession(address.clusterName);
    const { model } = session;
    const agent = model.agent(address.agentId);
    if (!agent) {
      throw new SandboxAccessError(
        'not-found',
        `Agent ${address.agentId} is not in the state of cluster ${handle.name} any more (it was removed, or its ` +
          `sandboxes went with it), so the sandbox of task ${address.taskId} on it cannot be reached`,
        'Open the sandbox of a task on an agent the cluster lists',
      );
    }
    const task = model.task(address.frameworkId, address.taskId);
    const executorId = task?.task.executor_id?.value;
    const runtime = loadClusterRuntime();
    const ref = {
      frameworkId: address.frameworkId,
      taskId: address.taskId,
      agentId: address.agentId,
      ...(executorId ? { executorId } : {}),
    };
    const sandbox = runtime.resolveTaskSandbox(
      ref,
      {
        ...(agent.agent?.pid ? { pid: agent.agent.pid } : {}),
        hostname: agent.info.hostname ?? agent.hostname,
        ...(agent.info.port ? { port: agent.info.port } : {}),
      },
      { scheme: /(^|,)\s*https:/i.test(handle.config.masters) ? 'https' : 'http' },
    );
    const client = await this.clientFor(handle, sandbox.agentUrl);
    let root = sandbox.path;
    try {
      const run = runtime.locateTaskRun(await client.state({ signal }), ref);
      if (run) root = run.path;
    } catch (err) {
      const category = (err as { category?: unknown }).category;
      if (typeof category === 'string' && UNREACHABLE_CATEGORIES.has(category)) throw err;
      if ((err as Error).name === 'TaskSandboxError') throw err;
      this.options.log.info(
        `the /state of agent ${client.endpoint.display} did not say where task ${address.taskId} ran; trying ${root}`,
        err,
      );
    }
    return { client, root, agent: client.endpoint.display };
  }

  private clientFor(handle: ClusterHandle, agentUrl: string): Promise<AgentFilesClient> {
    const key = `${handle.name}\n${agentUrl}`;
    let client = this.clients.get(key);
    if (!client) {
      client = this.newClient(handle, agentUrl);
      this.clients.set(key, client);
      client.catch(() => this.clients.delete(key));
    }
    return client;
  }

  private async newClient(handle: ClusterHandle, agentUrl: string): Promise<AgentFilesClient> {
    const { config } = handle;
    // the cluster's credentials and trust: agents usually share the master's
    const secret = config.principal ? await this.options.secrets.get(config.name, 'secret') : undefined;
    let ca: string | undefined;
    if (config.caFile) {
      try {
        ca = await readFile(config.caFile, 'utf8');
      } catch (err) {
        throw new SandboxAccessError(
          'unavailable',
          `Cannot read the CA file ${config.caFile} of cluster ${config.name}: ${(err as Error).message}`,
          'Fix caFile in mesos.clusters',
          { cause: err },
        );
      }
    }
    const runtime = loadClusterRuntime();
    const endpoint = new runtime.Endpoint({
      baseUrl: agentUrl,
      name: 'Mesos agent',
      ...(config.principal && secret !== undefined ? { auth: { principal: config.principal, secret } } : {}),
      ...(ca ? { ca } : {}),
      ...(config.insecure ? { insecure: true } : {}),
      log: this.options.log,
    });
    return new runtime.AgentFilesClient(endpoint);
  }

  /** Forgets every sandbox and closes every agent connection (the clusters or their credentials changed). */
  reset(): void {
    this.controller.abort();
    this.controller = new AbortController();
    this.sandboxes.clear();
    const clients = [...this.clients.values()];
    this.clients.clear();
    for (const client of clients)
      void client.then(
        (c) => c.endpoint.close(),
        () => undefined,
      );
  }

  dispose(): void {
    this.reset();
    this.controller.abort();
  }
}
