import * as vscode from 'vscode';
import {
  FRAMEWORK_STATUSES,
  MAX_PAGE_SIZE,
  type ClusterChange,
  type ClusterList,
  type ClusterModel,
  type AgentNode,
  type ClusterNode,
  type ClusterPage,
  type NodeOfList,
} from '../../core/cluster';
import type { Logger } from '../../core/log/logSink';
import type { ActionSpec } from './actionTreeNode';
import { AgentTreeNode } from './agentTreeNode';
import { ClusterBinding, type ClusterBindingListener } from './clusterBinding';
import { ClusterTreeNode } from './clusterTreeNode';
import type { ExplorerClusterHandle, ExplorerClusters, ExplorerSession } from './explorerClusters';
import type { ExplorerContext, ExplorerNode, ExplorerViewKind, ListChildrenRequest } from './explorerNode';
import { FrameworkGroupTreeNode } from './frameworkGroupTreeNode';
import type { FrameworkTreeNode } from './frameworkTreeNode';
import { formatClock } from './formatTime';
import { MessageTreeNode, type MessageSpec } from './messageTreeNode';
import { OfferTreeNode } from './offerTreeNode';
import { ShowMoreTreeNode } from './showMoreTreeNode';
import { ICONS } from './stateIcons';
import {
  agentKey,
  agentTaskKey,
  agentTasksKey,
  childKey,
  clusterKey,
  frameworkGroupKey,
  frameworkKey,
  frameworkTaskKey,
  messageKey,
  offerKey,
  problemKey,
  ROOT_KEY,
  showMoreKey,
  taskGroupKey,
} from './treeKeys';

export interface ClusterTreeProviderOptions {
  readonly view: ExplorerViewKind;
  readonly clusters: ExplorerClusters;
  readonly log: Logger;
  /** The filter to start with (restored from the workspace). */
  readonly filter?: string;
  /** Quiet time before model changes reach the tree (default 150 ms)… */
  readonly delayMs?: number;
  /** …and the longest a change waits while changes keep coming (default 500 ms). */
  readonly maxDelayMs?: number;
}


/**
 * The data provider of one Mesos view (frameworks, offers or agents), for every configured cluster.
 *
 * - With one cluster its content sits at the root; with several, a cluster node comes first.
 * - Elements are cached by key (see treeKeys), so the same node is the same object from one refresh to
 *   the next; elements that drop out of a listed parent are forgotten, so the cache holds what is shown.
 * - Model changes arrive debounced and refresh only the elements they name (or the lists they change);
 *   a cluster's root is refreshed only for a first snapshot or a change of its connection state.
 * - A list shows one page (MAX_PAGE_SIZE rows) at a time: "Show more" / "Show previous" rows move
 *   between pages, so no expansion or refresh builds more than one page of tree items.
 */
export class ClusterTreeProvider implements vscode.TreeDataProvider<ExplorerNode>, ExplorerContext, ClusterBindingListener, vscode.Disposable {
  readonly view: ExplorerViewKind;
  private readonly clusters: ExplorerClusters;
  private readonly log: Logger;
  private readonly changeEmitter = new vscode.EventEmitter<ExplorerNode | ExplorerNode[] | undefined>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  private readonly descriptionEmitter = new vscode.EventEmitter<void>();
  /** The view's description (last update, filter) should be read again. */
  readonly onDidChangeDescription = this.descriptionEmitter.event;
  private readonly listedEmitter = new vscode.EventEmitter<string>();
  private bindings = new Map<string, ClusterBinding>();
  private readonly nodes = new Map<string, ExplorerNode>();
  /** Keys of the children last returned for each parent key (ROOT_KEY for the root). */
  private readonly listed = new Map<string, readonly string[]>();
  /** The page shown of each long list, by the key of the node that owns the list (default 0). */
  private readonly pageIndexes = new Map<string, number>();
  /** What each cluster's root showed about its connection, to refresh it only when that changes. */
  private readonly shownStates = new Map<string, string>();
  private readonly clusterDescriptions = new Map<string, string>();
  /** What framework and agent rows last showed (see rowChanged). */
  private readonly rowSignatures = new Map<string, string>();
  private filterValue: string;
  private watchingOffers = false;
  private multi = false;
  private readonly coalescing: { delayMs: number; maxDelayMs: number };
  private readonly disposables: vscode.Disposable[] = [];

