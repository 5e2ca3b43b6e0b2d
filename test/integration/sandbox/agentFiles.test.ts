import * as assert from 'node:assert/strict';
import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Endpoint } from '../../../src/core/http/endpoint';
import { HttpStatusError } from '../../../src/core/http/errors';
import {
  AgentFilesClient,
  type AgentFilesClientOptions,
  fileModeString,
  MAX_READ_LENGTH,
  parseFilesReadBody,
  resolveTaskSandbox,
  SandboxFileError,
  type SandboxFileErrorKind,
  sandboxFilePath,
} from '../../../src/core/mesos/files';
import { AgentHttpServer } from '../../../src/sandbox/mesos/agent/agentHttpServer';
import { SandboxAgent } from '../../../src/sandbox/mesos/agent/sandboxAgent';
import { addAgentTask } from '../../support/sandboxAgentTasks';

const signal = new AbortController().signal;
const fixture = (name: string) => readFileSync(join(__dirname, '../../fixtures/mesos-1.12', name), 'utf8');

let root: string;
let server: AgentHttpServer;
let endpoint: Endpoint;
let sandbox: string; // the running task's run directory
let latest: string; // its virtual path
let doneDirectory: string;
const BIG = Buffer.alloc(200 * 1024 + 17);
// Every byte value, then sequences that are not UTF-8: a lone continuation byte, a cut 3-byte sequence.
const BINARY = Buffer.concat([
  Buffer.from(Array.from({ length: 256 }, (_, i) => i)),
  Buffer.from([0x80, 0x41, 0xe2, 0x82]),
]);

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'mesos-ops-agent-files-'));
  const agent = new SandboxAgent('agent-S0', { statusUpdate: () => undefined }, { workDir: join(root, 'work') });
  const task = addAgentTask(agent, { frameworkId: 'fw-1', taskId: 'reader' });
  sandbox = task.directory;
  latest = '/frameworks/fw-1/executors/reader/runs/latest';
  writeFileSync(join(sandbox, 'stdout'), 'hello\n');
  writeFileSync(join(sandbox, 'stderr'), '');
  mkdirSync(join(sandbox, 'logs'));
  writeFileSync(join(sandbox, 'logs', 'app.log'), 'line 1\n');
  for (let i = 0; i < BIG.length; i++) BIG[i] = (i * 7 + (i >> 9)) & 0xff;
  writeFileSync(join(sandbox, 'big.bin'), BIG);
  writeFileSync(join(sandbox, 'binary'), BINARY);
  const outside = join(root, 'outside');
  mkdirSync(outside);
  writeFileSync(join(outside, 'secret'), 'not yours\n');
  symlinkSync(join(outside, 'secret'), join(sandbox, 'escape'));
  symlinkSync(outside, join(sandbox, 'escape-dir'));
  symlinkSync('stdout', join(sandbox, 'inner-link'));
  const odd = addAgentTask(agent, { frameworkId: 'fw+1', taskId: 'my task+2' });
  writeFileSync(join(odd.directory, 'stdout'), 'odd ids\n');
  const done = addAgentTask(agent, {
    frameworkId: 'fw-1',
    taskId: 'finished',
    state: 'TASK_FINISHED',
    completed: true,
  });
  doneDirectory = done.directory;
  writeFileSync(join(doneDirectory, 'stdout'), 'done\n');
  server = new AgentHttpServer({
    agent,
    info: {
      hostname: '127.0.0.1',
      port: 0,
      resources: [],
      attributes: [],
      masterHostname: '127.0.0.1',
      startTime: 1795566156,
      version: '1.12.0',
    },
  });
  const port = await server.listen(0);
  endpoint = new Endpoint({ baseUrl: `http://127.0.0.1:${port}`, name: 'Mesos agent' });
});

