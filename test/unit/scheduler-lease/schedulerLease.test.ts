import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, mkdir, readFile, readdir, rm, unlink, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { createLogger, MemorySink } from '../../../src/core/log/logSink';
import { LeaseStorageError } from '../../../src/core/scheduler/lease/leaseStorageError';
import { leaseInfoText, parseLeaseInfo, type LeaseInfo } from '../../../src/core/scheduler/lease/leaseInfo';
import {
  SchedulerLease,
  type LeaseState,
  type SchedulerLeaseOptions,
} from '../../../src/core/scheduler/lease/schedulerLease';
import { until } from '../../support/until';

const KEY = 'prod-0123456789ab';
const FAST = { heartbeatMs: 30, staleMs: 600 };

let dir: string;
const open: SchedulerLease[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lease-'));
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((lease) => lease.dispose()));
  await rm(dir, { recursive: true, force: true });
});

function lease(ownerId: string, options: Partial<SchedulerLeaseOptions> = {}): SchedulerLease {
  const created = SchedulerLease.open({ dir, key: KEY, ownerId, where: 'window', ...FAST, ...options });
  open.push(created);
  return created;
}

/** Every state a lease reports, with the holder's ownerId. */
function record(of: SchedulerLease): { state: LeaseState; holder?: string }[] {
  const seen: { state: LeaseState; holder?: string }[] = [];
  of.onChange((state, holder) => seen.push({ state, holder: holder?.ownerId }));
  return seen;
}

const leasePath = () => join(dir, KEY, 'lease.json');
const fileInfo = async (): Promise<LeaseInfo | undefined> =>
  parseLeaseInfo(await readFile(leasePath(), 'utf8').catch(() => ''));

async function writeLease(fields: Partial<LeaseInfo>): Promise<void> {
  await mkdir(join(dir, KEY), { recursive: true });
  const now = Date.now();
  const info: LeaseInfo = {
    ownerId: 'somebody',
    pid: process.pid,
    hostname: hostname(),
    where: 'window',
    since: now,
    heartbeatAt: now,
    token: 'their-token',
    ...fields,
  };
  await writeFile(leasePath(), leaseInfoText(info));
}

