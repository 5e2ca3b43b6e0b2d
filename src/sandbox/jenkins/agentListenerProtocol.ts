import type { BuildNotice, BuildResult } from './sandboxJenkinsModel';

/**
 * How a sandbox inbound agent talks to the sandbox Jenkins. Real agents speak JNLP4 over TCP or WebSocket;
 * the sandbox replaces that with one long-lived HTTP GET:
 *
 *   GET <root>__sandbox/agent/connect      headers: Node-Name, Secret-Key (as Jenkins' WebSocket agents)
 *
 * Refusals use Jenkins' texts: 400 `<name> is not an inbound agent` (no such node, or not inbound),
 * 400 `<name> is already connected to this controller. Rejecting this connection.`, 403 for a wrong secret.
 * On success the answer is 200 with `application/x-ndjson`: one JSON message per line, never ending while
 * the node is connected. The node is online exactly as long as this response is open: killing the agent
 * closes the socket and the controller marks the node offline at once.
 */
export const AGENT_CONNECT_PATH = '__sandbox/agent/connect';
export const NODE_NAME_HEADER = 'Node-Name';
export const SECRET_HEADER = 'Secret-Key';
export const AGENT_STREAM_CONTENT_TYPE = 'application/x-ndjson';

export type AgentStreamMessage =
  | {
      readonly type: 'hello';
      readonly node: string;
      /** The controller's X-Jenkins-Session: changes on every (simulated) restart. */
      readonly session: string;
      /** The controller sends a ping this often; silence for three intervals means the link is dead. */
      readonly pingIntervalMs: number;
      readonly jenkinsVersion: string;
    }
  | { readonly type: 'ping' }
  | { readonly type: 'build-start'; readonly build: BuildNotice }
  | { readonly type: 'build-end'; readonly build: BuildNotice; readonly result: BuildResult }
  /** The controller lets the agent go (node deleted, doDisconnect, restart); the stream ends next. */
  | { readonly type: 'disconnect'; readonly reason: string };

export function encodeAgentMessage(message: AgentStreamMessage): string {
  return `${JSON.stringify(message)}\n`;
}

/** Null for lines that are not a known message (ignored, so newer controllers can add types). */
export function decodeAgentMessage(line: string): AgentStreamMessage | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const type = (value as { type?: unknown }).type;
  switch (type) {
    case 'hello':
    case 'ping':
    case 'build-start':
    case 'build-end':
    case 'disconnect':
      return value as AgentStreamMessage;
    default:
      return null;
  }
}