after(async () => {
  await endpoint.close();
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

/** GET /files/read with a raw query, the body as bytes; an error status comes back as [status, text]. */
async function rawRead(query: Record<string, string>): Promise<Uint8Array | [number, string]> {
  try {
    return (await endpoint.request({ path: '/files/read', query, signal })).body;
  } catch (error) {
    if (error instanceof HttpStatusError) return [error.status, error.reason];
    throw error;
  }
}

test('/files/read: no offset or offset=-1 answers only the size, in the captured shape', async () => {
  const queries: Record<string, string>[] = [{ path: `${latest}/stdout` }, { path: `${latest}/stdout`, offset: '-1' }];
  for (const query of queries) {
    const body = (await rawRead(query)) as Uint8Array;
    assert.deepEqual(
      Object.keys(JSON.parse(Buffer.from(body).toString())),
      Object.keys(JSON.parse(fixture('agent-files-read-size.json'))),
    );
    assert.equal(Buffer.from(body).toString(), '{"data":"","offset":6}');
  }
});

test('/files/read: offset=0 returns the bytes; length caps; offset at or past the end returns nothing at that offset', async () => {
  assert.equal(
    Buffer.from((await rawRead({ path: `${latest}/stdout`, offset: '0' })) as Uint8Array).toString(),
    '{"data":"hello\\n","offset":0}',
  );
  assert.deepEqual(
    parseFilesReadBody((await rawRead({ path: `${latest}/stdout`, offset: '1', length: '3' })) as Uint8Array),
    {
      data: Buffer.from('ell'),
      offset: 1,
    },
  );
  for (const offset of ['6', '100']) {
    const read = parseFilesReadBody((await rawRead({ path: `${latest}/stdout`, offset })) as Uint8Array);
    assert.equal(read.data.length, 0);
    assert.equal(read.offset, Number(offset));
  }
  // No length, or -1: to the end, but never more than 16 pages (64 KiB) in one read.
  for (const length of [undefined, '-1', String(10 * MAX_READ_LENGTH)]) {
    const query: Record<string, string> = { path: `${latest}/big.bin`, offset: '1000' };
    if (length !== undefined) query.length = length;
    const read = parseFilesReadBody((await rawRead(query)) as Uint8Array);
    assert.equal(read.data.length, 64 * 1024, `length ${length}`);
    assert.deepEqual(Buffer.from(read.data), BIG.subarray(1000, 1000 + 64 * 1024));
  }
});

test('/files/read: refusals carry the status and text of a real agent', async () => {
  assert.deepEqual(await rawRead({ path: `${latest}/logs`, offset: '0' }), [400, 'Cannot read a directory.']);
  assert.deepEqual(await rawRead({ path: `${latest}/nope`, offset: '0' }), [404, '']);
  assert.deepEqual(await rawRead({ path: '/frameworks/fw-1/executors/nobody/runs/latest/stdout', offset: '0' }), [
    404,
    '',
  ]);
  assert.deepEqual(await rawRead({ path: `${latest}/stdout`, offset: '-2' }), [400, 'Negative offset provided: -2.']);
  assert.deepEqual(await rawRead({ path: `${latest}/stdout`, offset: '0', length: '-5' }), [
    400,
    'Negative length provided: -5.',
  ]);
  assert.deepEqual(await rawRead({ path: `${latest}/stdout`, offset: 'ten' }), [
    400,
    "Failed to parse offset: Failed to convert 'ten' to number.",
  ]);
  assert.deepEqual(await rawRead({ offset: '0' }), [400, "Expecting 'path=value' in query."]);
  const escaped = await rawRead({ path: `${latest}/escape`, offset: '0' });
  assert.equal((escaped as [number, string])[0], 400);
  assert.match((escaped as [number, string])[1], /^'.*\/escape' is inaccessible\.$/);
  assert.equal(((await rawRead({ path: `${latest}/escape-dir/secret`, offset: '0' })) as [number, string])[0], 400);
});

test('/files/read puts raw bytes in the JSON string, as a real agent does (so the body need not be UTF-8)', async () => {
  const body = Buffer.from((await rawRead({ path: `${latest}/binary`, offset: '0' })) as Uint8Array);
  assert.ok(body.includes(Buffer.from([0xfe, 0xff, 0x80, 0x41, 0xe2, 0x82, 0x22])), 'the bytes 0xFE 0xFF … then the closing quote');
  assert.ok(body.includes(Buffer.from('\\u0000\\u0001', 'latin1')), 'control characters escaped');
  assert.throws(() => new TextDecoder('utf-8', { fatal: true }).decode(body));
  assert.deepEqual(Buffer.from(parseFilesReadBody(body).data), BINARY);
});

test('/files/read: a symbolic link that stays inside the sandbox is followed', async () => {
  const read = parseFilesReadBody((await rawRead({ path: `${latest}/inner-link`, offset: '0' })) as Uint8Array);
  assert.equal(Buffer.from(read.data).toString(), 'hello\n');
});

test('/files/browse lists the sandbox sorted, in the captured entry shape', async () => {
  const body = (await endpoint.request({ path: '/files/browse', query: { path: latest }, signal })).body;
  const listing = JSON.parse(Buffer.from(body).toString()) as Record<string, unknown>[];
  const captured = JSON.parse(fixture('agent-files-browse.json')) as Record<string, unknown>[];
  for (const entry of listing) assert.deepEqual(Object.keys(entry), Object.keys(captured[0]!));
  // Dangling or escaping links are listed (stat follows them) but refused when read, as on a real agent.
  assert.deepEqual(
    listing.map((e) => e.path),
    ['big.bin', 'binary', 'escape', 'escape-dir', 'inner-link', 'logs', 'stderr', 'stdout'].map(
      (n) => `${latest}/${n}`,
    ),
  );
  const logs = listing.find((e) => e.path === `${latest}/logs`)!;
  assert.match(logs.mode as string, /^d/);
  const stdout = listing.find((e) => e.path === `${latest}/stdout`)!;
  assert.equal(stdout.size, 6);
  assert.equal(typeof stdout.uid, 'string');
  assert.equal(Number.isInteger(stdout.mtime), true);
});

test('/files/debug maps every attached virtual path to a real directory', async () => {
  const body = (await endpoint.request({ path: '/files/debug', signal })).body;
  const debug = JSON.parse(Buffer.from(body).toString()) as Record<string, string>;
  assert.ok(debug[latest]?.endsWith(sandbox.slice(sandbox.indexOf('/work/'))));
  assert.ok(debug[doneDirectory]);
  assert.ok(debug['/frameworks/fw+1/executors/my task+2/runs/latest']);
});

const APIS: [string, AgentFilesClientOptions][] = [
  ['/files', { api: 'files' }],
  ['operator API in JSON', { api: 'operator', encoding: 'json' }],
  ['operator API in protobuf', { api: 'operator', encoding: 'protobuf' }],
];

async function rejectsWith(promise: Promise<unknown>, kind: SandboxFileErrorKind, pattern?: RegExp): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof SandboxFileError, `expected a SandboxFileError, got ${String(err)}`);
    assert.equal(err.kind, kind);
    if (pattern) assert.match(err.message, pattern);
    assert.ok(err.nextStep.length > 0);
    return true;
  });
}

