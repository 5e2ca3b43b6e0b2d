import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import * as zookeeper from 'node-zookeeper-client';
import { shutdownZooKeeperClient } from '../../src/core/mesos/leader/zookeeperClientShutdown';
import { freePort } from './freePort';

/**
 * A real standalone ZooKeeper server on 127.0.0.1 for integration tests: the Debian package's jars run
 * directly with a generated zoo.cfg (no admin server, short tick so sessions expire in about a second).
 *
 * No java process may outlive the tests: the JVM runs under a small shell that holds a pipe from this
 * process and kills the JVM when that pipe closes. The pipe closes when stop() ends it, and also when
 * this process dies in any way, SIGKILL included; then the shell removes the temporary directory too.
 */

const INSTALL_HINT = 'Install it with `apt-get install zookeeper` (the CI script does).';

const CLASSPATH_CANDIDATES: readonly (readonly string[])[] = [
  // Debian/Ubuntu package `zookeeper` (its jar's manifest lists the dependencies).
  ['/usr/share/java/zookeeper.jar'],
];
const OPTIONAL_JARS = ['/usr/share/java/slf4j-simple.jar'];

// stop() writes a line and closes the pipe: the JVM goes, its data stays for a restart. A pipe closed
// without a line means this process died: the JVM goes and so does the temporary directory.
// `read` uses fd 3 because a background job's stdin is /dev/null in a shell without job control.
const WATCHDOG = `
exec 3<&0
"$@" </dev/null &
server=$!
(
  if read -r _ <&3; then
    kill -9 "$server" 2>/dev/null
  else
    kill -9 "$server" 2>/dev/null
    while kill -0 "$server" 2>/dev/null; do sleep 0.1; done
    rm -rf "$ZOOKEEPER_TEMP_DIR"
  fi
) &
watchdog=$!
wait "$server"
status=$?
kill "$watchdog" 2>/dev/null
exit "$status"
`;

export interface ZooKeeperServerOptions {
  /** ZooKeeper's tick; sessions may last 2 to 20 ticks. */
  readonly tickTimeMs?: number;
  /** How long start() waits for the server to serve. */
  readonly startTimeoutMs?: number;
}

type ServerProcess = ChildProcessByStdio<Writable, null, Readable>;
const running = new Set<ServerProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // The pipe already covers this; killing here too makes the JVM go before the test runner reports.
  process.on('exit', () => {
    for (const child of running) child.kill('SIGKILL');
  });
}

export class ZooKeeperServer {
  private child: ServerProcess | undefined;
  private stderrTail = '';

  private constructor(
    readonly port: number,
    readonly dataDir: string,
    private readonly configFile: string,
    private readonly baseDir: string,
    private readonly classpath: string,
    private readonly startTimeoutMs: number,
  ) {}

