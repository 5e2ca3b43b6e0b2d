import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Offer, Resource } from '../src/core/mesos/codec';
import type { LaunchRequest } from '../src/core/scheduler/launchRequest';
import { matchOffers } from '../src/core/scheduler/offerMatcher';
import type { Benchmark, BenchResult } from './benchmark';

// B1 (performance.md): (1) Fenzo's TestLotsOfTasks shape: passes of 200 tasks over 10,000 hosts of 8 cpus,
// each pass offered what earlier passes left, timed per pass and compared for utilisation with a
// first-fit-decreasing reference run on the same task stream; (2) one full pass of 1,000 requests over
// 10,000 varied offers against a brute-force typed-array scan of the same request x offer pairs.

const HOSTS = Number(process.env.B1_HOSTS ?? 10_000);
const TASKS_PER_PASS = 200;
const PASSES = Number(process.env.B1_PASSES ?? 40);
const HOST_CPUS = 8;
const MEM_PER_CPU = 4096;
const FULL_OFFERS = 10_000;
const FULL_REQUESTS = 1_000;

// the harness builds 10,000 Offer objects before each pass; collecting them before the clock starts keeps
// the harness's garbage out of the matcher's figures
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

function hostOffer(h: number, cpus: number, mem: number): Offer {
  return {
    id: { value: `O${h}` },
    framework_id: { value: 'F' },
    agent_id: { value: `S${h}` },
    hostname: `host-${h}`,
    resources: [
      { name: 'cpus', type: 'SCALAR', scalar: { value: cpus }, role: '*' },
      { name: 'mem', type: 'SCALAR', scalar: { value: mem }, role: '*' },
    ],
    attributes: [],
  };
}

/** 20% 1-cpu, 40% half-host, 40% three-quarter-host tasks, shuffled. */
function fenzoTasks(pass: number, rand: () => number): LaunchRequest[] {
  const out: LaunchRequest[] = [];
  for (let i = 0; i < TASKS_PER_PASS; i++) {
    const cpus = i < TASKS_PER_PASS * 0.2 ? 1 : i < TASKS_PER_PASS * 0.6 ? HOST_CPUS / 2 : (HOST_CPUS * 3) / 4;
    out.push({ id: `p${pass}-t${i}`, cpus, mem: cpus * MEM_PER_CPU });
  }
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Share of the cpus of hosts holding at least one task that are in use. */
function utilisation(usedCpus: Float64Array): number {
  let used = 0;
  let hosts = 0;
  for (const u of usedCpus) {
    if (u > 0) {
      used += u;
      hosts++;
    }
  }
  return hosts === 0 ? 0 : used / (hosts * HOST_CPUS);
}

/** First-fit decreasing on the same passes: each task, largest first, on the lowest-numbered host with room. */
function firstFitDecreasing(passes: readonly LaunchRequest[][]): Float64Array {
  const used = new Float64Array(HOSTS);
  for (const tasks of passes) {
    for (const t of [...tasks].sort((a, b) => b.cpus - a.cpus)) {
      for (let h = 0; h < HOSTS; h++) {
        if (HOST_CPUS - used[h]! >= t.cpus) {
          used[h] = used[h]! + t.cpus;
          break;
        }
      }
    }
  }
  return used;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))]!;
}

/** Runs the passes in order, each offered what the earlier ones left; returns per-pass ms and cpus used per host. */
function runPasses(passes: readonly LaunchRequest[][]): { times: number[]; used: Float64Array; placed: number } {
  const used = new Float64Array(HOSTS);
  const times: number[] = [];
  let placed = 0;
  for (const tasks of passes) {
    const offers: Offer[] = [];
    for (let h = 0; h < HOSTS; h++) {
      const cpus = HOST_CPUS - used[h]!;
      if (cpus > 0) offers.push(hostOffer(h, cpus, cpus * MEM_PER_CPU));
    }
    // matchOffers is pure, so each pass is timed three times and the best kept, as B2 does: the machine is
    // shared, and the best run is the one least disturbed by others
    let best = Infinity;
    let result = matchOffers(tasks, offers);
    for (let i = 0; i < 3; i++) {
      collectGarbage();
      const t0 = performance.now();
      result = matchOffers(tasks, offers);
      best = Math.min(best, performance.now() - t0);
    }
    times.push(best);
    for (const a of result.assignments) {
      const h = Number(a.agentId.slice(1));
      for (const t of a.tasks) {
        used[h] = used[h]! + t.request.cpus;
        placed++;
      }
    }
  }
  return { times, used, placed };
}