  constructor(options: ClusterTreeProviderOptions) {
    this.view = options.view;
    this.clusters = options.clusters;
    this.log = options.log;
    this.filterValue = (options.filter ?? '').trim();
    this.coalescing = { delayMs: options.delayMs ?? 150, maxDelayMs: options.maxDelayMs ?? 500 };
    this.disposables.push(
      this.changeEmitter,
      this.descriptionEmitter,
      this.listedEmitter,
      this.clusters.onDidChangeClusters(() => this.syncClusters()),
      this.clusters.onDidStartSession((handle) => {
        const binding = this.bindings.get(handle.name);
        if (binding?.handle === handle && handle.current) binding.attach(handle.current);
      }),
    );
    this.syncClusters();
  }

  // ---- TreeDataProvider ------------------------------------------------------------------------------

  getTreeItem(element: ExplorerNode): vscode.TreeItem {
    try {
      const item = element.treeItem(this);
      if (element.kind === 'cluster') this.clusterDescriptions.set(element.clusterName, String(item.description ?? ''));
      if (element.kind === 'framework' || element.kind === 'agent') this.rowSignatures.set(element.key, element.signature(this, item));
      return item;
    } catch (err) {
      this.log.error(`drawing ${element.key} failed`, err);
      const item = new vscode.TreeItem(element.key);
      item.iconPath = ICONS.error;
      return item;
    }
  }

  getChildren(element?: ExplorerNode): ExplorerNode[] {
    const parentKey = element?.key ?? ROOT_KEY;
    let children: ExplorerNode[];
    try {
      children = element ? [...element.children(this)] : this.rootChildren();
    } catch (err) {
      this.log.error(`listing ${parentKey || 'the root'} of ${this.view} failed`, err);
      children = [
        this.message(childKey(parentKey || 'root', 'failed'), element, element?.clusterName, {
          label: `Could not list this: ${(err as Error).message}`,
          icon: ICONS.error,
          contextValue: 'mesos.error',
          actions: [{ label: 'Show Log', icon: ICONS.log, command: 'mesos.showLog' }],
        }),
      ];
    }
    this.remember(parentKey, children);
    this.listedEmitter.fire(parentKey);
    return children;
  }

  resolveTreeItem(item: vscode.TreeItem, element: ExplorerNode): vscode.TreeItem {
    try {
      item.tooltip = element.tooltip(this);
    } catch (err) {
      this.log.warn(`tooltip of ${element.key} failed`, err);
    }
    return item;
  }

  getParent(element: ExplorerNode): ExplorerNode | undefined {
    return element.parent;
  }

  // ---- ExplorerContext ---------------------------------------------------------------------------------

  get multiCluster(): boolean {
    return this.multi;
  }

  get filter(): string {
    return this.filterValue;
  }

  handle(cluster: string): ExplorerClusterHandle | undefined {
    return this.bindings.get(cluster)?.handle;
  }

  session(cluster: string): ExplorerSession | undefined {
    return this.bindings.get(cluster)?.session;
  }

  startError(cluster: string): Error | undefined {
    return this.bindings.get(cluster)?.startError;
  }

  model(cluster: string): ClusterModel | undefined {
    const model = this.session(cluster)?.model;
    return model?.isLoaded ? model : undefined;
  }

  now(): number {
    return Date.now();
  }

  cached<N extends ExplorerNode>(key: string, create: () => N): N {
    const existing = this.nodes.get(key);
    if (existing) return existing as N;
    const made = create();
    this.nodes.set(key, made);
    return made;
  }

