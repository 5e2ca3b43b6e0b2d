import * as vscode from 'vscode';
import type { Services } from '../services';

/**
 * The welcome buttons' commands. Adding a cluster and starting the local sandbox arrive with the
 * cluster explorer; until then the buttons say so plainly instead of doing nothing.
 */
export function registerWelcomeCommands(services: Services): vscode.Disposable {
  const log = services.logger('welcome');
  const notYet = (what: string) => () => {
    const message = `${what} is not available in this version of Mesos Ops yet. See the README for what this build does.`;
    log.info(message);
    void vscode.window.showInformationMessage(message);
    return message;
  };
  return vscode.Disposable.from(
    vscode.commands.registerCommand('mesos.addCluster', notYet('Adding a cluster')),
    vscode.commands.registerCommand('mesos.startSandbox', notYet('Starting the local sandbox')),
  );
}
