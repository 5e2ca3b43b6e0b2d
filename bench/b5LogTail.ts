import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Endpoint } from '../src/core/http/endpoint';
import { AgentFilesClient, MAX_READ_LENGTH } from '../src/core/mesos/files/agentFilesClient';
import { SandboxFileFollower } from '../src/core/mesos/files/sandboxFileFollower';
import { AppendCoalescer } from '../src/core/util/appendCoalescer';
import { withEventLoopMonitor, type Benchmark, type BenchResult } from './benchmark';

// B5: following a task's log. A minimal agent `/files/read` (reference §7.5) serves a file that grows at
// 1, 10 and 50 MB/s; SandboxFileFollower (poll 1 s, as the setting's default) feeds a streaming
// TextDecoder and the AppendCoalescer, as the output channel does. Measured: MB/s delivered while data
// flowed (against a raw read loop that never waits, on a fresh file of its own), bytes behind when the
// writing stops (up to one poll's worth, by design), write→append latency and appends per second. A last
// case reads a 64 MiB file from its start, follower against raw loop: plain throughput.

const SECONDS = Number(process.env.B5_SECONDS ?? 3);
const POLL_MS = 1000;
const WRITE_EVERY_MS = 10;

/** A growing file behind a /files/read endpoint, remembering when each write happened. */
class GrowingFile {
  private store = Buffer.alloc(0);
  private length = 0;
  readonly writes: { at: number; end: number }[] = [];
  private timer: NodeJS.Timeout | undefined;
  private server: Server;
  url = '';

  constructor() {
    this.server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const offset = Number(url.searchParams.get('offset') ?? -1);
      const length = Number(url.searchParams.get('length') ?? MAX_READ_LENGTH);
      const body =
        offset < 0
          ? { data: '', offset: this.length }
          : { data: this.store.subarray(Math.min(offset, this.length), Math.min(offset + length, this.length)).toString('latin1'), offset };
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    });
  }

  get size(): number {
    return this.length;
  }

  // preallocated, so a write costs its own size and not the file's (a growing Buffer.concat would)
  private write(data: Buffer): void {
    if (this.length + data.length > this.store.length) {
      const bigger = Buffer.alloc(Math.max(this.store.length * 2, this.length + data.length));
      this.store.copy(bigger, 0, 0, this.length);
      this.store = bigger;
    }
    data.copy(this.store, this.length);
    this.length += data.length;
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  fill(bytes: number): void {
    this.write(lines(bytes, 0));
  }

  grow(bytesPerSecond: number): void {
    const perWrite = Math.round((bytesPerSecond * WRITE_EVERY_MS) / 1000);
    this.store = Buffer.alloc(Math.ceil(bytesPerSecond * (SECONDS + 1)));
    const piece = lines(perWrite, 0);
    this.timer = setInterval(() => {
      this.write(piece);
      this.writes.push({ at: performance.now(), end: this.length });
    }, WRITE_EVERY_MS);
  }

  stopGrowing(): void {
    clearInterval(this.timer);
  }

  async close(): Promise<void> {
    this.stopGrowing();
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }
}

function lines(bytes: number, seed: number): Buffer {
  const line = `${String(seed).padStart(8, '0')} INFO the quick brown fox jumps over the lazy dog 0123456789\n`;
  return Buffer.from(line.repeat(Math.ceil(bytes / line.length)).slice(0, bytes), 'latin1');
}

/** Reads on without waiting from `offset`: the fastest the endpoint can be read one request at a time. */
async function rawLoop(client: AgentFilesClient, offset: number, until: () => boolean, onBytes: (n: number) => void, signal: AbortSignal): Promise<void> {
  while (!until() && !signal.aborted) {
    const chunk = await client.read('/f', offset, { signal });
    offset += chunk.data.length;
    onBytes(chunk.data.length);
  }
}

function mb(bytes: number): string {
  return (bytes / 1e6).toFixed(2);
}

/** MB/s a raw read loop got while a fresh file grew at the rate for SECONDS: the baseline. */
async function rawGrowing(rateMBs: number): Promise<number> {
  const file = new GrowingFile();
  await file.listen();
  const endpoint = new Endpoint({ baseUrl: file.url });
  const controller = new AbortController();
  let bytes = 0;
  try {
    file.grow(rateMBs * 1e6);
    const start = performance.now();
    let last = start;
    const onBytes = (n: number) => {
      bytes += n;
      if (n > 0) last = performance.now();
    };
    const raw = rawLoop(new AgentFilesClient(endpoint), 0, () => false, onBytes, controller.signal).catch(() => undefined);
    await new Promise((r) => setTimeout(r, SECONDS * 1000));
    const rate = bytes / ((last - start) / 1000);
    controller.abort();
    await raw;
    return rate;
  } finally {
    await endpoint.close();
    await file.close();
  }
}