  listChildren<L extends ClusterList>(request: ListChildrenRequest<L>): { nodes: ExplorerNode[]; total: number } {
    const { model, list, filter, ownerKey } = request;
    let pageIndex = this.pageIndexes.get(ownerKey) ?? 0;
    let page = model.page(list as ClusterList, { offset: pageIndex * MAX_PAGE_SIZE, limit: MAX_PAGE_SIZE, filter });
    if (page.items.length === 0 && pageIndex > 0) {
      // the list shrank below the page shown: show its last page
      pageIndex = Math.max(0, Math.ceil(page.total / MAX_PAGE_SIZE) - 1);
      this.pageIndexes.set(ownerKey, pageIndex);
      page = model.page(list as ClusterList, { offset: pageIndex * MAX_PAGE_SIZE, limit: MAX_PAGE_SIZE, filter });
    }
    const nodes: ExplorerNode[] = [];
    const pager = (direction: 'next' | 'previous', count: number): ExplorerNode => {
      const key = showMoreKey(ownerKey, direction);
      return this.cached(key, () => new ShowMoreTreeNode(key, this.view, direction, request.owner, ownerKey, request.clusterName)).update(count);
    };
    if (page.offset > 0) nodes.push(pager('previous', page.offset));
    for (const item of page.items as readonly ClusterNode[]) nodes.push(request.make(item as NodeOfList<L>));
    if (page.nextOffset !== undefined) nodes.push(pager('next', page.total - page.nextOffset));
    return { nodes, total: page.total };
  }

  clusterContent(cluster: string, parent: ClusterTreeNode | undefined): ExplorerNode[] {
    const binding = this.bindings.get(cluster);
    if (!binding) return [];
    binding.ensureStarted();
    this.shownStates.set(cluster, this.stateSignature(cluster));
    if (binding.startError) return [this.errorNode(binding, parent, binding.startError.message, false)];
    const session = binding.session;
    if (!session) return [this.connectingNode(binding, parent)];
    const state = session.state;
    if (!session.model.isLoaded) {
      if (state.kind === 'error') return [this.errorNode(binding, parent, state.message, state.needsCredentials)];
      return [this.connectingNode(binding, parent, state.kind === 'reconnecting' ? state.message : undefined)];
    }
    const status: ExplorerNode[] = [];
    if (state.kind === 'error') status.push(this.errorNode(binding, parent, state.message, state.needsCredentials));
    if (state.kind === 'reconnecting') {
      status.push(
        this.message(messageKey(cluster, 'reconnecting'), parent, cluster, {
          label: 'Reconnecting…',
          description: state.message,
          icon: ICONS.warning,
          contextValue: 'mesos.cluster.reconnecting',
          tooltip: `The event stream of ${cluster} broke (${state.message}); what you see may be behind until it is back.`,
        }),
      );
    }
    return [...status, ...this.viewContent(cluster, parent, session.model)];
  }

  info(key: string, parent: ExplorerNode | undefined, cluster: string | undefined, label: string, description?: string): ExplorerNode {
    return this.message(key, parent, cluster, { label, ...(description ? { description } : {}), icon: ICONS.info, contextValue: 'mesos.info' });
  }

  // ---- what the view shows -----------------------------------------------------------------------------

  private rootChildren(): ExplorerNode[] {
    const handles = this.clusters.clusters;
    this.multi = handles.length > 1;
    const out: ExplorerNode[] = this.clusters.problems.map((problem) =>
      this.message(problemKey(problem.index, problem.name), undefined, undefined, {
        label: problem.message,
        description: 'mesos.clusters',
        icon: ICONS.error,
        contextValue: 'mesos.settingsProblem',
        tooltip: `${problem.message}\nThe other clusters are not affected. Fix the entry in the setting mesos.clusters.`,
        actions: [{ label: 'Open Settings', icon: ICONS.settings, command: 'workbench.action.openSettings', arguments: ['mesos.clusters'] }],
      }),
    );
    if (handles.length === 1) return [...out, ...this.clusterContent(handles[0]!.name, undefined)];
    for (const handle of handles) {
      this.bindings.get(handle.name)?.ensureStarted();
      out.push(this.cached(clusterKey(handle.name), () => new ClusterTreeNode(handle.name)));
    }
    return out;
  }