for (const [label, options] of APIS) {
  test(`client over the ${label}: size, read and paging give the file's exact bytes`, async () => {
    const client = new AgentFilesClient(endpoint, options);
    assert.equal(await client.size(`${latest}/stdout`, { signal }), 6);
    assert.deepEqual(await client.read(`${latest}/stdout`, 0, { signal }), { offset: 0, data: Buffer.from('hello\n') });
    const binary = await client.read(`${latest}/binary`, 0, { signal });
    assert.deepEqual(Buffer.from(binary.data), BINARY);
    const chunks: Buffer[] = [];
    for (let offset = 0; ;) {
      const chunk = await client.read(`${latest}/big.bin`, offset, { signal });
      assert.ok(chunk.data.length <= MAX_READ_LENGTH);
      if (chunk.data.length === 0) break;
      chunks.push(Buffer.from(chunk.data));
      offset += chunk.data.length;
    }
    assert.deepEqual(Buffer.concat(chunks), BIG);
    assert.deepEqual(
      Buffer.from((await client.read(`${latest}/big.bin`, 5, { signal, length: 3 })).data),
      BIG.subarray(5, 8),
    );
  });

  test(`client over the ${label}: a growing file is followed, a truncated one shrinks`, async () => {
    const client = new AgentFilesClient(endpoint, options);
    const file = join(sandbox, `grow-${options.api}-${options.encoding ?? ''}`);
    const path = `${latest}/${file.slice(file.lastIndexOf('/') + 1)}`;
    writeFileSync(file, 'one\n');
    let offset = await client.size(path, { signal });
    assert.equal(offset, 4);
    appendFileSync(file, Buffer.from([0x74, 0x77, 0xc3])); // "tw" and half of a two-byte character
    const first = await client.read(path, offset, { signal });
    assert.deepEqual([...first.data], [0x74, 0x77, 0xc3]);
    offset += first.data.length;
    appendFileSync(file, Buffer.from([0xb6, 0x0a])); // its second half, then a newline
    const second = await client.read(path, offset, { signal });
    assert.deepEqual([...second.data], [0xb6, 0x0a]);
    const decoder = new TextDecoder();
    assert.equal(decoder.decode(first.data, { stream: true }) + decoder.decode(second.data), 'twö\n');
    offset += second.data.length;
    assert.equal((await client.read(path, offset, { signal })).data.length, 0);
    truncateSync(file, 2);
    assert.equal(await client.size(path, { signal }), 2);
    assert.deepEqual(await client.read(path, offset, { signal }), { offset, data: Buffer.alloc(0) });
    assert.deepEqual(Buffer.from((await client.read(path, 0, { signal })).data), Buffer.from('on'));
  });

  test(`client over the ${label}: browse gives typed entries`, async () => {
    const client = new AgentFilesClient(endpoint, options);
    const entries = await client.browse(latest, { signal });
    const logs = entries.find((e) => e.name === 'logs');
    assert.equal(logs?.isDirectory, true);
    assert.equal(logs?.path, `${latest}/logs`);
    const stdout = entries.find((e) => e.name === 'stdout');
    assert.equal(stdout?.isDirectory, false);
    assert.equal(stdout?.size, 6);
    assert.equal(stdout?.mode, fileModeString(statSync(join(sandbox, 'stdout')).mode));
    assert.ok(stdout!.mtime > 1_600_000_000);
    assert.deepEqual(
      (await client.browse(`${latest}/logs`, { signal })).map((e) => e.path),
      [`${latest}/logs/app.log`],
    );
    // A file, not a directory: an empty listing, as the agent answers.
    assert.deepEqual(await client.browse(`${latest}/stdout`, { signal }), []);
  });

  test(`client over the ${label}: typed errors for a directory, a path out of the sandbox, a missing file`, async () => {
    const client = new AgentFilesClient(endpoint, options);
    await rejectsWith(client.read(`${latest}/logs`, 0, { signal }), 'is-directory', /is a directory/);
    await rejectsWith(client.read(`${latest}/escape`, 0, { signal }), 'outside-sandbox', /outside the directory/);
    await rejectsWith(client.browse(`${latest}/escape-dir`, { signal }), 'outside-sandbox');
    await rejectsWith(client.size(`${latest}/no-such-file`, { signal }), 'not-found', /garbage-collected/);
    await rejectsWith(client.browse('/frameworks/fw-9/executors/x/runs/latest', { signal }), 'not-found');
    await assert.rejects(client.read(`${latest}/stdout`, -1, { signal }), RangeError);
    await assert.rejects(client.read(`${latest}/stdout`, 0, { signal, length: 1.5 }), RangeError);
  });
}