async function growingCase(rateMBs: number): Promise<BenchResult[]> {
  const rawRate = await rawGrowing(rateMBs);
  const file = new GrowingFile();
  await file.listen();
  const endpoint = new Endpoint({ baseUrl: file.url, name: 'Mesos agent' });
  const client = new AgentFilesClient(endpoint);
  const controller = new AbortController();
  const decoder = new TextDecoder('utf-8');
  let delivered = 0;
  let appends = 0;
  let lastAppend = 0;
  const latencies: number[] = [];
  let nextWrite = 0;
  const coalescer = new AppendCoalescer({
    write: (text) => {
      const now = performance.now();
      appends++;
      lastAppend = now;
      delivered += text.length; // ASCII: one char per byte
      while (nextWrite < file.writes.length && file.writes[nextWrite]!.end <= delivered) latencies.push(now - file.writes[nextWrite++]!.at);
    },
  });
  const follower = new SandboxFileFollower({ client, path: '/f', fromOffset: 0, pollMs: POLL_MS, onData: (d) => coalescer.append(decoder.decode(d, { stream: true })) });
  try {
    const { result, longestBlockMs } = await withEventLoopMonitor(async () => {
      file.grow(rateMBs * 1e6);
      const start = performance.now();
      const following = follower.follow(controller.signal);
      await new Promise((r) => setTimeout(r, SECONDS * 1000));
      file.stopGrowing();
      coalescer.flush();
      const window = (performance.now() - start) / 1000;
      const written = file.size;
      const followed = delivered;
      // while data was flowing: from the first write to the append that brought the last bytes
      const rate = followed / ((lastAppend - start) / 1000);
      controller.abort();
      await following;
      return { window, written, followed, rate };
    });
    const { window, written, followed, rate } = result;
    const appendsPerSecond = appends / window;
    const sorted = [...latencies].sort((a, b) => a - b);
    const p95 = sorted[Math.floor(sorted.length * 0.95)] ?? Number.NaN;
    const max = sorted[sorted.length - 1] ?? Number.NaN;
    const id = `B5.${rateMBs}MBs`;
    return [
      {
        id,
        what: `follow a file growing ${rateMBs} MB/s for ${SECONDS} s (poll ${POLL_MS} ms): sustained MB/s; ${mb(written - followed)} MB (${((written - followed) / (rateMBs * 1e6) * 1000).toFixed(0)} ms) behind at the end`,
        figure: `${mb(rate)} MB/s`,
        baseline: `raw loop ${mb(rawRate)} MB/s`,
        ratio: rate / rawRate,
        target: '≥ 0.8',
        pass: rate / rawRate >= 0.8,
        longestBlockMs,
      },
      {
        id: `${id}.latency`,
        what: `write→append latency p95 (max ${max.toFixed(0)} ms); ${appendsPerSecond.toFixed(1)} appends/s`,
        figure: `${p95.toFixed(0)} ms`,
        baseline: `poll ${POLL_MS} ms`,
        ratio: p95 / POLL_MS,
        target: `max ≤ poll + one round trip; ≤ 10 appends/s`,
        pass: max <= POLL_MS + 250 && appendsPerSecond <= 10.5,
        longestBlockMs,
      },
    ];
  } finally {
    coalescer.dispose();
    await endpoint.close();
    await file.close();
  }
}

async function throughputCase(): Promise<BenchResult> {
  const size = Number(process.env.B5_BYTES ?? 64 * 1024 * 1024);
  const file = new GrowingFile();
  file.fill(size);
  await file.listen();
  const endpoint = new Endpoint({ baseUrl: file.url });
  const client = new AgentFilesClient(endpoint);
  try {
    const { result, longestBlockMs } = await withEventLoopMonitor(async () => {
      const signal = new AbortController().signal;
      let raw = 0;
      const t0 = performance.now();
      await rawLoop(client, 0, () => raw >= size, (n) => (raw += n), signal);
      const rawS = (performance.now() - t0) / 1000;
      const decoder = new TextDecoder('utf-8');
      let got = 0;
      const coalescer = new AppendCoalescer({ write: (t) => (got += t.length) });
      const follower = new SandboxFileFollower({ client, path: '/f', fromOffset: 0, onData: (d) => coalescer.append(decoder.decode(d, { stream: true })) });
      const t1 = performance.now();
      await follower.drain(signal);
      coalescer.dispose();
      const followS = (performance.now() - t1) / 1000;
      if (got !== size) throw new Error(`B5: the follower delivered ${got} of ${size} bytes`);
      return { raw: size / rawS, follow: size / followS };
    });
    return {
      id: 'B5.throughput',
      what: `read a ${mb(size)} MB file from its start: follower + decoder + coalescer`,
      figure: `${mb(result.follow)} MB/s`,
      baseline: `raw loop ${mb(result.raw)} MB/s`,
      ratio: result.follow / result.raw,
      target: '≥ 0.8',
      pass: result.follow / result.raw >= 0.8,
      longestBlockMs,
    };
  } finally {
    await endpoint.close();
    await file.close();
  }
}

export const b5LogTail: Benchmark = {
  id: 'B5',
  title: 'following a task log (SandboxFileFollower + AppendCoalescer)',
  async run() {
    const rows: BenchResult[] = [];
    for (const rate of [1, 10, 50]) rows.push(...(await growingCase(rate)));
    rows.push(await throughputCase());
    return rows;
  },
};