  private viewContent(cluster: string, parent: ClusterTreeNode | undefined, model: ClusterModel): ExplorerNode[] {
    const ownerKey = clusterKey(cluster);
    switch (this.view) {
      case 'frameworks':
        return FRAMEWORK_STATUSES.map((status) => this.cached(frameworkGroupKey(cluster, status), () => new FrameworkGroupTreeNode(cluster, status, parent)));
      case 'offers': {
        const { nodes, total } = this.listChildren({
          owner: parent,
          ownerKey,
          clusterName: cluster,
          model,
          list: { kind: 'offers' },
          filter: this.filterValue,
          make: (offer) => this.cached(offerKey(cluster, offer.id), () => new OfferTreeNode(cluster, offer.id, offer.agentId, parent)),
        });
        if (total > 0) return nodes;
        return [
          this.filterValue
            ? this.info(childKey(ownerKey, 'empty'), parent, cluster, `No offers match "${this.filterValue}"`)
            : this.info(childKey(ownerKey, 'empty'), parent, cluster, 'No outstanding offers', 'read every few seconds while this view is open'),
        ];
      }
      case 'agents': {
        const { nodes, total } = this.listChildren({
          owner: parent,
          ownerKey,
          clusterName: cluster,
          model,
          list: { kind: 'agents' },
          filter: this.filterValue,
          make: (agent) => this.cached(agentKey(cluster, agent.id), () => new AgentTreeNode(cluster, agent.id, parent)),
        });
        if (total > 0) return nodes;
        return [this.info(childKey(ownerKey, 'empty'), parent, cluster, this.filterValue ? `No agents match "${this.filterValue}"` : 'No agents')];
      }
    }
  }

  private message(key: string, parent: ExplorerNode | undefined, cluster: string | undefined, spec: MessageSpec): MessageTreeNode {
    return this.cached(key, () => new MessageTreeNode(key, parent, cluster, spec)).update(spec);
  }

  private connectingNode(binding: ClusterBinding, parent: ClusterTreeNode | undefined, problem?: string): ExplorerNode {
    return this.message(messageKey(binding.name, 'connecting'), parent, binding.name, {
      label: 'Connecting…',
      description: problem ?? binding.handle.config.masters,
      icon: ICONS.connecting,
      contextValue: 'mesos.cluster.connecting',
      tooltip: `Finding the leading master of ${binding.name} (${binding.handle.config.masters}) and reading its state.`,
    });
  }

  private errorNode(binding: ClusterBinding, parent: ClusterTreeNode | undefined, cause: string, needsCredentials: boolean): ExplorerNode {
    const cluster = binding.name;
    const actions: ActionSpec[] = [];
    if (needsCredentials) actions.push({ label: 'Set Credentials…', icon: ICONS.key, command: 'mesos.setCredentials', arguments: [cluster] });
    actions.push(
      { label: 'Retry', icon: ICONS.retry, command: 'mesos.refresh', arguments: [cluster] },
      { label: 'Edit Cluster…', icon: ICONS.edit, command: 'mesos.editCluster', arguments: [cluster] },
      { label: 'Show Log', icon: ICONS.log, command: 'mesos.showLog' },
    );
    const next = needsCredentials
      ? 'The master refused the credentials: set the principal and secret.'
      : 'Check that a master listens there, then retry, or edit the masters of this cluster.';
    return this.message(messageKey(cluster, 'error'), parent, cluster, {
      label: cause.split('\n')[0]!.slice(0, 200),
      description: needsCredentials ? 'set credentials' : 'retry or edit the cluster',
      icon: ICONS.error,
      contextValue: 'mesos.cluster.error',
      tooltip: `${cluster} (${binding.handle.config.masters}): ${cause}\n\n${next}`,
      actions,
    });
  }

  // ---- live changes ------------------------------------------------------------------------------------

