import * as vscode from 'vscode';
import { pickCluster } from '../clusters/pickCluster';
import type { Services } from '../services';
import { ClusterScheduler } from './clusterScheduler';
import type { SchedulerAccessProvider } from './schedulerAccess';

/** Every cluster's scheduler for this window, created on first use and dropped with its cluster. */
export class ClusterSchedulers implements SchedulerAccessProvider, vscode.Disposable {
  private readonly schedulers = new Map<string, ClusterScheduler>();
  private readonly changed = new vscode.EventEmitter<ClusterScheduler>();
  /** A scheduler started, stopped, changed where it runs, or was dropped with its cluster. */
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly services: Services) {
    this.disposables.push(
      this.changed,
      services.clusters.onDidChangeClusters(() => {
        // a cluster removed from settings takes its scheduler with it (its framework stays registered);
        // what runs beside it (the autoscaler) learns it here, as from any other stop
        for (const [name, scheduler] of this.schedulers) {
          if (services.clusters.get(name)) continue;
          scheduler.dispose();
          this.schedulers.delete(name);
          this.changed.fire(scheduler);
        }
      }),
    );
  }

  forCluster(clusterName: string): ClusterScheduler {
    let scheduler = this.schedulers.get(clusterName);
    if (!scheduler) {
      scheduler = new ClusterScheduler({
        cluster: clusterName,
        clusters: this.services.clusters,
        globalState: this.services.context.globalState,
        dir: vscode.Uri.joinPath(this.services.context.globalStorageUri, 'schedulers').fsPath,
        log: this.services.logger(`scheduler.${clusterName}`),
      });
      const created = scheduler;
      this.disposables.push(scheduler.onDidChange(() => this.changed.fire(created)));
      this.schedulers.set(clusterName, scheduler);
      void scheduler.open().catch((e: unknown) => this.services.logger('scheduler').warn(`Scheduler lease of ${clusterName}: ${(e as Error).message}`));
    }
    return scheduler;
  }

  /** Disposed with the schedulers. */
  keep(...disposables: vscode.Disposable[]): void {
    this.disposables.push(...disposables);
  }

  get all(): readonly ClusterScheduler[] {
    return [...this.schedulers.values()];
  }

  dispose(): void {
    for (const s of this.schedulers.values()) s.dispose();
    this.schedulers.clear();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

/** `Mesos: Start Scheduler` and `Mesos: Stop Scheduler`; returns the schedulers for the other features. */
export function registerSchedulers(services: Services): ClusterSchedulers {
  const schedulers = new ClusterSchedulers(services);
  const clusterOf = (arg: unknown): Promise<string | undefined> =>
    pickCluster(services.clusters, {
      arg,
      placeHolder: 'Which cluster’s scheduler?',
      offer: (c) => !c.config.readOnly,
      noneOffered: 'Every configured cluster is read-only, and a scheduler does not run on one: add a cluster with "Mesos: Add Cluster…", or set "readOnly": false for one in mesos.clusters.',
    });
  schedulers.keep(
    vscode.commands.registerCommand('mesos.startScheduler', async (arg?: unknown) => {
      const name = await clusterOf(arg);
      if (!name) return;
      const scheduler = schedulers.forCluster(name);
      try {
        await scheduler.ensureRunning();
      } catch (error) {
        void vscode.window.showErrorMessage(`The scheduler for ${name} did not start: ${(error as Error).message}`, 'Show Log').then((b) => {
          if (b) void vscode.commands.executeCommand('mesos.showLog');
        });
        return;
      }
      const where = scheduler.where;
      void vscode.window.showInformationMessage(
        where === 'here'
          ? `The scheduler for ${name} runs in this window (framework ${scheduler.frameworkId ?? 'registering'}).`
          : `The scheduler for ${name} already runs ${where === 'headless' ? 'headless (mesos-ops autoscale)' : 'in another window'}; this window forwards launches and kills to it.`,
      );
    }),
    vscode.commands.registerCommand('mesos.stopScheduler', async (arg?: unknown) => {
      const name = await clusterOf(arg);
      if (!name) return;
      const scheduler = schedulers.forCluster(name);
      if (scheduler.where !== 'here') {
        void vscode.window.showInformationMessage(`The scheduler for ${name} does not run in this window (${scheduler.where}).`);
        return;
      }
      const keep = 'Stop, Keep Tasks Running';
      const teardown = 'Stop and Tear Down Framework…';
      const choice = await vscode.window.showWarningMessage(
        `Stop the scheduler for ${name}?`,
        { modal: true, detail: 'Stopping keeps the framework registered for its failover timeout: its tasks keep running and are reconciled when a scheduler starts again. Tearing down makes Mesos kill every task of the framework.' },
        keep,
        teardown,
      );
      if (!choice) return;
      if (choice === teardown) {
        const typed = await vscode.window.showInputBox({
          title: `Tear down the framework of ${name}`,
          prompt: `Every task of framework ${scheduler.frameworkId ?? ''} will be killed and its id can never be used again. Type the cluster name to confirm.`,
          validateInput: (v) => (v === name ? undefined : `Type ${name}`),
        });
        if (typed !== name) return;
      }
      await scheduler.stop({ teardown: choice === teardown });
    }),
  );
  return schedulers;
}
