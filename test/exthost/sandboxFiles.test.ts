import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { createLogger, MemorySink } from '../../src/core/log/logSink';
import { formatSandboxUri, type SandboxFileAddress } from '../../src/core/mesos/files/sandboxFileUri';
import type { SandboxCluster } from '../../src/sandbox/mesos/sandboxCluster';
import { registerSandboxFiles } from '../../src/ui/sandboxFiles/registerSandboxFiles';
import { rawSubscribe, type RawSubscription } from '../support/rawScheduler';
import { frameworkInfo, startTestSandbox } from '../support/sandboxFixture';
import { commandTask } from '../support/taskInfoBuilder';
import { until } from '../support/until';
import { acknowledgeAll } from '../support/acknowledgeAll';
import { extensionApi } from './support/extensionApi';

// The mesos-sandbox: file system and its commands inside a real extension host, against a sandbox cluster
// whose task wrote a few files: read, list, refuse writes, report missing files, cap what opens in an
// editor, and download to disk (cancelled downloads leave nothing behind).

const BLOB = Buffer.from([0, 1, 0xff, 0xfe, 0x0a, ...Buffer.from('binary')]);
// sparse: big enough to exceed the 50 MiB editor cap and to take a while to download, without using the disk
const BIG_BYTES = 256 * 1024 * 1024;