  /** What a cluster's root shows about its connection: a change to it redraws that root. */
  private stateSignature(cluster: string): string {
    const binding = this.bindings.get(cluster);
    if (!binding) return 'none';
    if (binding.startError) return `start-error:${binding.startError.message}`;
    const session = binding.session;
    if (!session) return 'starting';
    const state = session.state;
    const loaded = session.model.isLoaded;
    switch (state.kind) {
      case 'error':
        return `error:${loaded}:${state.message}:${state.needsCredentials}`;
      case 'reconnecting':
        return `reconnecting:${loaded}:${state.message}`;
      default:
        // connected, connecting, idle and closed draw alike once loaded
        return loaded ? 'loaded' : state.kind;
    }
  }

  clusterStateChanged(cluster: string): void {
    this.descriptionEmitter.fire();
    if (this.stateSignature(cluster) !== this.shownStates.get(cluster)) this.refreshClusterRoot(cluster);
    else if (this.multi) this.refreshClusterRowIfChanged(cluster);
  }

  clusterChanged(cluster: string, change: ClusterChange): void {
    this.descriptionEmitter.fire();
    const model = this.model(cluster);
    if (!model) return;
    if (change.full || this.stateSignature(cluster) !== this.shownStates.get(cluster)) {
      this.refreshClusterRoot(cluster);
      return;
    }
    const targets: (ExplorerNode | undefined)[] = [];
    let wholeCluster = false;
    switch (this.view) {
      case 'frameworks':
        this.frameworkTargets(cluster, model, change, targets);
        break;
      case 'agents':
        wholeCluster = this.agentTargets(cluster, model, change, targets);
        break;
      case 'offers':
        wholeCluster = [...change.lists.values()].some((list) => list.kind === 'offers');
        break;
    }
    if (wholeCluster) {
      this.refreshClusterRoot(cluster);
      return;
    }
    if (this.multi && change.totals) this.refreshClusterRowIfChanged(cluster, targets);
    this.fire(targets);
  }

  private frameworkTargets(cluster: string, model: ClusterModel, change: ClusterChange, targets: (ExplorerNode | undefined)[]): void {
    for (const list of change.lists.values()) {
      if (list.kind === 'frameworks') {
        for (const status of list.status ? [list.status] : FRAMEWORK_STATUSES) targets.push(this.nodes.get(frameworkGroupKey(cluster, status)));
      } else if (list.kind === 'frameworkTasks' && list.state !== undefined) {
        const framework = model.framework(list.frameworkId);
        if (!framework) continue;
        const node = this.nodes.get(frameworkKey(cluster, framework.status, list.frameworkId)) as FrameworkTreeNode | undefined;
        if (!node) continue;
        const groups = model.taskGroups(list.frameworkId).map((g) => g.state).join(',');
        // a group that appears or empties changes the framework's children; otherwise only that group's
        if (groups !== node.shownGroups) targets.push(node);
        else targets.push(this.nodes.get(taskGroupKey(node.key, list.state)));
      }
    }
    for (const id of change.frameworks) {
      for (const status of FRAMEWORK_STATUSES) {
        const node = this.nodes.get(frameworkKey(cluster, status, id));
        if (node?.kind === 'framework' && this.rowChanged(node)) targets.push(node);
      }
    }
    for (const key of change.tasks) {
      const task = this.taskOfKey(model, key);
      if (!task) continue;
      const framework = model.framework(task.frameworkId);
      if (!framework) continue;
      const group = taskGroupKey(frameworkKey(cluster, framework.status, task.frameworkId), task.state);
      targets.push(this.nodes.get(frameworkTaskKey(group, task.id)));
    }
  }

  /** Returns true when the cluster's list of agents changed (its root is redrawn then). */
  private agentTargets(cluster: string, model: ClusterModel, change: ClusterChange, targets: (ExplorerNode | undefined)[]): boolean {
    for (const list of change.lists.values()) {
      if (list.kind === 'agents') return true;
      if (list.kind === 'agentTasks') targets.push(this.nodes.get(agentTasksKey(cluster, list.agentId)));
    }
    for (const id of change.agents) {
      const node = this.nodes.get(agentKey(cluster, id));
      if (node?.kind === 'agent' && this.rowChanged(node)) targets.push(node);
    }
    for (const key of change.tasks) {
      const task = this.taskOfKey(model, key);
      if (task) targets.push(this.nodes.get(agentTaskKey(cluster, task.agentId, task.frameworkId, task.id)));
    }
    return false;
  }

