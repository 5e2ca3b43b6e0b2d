import { isHostMessage, type WebviewToHost } from './protocol';

// The webview's entry point: announces itself with the ready handshake and renders what the host sends.
// The Jenkins queue & scaling panel grows on this (its tables, filters and chart arrive with the autoscaler).
interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  if (!isHostMessage(event.data)) return; // anything else is not from our host: ignore it
  const root = document.getElementById('root');
  if (root) root.dataset.productVersion = event.data.productVersion;
});

vscode.postMessage({ type: 'ready' });
