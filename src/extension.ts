import * as vscode from 'vscode';
import { registerLogCommands } from './ui/log/registerLogCommands';
import { OutputChannelSink } from './ui/log/outputChannelSink';
import { ClusterRegistry } from './ui/clusters/clusterRegistry';
import { ClusterSecrets } from './ui/clusters/clusterSecrets';
import { registerClusterCommands } from './ui/clusters/registerClusterCommands';
import { registerExplorer, type Explorer } from './ui/explorer/registerExplorer';
import { registerTaskLogs } from './ui/logs/registerTaskLogs';
import { registerQueuePanel, type QueuePanels } from './ui/queue/registerQueuePanel';
import { registerSandboxFiles } from './ui/sandboxFiles/registerSandboxFiles';
import { registerSchedulers, type ClusterSchedulers } from './ui/scheduler/registerSchedulers';
import { registerTaskCommands } from './ui/tasks/registerTaskCommands';
import { registerAutoscalers } from './ui/autoscaler/registerAutoscalers';
import type { ClusterAutoscalers } from './ui/autoscaler/clusterAutoscalers';
import { createServices } from './ui/services';
import { VERSION } from './core/version';

/** What activate() returns: a small surface for other extensions and for our extension-host tests. */
export interface MesosOpsApi {
  readonly version: string;
  /** The configured clusters and their live sessions (used by our extension-host tests). */
  readonly clusters: ClusterRegistry;
  /**
   * The clusters' secrets in the editor's SecretStorage (used by our extension-host tests, which cannot
   * type a Jenkins API token into "Mesos: Set Credentials…").
   */
  readonly secrets: ClusterSecrets;
  /** The Frameworks, Offers and Agents views and their providers (used by our extension-host tests). */
  readonly explorer: Explorer;
  /** The Jenkins Queue & Scaling panels (used by our extension-host tests). */
  readonly queuePanels: QueuePanels;
  /** Each cluster's scheduler as this window sees it (used by our extension-host tests). */
  readonly schedulers: ClusterSchedulers;
  /** Each cluster's Jenkins autoscaler in this window (used by our extension-host tests). */
  readonly autoscalers: ClusterAutoscalers;
}

/** What deactivate() must stop gracefully: the autoscalers (on-exit setting) and the schedulers. */
let running: { autoscalers: ClusterAutoscalers; schedulers: ClusterSchedulers } | undefined;

/**
 * Builds the services and registers each feature; nothing else happens here, so activation stays in
 * milliseconds (connections start lazily when a view or command needs them).
 */
export function activate(context: vscode.ExtensionContext): MesosOpsApi {
  const logChannel = vscode.window.createOutputChannel('Mesos Ops', { log: true });
  context.subscriptions.push(logChannel);
  const sink = new OutputChannelSink(logChannel);
  const secrets = new ClusterSecrets(context.secrets);
  // reads the setting only; no cluster is contacted until a view or command needs it
  const clusters = new ClusterRegistry(secrets, sink);
  context.subscriptions.push(clusters);
  const services = createServices(context, logChannel, sink, clusters, secrets);

  const explorer = registerExplorer(services);
  context.subscriptions.push(registerLogCommands(services), registerClusterCommands(services), explorer);
  context.subscriptions.push(registerTaskLogs(services), registerSandboxFiles(services));
  const schedulers = registerSchedulers(services);
  context.subscriptions.push(schedulers, registerTaskCommands(services, schedulers));
  const autoscalers = registerAutoscalers(services, schedulers);
  const queuePanels = registerQueuePanel(services, (cluster) => autoscalers.sourceFor(cluster));
  context.subscriptions.push(
    autoscalers,
    queuePanels,
    autoscalers.onDidChange((cluster) => queuePanels.refresh(cluster)),
  );
  running = { autoscalers, schedulers };

  services.logger('extension').info(`Mesos Ops ${VERSION} activated`);
  return { version: VERSION, clusters, secrets, explorer, queuePanels, schedulers, autoscalers };
}

/**
 * Stops the autoscalers (as mesos.jenkins.onExit says) and the schedulers (their frameworks stay registered
 * for the failover timeout) before VS Code disposes everything else; bounded, as VS Code waits only briefly.
 */
export async function deactivate(): Promise<void> {
  const stopping = running;
  running = undefined;
  if (!stopping) return;
  const graceful = (async () => {
    await stopping.autoscalers.stopAll();
    await Promise.allSettled(stopping.schedulers.all.map((s) => s.stop()));
  })();
  await Promise.race([graceful, new Promise((resolve) => setTimeout(resolve, 4000).unref())]);
}
