import { decisionKinds, decisionLabels, filterDecisions, type DecisionFilter } from './decisionFilter';
import type { QueueSnapshot } from './protocol';
import { controlsEnabled, schedulerWhereLabel } from './stateLabels';
import {
  AGENT_COLUMNS,
  DECISION_COLUMNS,
  QUEUE_COLUMNS,
  agentTableRows,
  decisionTableRows,
  queueTableRows,
} from './tableRows';
import { TimelineChart } from './timelineChart';
import { windowTimeline } from './timelineWindow';
import { badge, button, checkbox, dropdown, setEnabled, table } from './toolkit';

/** How many decisions the list draws at once; the filters narrow it down to what matters. */
export const DECISIONS_SHOWN = 500;

/** What the user does in the panel; main.ts turns these into requests to the host. */
export interface QueueViewActions {
  pause(): void;
  resume(): void;
  setDryRun(on: boolean): void;
  scaleNow(): void;
  filter(filter: DecisionFilter): void;
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, id?: string, text?: string): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (id) {
    el.id = id;
    el.dataset.testid = id;
  }
  if (text !== undefined) el.textContent = text;
  return el;
}

function section(id: string, title: string, count: HTMLElement | undefined, ...content: HTMLElement[]): HTMLElement {
  const s = element('section', id);
  const h = element('h2', undefined, title);
  if (count) h.append(' ', count);
  s.append(h, ...content);
  return s;
}

/** The panel's DOM: built once, then brought up to date by `render`. */
export class QueueView {
  private readonly cluster = element('span', 'queue-cluster');
  private readonly where = element('p', 'scheduler-where');
  private readonly message = element('p', 'control-message');
  private readonly pauseButton: HTMLElement;
  private readonly resumeButton: HTMLElement;
  private readonly scaleNowButton: HTMLElement;
  private readonly dryRun;
  private readonly queueCount = badge('queue-count');
  private readonly agentsCount = badge('agents-count');
  private readonly decisionsCount = badge('decisions-count');
  private readonly queueEmpty = element('p', 'queue-empty', 'No build is waiting in the Jenkins queue.');
  private readonly agentsEmpty = element('p', 'agents-empty', 'The autoscaler runs no agent.');
  private readonly decisionsMore = element('p', 'decisions-more');
  private readonly queueTable = table('queue-table', 'Jenkins queue', QUEUE_COLUMNS);
  private readonly agentsTable = table('agents-table', 'Agents', AGENT_COLUMNS);
  private readonly decisionsTable = table('decisions-table', 'Decisions', DECISION_COLUMNS);
  private readonly kindFilter;
  private readonly labelFilter;
  private readonly chart: TimelineChart;
  private busy = false;
  private last: { model: QueueSnapshot; filter: DecisionFilter } | undefined;

  constructor(
    private readonly root: HTMLElement,
    private readonly actions: QueueViewActions,
  ) {
    this.pauseButton = button('control-pause', 'Pause', () => actions.pause());
    this.resumeButton = button('control-resume', 'Resume', () => actions.resume());
    this.scaleNowButton = button('control-scale-now', 'Scale Now', () => actions.scaleNow(), true);
    this.dryRun = checkbox('control-dry-run', 'Dry run', (on) => actions.setDryRun(on));
    this.message.setAttribute('role', 'status');
    this.kindFilter = dropdown('decisions-filter-kind', 'All kinds', 'Filter decisions by kind', (kind) =>
      this.changeFilter({ kind }),
    );
    this.labelFilter = dropdown('decisions-filter-label', 'All labels', 'Filter decisions by label', (label) =>
      this.changeFilter({ label }),
    );

    const title = element('h1', undefined, 'Jenkins Queue & Scaling: ');
    title.append(this.cluster);
    const controls = element('div', 'queue-controls');
    controls.className = 'controls';
    controls.append(this.pauseButton, this.resumeButton, this.dryRun.element, this.scaleNowButton);
    const header = element('header');
    header.append(title, this.where, controls, this.message);

    const chartBox = element('div', 'timeline-chart');
    chartBox.setAttribute('role', 'img');
    chartBox.setAttribute(
      'aria-label',
      'Queue length, agents launching, online and busy, and offers over the last hour',
    );
    const filters = element('div', 'decisions-filters');
    filters.className = 'filters';
    filters.append(this.kindFilter.element, this.labelFilter.element);

    root.replaceChildren(
      header,
      section('timeline-section', 'Last Hour', undefined, chartBox),
      section('queue-section', 'Queue', this.queueCount, this.queueEmpty, this.queueTable.element),
      section('agents-section', 'Agents', this.agentsCount, this.agentsEmpty, this.agentsTable.element),
      section(
        'decisions-section',
        'Decisions',
        this.decisionsCount,
        filters,
        this.decisionsTable.element,
        this.decisionsMore,
      ),
    );
    this.chart = new TimelineChart(chartBox);
  }

  /** While a request runs the controls wait for it, so a double click does not send two. */
  setBusy(busy: boolean, message?: string): void {
    this.busy = busy;
    if (message !== undefined) this.showMessage(message, false);
    if (this.last) this.renderControls(this.last.model);
  }

  showMessage(text: string, error: boolean): void {
    this.message.textContent = text;
    this.message.classList.toggle('error', error);
  }

  render(model: QueueSnapshot, filter: DecisionFilter, now: number): void {
    this.last = { model, filter };
    this.root.dataset.cluster = model.cluster;
    this.cluster.textContent = model.cluster;
    this.where.textContent = schedulerWhereLabel(model.scheduler);
    this.where.dataset.where = model.scheduler.where;
    this.renderControls(model);

    const queue = queueTableRows(model.queue, now);
    this.queueTable.setRows(queue);
    this.queueCount.textContent = String(queue.length);
    this.queueEmpty.hidden = queue.length > 0;
    this.queueTable.element.hidden = queue.length === 0;

    const agents = agentTableRows(model.agents, now);
    this.agentsTable.setRows(agents);
    this.agentsCount.textContent = String(agents.length);
    this.agentsEmpty.hidden = agents.length > 0;
    this.agentsTable.element.hidden = agents.length === 0;

    this.kindFilter.setOptions(decisionKinds(model.decisions), filter.kind);
    this.labelFilter.setOptions(decisionLabels(model.decisions), filter.label);
    const matching = filterDecisions(model.decisions, filter);
    const shown = matching.slice(0, DECISIONS_SHOWN);
    this.decisionsTable.setRows(decisionTableRows(shown));
    this.decisionsCount.textContent = String(matching.length);
    this.decisionsMore.textContent =
      matching.length > shown.length
        ? `Showing the newest ${shown.length} of ${matching.length}; filter by kind or label to see others.`
        : matching.length === 0
          ? 'No decision matches.'
          : '';

    this.chart.update(windowTimeline(model.timeline, now), now);
  }

  dispose(): void {
    this.chart.dispose();
  }

  private renderControls(model: QueueSnapshot): void {
    const s = model.scheduler;
    const can = controlsEnabled(s) && !this.busy;
    setEnabled(this.pauseButton, can && !s.paused);
    setEnabled(this.resumeButton, can && s.paused);
    setEnabled(this.scaleNowButton, can && !s.paused);
    setEnabled(this.dryRun.element, can);
    this.dryRun.set(s.dryRun);
    this.root.dataset.paused = String(s.paused);
    this.root.dataset.dryRun = String(s.dryRun);
  }

  private changeFilter(change: Partial<DecisionFilter>): void {
    if (!this.last) return;
    this.actions.filter({ ...this.last.filter, ...change });
  }
}
