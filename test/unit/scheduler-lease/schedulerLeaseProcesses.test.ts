import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { leaseInfoText, parseLeaseInfo } from '../../../src/core/scheduler/lease/leaseInfo';
import { processAlive } from '../../support/processAlive';
import { until } from '../../support/until';
import { ScriptProcess, type ScriptEvent } from '../../support/scriptProcess';

// Real processes, as separate editor windows are: the lease must hold across them, not only across
// promises in one process.

const KEY = 'cluster-5e1f00ddba11';
const HEARTBEAT_MS = 100;
const STALE_MS = 1500;

describe('SchedulerLease across processes', { skip: process.platform === 'win32' ? 'uses SIGSTOP' : false }, () => {
  let dir: string;
  let contenders: ScriptProcess[] = [];
  const names = new Map<ScriptProcess, string>();

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lease-procs-'));
    contenders = Array.from({ length: 8 }, (_, i) => {
      const ownerId = `window-${i}`;
      const contender = new ScriptProcess('leaseContender.ts', {
        dir,
        key: KEY,
        ownerId,
        heartbeatMs: HEARTBEAT_MS,
        staleMs: STALE_MS,
      });
      names.set(contender, ownerId);
      return contender;
    });
    await Promise.all(contenders.map((c) => c.waitFor((e) => e.event === 'ready', 'ready')));
  });

  after(async () => {
    for (const c of names.keys()) c.signal('SIGCONT');
    await Promise.all([...names.keys()].map((c) => c.stop()));
    await rm(dir, { recursive: true, force: true });
  });

  const leaseOwner = async () =>
    parseLeaseInfo(await readFile(join(dir, KEY, 'lease.json'), 'utf8').catch(() => ''))?.ownerId;
  const ownerOf = (c: ScriptProcess) => names.get(c);

  /** Sends `acquire` to all at once and returns who got it. */
  async function acquireRound(among: ScriptProcess[]): Promise<ScriptProcess[]> {
    const marks = among.map((c) => c.events.length);
    for (const c of among) c.send('acquire');
    const results = await Promise.all(
      among.map((c, i) => c.waitFor((e) => e.event === 'acquire', 'an acquire result', marks[i])),
    );
    return among.filter((_, i) => (results[i] as ScriptEvent & { acquired: boolean }).acquired);
  }

  it('exactly one of 8 processes acquires a free lease', async () => {
    const winners = await acquireRound(contenders);
    assert.equal(winners.length, 1);
    assert.equal(await leaseOwner(), ownerOf(winners[0]!));
  });

  it('when the holder is killed, exactly one of the other 7 takes the lease over', async () => {
    const holder = contenders.find((c) => c.events.some((e) => e.event === 'acquire' && e.acquired === true))!;
    const holderName = ownerOf(holder);
    holder.signal('SIGKILL');
    await holder.exited;
    assert.equal(processAlive(holder.pid), false);
    assert.equal(await leaseOwner(), holderName, 'a killed holder leaves its lease behind');

    contenders = contenders.filter((c) => c !== holder);
    const winners = await acquireRound(contenders);
    assert.equal(winners.length, 1);
    assert.equal(await leaseOwner(), ownerOf(winners[0]!));
    await winners[0]!.waitFor((e) => e.event === 'state' && e.state === 'held', 'held');
  });

  it('a lease of a live process whose heartbeat is older than staleMs is taken over by exactly one', async () => {
    const holder = contenders.find((c) => c.events.some((e) => e.event === 'state' && e.state === 'held'))!;
    const mark = holder.events.length;
    holder.send('release');
    await holder.waitFor((e) => e.event === 'released', 'released', mark);
    const now = Date.now();
    const frozen = {
      ownerId: 'frozen',
      pid: process.pid,
      hostname: hostname(),
      where: 'window' as const,
      since: now - 60_000,
      heartbeatAt: now - STALE_MS - 1,
      token: 'frozen',
    };
    await writeFile(join(dir, KEY, 'lease.json'), leaseInfoText(frozen));

    const winners = await acquireRound(contenders);
    assert.equal(winners.length, 1);
    assert.equal(await leaseOwner(), ownerOf(winners[0]!));
  });

  it('a holder that was stopped longer than staleMs finds on waking that it lost the lease, and only one watcher took over', async () => {
    const holder = contenders.find((c) => c.events.filter((e) => e.event === 'state').at(-1)?.state === 'held')!;
    const watchers = contenders.filter((c) => c !== holder);
    const marks = new Map(contenders.map((c) => [c, c.events.length]));
    for (const w of watchers) w.send('watch');
    await Promise.all(watchers.map((w) => w.waitFor((e) => e.event === 'watching', 'watching', marks.get(w))));

    holder.signal('SIGSTOP');
    const heldEvents = () =>
      watchers.filter((w) => w.events.slice(marks.get(w)).some((e) => e.event === 'state' && e.state === 'held'));
    await until(() => heldEvents().length > 0, 'a takeover');
    const newHolder = heldEvents()[0]!;
    holder.signal('SIGCONT');

    const lost = await holder.waitFor((e) => e.event === 'state' && e.state === 'lost', 'lost', marks.get(holder));
    assert.equal(lost.holder, ownerOf(newHolder));
    // Give every watcher a few polls to make a wrong second takeover visible.
    await new Promise((resolve) => setTimeout(resolve, HEARTBEAT_MS * 5));
    assert.deepEqual(heldEvents(), [newHolder]);
    assert.equal(await leaseOwner(), ownerOf(newHolder));
  });

  it('closing stdin releases the lease on the way out', async () => {
    const holder = contenders.find((c) => c.events.filter((e) => e.event === 'state').at(-1)?.state === 'held')!;
    const name = ownerOf(holder);
    assert.equal(await leaseOwner(), name);
    await holder.stop();
    const owner = await leaseOwner();
    assert.notEqual(owner, name);
  });
});
