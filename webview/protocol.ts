/**
 * The one message protocol between the extension host and our webviews, imported by both sides.
 * A webview starts by sending `ready`; the host answers only after that (messages posted earlier are
 * lost). Requests carry an id that their response repeats. Every message that arrives from the other
 * side is checked with `isWebviewMessage` / `isHostMessage` before use.
 */

/** Sent by the webview once its script runs and it can receive messages. */
export interface ReadyMessage {
  readonly type: 'ready';
}

/** Sent by the host in answer to `ready`: what the webview needs to render its first frame. */
export interface InitMessage {
  readonly type: 'init';
  readonly productVersion: string;
}

export type WebviewToHost = ReadyMessage;
export type HostToWebview = InitMessage;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Validates a message from the webview: the host trusts nothing else. */
export function isWebviewMessage(value: unknown): value is WebviewToHost {
  return isRecord(value) && value.type === 'ready' && Object.keys(value).length === 1;
}

/** Validates a message from the host. */
export function isHostMessage(value: unknown): value is HostToWebview {
  return isRecord(value) && value.type === 'init' && typeof value.productVersion === 'string';
}
