import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
  /** Settles when the connection that carried this request closes on the server side. */
  socketClosed: Promise<void>;
}

export type LoopbackHandler = (req: IncomingMessage, res: ServerResponse, body: Buffer) => unknown;

export interface LoopbackServer {
  /** `http://127.0.0.1:<port>` (or https). */
  readonly url: string;
  readonly port: number;
  readonly server: Server;
  /** Every request seen, in arrival order, with its whole body. */
  readonly requests: RecordedRequest[];
  /** Sockets currently open on the server side. */
  openSockets(): number;
  /** Resolves once the server side has no open socket: proof that a client let go of its connections. */
  allSocketsClosed(): Promise<void>;
  /** Closes every connection and the listener. */
  close(): Promise<void>;
}

/**
 * An HTTP(S) server on 127.0.0.1 with an OS-chosen port, for tests: records requests, tracks sockets so a
 * test can check that a client closed its connections, and closes everything it opened.
 */
export async function startLoopbackServer(
  handler: LoopbackHandler,
  options: { tls?: { key: string; cert: string } } = {},
): Promise<LoopbackServer> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const closedSignals = new WeakMap<Socket, Promise<void>>();
  let waiters: (() => void)[] = [];
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    const socketClosed = closedSignals.get(req.socket) ?? Promise.resolve();
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body, socketClosed });
      Promise.resolve(handler(req, res, body)).catch((err: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`test handler failed: ${String(err)}`);
      });
    });
  };
  const server: Server = options.tls
    ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, onRequest)
    : createHttpServer(onRequest);
  const track = (socket: Socket) => {
    sockets.add(socket);
    closedSignals.set(socket, new Promise<void>((resolve) => socket.once('close', () => resolve())));
    socket.on('close', () => {
      sockets.delete(socket);
      if (sockets.size === 0) {
        const done = waiters;
        waiters = [];
        for (const resolve of done) resolve();
      }
    });
  };
  // For TLS servers, count the raw TCP socket: it exists even when the handshake fails.
  server.on('connection', track);
  server.on('secureConnection', (socket: Socket) =>
    closedSignals.set(socket, new Promise<void>((resolve) => socket.once('close', () => resolve()))),
  );
  // A failed TLS handshake is the point of some tests, not a server error.
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    server,
    requests,
    openSockets: () => sockets.size,
    allSocketsClosed: () =>
      sockets.size === 0 ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve)),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A port on 127.0.0.1 where nothing listens (it was free a moment ago). */
export async function closedPort(): Promise<number> {
  const server = createHttpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
