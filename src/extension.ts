import * as vscode from 'vscode';
import { registerLogCommands } from './ui/log/registerLogCommands';
import { OutputChannelSink } from './ui/log/outputChannelSink';
import { createServices } from './ui/services';
import { registerWelcomeCommands } from './ui/welcome/registerWelcomeCommands';
import { VERSION } from './core/version';

/** What activate() returns: a small surface for other extensions and for our extension-host tests. */
export interface MesosOpsApi {
  readonly version: string;
}

/**
 * Builds the services and registers each feature; nothing else happens here, so activation stays in
 * milliseconds (connections start lazily when a view or command needs them).
 */
export function activate(context: vscode.ExtensionContext): MesosOpsApi {
  const logChannel = vscode.window.createOutputChannel('Mesos Ops', { log: true });
  context.subscriptions.push(logChannel);
  const services = createServices(context, logChannel, new OutputChannelSink(logChannel));

  context.subscriptions.push(registerLogCommands(services), registerWelcomeCommands(services));

  services.logger('extension').info(`Mesos Ops ${VERSION} activated`);
  return { version: VERSION };
}

/** Every feature's disposables are in context.subscriptions; VS Code disposes them after this returns. */
export function deactivate(): void {}