  /**
   * Whether a framework's or agent's row would look different now. Redrawing one refreshes everything
   * expanded below it (up to pages of tasks), and the model names a framework for every task that moves
   * between its groups: those moves are redrawn through the groups instead.
   */
  private rowChanged(node: FrameworkTreeNode | AgentTreeNode): boolean {
    const before = this.rowSignatures.get(node.key);
    return before === undefined || before !== node.signature(this);
  }

  /** The task of a change key (`<frameworkId>/<taskId>`: framework ids never hold a slash, task ids may). */
  private taskOfKey(model: ClusterModel, key: string) {
    const slash = key.indexOf('/');
    return slash < 0 ? undefined : model.task(key.slice(0, slash), key.slice(slash + 1));
  }

  private refreshClusterRowIfChanged(cluster: string, into?: (ExplorerNode | undefined)[]): void {
    const node = this.nodes.get(clusterKey(cluster));
    if (node?.kind !== 'cluster') return;
    if (node.description(this) === this.clusterDescriptions.get(cluster)) return;
    if (into) into.push(node);
    else this.fire([node]);
  }

  private refreshClusterRoot(cluster: string): void {
    if (!this.multi) {
      this.changeEmitter.fire(undefined);
      return;
    }
    const node = this.nodes.get(clusterKey(cluster));
    if (node) this.fire([node]);
  }

  /** Fires the elements once each, leaving out those below another one (a refresh covers its subtree). */
  private fire(targets: readonly (ExplorerNode | undefined)[]): void {
    const unique = new Map<string, ExplorerNode>();
    for (const node of targets) if (node) unique.set(node.key, node);
    if (unique.size === 0) return;
    const top = [...unique.values()].filter((node) => {
      for (let cut = node.key.lastIndexOf('/'); cut > 0; cut = node.key.lastIndexOf('/', cut - 1)) {
        if (unique.has(node.key.slice(0, cut))) return false;
      }
      return true;
    });
    this.changeEmitter.fire(top);
  }

  // ---- cache -------------------------------------------------------------------------------------------

  private remember(parentKey: string, children: readonly ExplorerNode[]): void {
    const keys = children.map((c) => c.key);
    const previous = this.listed.get(parentKey);
    this.listed.set(parentKey, keys);
    if (!previous) return;
    const kept = new Set(keys);
    for (const key of previous) if (!kept.has(key)) this.forget(key);
  }

  private forget(key: string): void {
    this.nodes.delete(key);
    this.rowSignatures.delete(key);
    this.pageIndexes.delete(key);
    const below = this.listed.get(key);
    this.listed.delete(key);
    for (const child of below ?? []) this.forget(child);
  }

  private clearCache(): void {
    this.nodes.clear();
    this.listed.clear();
    this.pageIndexes.clear();
    this.shownStates.clear();
    this.clusterDescriptions.clear();
    this.rowSignatures.clear();
  }

  private syncClusters(): void {
    const next = new Map<string, ClusterBinding>();
    for (const handle of this.clusters.clusters) {
      const existing = this.bindings.get(handle.name);
      if (existing?.handle === handle) next.set(handle.name, existing);
      else next.set(handle.name, new ClusterBinding(handle, this, this.view === 'offers' && this.watchingOffers, this.log, this.coalescing));
    }
    for (const [name, binding] of this.bindings) if (next.get(name) !== binding) binding.dispose();
    this.bindings = next;
    this.multi = this.clusters.clusters.length > 1;
    this.clearCache();
    this.changeEmitter.fire(undefined);
    this.descriptionEmitter.fire();
  }

  // ---- commands --------------------------------------------------------------------------------------

