import type * as vscode from 'vscode';

/** Which secret of a cluster: the principal's secret (operator API and framework) or the Jenkins API token. */
export type ClusterSecretKind = 'secret' | 'jenkinsToken';

/**
 * A cluster's secrets, kept only in the editor's SecretStorage (never in settings, logs or state). Keys are
 * per cluster name, so renaming a cluster means setting them again.
 */
export class ClusterSecrets {
  constructor(private readonly storage: vscode.SecretStorage) {}

  private key(cluster: string, kind: ClusterSecretKind): string {
    return `mesos.cluster/${cluster}/${kind}`;
  }

  get(cluster: string, kind: ClusterSecretKind): Thenable<string | undefined> {
    return this.storage.get(this.key(cluster, kind));
  }

  async set(cluster: string, kind: ClusterSecretKind, value: string | undefined): Promise<void> {
    if (value === undefined || value === '') await this.storage.delete(this.key(cluster, kind));
    else await this.storage.store(this.key(cluster, kind), value);
  }

  async forget(cluster: string): Promise<void> {
    await Promise.all((['secret', 'jenkinsToken'] as const).map((kind) => this.storage.delete(this.key(cluster, kind))));
  }

  /** Fires when any secret changes (also from another window). */
  onDidChange(listener: () => void): vscode.Disposable {
    return this.storage.onDidChange(listener);
  }
}
