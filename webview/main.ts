import type { DecisionFilter } from './decisionFilter';
import { HostConnection } from './hostConnection';
import { parseHostMessage, type QueueRequest, type QueueSnapshot, type WebviewToHost } from './protocol';
import { applyChanges, boundSnapshot } from './queueModel';
import { QueueView } from './queueView';
import { readViewState, type ViewState } from './viewState';

// The Jenkins Queue & Scaling panel: restores what it showed before it was hidden, announces itself with
// the ready handshake, then renders the host's snapshot and the changes that follow.
interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
  getState(): unknown;
  setState(state: ViewState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const root = document.getElementById('queue-panel');
if (!root) throw new Error('The panel HTML has no #queue-panel element.');

const saved = readViewState(vscode.getState());
let model: QueueSnapshot | null = saved.snapshot;
let filter: DecisionFilter = saved.filter;
const connection = new HostConnection((m) => vscode.postMessage(m));

const pastTense: Record<QueueRequest['method'], string> = {
  pause: 'Scaling paused.',
  resume: 'Scaling resumed.',
  setDryRun: 'Dry run changed.',
  scaleNow: 'Scaling round done.',
};

async function send(request: QueueRequest, doing: string): Promise<void> {
  view.setBusy(true, doing);
  try {
    const result = await connection.request(request);
    view.showMessage(result?.summary ?? pastTense[request.method], false);
  } catch (err) {
    view.showMessage((err as Error).message, true);
  } finally {
    view.setBusy(false);
    scheduleRender(); // the dry-run box shows the scheduler's state again, whatever the click did
  }
}

const view = new QueueView(root, {
  pause: () => void send({ method: 'pause' }, 'Pausing…'),
  resume: () => void send({ method: 'resume' }, 'Resuming…'),
  setDryRun: (on) => void send({ method: 'setDryRun', on }, on ? 'Turning dry run on…' : 'Turning dry run off…'),
  scaleNow: () => void send({ method: 'scaleNow' }, 'Scaling…'),
  filter: (next) => {
    filter = next;
    save();
    scheduleRender();
  },
});

function save(): void {
  vscode.setState({ filter, snapshot: model });
}

// Renders at most once per frame, however many batches arrive.
let frame: number | undefined;
function scheduleRender(): void {
  if (frame !== undefined || !model) return;
  frame = requestAnimationFrame(() => {
    frame = undefined;
    if (model) view.render(model, filter, Date.now());
  });
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const parsed = parseHostMessage(event.data);
  if (!parsed.ok) {
    // not from our host, or from a host of another version: nothing of it is used
    console.warn(`Jenkins queue panel: ignored a message (${parsed.reason})`);
    return;
  }
  const message = parsed.value;
  switch (message.type) {
    case 'init':
      model = boundSnapshot(message.snapshot, Date.now());
      root.dataset.productVersion = message.productVersion;
      root.dataset.ready = 'true';
      break;
    case 'changes':
      if (!model) return; // changes only follow init; without it there is nothing to apply them to
      model = applyChanges(model, message.changes, Date.now());
      break;
    case 'response':
      if (!connection.settle(message)) console.warn(`Jenkins queue panel: a response to unknown request ${message.id}`);
      return;
  }
  save();
  scheduleRender();
});

// "waiting for" and "idle for" count up, and the chart's hour slides, without any message from the host
setInterval(scheduleRender, 1000);
scheduleRender();
vscode.postMessage({ type: 'ready' });