  /** Shows the page after (or before) the one shown, in place of it. */
  showMore(node: ShowMoreTreeNode): void {
    const index = this.pageIndexes.get(node.ownerKey) ?? 0;
    this.pageIndexes.set(node.ownerKey, Math.max(0, index + (node.direction === 'next' ? 1 : -1)));
    if (node.parent) this.fire([node.parent]);
    else this.changeEmitter.fire(undefined);
  }

  setFilter(value: string): void {
    const next = value.trim();
    if (next === this.filterValue) return;
    this.filterValue = next;
    this.clearCache();
    this.changeEmitter.fire(undefined);
    this.descriptionEmitter.fire();
  }

  /** Polls offers of every cluster while on (the Offers view is visible). */
  setWatchOffers(on: boolean): void {
    if (this.view !== 'offers' || on === this.watchingOffers) return;
    this.watchingOffers = on;
    for (const binding of this.bindings.values()) binding.setWatchOffers(on);
  }

  /** Delivers pending model changes now instead of after the debounce. */
  flush(): void {
    for (const binding of this.bindings.values()) binding.flush();
  }

  /** "updated 10:32:05 · filter: jenkins": the oldest update among the loaded clusters, and the filter. */
  description(): string {
    const parts: string[] = [];
    let oldest: number | undefined;
    let connecting = false;
    for (const binding of this.bindings.values()) {
      const model = binding.session?.model;
      const at = model?.isLoaded ? model.lastUpdated : undefined;
      if (at !== undefined) oldest = oldest === undefined ? at : Math.min(oldest, at);
      else if (!binding.startError && binding.session?.state.kind !== 'error') connecting = true;
    }
    if (oldest !== undefined) parts.push(`updated ${formatClock(oldest)}`);
    else if (connecting && this.bindings.size > 0) parts.push('connecting…');
    if (this.filterValue) parts.push(`filter: ${this.filterValue}`);
    return parts.join(' · ');
  }

  /**
   * The agent's node in this (Agents) view, with the page that lists it shown, for
   * TreeView.reveal; or why it cannot be shown.
   */
  async agentNode(cluster: string, agentId: string): Promise<AgentTreeNode | { reason: 'unknown' | 'filtered' | 'not-loaded' }> {
    const model = this.model(cluster);
    if (!model) return { reason: 'not-loaded' };
    if (!model.agent(agentId)) return { reason: 'unknown' };
    let index = -1;
    for (let offset: number | undefined = 0; offset !== undefined && index < 0; ) {
      const page: ClusterPage<AgentNode> = model.page({ kind: 'agents' }, { offset, limit: MAX_PAGE_SIZE, filter: this.filterValue });
      const at = page.items.findIndex((a) => a.id === agentId);
      if (at >= 0) index = offset + at;
      offset = page.nextOffset;
    }
    if (index < 0) return { reason: 'filtered' };
    const parent = this.multi ? this.cached(clusterKey(cluster), () => new ClusterTreeNode(cluster)) : undefined;
    const node = this.cached(agentKey(cluster, agentId), () => new AgentTreeNode(cluster, agentId, parent));
    const ownerKey = clusterKey(cluster);
    const needed = Math.floor(index / MAX_PAGE_SIZE);
    if ((this.pageIndexes.get(ownerKey) ?? 0) !== needed) {
      this.pageIndexes.set(ownerKey, needed);
      const listedKey = parent?.key ?? ROOT_KEY;
      const listed = new Promise<void>((resolve) => {
        const timer = setTimeout(() => done(), 3000);
        const sub = this.listedEmitter.event((key) => key === listedKey && done());
        function done() {
          clearTimeout(timer);
          sub.dispose();
          resolve();
        }
      });
      if (parent) this.fire([parent]);
      else this.changeEmitter.fire(undefined);
      await listed;
    }
    return node;
  }

  dispose(): void {
    for (const binding of this.bindings.values()) binding.dispose();
    this.bindings.clear();
    this.clearCache();
    for (const d of this.disposables) d.dispose();
  }
}
