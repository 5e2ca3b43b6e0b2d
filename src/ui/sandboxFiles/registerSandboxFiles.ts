import { homedir } from 'node:os';
import * as vscode from 'vscode';
import type { Logger } from '../../core/log/logSink';
import {
  formatSandboxUri,
  parseSandboxUri,
  SANDBOX_FILE_SCHEME,
  sandboxBaseName,
  sandboxChild,
  type SandboxFileAddress,
} from '../../core/mesos/files/sandboxFileUri';
import type { ClusterRegistry } from '../clusters/clusterRegistry';
import type { ClusterSecrets } from '../clusters/clusterSecrets';
import { SandboxAccessError } from './sandboxAccessError';
import { browseSandbox } from './sandboxFileBrowser';
import { downloadMessage, downloadSandboxFile } from './sandboxFileDownload';
import { SandboxFileSystemProvider } from './sandboxFileSystemProvider';
import { formatByteSize } from './sandboxListing';
import { SandboxLocator } from './sandboxLocator';
import { isSandboxTaskTarget, pickSandboxTask, type SandboxTaskTarget } from './sandboxTaskPicker';

/** What this feature takes from the services (the whole Services object fits). */
export interface SandboxFilesServices {
  readonly clusters: ClusterRegistry;
  readonly secrets: Pick<ClusterSecrets, 'get'>;
  logger(component: string): Logger;
}

export interface SandboxFiles extends vscode.Disposable {
  /** The `mesos-sandbox:` file system (for tests). */
  readonly provider: SandboxFileSystemProvider;
}

const DEFAULT_MAX_OPEN_MIB = 50;

function isCancellationToken(value: unknown): value is vscode.CancellationToken {
  const v = value as Partial<vscode.CancellationToken> | undefined;
  return typeof v?.isCancellationRequested === 'boolean' && typeof v.onCancellationRequested === 'function';
}

/** The editor's URI of a sandbox file. */
export function sandboxFileUri(address: SandboxFileAddress): vscode.Uri {
  return vscode.Uri.from(formatSandboxUri(address));
}

/**
 * The `mesos-sandbox:` file system and the commands over it:
 * - Mesos: Open Sandbox File… (`mesos.openSandboxFile`): from a task row, or the palette (a cluster, then a
 *   task), a file browser of the task's sandbox; the file chosen opens read-only in an editor. Arguments
 *   for scripts and tests: `(task | mesos-sandbox Uri, relativePath?)`; a file given opens without a picker.
 * - Mesos: Download Sandbox File… (`mesos.downloadSandboxFile`): streams a file to disk with progress
 *   (cancellable). Arguments: `(mesos-sandbox Uri | task?, target file Uri?, CancellationToken?)`; with a
 *   target no dialog opens; with no file, the sandbox file in the active editor, or a pick.
 */