test('download streams the whole file with its name; a directory is refused', async () => {
  const client = new AgentFilesClient(endpoint);
  const download = await client.download(`${latest}/big.bin`, { signal });
  assert.equal(download.fileName, 'big.bin');
  assert.equal(download.contentType, 'application/octet-stream');
  assert.equal(download.size, BIG.length);
  const chunks: Buffer[] = [];
  for await (const chunk of download.body) chunks.push(Buffer.from(chunk));
  assert.deepEqual(Buffer.concat(chunks), BIG);
  const log = await client.download(`${latest}/logs/app.log`, { signal });
  assert.equal(log.contentType, 'text/plain');
  log.body.cancel();
  await rejectsWith(client.download(`${latest}/logs`, { signal }), 'is-directory', /not downloaded/);
  await rejectsWith(client.download(`${latest}/escape`, { signal }), 'outside-sandbox');
});

test('ids with "+" and spaces reach the right sandbox through the resolved path', async () => {
  const where = resolveTaskSandbox(
    { frameworkId: 'fw+1', taskId: 'my task+2', executorId: '' },
    { pid: `slave(1)@${new URL(endpoint.display).host}` },
  );
  assert.equal(where.agentUrl, endpoint.display.replace(/\/$/, ''));
  const client = new AgentFilesClient(endpoint);
  const read = await client.read(sandboxFilePath(where.path, 'stdout'), 0, { signal });
  assert.equal(Buffer.from(read.data).toString(), 'odd ids\n');
});

test('a completed run is read through its directory from /state until its sandbox is garbage-collected', async () => {
  const client = new AgentFilesClient(endpoint);
  const state = await client.state({ signal });
  const where = resolveTaskSandbox(
    { frameworkId: 'fw-1', taskId: 'finished' },
    { pid: state.pid },
    { agentState: state },
  );
  assert.equal(where.via, 'directory');
  assert.equal(where.completed, true);
  assert.equal(where.path, doneDirectory);
  assert.equal(Buffer.from((await client.read(`${where.path}/stdout`, 0, { signal })).data).toString(), 'done\n');
  rmSync(doneDirectory, { recursive: true });
  await rejectsWith(client.read(`${where.path}/stdout`, 0, { signal }), 'not-found', /garbage-collected/);
});
