import * as vscode from 'vscode';
import { readClusterConfigs } from '../../core/cluster/clusterConfig';
import { parseMasterUrl } from '../../core/mesos/leader/parseMasterUrl';
import type { Services } from '../services';
import { ClusterStatusBar } from './clusterStatusBar';
import { loadClusterRuntime } from './loadClusterRuntime';
import { LOCAL_SANDBOX_CLUSTER, LocalSandbox } from './localSandbox';
import { clusterNameOf, pickCluster } from './pickCluster';

type RawEntry = Record<string, unknown> & { name: string };

function settingEntries(): RawEntry[] {
  const value = vscode.workspace.getConfiguration('mesos').get<unknown[]>('clusters') ?? [];
  return value.filter((e): e is RawEntry => typeof e === 'object' && e !== null && typeof (e as { name?: unknown }).name === 'string');
}

/** The entry with one field set, or removed when the value is undefined. */
function withField(entry: RawEntry, key: string, value: unknown): RawEntry {
  const copy: RawEntry = { ...entry };
  if (value === undefined) delete copy[key];
  else copy[key] = value;
  return copy;
}

async function writeEntries(entries: RawEntry[]): Promise<void> {
  await vscode.workspace.getConfiguration('mesos').update('clusters', entries, vscode.ConfigurationTarget.Global);
}

/** Asks the masters for their version: the connection test of Add Cluster. */
async function testConnection(masters: string, auth?: { principal: string; secret: string }): Promise<{ ok: true; version: string; leader: string } | { ok: false; message: string; unauthorized: boolean }> {
  const { MasterConnection, OperatorClient, HttpStatusError } = loadClusterRuntime();
  const connection = new MasterConnection({ masters, leaderTimeoutMs: 5000, endpoint: auth ? { auth } : {}, retry: { attempts: 0 } });
  const operator = new OperatorClient({ connection });
  try {
    const version = await operator.getVersion(AbortSignal.timeout(8000));
    return { ok: true, version: version.version_info.version, leader: connection.leader ?? masters };
  } catch (err) {
    const unauthorized = err instanceof HttpStatusError && (err.status === 401 || err.status === 403);
    return { ok: false, message: (err as Error).message, unauthorized };
  } finally {
    await operator.close();
    await connection.close();
  }
}

/**
 * The cluster commands: Add (a multi-step input with a connection test), Edit, Remove, Set Credentials,
 * Refresh and Start Local Sandbox, plus the status bar. Settings hold the clusters; secrets go to
 * SecretStorage only.
 */