function fenzoCase(): BenchResult[] {
  const rand = seeded(7);
  const passes = Array.from({ length: PASSES }, (_, p) => fenzoTasks(p, rand));
  // a warm-up run on another task stream, so the figures are for compiled code, not the JIT's first tries
  const warmUp = seeded(99);
  runPasses(Array.from({ length: 10 }, (_, p) => fenzoTasks(p, warmUp)));
  const { times, used, placed } = runPasses(passes);
  if (process.env.B1_DEBUG) process.stderr.write(`${times.map((t) => t.toFixed(1)).join(" ")}\n`);
  times.sort((a, b) => a - b);
  const p50 = percentile(times, 0.5);
  const p99 = percentile(times, 0.99);
  const ours = utilisation(used);
  const ffd = utilisation(firstFitDecreasing(passes));
  const ratio = ours / ffd;
  const longest = times[times.length - 1]!;
  return [
    {
      id: 'B1.fenzo.time',
      what: `${TASKS_PER_PASS} tasks/pass on ${HOSTS} hosts of ${HOST_CPUS} cpus, ${PASSES} passes (${placed} placed)`,
      figure: `p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms/pass, ${((TASKS_PER_PASS / p50) * 1000 / 1000).toFixed(0)}k tasks/s`,
      baseline: 'target 10 ms/pass (Fenzo 56-246 ms)',
      ratio: 10 / p99,
      target: 'p99 <= 10 ms/pass',
      pass: p99 <= 10,
      longestBlockMs: longest,
    },
    {
      id: 'B1.fenzo.utilisation',
      what: 'cpu utilisation of used hosts, best fit vs first-fit decreasing',
      figure: `${(ours * 100).toFixed(2)}%`,
      baseline: `FFD ${(ffd * 100).toFixed(2)}%`,
      ratio,
      target: '>= 0.97 of FFD',
      pass: ratio >= 0.97,
      longestBlockMs: longest,
    },
  ];
}

function variedOffers(rand: () => number): Offer[] {
  return Array.from({ length: FULL_OFFERS }, (_, h) => {
    const cpus = 4 + Math.floor(rand() * 29);
    const resources: Resource[] = [
      { name: 'cpus', type: 'SCALAR', scalar: { value: cpus }, role: '*' },
      { name: 'mem', type: 'SCALAR', scalar: { value: 1024 * Math.floor(8 + rand() * 120) }, role: '*' },
      { name: 'disk', type: 'SCALAR', scalar: { value: 1000 * Math.floor(50 + rand() * 950) }, role: '*' },
      { name: 'ports', type: 'RANGES', ranges: { range: [{ begin: 31000, end: 31000 + Math.floor(rand() * 1000) }] }, role: '*' },
    ];
    return {
      id: { value: `O${h}` },
      framework_id: { value: 'F' },
      agent_id: { value: `S${h}` },
      hostname: `agent-${h}`,
      resources,
      attributes: [
        { name: 'rack', type: 'TEXT', text: { value: `r${h % 50}` } },
        { name: 'zone', type: 'TEXT', text: { value: `z${h % 3}` } },
      ],
    };
  });
}

