import * as vscode from 'vscode';
import type { Services } from '../services';
import { ClusterTreeProvider } from './clusterTreeProvider';
import { registerExplorerCommands } from './explorerCommands';
import { EXPLORER_VIEW_IDS, type ExplorerNode, type ExplorerViewKind } from './explorerNode';

/** The explorer as activate() hands it on (our extension-host tests read the providers through it). */
export interface Explorer extends vscode.Disposable {
  readonly providers: Readonly<Record<ExplorerViewKind, ClusterTreeProvider>>;
  readonly views: Readonly<Record<ExplorerViewKind, vscode.TreeView<ExplorerNode>>>;
}

const VIEWS: readonly ExplorerViewKind[] = ['frameworks', 'offers', 'agents'];
const filterStateKey = (view: ExplorerViewKind): string => `mesos.filter.${view}`;
/** Context keys for the views' "Clear Filter" buttons. */
const filteredContextKey = (view: ExplorerViewKind): string => `mesos.${view}Filtered`;
/** How often a visible view's "updated hh:mm:ss" is read again (heartbeats move it without a change). */
const DESCRIPTION_REFRESH_MS = 10_000;

/**
 * The three views of the Mesos container (Frameworks, Offers, Agents): one provider each over every
 * configured cluster. Sessions start when a view first lists a cluster; offers are polled only while the
 * Offers view is visible; each view's description says when it was last updated and which filter applies.
 */
export function registerExplorer(services: Services): Explorer {
  const log = services.logger('explorer');
  const workspaceState = services.context.workspaceState;
  const disposables: vscode.Disposable[] = [];

  const providers = {} as Record<ExplorerViewKind, ClusterTreeProvider>;
  const views = {} as Record<ExplorerViewKind, vscode.TreeView<ExplorerNode>>;
  for (const kind of VIEWS) {
    const filter = workspaceState.get<string>(filterStateKey(kind), '');
    const provider = new ClusterTreeProvider({ view: kind, clusters: services.clusters, log, filter });
    const view = vscode.window.createTreeView(EXPLORER_VIEW_IDS[kind], { treeDataProvider: provider, showCollapseAll: true, canSelectMany: true });
    providers[kind] = provider;
    views[kind] = view;
    const describe = (): void => {
      const text = provider.description();
      if (view.description !== text) view.description = text;
    };
    describe();
    void vscode.commands.executeCommand('setContext', filteredContextKey(kind), filter !== '');
    disposables.push(provider, view, provider.onDidChangeDescription(describe));
  }

  const offersView = views.offers;
  providers.offers.setWatchOffers(offersView.visible);
  disposables.push(offersView.onDidChangeVisibility((e) => providers.offers.setWatchOffers(e.visible)));

  const timer = setInterval(() => {
    for (const kind of VIEWS) if (views[kind].visible) views[kind].description = providers[kind].description();
  }, DESCRIPTION_REFRESH_MS);
  timer.unref?.();
  disposables.push({ dispose: () => clearInterval(timer) });

  const setFilter = (kind: ExplorerViewKind, value: string): void => {
    const text = value.trim();
    providers[kind].setFilter(text);
    void workspaceState.update(filterStateKey(kind), text || undefined);
    void vscode.commands.executeCommand('setContext', filteredContextKey(kind), text !== '');
  };
  disposables.push(registerExplorerCommands({ services, log, providers, views, setFilter }));

  return {
    providers,
    views,
    dispose: () => {
      for (const d of disposables.reverse()) d.dispose();
    },
  };
}

