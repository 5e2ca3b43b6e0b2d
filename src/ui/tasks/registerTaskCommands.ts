import * as vscode from 'vscode';
import type { SchedulerAccessProvider } from '../scheduler/schedulerAccess';
import type { Services } from '../services';
import { createTaskCommands, TASK_COMMANDS, type TaskCommands } from './taskCommands';
import type { TaskCommandsDeps } from './taskCommandsDeps';
import { windowUi, type TaskCommandsUi } from './taskCommandsUi';

/** The dependencies the registered commands use: the window's UI, the shared log channel. */
export function taskCommandsDeps(
  services: Services,
  schedulers: SchedulerAccessProvider,
  ui: TaskCommandsUi = windowUi(),
): TaskCommandsDeps {
  return {
    clusters: services.clusters,
    schedulers,
    log: services.logger('tasks'),
    ui,
    showLog: () => services.logChannel.show(true),
    runCommand: (command, ...args) => vscode.commands.executeCommand(command, ...args),
  };
}

/**
 * Mesos: Launch Task…, Mesos: Launch Task from File and Mesos: Kill Task (see TaskCommands for the
 * arguments each takes). Each returns its outcome, so that callers and tests can see what happened.
 */
export function registerTaskCommands(services: Services, schedulers: SchedulerAccessProvider): vscode.Disposable {
  const deps = taskCommandsDeps(services, schedulers);
  const commands = createTaskCommands(deps);
  const register = <K extends keyof TaskCommands>(name: K) =>
    vscode.commands.registerCommand(TASK_COMMANDS[name], async (...args: unknown[]) => {
      try {
        return await (commands[name] as (...a: unknown[]) => Promise<unknown>)(...args);
      } catch (err) {
        deps.log.error(`${TASK_COMMANDS[name]} failed`, err);
        void vscode.window
          .showErrorMessage((err as Error).message, 'Show Log')
          .then((choice) => choice === 'Show Log' && deps.showLog());
        return undefined;
      }
    });
  return vscode.Disposable.from(register('launchTask'), register('launchTaskFromFile'), register('killTask'));
}