function fsErrorWith(code: string, message?: RegExp) {
  return (e: unknown) => {
    assert.ok(e instanceof vscode.FileSystemError, `expected a FileSystemError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    if (message) assert.match(e.message, message);
    return true;
  };
}

suite('sandbox files (inside the extension host)', () => {
  let sandbox: SandboxCluster | undefined;
  let sub: RawSubscription | undefined;
  let registered: vscode.Disposable | undefined;
  let downloads: string | undefined;
  let acks: { stop(): void } | undefined;

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    registered?.dispose();
    acks?.stop();
    if (sub?.frameworkId) await sub.call({ type: 'TEARDOWN' }).catch(() => undefined);
    sub?.close();
    await vscode.workspace.getConfiguration('mesos').update('clusters', [], vscode.ConfigurationTarget.Global);
    await sandbox?.stop();
    if (downloads) rmSync(downloads, { recursive: true, force: true });
  });

  test("a finished task's sandbox reads, lists, refuses changes and downloads", async () => {
    const { clusters } = await extensionApi();
    // until activate() wires the feature, this suite registers it against the extension's cluster registry
    if (!(await vscode.commands.getCommands(true)).includes('mesos.openSandboxFile')) {
      const sink = new MemorySink();
      registered = registerSandboxFiles({
        clusters,
        secrets: { get: async () => undefined },
        logger: (c) => createLogger(sink, c),
      });
    }
    sandbox = (await startTestSandbox({ agents: 1 })).cluster;
    await vscode.workspace
      .getConfiguration('mesos')
      .update('clusters', [{ name: 'Files', masters: sandbox.leaderUrl }], vscode.ConfigurationTarget.Global);
    await until(() => clusters.get('Files') !== undefined, 'the cluster');
    const session = await clusters.get('Files')!.session();
    await until(() => session.state.kind === 'connected', 'the session to connect');

    sub = await rawSubscribe(sandbox.leaderUrl, frameworkInfo({ name: 'files' }));
    acks = acknowledgeAll(sub);
    const offer = (await sub.waitFor((e) => e.type === 'OFFERS')).offers!.offers![0]!;
    const script = [
      'echo "hello from the sandbox"',
      'echo "to stderr" >&2',
      'mkdir -p out/deep',
      "printf 'nested \\303\\251\\n' > out/deep/note.txt",
      `printf '${[...BLOB].map((b) => `\\${b.toString(8).padStart(3, '0')}`).join('')}' > out/blob.bin`,
      `truncate -s ${BIG_BYTES} big.bin`,
    ].join('; ');
    await sub.call({
      type: 'ACCEPT',
      accept: {
        offer_ids: [offer.id],
        operations: [{ type: 'LAUNCH', launch: { task_infos: [commandTask(offer, 'writer', script)] } }],
      },
    });
    const frameworkId = sub.frameworkId!;
    const ended = () => session.model.task(frameworkId, 'writer')?.state;
    await until(
      () => ['TASK_FINISHED', 'TASK_FAILED', 'TASK_ERROR', 'TASK_LOST'].includes(ended() ?? ''),
      'the task to end',
    );
    assert.equal(
      ended(),
      'TASK_FINISHED',
      `the task wrote its files: ${JSON.stringify(session.model.task(frameworkId, 'writer')?.task.statuses?.at(-1)?.message)}`,
    );
    const agentId = session.model.task(frameworkId, 'writer')!.agentId;
    // the cluster name in another case: URIs written as text lowercase it
    const address = (path: string): SandboxFileAddress => ({
      clusterName: 'files',
      agentId,
      frameworkId,
      taskId: 'writer',
      path,
    });
    const uri = (path: string) => vscode.Uri.from(formatSandboxUri(address(path)));

    // read through the file system, and opened in an editor by the command
    const stdout = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri('stdout')));
    assert.match(stdout, /^hello from the sandbox$/m);
    const editor = (await vscode.commands.executeCommand('mesos.openSandboxFile', uri('stdout'))) as
      vscode.TextEditor | undefined;
    assert.ok(editor, 'the command returns the editor it opened');
    assert.equal(editor.document.uri.scheme, 'mesos-sandbox');
    assert.equal(editor.document.getText(), stdout);
    // from a task row (no agent id: looked up in the cluster state) with a path inside the sandbox
    const note = (await vscode.commands.executeCommand(
      'mesos.openSandboxFile',
      { clusterName: 'Files', frameworkId, taskId: 'writer' },
      'out/deep/note.txt',
    )) as vscode.TextEditor | undefined;
    assert.equal(note?.document.getText(), 'nested é\n');
    assert.deepEqual(
      Buffer.from(await vscode.workspace.fs.readFile(uri('out/blob.bin'))),
      BLOB,
      'binary files arrive byte for byte',
    );

    // listings and stats
    const root = new Map(await vscode.workspace.fs.readDirectory(uri('')));
    assert.equal(root.get('stdout'), vscode.FileType.File);
    assert.equal(root.get('stderr'), vscode.FileType.File);
    assert.equal(root.get('out'), vscode.FileType.Directory);
    assert.deepEqual((await vscode.workspace.fs.readDirectory(uri('out'))).sort(), [
      ['blob.bin', vscode.FileType.File],
      ['deep', vscode.FileType.Directory],
    ]);
    const stat = await vscode.workspace.fs.stat(uri('out/blob.bin'));
    assert.equal(stat.type, vscode.FileType.File);
    assert.equal(stat.size, BLOB.length);
    assert.ok(stat.mtime > 0);
    assert.equal((await vscode.workspace.fs.stat(uri(''))).type, vscode.FileType.Directory);

    // read-only
    assert.equal(vscode.workspace.fs.isWritableFileSystem('mesos-sandbox'), false);
    await assert.rejects(
      Promise.resolve(vscode.workspace.fs.writeFile(uri('stdout'), new Uint8Array([1]))),
      fsErrorWith('NoPermissions'),
    );
    await assert.rejects(Promise.resolve(vscode.workspace.fs.delete(uri('stdout'))), fsErrorWith('NoPermissions'));

    // missing files, a missing task, an unknown cluster
    await assert.rejects(
      Promise.resolve(vscode.workspace.fs.stat(uri('out/missing.txt'))),
      fsErrorWith('FileNotFound', /no out\/missing\.txt in the sandbox.*Browse the sandbox/),
    );
    await assert.rejects(
      Promise.resolve(vscode.workspace.fs.readFile(uri('nope'))),
      fsErrorWith('FileNotFound', /does not exist on the Mesos agent/),
    );
    const otherTask = vscode.Uri.from(formatSandboxUri({ ...address('stdout'), taskId: 'never-launched' }));
    await assert.rejects(
      Promise.resolve(vscode.workspace.fs.readFile(otherTask)),
      fsErrorWith('FileNotFound', /garbage-collected/),
    );
    const otherCluster = vscode.Uri.from(formatSandboxUri({ ...address('stdout'), clusterName: 'nowhere' }));
    await assert.rejects(
      Promise.resolve(vscode.workspace.fs.stat(otherCluster)),
      fsErrorWith('Unavailable', /no cluster named "nowhere"/),
    );

    // too large for an editor: the message points at Download
    await assert.rejects(
      Promise.resolve(vscode.workspace.fs.readFile(uri('big.bin'))),
      fsErrorWith(
        'Unavailable',
        /big.bin is 256 MiB, more than the 50 MiB that Open Sandbox File reads.*Download it instead/,
      ),
    );

    // download to disk, bytes exact; no dialog with a target given
    downloads = mkdtempSync(join(tmpdir(), 'mesos-sandbox-files-'));
    const target = vscode.Uri.file(join(downloads, 'blob-copy.bin'));
    const saved = (await vscode.commands.executeCommand('mesos.downloadSandboxFile', uri('out/blob.bin'), target)) as
      vscode.Uri | undefined;
    assert.equal(saved?.fsPath, target.fsPath);
    assert.deepEqual(readFileSync(target.fsPath), BLOB);

    // a missing file downloads nothing
    const missingTarget = join(downloads, 'missing.txt');
    assert.equal(
      await vscode.commands.executeCommand('mesos.downloadSandboxFile', uri('nope'), vscode.Uri.file(missingTarget)),
      undefined,
    );
    assert.equal(existsSync(missingTarget), false);

    // a cancelled download leaves no partial file and the earlier copy as it was
    const bigTarget = join(downloads, 'big.bin');
    writeFileSync(bigTarget, 'an earlier copy');
    const cancel = new vscode.CancellationTokenSource();
    const partWatch = setInterval(() => {
      if (readdirSync(downloads!).some((f) => f.endsWith('.part'))) cancel.cancel();
    }, 5);
    try {
      const result = await vscode.commands.executeCommand(
        'mesos.downloadSandboxFile',
        uri('big.bin'),
        vscode.Uri.file(bigTarget),
        cancel.token,
      );
      assert.equal(cancel.token.isCancellationRequested, true, 'the download was still running when cancelled');
      assert.equal(result, undefined);
    } finally {
      clearInterval(partWatch);
      cancel.dispose();
    }
    assert.deepEqual(readdirSync(downloads).sort(), ['big.bin', 'blob-copy.bin']);
    assert.equal(readFileSync(bigTarget, 'utf8'), 'an earlier copy');
  });
});
