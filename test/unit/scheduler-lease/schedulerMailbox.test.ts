import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { createLogger, MemorySink } from '../../../src/core/log/logSink';
import { LeaseStorageError } from '../../../src/core/scheduler/lease/leaseStorageError';
import type { MailboxEnvelope, MailboxRequest } from '../../../src/core/scheduler/lease/mailboxRequest';
import { MailboxTimeoutError } from '../../../src/core/scheduler/lease/mailboxTimeoutError';
import { SchedulerMailbox, type MailboxHandler } from '../../../src/core/scheduler/lease/schedulerMailbox';
import type { TaskRequest } from '../../../src/core/scheduler/taskRequest';
import { ScriptProcess } from '../../support/scriptProcess';
import { until } from '../../support/until';

const KEY = 'prod-0123456789ab';
let dir: string;
let sink: MemorySink;
const opened: SchedulerMailbox[] = [];
const servers: { dispose(): Promise<void> }[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mailbox-'));
  sink = new MemorySink();
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.dispose()));
  await Promise.all(opened.splice(0).map((m) => m.dispose()));
  await rm(dir, { recursive: true, force: true });
});

function mailbox(ownerId: string): SchedulerMailbox {
  const m = SchedulerMailbox.open({
    dir,
    key: KEY,
    ownerId,
    pollMs: 50,
    replyPollMs: 20,
    log: createLogger(sink, 'mailbox'),
  });
  opened.push(m);
  return m;
}

async function serve(m: SchedulerMailbox, handler: MailboxHandler): Promise<void> {
  servers.push(await m.serve(handler));
}

const agent = (id: string): TaskRequest => ({
  id,
  cpus: 1,
  mem: 512,
  restart: 'on-failure',
  command: { value: 'java -jar agent.jar' },
});
const inbox = () => join(dir, KEY, 'inbox');
const listing = async (sub: string) =>
  (await readdir(join(dir, KEY, sub)).catch(() => [])).filter((n) => !n.startsWith('.'));