async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid!;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('SchedulerLease', () => {
  it('is taken by the first contender and reported as held by the second', async () => {
    const a = lease('window-a');
    const b = lease('window-b');
    const bStates = record(b);

    assert.equal(await a.tryAcquire(), true);
    assert.equal(await b.tryAcquire(), false);

    const info = await fileInfo();
    assert.equal(info?.ownerId, 'window-a');
    assert.equal(info?.pid, process.pid);
    assert.equal(info?.hostname, hostname());
    assert.equal(info?.where, 'window');
    assert.equal(a.isHeld, true);
    assert.equal(a.state, 'held');
    assert.equal((await b.holder())?.ownerId, 'window-a');
    assert.deepEqual(bStates, [{ state: 'other', holder: 'window-a' }]);
  });

  it('acquiring twice in the holder changes nothing', async () => {
    const a = lease('window-a');
    assert.equal(await a.tryAcquire(), true);
    const before = await fileInfo();
    assert.equal(await a.tryAcquire(), true);
    assert.equal((await fileInfo())?.token, before?.token);
  });

  it('renews its heartbeat while held, keeping the token and since', async () => {
    const a = lease('window-a');
    await a.tryAcquire();
    const first = await fileInfo();
    let later = first;
    const deadline = Date.now() + 10_000;
    while (later!.heartbeatAt <= first!.heartbeatAt && Date.now() < deadline) {
      await pause(FAST.heartbeatMs);
      later = (await fileInfo()) ?? later;
    }
    assert.ok(later!.heartbeatAt > first!.heartbeatAt, 'the heartbeat moves on');
    assert.equal(later?.token, first?.token);
    assert.equal(later?.since, first?.since);
  });

  it('release frees it for the next window and says so', async () => {
    const a = lease('window-a');
    const aStates = record(a);
    const b = lease('window-b');
    await a.tryAcquire();
    await a.release();
    assert.equal(a.isHeld, false);
    assert.deepEqual(aStates, [
      { state: 'held', holder: 'window-a' },
      { state: 'free', holder: undefined },
    ]);
    assert.equal(await b.tryAcquire(), true);
    assert.equal((await fileInfo())?.ownerId, 'window-b');
  });

  it('dispose releases the lease and leaves nothing running', async () => {
    const a = lease('window-a');
    const aStates = record(a);
    await a.tryAcquire();
    await a.dispose();
    await assert.rejects(readFile(leasePath()), { code: 'ENOENT' });
    // A lease written by someone else after the dispose is left alone: no heartbeat, no event.
    await writeLease({ ownerId: 'later' });
    const written = await readFile(leasePath(), 'utf8');
    await pause(FAST.heartbeatMs * 4);
    assert.equal(await readFile(leasePath(), 'utf8'), written);
    assert.deepEqual(aStates, [{ state: 'held', holder: 'window-a' }]);
    assert.equal(await a.tryAcquire(), false);
  });

  it('release does not remove a lease that another holder has taken meanwhile', async () => {
    const a = lease('window-a');
    await a.tryAcquire();
    await writeLease({ ownerId: 'usurper', token: 'usurper-token' });
    await a.release();
    assert.equal((await fileInfo())?.ownerId, 'usurper');
  });

  it('a holder whose lease file is removed reports lost at its next heartbeat', async () => {
    const a = lease('window-a');
    const aStates = record(a);
    await a.tryAcquire();
    await unlink(leasePath());
    await until(() => aStates.length === 2, 'the lost state');
    assert.deepEqual(aStates[1], { state: 'lost', holder: undefined });
    assert.equal(a.isHeld, false);
    // It does not put its lease back.
    await pause(FAST.heartbeatMs * 3);
    await assert.rejects(readFile(leasePath()), { code: 'ENOENT' });
  });

  it('a holder whose lease another owner replaced reports lost with the new holder', async () => {
    const a = lease('window-a');
    const aStates = record(a);
    await a.tryAcquire();
    await writeLease({ ownerId: 'usurper', token: 'usurper-token' });
    await until(() => aStates.length === 2, 'the lost state');
    assert.deepEqual(aStates[1], { state: 'lost', holder: 'usurper' });
    assert.equal((await fileInfo())?.ownerId, 'usurper', 'the holder must not overwrite the new lease');
  });

  it('takes over a lease whose heartbeat is older than staleMs, even from a live process', async () => {
    await writeLease({ ownerId: 'sleepy', heartbeatAt: Date.now() - FAST.staleMs - 1 });
    const b = lease('window-b');
    assert.equal(await b.tryAcquire(), true);
    assert.equal((await fileInfo())?.ownerId, 'window-b');
  });

  it('does not take over a fresh lease of a live process', async () => {
    await writeLease({ ownerId: 'busy', heartbeatAt: Date.now() - FAST.staleMs / 2 });
    const b = lease('window-b');
    assert.equal(await b.tryAcquire(), false);
    assert.equal((await fileInfo())?.ownerId, 'busy');
  });

  it('takes over a fresh lease whose process on this host has ended', async () => {
    await writeLease({ ownerId: 'crashed', pid: await deadPid() });
    const b = lease('window-b');
    const bStates = record(b);
    assert.equal(await b.tryAcquire(), true);
    assert.deepEqual(bStates, [{ state: 'held', holder: 'window-b' }]);
  });

  it('does not judge a process on another host by its pid', async () => {
    await writeLease({ ownerId: 'remote', hostname: `not-${hostname()}`, pid: await deadPid() });
    const b = lease('window-b');
    assert.equal(await b.tryAcquire(), false);
  });

  it('an injected clock ahead by staleMs sees a live holder as stale; the holder then reports lost', async () => {
    const a = lease('window-a');
    const aStates = record(a);
    await a.tryAcquire();
    const b = lease('window-b', { clock: () => Date.now() + FAST.staleMs });
    assert.equal(await b.tryAcquire(), true);
    await until(() => aStates.length === 2, 'the lost state');
    assert.deepEqual(aStates[1], { state: 'lost', holder: 'window-b' });
    assert.equal((await fileInfo())?.ownerId, 'window-b');
  });

  it('a contender that judged a lease stale does not replace it once it was renewed meanwhile', async () => {
    const a = lease('window-a');
    const aStates = record(a);
    await a.tryAcquire();
    const token = (await fileInfo())?.token;
    // b's clock is ahead when it judges a's lease, so it finds it stale; at that very moment a renews
    // (the file is rewritten), which is the race a late contender must lose. Afterwards b's clock is right.
    let reads = 0;
    const b = lease('window-b', {
      clock: () => {
        reads++;
        if (reads !== 2) return Date.now();
        const info = parseLeaseInfo(readFileSync(leasePath(), 'utf8'))!;
        writeFileSync(leasePath(), leaseInfoText({ ...info, heartbeatAt: Date.now() }));
        return Date.now() + 60_000;
      },
    });
    const bStates = record(b);
    assert.equal(await b.tryAcquire(), false);
    assert.ok(reads > 2, 'b looked again after its claim found the lease changed');
    assert.deepEqual(bStates, [{ state: 'other', holder: 'window-a' }]);
    await pause(FAST.heartbeatMs * 4);
    assert.deepEqual(aStates, [{ state: 'held', holder: 'window-a' }], 'the holder keeps its lease');
    assert.equal((await fileInfo())?.token, token);
    assert.deepEqual(
      (await readdir(join(dir, KEY))).filter((name) => name.startsWith('.claim-')),
      [],
      'b withdrew its claim',
    );
  });

  it('after a pause longer than staleMs - heartbeatMs the holder renews safely and keeps the lease', async () => {
    let offset = 0;
    const sink = new MemorySink();
    const a = lease('window-a', { clock: () => Date.now() + offset, log: createLogger(sink, 'lease') });
    const aStates = record(a);
    await a.tryAcquire();
    const before = await fileInfo();
    offset = FAST.staleMs; // as if the process had been suspended
    await until(() => sink.text().includes('renewed the scheduler lease after a pause'), 'the renewal after a pause');
    assert.deepEqual(aStates, [{ state: 'held', holder: 'window-a' }]);
    const info = await fileInfo();
    assert.notEqual(info?.token, before?.token, 'renewing through a claim starts a new token');
    assert.equal(info?.since, before?.since);
    assert.equal(info?.ownerId, 'window-a');
    assert.ok(info!.heartbeatAt >= Date.now() + offset - 1000);
  });

  it('an unreadable lease file counts as held until it is staleMs old', async () => {
    await mkdir(join(dir, KEY), { recursive: true });
    await writeFile(leasePath(), '{"ownerId": "half-writ');
    const b = lease('window-b');
    assert.equal(await b.tryAcquire(), false);
    assert.equal(await b.holder(), undefined);
    const old = new Date(Date.now() - FAST.staleMs - 1000);
    await utimes(leasePath(), old, old);
    assert.equal(await b.tryAcquire(), true);
    assert.equal((await fileInfo())?.ownerId, 'window-b');
  });

  it('of many contenders in one process exactly one acquires a stale lease', async () => {
    await writeLease({ ownerId: 'crashed', pid: await deadPid() });
    const contenders = Array.from({ length: 6 }, (_, i) => lease(`window-${i}`));
    const results = await Promise.all(contenders.map((c) => c.tryAcquire()));
    assert.equal(results.filter(Boolean).length, 1);
    const winner = contenders[results.indexOf(true)]!;
    assert.equal((await fileInfo())?.ownerId, winner.ownerId);
  });

  it('watch reports other and free, and takes over only when the callback says so', async () => {
    const a = lease('window-a');
    await a.tryAcquire();
    const b = lease('window-b');
    const bStates = record(b);
    const asked: (string | undefined)[] = [];
    let answer = false;
    b.watch({
      pollMs: 20,
      takeOver: (previous, reason) => {
        asked.push(`${previous?.ownerId}: ${reason}`);
        return answer;
      },
    });
    await until(() => bStates.length === 1, 'the other state');
    assert.deepEqual(bStates[0], { state: 'other', holder: 'window-a' });
    await a.dispose();
    await until(() => asked.length >= 2, 'two offers to take over');
    assert.equal(b.isHeld, false);
    assert.equal(asked[0], 'undefined: nobody holds it');
    answer = true;
    await until(() => b.isHeld, 'the takeover');
    assert.deepEqual(bStates.slice(-2), [
      { state: 'free', holder: undefined },
      { state: 'held', holder: 'window-b' },
    ]);
  });

  it('watchers that all want the lease: exactly one takes it over from a holder that stopped heartbeating', async () => {
    await writeLease({ ownerId: 'frozen', heartbeatAt: Date.now() });
    const watchers = Array.from({ length: 5 }, (_, i) => lease(`window-${i}`));
    for (const w of watchers) w.watch({ pollMs: 15, takeOver: () => true });
    await until(() => watchers.some((w) => w.isHeld), 'a takeover');
    await pause(FAST.heartbeatMs * 4);
    assert.equal(watchers.filter((w) => w.isHeld).length, 1);
    const info = await fileInfo();
    assert.equal(info?.ownerId, watchers.find((w) => w.isHeld)?.ownerId);
  });

  it('a storage directory that cannot be used gives a LeaseStorageError', async () => {
    const file = join(dir, 'not-a-directory');
    await writeFile(file, '');
    const broken = lease('window-a', { dir: file });
    await assert.rejects(broken.tryAcquire(), (error: unknown) => {
      assert.ok(error instanceof LeaseStorageError);
      assert.match(error.message, /^Could not take the scheduler lease in .*\(ENOTDIR\)\. Check that/);
      return true;
    });
  });

  it('refuses a staleMs that a late heartbeat could reach, and an unsafe key', () => {
    assert.throws(
      () => SchedulerLease.open({ dir, key: KEY, ownerId: 'x', where: 'window', heartbeatMs: 1000, staleMs: 2000 }),
      /staleMs >= 3/,
    );
    assert.throws(
      () => SchedulerLease.open({ dir, key: '../etc', ownerId: 'x', where: 'window' }),
      /not a safe file name/,
    );
  });

  it('leaves no scratch files behind', async () => {
    const a = lease('window-a');
    await a.tryAcquire();
    await pause(FAST.heartbeatMs * 3);
    await a.release();
    const left = await readdir(join(dir, KEY));
    assert.ok(!left.includes('lease.json'));
    assert.deepEqual(
      left.filter((name) => !name.startsWith('.claim-')),
      [],
      'only claim tombstones stay (swept later)',
    );
  });
});