export function registerClusterCommands(services: Services): vscode.Disposable {
  const log = services.logger('clusters');
  const sandbox = new LocalSandbox(services.context.extensionPath, log);
  const statusBar = new ClusterStatusBar(services);

  const addCluster = async (): Promise<string | undefined> => {
    const existing = new Set(services.clusters.clusters.map((c) => c.name.toLowerCase()));
    const name = await vscode.window.showInputBox({
      title: 'Add Mesos Cluster (1/3): name',
      prompt: 'A name for the cluster, shown in the views and the status bar',
      ignoreFocusOut: true,
      validateInput: (v) =>
        !/^[\w][\w .-]{0,63}$/.test(v.trim()) ? 'Letters, digits, spaces, ".", "_" and "-" (at most 64)' : existing.has(v.trim().toLowerCase()) ? `"${v.trim()}" is taken` : undefined,
    });
    if (!name) return undefined;
    const masters = await vscode.window.showInputBox({
      title: 'Add Mesos Cluster (2/3): masters',
      prompt: 'http://host:5050, several comma-separated, or zk://zk1:2181,zk2:2181/mesos',
      value: 'http://127.0.0.1:5050',
      ignoreFocusOut: true,
      validateInput: (v) => {
        try {
          parseMasterUrl(v.trim());
          return undefined;
        } catch (err) {
          return (err as Error).message;
        }
      },
    });
    if (!masters) return undefined;
    let auth: { principal: string; secret: string } | undefined;
    let result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Connecting to ${masters.trim()}…` }, () => testConnection(masters.trim()));
    if (!result.ok && result.unauthorized) {
      const principal = await vscode.window.showInputBox({ title: 'Add Mesos Cluster (3/3): credentials', prompt: 'The master asks for credentials: principal', ignoreFocusOut: true });
      const secret = principal ? await vscode.window.showInputBox({ title: 'Add Mesos Cluster (3/3): credentials', prompt: `Secret of ${principal}`, password: true, ignoreFocusOut: true }) : undefined;
      if (principal && secret) {
        auth = { principal, secret };
        result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Connecting with credentials…' }, () => testConnection(masters.trim(), auth));
      }
    }
    if (!result.ok) {
      const choice = await vscode.window.showWarningMessage(`The connection test failed: ${result.message}`, { modal: true }, 'Add Anyway');
      if (choice !== 'Add Anyway') return undefined;
    } else {
      void vscode.window.showInformationMessage(`Connected to Mesos ${result.version} at ${result.leader}. Cluster "${name.trim()}" added.`);
    }
    const entry: RawEntry = { name: name.trim(), masters: masters.trim(), ...(auth ? { principal: auth.principal } : {}) };
    if (auth) await services.secrets.set(entry.name, 'secret', auth.secret);
    await writeEntries([...settingEntries(), entry]);
    log.info(`cluster ${entry.name} added (${entry.masters})`);
    return entry.name;
  };

  const editCluster = async (arg?: unknown) => {
    const name = await pickCluster(services.clusters, { arg, placeHolder: 'Edit which cluster?' });
    if (!name) return;
    if (services.clusters.isEphemeral(name)) {
      void vscode.window.showInformationMessage(`"${name}" lives only in this window and has nothing to edit.`);
      return;
    }
    const entries = settingEntries();
    const entry = entries.find((e) => e.name === name);
    if (!entry) return;
    const fields: { key: string; label: string; kind: 'text' | 'flag' | 'encoding' }[] = [
      { key: 'masters', label: 'Masters', kind: 'text' },
      { key: 'principal', label: 'Principal', kind: 'text' },
      { key: 'role', label: 'Framework role', kind: 'text' },
      { key: 'jenkinsUrl', label: 'Jenkins URL', kind: 'text' },
      { key: 'jenkinsUser', label: 'Jenkins user', kind: 'text' },
      { key: 'caFile', label: 'CA file', kind: 'text' },
      { key: 'encoding', label: 'Wire encoding', kind: 'encoding' },
      { key: 'readOnly', label: 'Read-only', kind: 'flag' },
      { key: 'protected', label: 'Protected (confirm changes)', kind: 'flag' },
      { key: 'insecure', label: 'Skip TLS verification', kind: 'flag' },
    ];
    const field = await vscode.window.showQuickPick(
      fields.map((f) => ({ label: f.label, description: entry[f.key] === undefined ? '(not set)' : String(entry[f.key]), field: f })),
      { title: `Edit cluster "${name}"`, placeHolder: 'Which setting?' },
    );
    if (!field) return;
    const f = field.field;
    let value: unknown;
    if (f.kind === 'flag') {
      const pick = await vscode.window.showQuickPick(['on', 'off'], { title: f.label });
      if (!pick) return;
      value = pick === 'on';
    } else if (f.kind === 'encoding') {
      value = await vscode.window.showQuickPick(['protobuf', 'json'], { title: f.label });
      if (!value) return;
    } else {
      const text = await vscode.window.showInputBox({ title: `${f.label} of "${name}"`, value: typeof entry[f.key] === 'string' ? (entry[f.key] as string) : '', prompt: 'Empty to unset' });
      if (text === undefined) return;
      value = text.trim() === '' ? undefined : text.trim();
    }
    const updated = withField(entry, f.key, value);
    const check = readClusterConfigs([updated]);
    if (check.problems.length) {
      void vscode.window.showErrorMessage(check.problems[0]!.message);
      return;
    }
    await writeEntries(entries.map((e) => (e.name === name ? updated : e)));
  };

  const removeCluster = async (arg?: unknown) => {
    const name = await pickCluster(services.clusters, { arg, placeHolder: 'Which cluster to remove?' });
    if (!name) return;
    if (services.clusters.isEphemeral(name)) {
      if (name === LOCAL_SANDBOX_CLUSTER) sandbox.stop();
      services.clusters.removeEphemeral(name);
      return;
    }
    const ok = await vscode.window.showWarningMessage(`Remove the cluster "${name}" from Mesos Ops? Its credentials are forgotten too; the cluster itself is not touched.`, { modal: true }, 'Remove');
    if (ok !== 'Remove') return;
    await writeEntries(settingEntries().filter((e) => e.name !== name));
    await services.secrets.forget(name);
  };

  const setCredentials = async (arg?: unknown) => {
    const name = await pickCluster(services.clusters, { arg, placeHolder: 'Credentials for which cluster?' });
    if (!name) return;
    const handle = services.clusters.get(name)!;
    const principal = await vscode.window.showInputBox({ title: `Credentials of "${name}"`, prompt: 'Principal (HTTP Basic user); empty for none', value: handle.config.principal ?? '', ignoreFocusOut: true });
    if (principal === undefined) return;
    if (principal.trim() !== (handle.config.principal ?? '') && !services.clusters.isEphemeral(name)) {
      await writeEntries(settingEntries().map((e) => (e.name === name ? withField(e, 'principal', principal.trim() || undefined) : e)));
    }
    if (principal.trim()) {
      const secret = await vscode.window.showInputBox({ title: `Credentials of "${name}"`, prompt: `Secret of ${principal.trim()} (kept in the editor's secret storage)`, password: true, ignoreFocusOut: true });
      if (secret === undefined) return;
      await services.secrets.set(name, 'secret', secret);
    }
    if (handle.config.jenkinsUrl) {
      const token = await vscode.window.showInputBox({ title: `Credentials of "${name}"`, prompt: `Jenkins API token of ${handle.config.jenkinsUser ?? 'the Jenkins user'} (empty to keep)`, password: true, ignoreFocusOut: true });
      if (token) await services.secrets.set(name, 'jenkinsToken', token);
    }
  };

  const refresh = async (arg?: unknown) => {
    const name = clusterNameOf(arg);
    const handles = name ? services.clusters.clusters.filter((c) => c.name === name) : services.clusters.clusters;
    await Promise.all(handles.map(async (h) => (await h.session()).refresh()));
  };

  const startSandbox = async () => {
    const urls = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Starting the local Mesos sandbox…' }, () => sandbox.start());
    services.clusters.addEphemeral({
      name: LOCAL_SANDBOX_CLUSTER,
      masters: urls.master,
      ...(urls.jenkins ? { jenkinsUrl: urls.jenkins } : {}),
      insecure: false,
      readOnly: false,
      protected: false,
      encoding: 'protobuf',
    });
    void vscode.commands.executeCommand('setContext', 'mesos.sandboxRunning', true);
    const running = `The local sandbox is running at ${urls.master}${urls.jenkins ? ` with Jenkins at ${urls.jenkins}, which queues a build labelled "mesos" now and then` : ''}. It stops when this window closes.`;
    if (urls.jenkins) {
      // the one step left to see the autoscaler work: it serves the workload with a built-in template
      void vscode.window.showInformationMessage(running, 'Start Jenkins Autoscaler').then((choice) => {
        if (choice) void vscode.commands.executeCommand('mesos.startAutoscaler', LOCAL_SANDBOX_CLUSTER);
      });
    } else void vscode.window.showInformationMessage(running);
    return urls;
  };

  // One wrapper for every command: errors reach the user as a sentence and the log with the detail.
  const command = (id: string, fn: (...args: unknown[]) => unknown) =>
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await fn(...args);
      } catch (err) {
        log.error(`${id} failed`, err);
        const choice = await vscode.window.showErrorMessage(`${(err as Error).message}`, 'Show Log');
        if (choice === 'Show Log') services.logChannel.show(true);
        return undefined;
      }
    });

  return vscode.Disposable.from(
    sandbox,
    statusBar,
    command('mesos.addCluster', addCluster),
    command('mesos.editCluster', editCluster),
    command('mesos.removeCluster', removeCluster),
    command('mesos.setCredentials', setCredentials),
    command('mesos.refresh', refresh),
    command('mesos.startSandbox', startSandbox),
    command('mesos.stopSandbox', () => {
      sandbox.stop();
      services.clusters.removeEphemeral(LOCAL_SANDBOX_CLUSTER);
      void vscode.commands.executeCommand('setContext', 'mesos.sandboxRunning', false);
    }),
    command('mesos.selectCluster', () => statusBar.pick()),
  );
}
