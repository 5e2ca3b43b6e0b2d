import * as vscode from 'vscode';
import { pickCluster } from '../clusters/pickCluster';
import type { ClusterSchedulers } from '../scheduler/registerSchedulers';
import type { Services } from '../services';
import { ClusterAutoscalers } from './clusterAutoscalers';

/** The cluster a command is for: a name, a tree node with `clusterName`, or a pick among those with Jenkins. */
function clusterOf(services: Services, arg: unknown): Promise<string | undefined> {
  return pickCluster(services.clusters, {
    arg,
    placeHolder: 'Which cluster’s Jenkins autoscaler?',
    offer: (c) => c.config.jenkinsUrl !== undefined && !c.config.readOnly,
    noneOffered: 'No writable cluster has a Jenkins URL: set "jenkinsUrl" of one with "Mesos: Edit Cluster…".',
  });
}

/**
 * `Mesos: Start Jenkins Autoscaler`, `Stop Jenkins Autoscaler` and `Export Scaling Decisions…`; starts the
 * autoscalers of clusters with a Jenkins URL at activation when `mesos.jenkins.autoStart` is on.
 */
export function registerAutoscalers(services: Services, schedulers: ClusterSchedulers): ClusterAutoscalers {
  const autoscalers = new ClusterAutoscalers(services, schedulers);
  const fail = (cluster: string, error: unknown) =>
    void vscode.window
      .showErrorMessage(`The Jenkins autoscaler of ${cluster} did not start: ${(error as Error).message}`, 'Show Log')
      .then((b) => b && vscode.commands.executeCommand('mesos.showLog'));
  services.context.subscriptions.push(
    vscode.commands.registerCommand('mesos.startAutoscaler', async (arg?: unknown) => {
      const cluster = await clusterOf(services, arg);
      if (!cluster) return undefined;
      try {
        const driver = await autoscalers.start(cluster);
        void vscode.window.showInformationMessage(`The Jenkins autoscaler of ${cluster} is running.`, 'Show Queue').then((b) => {
          if (b) void vscode.commands.executeCommand('mesos.showJenkinsQueue', cluster);
        });
        return driver;
      } catch (error) {
        fail(cluster, error);
        return undefined;
      }
    }),
    vscode.commands.registerCommand('mesos.stopAutoscaler', async (arg?: unknown) => {
      const cluster = await clusterOf(services, arg);
      if (!cluster || !autoscalers.get(cluster)) return;
      await autoscalers.stop(cluster);
    }),
    vscode.commands.registerCommand('mesos.exportScalingDecisions', async (arg?: unknown, target?: vscode.Uri) => {
      const cluster = await clusterOf(services, arg);
      if (!cluster) return undefined;
      const lines = autoscalers.exportDecisions(cluster);
      if (lines === undefined) {
        void vscode.window.showInformationMessage(`The Jenkins autoscaler of ${cluster} does not run in this window: there are no decisions to export here.`);
        return undefined;
      }
      const uri =
        target ??
        (await vscode.window.showSaveDialog({
          title: `Scaling decisions of ${cluster} (JSON lines)`,
          filters: { 'JSON lines': ['jsonl'] },
          defaultUri: vscode.Uri.file(`scaling-decisions-${cluster.replace(/\W+/g, '-')}.jsonl`),
        }));
      if (!uri) return undefined;
      await vscode.workspace.fs.writeFile(uri, Buffer.from(lines, 'utf8'));
      return uri;
    }),
  );
  if (vscode.workspace.getConfiguration('mesos.jenkins').get<boolean>('autoStart', false)) {
    for (const handle of services.clusters.clusters) {
      if (!handle.config.jenkinsUrl || handle.config.readOnly) continue;
      autoscalers.start(handle.name).catch((error: unknown) => services.logger('autoscaler').warn(`Auto start of ${handle.name}: ${(error as Error).message}`));
    }
  }
  return autoscalers;
}
