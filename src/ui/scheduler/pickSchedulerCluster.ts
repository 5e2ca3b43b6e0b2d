import * as vscode from 'vscode';
import type { Services } from '../services';

/** The only usable cluster, or the one the user picks; undefined when there is none or the pick is cancelled. */
export async function pickCluster(services: Services, title: string): Promise<string | undefined> {
  const usable = services.clusters.clusters.filter((c) => !c.config.readOnly);
  if (usable.length === 0) {
    void vscode.window.showWarningMessage('No cluster can run a scheduler: add one with "Mesos: Add Cluster…" (read-only clusters cannot).');
    return undefined;
  }
  if (usable.length === 1) return usable[0]!.name;
  const pick = await vscode.window.showQuickPick(
    usable.map((c) => ({ label: c.name, description: c.config.masters })),
    { title, placeHolder: 'Cluster' },
  );
  return pick?.label;
}