export function registerSandboxFiles(services: SandboxFilesServices): SandboxFiles {
  const log = services.logger('sandboxFiles');
  const locator = new SandboxLocator({ clusters: services.clusters, secrets: services.secrets, log });
  const provider = new SandboxFileSystemProvider(locator, {
    maxOpenBytes: () => {
      const mib = vscode.workspace
        .getConfiguration('mesos.sandboxFiles')
        .get<number>('maxOpenMiB', DEFAULT_MAX_OPEN_MIB);
      return Math.max(1, Number.isFinite(mib) ? mib : DEFAULT_MAX_OPEN_MIB) * 1024 * 1024;
    },
    log,
  });
  const downloads = new Set<AbortController>();

  async function sandboxOfTask(target: SandboxTaskTarget): Promise<SandboxFileAddress> {
    let agentId = target.agentId;
    if (!agentId) {
      const { session } = await locator.loadedSession(target.clusterName);
      agentId = session.model.task(target.frameworkId, target.taskId)?.agentId;
      if (!agentId) {
        throw new SandboxAccessError(
          'not-found',
          `Task ${target.taskId} of framework ${target.frameworkId} is not in the state of cluster ${target.clusterName}, so its agent is not known`,
          "Open the sandbox from the task's row in the Mesos views, or refresh the cluster and try again",
        );
      }
    }
    return {
      clusterName: target.clusterName,
      agentId,
      frameworkId: target.frameworkId,
      taskId: target.taskId,
      path: '',
    };
  }

  /** The address an argument names, or one picked: a sandbox Uri, a task (its sandbox), or nothing (the palette). */
  async function addressOf(
    arg: unknown,
    fallback: () => SandboxFileAddress | undefined,
  ): Promise<SandboxFileAddress | undefined> {
    if (arg instanceof vscode.Uri) return parseSandboxUri(arg);
    if (isSandboxTaskTarget(arg)) return sandboxOfTask(arg);
    const current = fallback();
    if (current) return current;
    const target = await pickSandboxTask(locator, services.clusters);
    return target ? sandboxOfTask(target) : undefined;
  }

  function titleOf(address: SandboxFileAddress): string {
    const task = locator.handleOf(address.clusterName)?.current?.model.task(address.frameworkId, address.taskId);
    return `Sandbox of task ${task?.name || address.taskId} (${address.clusterName})`;
  }

  async function isFile(address: SandboxFileAddress): Promise<boolean> {
    return (await provider.stat(sandboxFileUri(address))).type === vscode.FileType.File;
  }

  async function showFile(address: SandboxFileAddress): Promise<vscode.TextEditor | undefined> {
    try {
      return await vscode.window.showTextDocument(sandboxFileUri(address), { preview: true });
    } catch (err) {
      const name = sandboxBaseName(address);
      log.warn(`cannot open ${name} of task ${address.taskId}`, err);
      // not awaited: the command ends now, the message stays until the user answers it
      void vscode.window
        .showErrorMessage(`Cannot open ${name}: ${(err as Error).message}`, 'Download…')
        .then((pick) => {
          if (pick) void download(address);
        });
      return undefined;
    }
  }

  async function open(arg?: unknown, relativePath?: unknown): Promise<vscode.TextEditor | undefined> {
    try {
      let address = await addressOf(arg, () => undefined);
      if (!address) return undefined;
      if (typeof relativePath === 'string' && relativePath !== '') address = sandboxChild(address, relativePath);
      if (address.path !== '' && (await isFile(address))) return await showFile(address);
      const choice = await browseSandbox(provider, address, titleOf(address));
      if (!choice) return undefined;
      if (choice.action === 'download') {
        await download(choice.address);
        return undefined;
      }
      return await showFile(choice.address);
    } catch (err) {
      log.warn('Open Sandbox File failed', err);
      void vscode.window.showErrorMessage(`Cannot open the sandbox file: ${(err as Error).message}`);
      return undefined;
    }
  }

  async function download(
    address: SandboxFileAddress,
    targetArg?: vscode.Uri,
    cancel?: vscode.CancellationToken,
  ): Promise<vscode.Uri | undefined> {
    const name = sandboxBaseName(address);
    const target =
      targetArg ??
      (await vscode.window.showSaveDialog({
        defaultUri: vscode.Uri.joinPath(
          vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(homedir()),
          name,
        ),
        saveLabel: 'Download',
        title: `Download ${name} from the sandbox of task ${address.taskId}`,
      }));
    if (!target) return undefined;
    const controller = new AbortController();
    downloads.add(controller);
    const cancelled = cancel?.onCancellationRequested(() => controller.abort());
    if (cancel?.isCancellationRequested) controller.abort();
    try {
      const bytes = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'Downloading', cancellable: true },
        (progress, token) => {
          token.onCancellationRequested(() => controller.abort());
          let reported = 0;
          let lastReport = 0;
          return downloadSandboxFile(provider, address, target, {
            signal: controller.signal,
            onProgress: (written, size) => {
              const now = Date.now();
              if (now - lastReport < 200 && written !== size) return;
              lastReport = now;
              const increment = size ? ((written - reported) / size) * 100 : undefined;
              reported = written;
              progress.report({
                message: downloadMessage(address, written, size),
                ...(increment !== undefined ? { increment } : {}),
              });
            },
          });
        },
      );
      log.info(`downloaded ${name} of task ${address.taskId} (${bytes} bytes) to ${target.toString(true)}`);
      void vscode.window.showInformationMessage(
        `Downloaded ${name} (${formatByteSize(bytes)}) to ${target.scheme === 'file' ? target.fsPath : target.toString(true)}.`,
      );
      return target;
    } catch (err) {
      if (controller.signal.aborted) {
        void vscode.window.showInformationMessage(`The download of ${name} was cancelled; nothing was saved.`);
        return undefined;
      }
      log.warn(`downloading ${name} of task ${address.taskId} failed`, err);
      void vscode.window.showErrorMessage(`Cannot download ${name}: ${(err as Error).message}`);
      return undefined;
    } finally {
      cancelled?.dispose();
      downloads.delete(controller);
    }
  }

  async function downloadCommand(arg?: unknown, target?: unknown, cancel?: unknown): Promise<vscode.Uri | undefined> {
    try {
      const activeDocument = () => {
        const uri = vscode.window.activeTextEditor?.document.uri;
        return uri?.scheme === SANDBOX_FILE_SCHEME ? parseSandboxUri(uri) : undefined;
      };
      let address = await addressOf(arg, activeDocument);
      if (!address) return undefined;
      if (address.path === '' || !(await isFile(address))) {
        const choice = await browseSandbox(provider, address, `${titleOf(address)}: download which file?`);
        if (!choice) return undefined;
        address = choice.address;
      }
      return await download(
        address,
        target instanceof vscode.Uri ? target : undefined,
        isCancellationToken(cancel) ? cancel : undefined,
      );
    } catch (err) {
      log.warn('Download Sandbox File failed', err);
      void vscode.window.showErrorMessage(`Cannot download the sandbox file: ${(err as Error).message}`);
      return undefined;
    }
  }

  const disposables: vscode.Disposable[] = [
    vscode.workspace.registerFileSystemProvider(SANDBOX_FILE_SCHEME, provider, {
      isCaseSensitive: true,
      isReadonly: new vscode.MarkdownString(
        "Sandbox files are read-only: a task's sandbox is read through its Mesos agent. " +
          'Use **Mesos: Download Sandbox File…** to work on a copy.',
      ),
    }),
    vscode.commands.registerCommand('mesos.openSandboxFile', open),
    vscode.commands.registerCommand('mesos.downloadSandboxFile', downloadCommand),
    // new settings or credentials: connections are made again with them
    services.clusters.onDidChangeClusters(() => locator.reset()),
  ];
  return {
    provider,
    dispose: () => {
      for (const controller of downloads) controller.abort();
      for (const d of disposables) d.dispose();
      provider.dispose();
      locator.dispose();
    },
  };
}
