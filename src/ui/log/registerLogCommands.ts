import * as vscode from 'vscode';
import type { Services } from '../services';

/** `Mesos: Show Log` opens the extension's own log channel (where every error's raw detail goes). */
export function registerLogCommands(services: Services): vscode.Disposable {
  return vscode.commands.registerCommand('mesos.showLog', () => {
    services.logChannel.show(true);
  });
}