function variedRequests(rand: () => number): LaunchRequest[] {
  return Array.from({ length: FULL_REQUESTS }, (_, i) => ({
    id: `r${i}`,
    cpus: 0.5 + Math.floor(rand() * 8) / 2,
    mem: 256 * (1 + Math.floor(rand() * 32)),
    disk: 1000 * Math.floor(rand() * 20),
    ports: Math.floor(rand() * 3),
  }));
}

/**
 * The floor: the same requests in the same order, each scored against every offer's numeric vector
 * (already in typed arrays, no Resource objects built), best kept, vectors updated.
 */
function bruteForce(requests: readonly LaunchRequest[], offers: readonly Offer[]): { ms: number; placed: number } {
  const n = offers.length;
  const free = new Float64Array(n * 4);
  for (let o = 0; o < n; o++) {
    for (const r of offers[o]!.resources!) {
      const d = ['cpus', 'mem', 'disk', 'ports'].indexOf(r.name);
      free[o * 4 + d] = d === 3 ? Number(r.ranges!.range![0]!.end) - Number(r.ranges!.range![0]!.begin) + 1 : Math.round(r.scalar!.value * 1000);
    }
  }
  const biggest = [0, 0, 0];
  for (let o = 0; o < n; o++) for (let d = 0; d < 3; d++) biggest[d] = Math.max(biggest[d]!, free[o * 4 + d]!);
  const needs = requests.map((r) => new Float64Array([Math.round(r.cpus * 1000), Math.round(r.mem * 1000), Math.round((r.disk ?? 0) * 1000), r.ports ?? 0]));
  const t0 = performance.now();
  let placed = 0;
  for (const need of needs) {
    let best = -1;
    let bestScore = Infinity;
    for (let o = 0; o < n; o++) {
      let worst = 0;
      let fits = true;
      for (let d = 0; d < 4; d++) {
        const left = free[o * 4 + d]! - need[d]!;
        if (left < 0) {
          fits = false;
          break;
        }
        if (d < 3 && need[d]! > 0) worst = Math.max(worst, left / biggest[d]!);
      }
      if (fits && worst < bestScore) {
        best = o;
        bestScore = worst;
      }
    }
    if (best >= 0) {
      for (let d = 0; d < 4; d++) free[best * 4 + d] = free[best * 4 + d]! - need[d]!;
      placed++;
    }
  }
  return { ms: performance.now() - t0, placed };
}

function fullPass(): BenchResult {
  const offers = variedOffers(seeded(11));
  const requests = variedRequests(seeded(12));
  matchOffers(requests.slice(0, 100), offers); // warm-up
  bruteForce(requests.slice(0, 100), offers);
  let ours = Infinity;
  let placed = 0;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const r = matchOffers(requests, offers);
    ours = Math.min(ours, performance.now() - t0);
    placed = r.assignments.reduce((s, a) => s + a.tasks.length, 0);
  }
  let brute = Infinity;
  let brutePlaced = 0;
  for (let i = 0; i < 3; i++) {
    const b = bruteForce(requests, offers);
    brute = Math.min(brute, b.ms);
    brutePlaced = b.placed;
  }
  const ratio = ours / brute;
  return {
    id: 'B1.full',
    what: `${FULL_REQUESTS} requests x ${FULL_OFFERS} varied offers, one pass (${placed} placed; brute force ${brutePlaced})`,
    figure: `${ours.toFixed(1)} ms/pass`,
    baseline: `brute-force typed-array scan ${brute.toFixed(1)} ms`,
    ratio,
    target: '<= 3x brute force (lower is better)',
    pass: ratio <= 3,
    longestBlockMs: ours,
  };
}

export const b1OfferMatching: Benchmark = {
  id: 'B1',
  title: `offer matching: Fenzo's case (${TASKS_PER_PASS} tasks x ${HOSTS} hosts) and ${FULL_REQUESTS} x ${FULL_OFFERS}`,
  // each row's longest block is its longest synchronous pass: matching runs in one go on the thread
  run(): Promise<BenchResult[]> {
    return Promise.resolve([...fenzoCase(), fullPass()]);
  },
};
