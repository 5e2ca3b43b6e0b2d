import { connect, createServer, type Socket } from 'node:net';

/**
 * A loopback TCP forwarder that a test can cut, to play a network partition between a client and its
 * server: while cut, every connection is dropped and new ones are closed as soon as they arrive.
 */
export class TcpProxy {
  private readonly sockets = new Set<Socket>();
  private isCut = false;
  private readonly server = createServer((downstream) => this.forward(downstream));
  private listeningPort = 0;

  private constructor(
    private readonly targetPort: number,
    private readonly targetHost: string,
  ) {}

  static async start(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
    const proxy = new TcpProxy(targetPort, targetHost);
    await new Promise<void>((resolve, reject) => {
      proxy.server.once('error', reject);
      proxy.server.listen(0, '127.0.0.1', () => resolve());
    });
    const address = proxy.server.address();
    proxy.listeningPort = typeof address === 'object' && address ? address.port : 0;
    return proxy;
  }

  get port(): number {
    return this.listeningPort;
  }

  get connectionString(): string {
    return `127.0.0.1:${this.listeningPort}`;
  }

  cut(): void {
    this.isCut = true;
    for (const socket of this.sockets) socket.destroy();
  }

  resume(): void {
    this.isCut = false;
  }

  close(): Promise<void> {
    this.cut();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private forward(downstream: Socket): void {
    if (this.isCut) {
      downstream.destroy();
      return;
    }
    const upstream = connect({ host: this.targetHost, port: this.targetPort });
    for (const socket of [downstream, upstream]) {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      // A dropped peer shows up as 'close' on the other side, which is all a partition needs.
      socket.on('error', () => undefined);
    }
    downstream.pipe(upstream);
    upstream.pipe(downstream);
    downstream.on('close', () => upstream.destroy());
    upstream.on('close', () => downstream.destroy());
  }
}
