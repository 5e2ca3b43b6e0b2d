import type * as zookeeper from 'node-zookeeper-client';
import type { Socket } from 'node:net';

/**
 * Ends a node-zookeeper-client client in any state, and resolves when it holds no socket or timer.
 *
 * Its close() is only safe on a connected client: it queues a close-session packet with the next
 * request id, which on a fresh client is 0, the same first number as the server's answer to a connect
 * request. Closed while (re)connecting, it takes that answer for the close's reply and throws from a
 * socket handler ("Unknown code"), crashing the process. And its reconnect loop keeps a socket and
 * timers alive in states where the packet never goes out. So a connected client gets close(); any
 * other is moved straight to CLOSING, where the library reconnects no more, and its socket is ended.
 * Then this waits for the connection manager to reach CLOSED and clears the connect timer the library
 * leaves behind when a socket is destroyed before it connected.
 *
 * Internals are read through a narrow, optional shape; if a later version changes them this falls back
 * to close(). `graceMs` must exceed the client's spinDelay (its pause between rounds of reconnection).
 */
export function shutdownZooKeeperClient(client: zookeeper.Client, graceMs = 2_500): Promise<void> {
  const manager = (client as unknown as { connectionManager?: ConnectionManagerInternals }).connectionManager;
  if (!manager || typeof manager.on !== 'function' || typeof manager.state !== 'number') {
    try {
      client.close();
    } catch {
      // Nothing left to close.
    }
    return Promise.resolve();
  }
  return new Promise<void>((resolve) => {
    const finish = () => {
      clearTimeout(deadline);
      manager.removeListener('state', onState);
      if (manager.connectTimeoutHandler) clearTimeout(manager.connectTimeoutHandler);
      manager.socket?.destroy();
      resolve();
    };
    const onState = (state: number) => {
      if (state === MANAGER_CLOSED) finish();
    };
    // By then the library's reconnect pause is over, so a socket is all that can be left to end.
    const deadline = setTimeout(finish, graceMs);
    if (manager.state === MANAGER_CLOSED) return finish();
    manager.on('state', onState);
    if (manager.state === MANAGER_CONNECTED || manager.state === MANAGER_CONNECTED_READ_ONLY) {
      // Tells the server to end the session now rather than when it times out.
      client.close();
      return;
    }
    if (manager.state !== MANAGER_SESSION_EXPIRED && manager.state !== MANAGER_AUTHENTICATION_FAILED) {
      // No close packet: a socket still to come (the reconnect pause) is dropped unanswered in this state.
      manager.state = MANAGER_CLOSING;
    }
    if (manager.socket && !manager.socket.destroyed) manager.socket.destroy();
  });
}

interface ConnectionManagerInternals {
  state: number;
  socket?: Socket;
  connectTimeoutHandler?: NodeJS.Timeout | null;
  on(event: 'state', listener: (state: number) => void): unknown;
  removeListener(event: 'state', listener: (state: number) => void): unknown;
}

// ConnectionManager.STATES of node-zookeeper-client 1.1.x.
const MANAGER_CONNECTED = 2;
const MANAGER_CONNECTED_READ_ONLY = 3;
const MANAGER_CLOSING = -1;
const MANAGER_CLOSED = -2;
const MANAGER_SESSION_EXPIRED = -3;
const MANAGER_AUTHENTICATION_FAILED = -4;
