import type * as vscode from 'vscode';
import { createLogger, type Logger, type LogSink } from '../core/log/logSink';
import type { ClusterRegistry } from './clusters/clusterRegistry';
import type { ClusterSecrets } from './clusters/clusterSecrets';

/**
 * What activate() builds once and hands to every feature's register(). Features take what they need
 * from here instead of creating their own, so there is one log channel, one set of connections per
 * cluster, and one place that disposes them.
 */
export interface Services {
  readonly context: vscode.ExtensionContext;
  readonly logChannel: vscode.LogOutputChannel;
  readonly logSink: LogSink;
  /** The configured clusters and their live sessions. */
  readonly clusters: ClusterRegistry;
  readonly secrets: ClusterSecrets;
  logger(component: string): Logger;
}

export function createServices(
  context: vscode.ExtensionContext,
  logChannel: vscode.LogOutputChannel,
  logSink: LogSink,
  clusters: ClusterRegistry,
  secrets: ClusterSecrets,
): Services {
  return { context, logChannel, logSink, clusters, secrets, logger: (component) => createLogger(logSink, component) };
}