  /** Starts a server on a free port with a fresh temporary data directory and waits until it serves. */
  static async start(options: ZooKeeperServerOptions = {}): Promise<ZooKeeperServer> {
    const classpath = findClasspath();
    const tickTimeMs = options.tickTimeMs ?? 200;
    const baseDir = mkdtempSync(join(tmpdir(), 'mesos-ops-zk-'));
    const dataDir = join(baseDir, 'data');
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const configFile = join(baseDir, 'zoo.cfg');
      writeFileSync(
        configFile,
        [
          `tickTime=${tickTimeMs}`,
          `dataDir=${dataDir}`,
          `clientPort=${port}`,
          'clientPortAddress=127.0.0.1',
          'admin.enableServer=false',
          '4lw.commands.whitelist=ruok,srvr,stat,dump,cons',
          'maxClientCnxns=0',
          // Only the process dies in tests, never the machine: the OS keeps what was written.
          'forceSync=no',
          '',
        ].join('\n'),
      );
      const server = new ZooKeeperServer(
        port,
        dataDir,
        configFile,
        baseDir,
        classpath,
        options.startTimeoutMs ?? 20_000,
      );
      try {
        await server.launch();
        return server;
      } catch (error) {
        await server.stop();
        // Another process may have taken the free port between the check and the JVM's bind.
        if (attempt >= 3 || !/BindException|Address already in use/.test(server.stderrTail)) {
          rmSync(baseDir, { recursive: true, force: true });
          throw error;
        }
      }
    }
  }

  /** `127.0.0.1:<port>`, what a ZooKeeper client connects to. */
  get connectionString(): string {
    return `127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.child !== undefined;
  }

  /** Kills the server (as a crash would) and keeps its data directory, so restart() finds its state. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = undefined;
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.stdin.end('stop\n');
      await exited;
    }
    running.delete(child);
  }

  /** Starts the server again on the same port with the same data: sessions and nodes survive. */
  async restart(): Promise<void> {
    await this.stop();
    await this.launch();
  }

  /** Stops the server and removes its temporary directory. */
  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.baseDir, { recursive: true, force: true });
  }

  /** Sends a four-letter-word command (srvr, stat, dump, cons, ruok) and returns the answer. */
  fourLetterWord(command: string, timeoutMs = 2_000): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port: this.port }, () => socket.end(command));
      let answer = '';
      socket.setEncoding('utf8');
      socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`No answer to ${command} within ${timeoutMs} ms`)));
      socket.on('data', (chunk: string) => (answer += chunk));
      socket.on('error', reject);
      socket.on('close', (hadError) => {
        if (!hadError) resolve(answer);
      });
    });
  }

  /** Ids of the sessions the server holds (hex, as ZooKeeper prints them, without 0x). */
  async sessionIds(): Promise<string[]> {
    const dump = await this.fourLetterWord('dump');
    const sessions = dump.split('ephemeral nodes dump:')[0] ?? '';
    return [...sessions.matchAll(/^\s*0x([0-9a-f]+)\s*$/gm)].map((m) => m[1] as string);
  }

  private async launch(): Promise<void> {
    installExitHook();
    this.stderrTail = '';
    const child = spawn(
      '/bin/sh',
      [
        '-c',
        WATCHDOG,
        'zookeeper-watchdog',
        'java',
        '-Xmx128m',
        '-XX:+UseSerialGC',
        '-XX:TieredStopAtLevel=1',
        '-Dorg.slf4j.simpleLogger.defaultLogLevel=warn',
        '-cp',
        this.classpath,
        'org.apache.zookeeper.server.ZooKeeperServerMain',
        this.configFile,
      ],
      { stdio: ['pipe', 'ignore', 'pipe'], env: { ...process.env, ZOOKEEPER_TEMP_DIR: this.baseDir } },
    );
    this.child = child;
    running.add(child);
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-4000);
    });
    child.once('exit', () => running.delete(child));
    // Errors on our end of the pipe (the shell already gone) need no handling: exit tells the story.
    child.stdin.on('error', () => undefined);

    const exited = new Promise<never>((_, reject) =>
      child.once('exit', (code, signal) =>
        reject(
          new Error(
            `ZooKeeper exited (${signal ?? `code ${code}`}) before serving on port ${this.port}.` +
              (/java: not found|No such file/.test(this.stderrTail) ? ` Java is missing. ${INSTALL_HINT}` : '') +
              `\n${this.stderrTail}`,
          ),
        ),
      ),
    );
    exited.catch(() => undefined);
    const deadline = AbortSignal.timeout(this.startTimeoutMs);
    await Promise.race([exited, this.waitUntilServing(deadline)]);
  }

  private async waitUntilServing(deadline: AbortSignal): Promise<void> {
    // `ruok` answers imok before the server loads its data; `srvr` reports a Mode only once it serves.
    for (;;) {
      if (deadline.aborted) {
        throw new Error(
          `ZooKeeper did not serve on port ${this.port} within ${this.startTimeoutMs} ms.\n${this.stderrTail}`,
        );
      }
      try {
        if (/Mode: standalone/.test(await this.fourLetterWord('srvr'))) return;
      } catch {
        // Not listening yet.
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

function findClasspath(): string {
  const override = process.env.ZOOKEEPER_CLASSPATH;
  if (override) return override;
  const found = CLASSPATH_CANDIDATES.find((jars) => jars.every((jar) => existsSync(jar)));
  if (!found) {
    throw new Error(
      `ZooKeeper is not installed: ${CLASSPATH_CANDIDATES.map((j) => j.join(':')).join(' or ')} not found. ${INSTALL_HINT}`,
    );
  }
  return [...found, ...OPTIONAL_JARS.filter((jar) => existsSync(jar))].join(':');
}

/**
 * A ZooKeeper client connected to `connectionString`, for tests that play the Mesos masters' part.
 * A server that is starting may take a connection and never answer it (node-zookeeper-client then
 * waits forever), so each attempt has its own deadline and a stuck client is replaced.
 */
export async function connectZooKeeperClient(
  connectionString: string,
  options: Partial<zookeeper.Option> & { sessionId?: Buffer; sessionPassword?: Buffer } = {},
  signal: AbortSignal = AbortSignal.timeout(15_000),
): Promise<zookeeper.Client> {
  for (;;) {
    if (signal.aborted)
      throw new Error(`Could not connect to ZooKeeper at ${connectionString}: ${String(signal.reason)}`);
    const client = zookeeper.createClient(connectionString, { sessionTimeout: 4_000, spinDelay: 100, ...options });
    const connected = await new Promise<boolean>((resolve) => {
      const attempt = setTimeout(() => finish(false), 3_000);
      const finish = (ok: boolean) => {
        clearTimeout(attempt);
        signal.removeEventListener('abort', onAbort);
        resolve(ok);
      };
      const onAbort = () => finish(false);
      signal.addEventListener('abort', onAbort, { once: true });
      client.once('connected', () => finish(true));
      client.connect();
    });
    if (connected) return client;
    await shutdownZooKeeperClient(client);
  }
}