describe('SchedulerMailbox', () => {
  it('carries a launch to the holder and its answer back, leaving no files behind', async () => {
    const holder = mailbox('window-a');
    const received: { request: MailboxRequest; envelope: MailboxEnvelope }[] = [];
    await serve(holder, (request, envelope) => {
      received.push({ request, envelope });
      return { ok: true, message: 'Queued jenkins-1 and jenkins-2.' };
    });
    const sender = mailbox('window-b');

    const reply = await sender.launch([agent('jenkins-1'), agent('jenkins-2')], { timeoutMs: 10_000 });

    assert.equal(reply.ok, true);
    assert.equal(reply.message, 'Queued jenkins-1 and jenkins-2.');
    assert.equal(received.length, 1);
    assert.deepEqual(received[0]!.request, { kind: 'launch', requests: [agent('jenkins-1'), agent('jenkins-2')] });
    assert.equal(received[0]!.envelope.from, 'window-b');
    assert.equal(received[0]!.envelope.requestId, reply.requestId);
    assert.deepEqual(await listing('inbox'), []);
    assert.deepEqual(await listing('outbox'), []);
  });

  it('carries a kill, and a refusal comes back as ok: false with the holder’s reason', async () => {
    const holder = mailbox('window-a');
    await serve(holder, (request) =>
      request.kind === 'kill'
        ? { ok: false, message: `No task ${request.taskId} is known to this scheduler.` }
        : { ok: true, message: '' },
    );
    const reply = await mailbox('window-b').kill('jenkins-9.1', { timeoutMs: 10_000 });
    assert.equal(reply.ok, false);
    assert.equal(reply.message, 'No task jenkins-9.1 is known to this scheduler.');
  });

  it('a handler that throws answers ok: false with its message, and the holder keeps serving', async () => {
    const holder = mailbox('window-a');
    let calls = 0;
    await serve(holder, () => {
      calls++;
      if (calls === 1) throw new Error('The framework is not subscribed yet; try again in a moment.');
      return { ok: true, message: 'Kill sent.' };
    });
    const sender = mailbox('window-b');
    const first = await sender.kill('t1', { timeoutMs: 10_000 });
    assert.deepEqual([first.ok, first.message], [false, 'The framework is not subscribed yet; try again in a moment.']);
    const second = await sender.kill('t1', { timeoutMs: 10_000 });
    assert.deepEqual([second.ok, second.message], [true, 'Kill sent.']);
  });

  it('requests sent before anyone serves are handled oldest first', async () => {
    const sender = mailbox('window-b');
    const sends = ['k1', 'k2', 'k3', 'k4'].map((id) => sender.kill(id, { timeoutMs: 10_000 }));
    // All four are in the inbox before the holder starts.
    let files: string[] = [];
    await until(() => {
      void listing('inbox').then((names) => (files = names));
      return files.length === 4;
    }, 'four requests in the inbox');
    const order: string[] = [];
    await serve(mailbox('window-a'), (request) => {
      if (request.kind === 'kill') order.push(request.taskId);
      return { ok: true, message: 'ok' };
    });
    await Promise.all(sends);
    assert.deepEqual(order, ['k1', 'k2', 'k3', 'k4']);
  });

  it('times out with a clear error when nobody serves, and withdraws the request', async () => {
    const sender = mailbox('window-b');
    const error = await sender.launch([agent('jenkins-1')], { timeoutMs: 300 }).then(
      () => assert.fail('expected a timeout'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof MailboxTimeoutError);
    assert.match(
      error.message,
      /^The scheduler in the other window did not answer within 0\.3 s; it may be busy or closed\./,
    );
    assert.equal(error.delivered, false);
    assert.match(error.nextStep, /withdrawn, so nothing was done/);
    assert.deepEqual(await listing('inbox'), []);
  });

  it('a holder that took the request but did not answer in time is reported as such', async () => {
    let finish: () => void = () => undefined;
    const answered = new Promise<void>((resolve) => (finish = resolve));
    await serve(mailbox('window-a'), async () => {
      await answered;
      return { ok: true, message: 'late' };
    });
    const error = await mailbox('window-b')
      .kill('slow', { timeoutMs: 400, where: 'headless' })
      .then(
        () => assert.fail('expected a timeout'),
        (e: unknown) => e,
      );
    finish();
    assert.ok(error instanceof MailboxTimeoutError);
    assert.equal(error.delivered, true);
    assert.match(error.message, /^The headless scheduler did not answer within 0\.4 s/);
    assert.match(error.message, /may still carry it out/);
  });

  it('moves malformed inbox files to rejected/, answers those that name a request id, and serves on', async () => {
    const holder = mailbox('window-a');
    await mkdir(inbox(), { recursive: true });
    await writeFile(join(inbox(), '000000000000001-000000-garbage.json'), '{"version": 1, "requestId": "tor');
    await writeFile(join(inbox(), 'notes.txt'), 'hello');
    await mkdir(join(inbox(), 'a-directory'));
    const badKind = { version: 1, requestId: 'bad-kind-1', sentAt: 1, from: 'window-x', request: { kind: 'explode' } };
    await writeFile(join(inbox(), '000000000000002-000000-bad-kind-1.json'), JSON.stringify(badKind));
    const badLaunch = {
      version: 1,
      requestId: 'bad-launch-1',
      sentAt: 1,
      from: 'window-x',
      request: { kind: 'launch', requests: [{ id: 'x', cpus: 'one', mem: 1 }] },
    };
    await writeFile(join(inbox(), '000000000000003-000000-bad-launch-1.json'), JSON.stringify(badLaunch));
    const handled: MailboxRequest[] = [];
    await serve(holder, (request) => {
      handled.push(request);
      return { ok: true, message: 'fine' };
    });

    const reply = await mailbox('window-b').kill('t1', { timeoutMs: 10_000 });
    assert.equal(reply.ok, true);
    assert.deepEqual(handled, [{ kind: 'kill', taskId: 't1' }]);
    const rejected = await listing('rejected');
    assert.equal(rejected.length, 4);
    for (const name of ['garbage.json', 'notes.txt', 'bad-kind-1.json', 'bad-launch-1.json']) {
      assert.ok(
        rejected.some((r) => r.endsWith(name)),
        `${name} in ${rejected.join(', ')}`,
      );
    }
    assert.deepEqual(await listing('inbox'), ['a-directory']);
    const kindReply = JSON.parse(await readFile(join(dir, KEY, 'outbox', 'bad-kind-1.json'), 'utf8')) as {
      ok: boolean;
      message: string;
    };
    assert.equal(kindReply.ok, false);
    assert.match(kindReply.message, /kind "explode" is neither 'launch' nor 'kill'/);
    const launchReply = JSON.parse(await readFile(join(dir, KEY, 'outbox', 'bad-launch-1.json'), 'utf8')) as {
      message: string;
    };
    assert.match(launchReply.message, /requests\[0\] \(x\) has no numeric cpus/);
    const warnings = sink.records.filter((r) => r.level === 'warn').map((r) => r.message);
    assert.equal(warnings.filter((w) => w.startsWith('rejected the mailbox request')).length, 4);
  });

  it('an aborted send rejects with the signal’s reason and withdraws its request', async () => {
    const controller = new AbortController();
    const sending = mailbox('window-b').kill('t1', { timeoutMs: 10_000, signal: controller.signal });
    let files: string[] = [];
    await until(() => {
      void listing('inbox').then((names) => (files = names));
      return files.length === 1;
    }, 'the request in the inbox');
    controller.abort(new Error('The user cancelled.'));
    await assert.rejects(sending, /The user cancelled\./);
    assert.deepEqual(await listing('inbox'), []);
  });

  it('dispose fails pending sends at once instead of leaving them to time out', async () => {
    const sender = mailbox('window-b');
    const sending = sender.kill('t1', { timeoutMs: 60_000 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    await sender.dispose();
    await assert.rejects(sending, /closed before the other side answered/);
    await assert.rejects(sender.kill('t2'), /mailbox is closed/);
  });

  it('a storage directory that cannot be used gives a LeaseStorageError with a next step', async () => {
    const file = join(dir, 'not-a-directory');
    await writeFile(file, '');
    const m = SchedulerMailbox.open({ dir: file, key: KEY, ownerId: 'window-b' });
    opened.push(m);
    await assert.rejects(m.kill('t1'), (error: unknown) => {
      assert.ok(error instanceof LeaseStorageError);
      assert.match(
        error.message,
        /^Could not hand the request to the scheduler in .*not-a-directory.*\(ENOTDIR\)\. Check that/,
      );
      return true;
    });
    await assert.rejects(
      m.serve(() => ({ ok: true, message: '' })),
      LeaseStorageError,
    );
  });

  it('serves requests from another process', async () => {
    const handled: MailboxRequest[] = [];
    await serve(mailbox('window-a'), (request) => {
      handled.push(request);
      return request.kind === 'launch'
        ? { ok: true, message: `Queued ${request.requests.map((r) => r.id).join(', ')}.` }
        : { ok: true, message: `Kill sent for ${request.taskId}.` };
    });
    const sender = new ScriptProcess('mailboxSender.ts', { dir, key: KEY, timeoutMs: 15_000 });
    try {
      const launch = await sender.waitFor((e) => e.kind === 'launch', 'the launch reply');
      const kill = await sender.waitFor((e) => e.kind === 'kill', 'the kill reply');
      assert.deepEqual(launch, { event: 'reply', kind: 'launch', ok: true, message: 'Queued jenkins-agent-1.' });
      assert.deepEqual(kill, { event: 'reply', kind: 'kill', ok: true, message: 'Kill sent for jenkins-agent-1.1.' });
      assert.deepEqual(handled, [
        { kind: 'launch', requests: [{ id: 'jenkins-agent-1', cpus: 1, mem: 512 }] },
        { kind: 'kill', taskId: 'jenkins-agent-1.1' },
      ]);
    } finally {
      await sender.stop();
    }
  });
});
