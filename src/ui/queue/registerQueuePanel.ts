import * as vscode from 'vscode';
import { VERSION } from '../../core/version';
import { pickCluster } from '../clusters/pickCluster';
import type { Services } from '../services';
import { QueuePanel } from './queuePanel';
import type { QueueSource } from '../../core/scheduler/autoscaler/queueSource';

export const SHOW_JENKINS_QUEUE = 'mesos.showJenkinsQueue';

/** The open panels, one per cluster: showing a cluster's queue again reveals its panel. */
export class QueuePanels implements vscode.Disposable {
  private readonly panels = new Map<string, QueuePanel>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly services: Services,
    private readonly sourceFor: (clusterName: string) => QueueSource | undefined,
  ) {
    // a removed cluster takes its panel along; a cluster whose autoscaler was replaced shows the new one
    this.disposables.push(
      services.clusters.onDidChangeClusters(() => {
        for (const [name, panel] of this.panels) {
          const source = services.clusters.get(name) ? sourceFor(name) : undefined;
          if (source) panel.setSource(source);
          else panel.dispose();
        }
      }),
    );
  }

  /** Disposes `disposable` with the panels (the command that opens them). */
  keep(disposable: vscode.Disposable): void {
    this.disposables.push(disposable);
  }

  /** Shows the cluster's current source in its open panel (an autoscaler started or stopped). */
  refresh(cluster: string): void {
    const panel = this.panels.get(cluster);
    const source = panel && this.services.clusters.get(cluster) ? this.sourceFor(cluster) : undefined;
    if (panel && source) panel.setSource(source);
  }

  get(cluster: string): QueuePanel | undefined {
    return this.panels.get(cluster);
  }

  /** Reveals the cluster's panel, or opens one; undefined (after telling the user why) when it has no queue. */
  show(cluster: string): QueuePanel | undefined {
    const open = this.panels.get(cluster);
    if (open) {
      open.reveal();
      return open;
    }
    const handle = this.services.clusters.get(cluster);
    const source = handle ? this.sourceFor(cluster) : undefined;
    if (!source) {
      const why = !handle
        ? `there is no cluster "${cluster}" any more. Pick one from the Mesos views.`
        : handle.config.jenkinsUrl
          ? `the Jenkins autoscaler of cluster "${cluster}" is not available. See the Mesos Ops log.`
          : `cluster "${cluster}" has no Jenkins URL. Set "jenkinsUrl" with "Mesos: Edit Cluster…", then try again.`;
      void vscode.window.showWarningMessage(`There is no Jenkins queue to show: ${why}`);
      return undefined;
    }
    const panel = QueuePanel.create({
      extensionUri: this.services.context.extensionUri,
      cluster,
      source,
      log: this.services.logger('queue'),
      productVersion: VERSION,
    });
    this.panels.set(cluster, panel);
    panel.onDidDispose(() => {
      if (this.panels.get(cluster) === panel) this.panels.delete(cluster);
    });
    return panel;
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
    for (const panel of [...this.panels.values()]) panel.dispose();
    this.panels.clear();
  }
}

/**
 * Registers `mesos.showJenkinsQueue` (argument: a cluster name or a tree node with `clusterName`; without
 * one it asks when several clusters have a Jenkins URL). The command returns the panel it shows, or undefined.
 * `sourceFor` gives the autoscaler's view of a cluster, or undefined when the cluster has none. The
 * returned QueuePanels is the disposable; it also gives tests the open panels.
 */
export function registerQueuePanel(
  services: Services,
  sourceFor: (clusterName: string) => QueueSource | undefined,
): QueuePanels {
  const panels = new QueuePanels(services, sourceFor);
  panels.keep(
    vscode.commands.registerCommand(SHOW_JENKINS_QUEUE, async (arg?: unknown) => {
      const cluster = await pickCluster(services.clusters, {
        arg,
        placeHolder: 'Show the Jenkins queue of which cluster?',
        offer: (c) => c.config.jenkinsUrl !== undefined,
        noneOffered: 'No cluster has a Jenkins queue to show: set "jenkinsUrl" of one with "Mesos: Edit Cluster…".',
      });
      return cluster === undefined ? undefined : panels.show(cluster);
    }),
  );
  return panels;
}
