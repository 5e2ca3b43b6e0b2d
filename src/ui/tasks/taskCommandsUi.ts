import * as vscode from 'vscode';

/** What a progress task reports; only the message is used. */
export type ProgressReport = vscode.Progress<{ message?: string }>;

/**
 * The parts of the window the task commands talk through. The commands use the window's (windowUi);
 * extension-host tests pass a scripted one, so that a modal confirmation or an input box never blocks.
 */
export interface TaskCommandsUi {
  /** Non-modal notifications: resolve with the button pressed (never awaited where it could block a flow). */
  info(message: string, ...actions: string[]): Thenable<string | undefined>;
  warning(message: string, ...actions: string[]): Thenable<string | undefined>;
  error(message: string, ...actions: string[]): Thenable<string | undefined>;
  /** A modal question; the action chosen, or undefined when the user cancelled. */
  confirm(message: string, detail: string, ...actions: string[]): Thenable<string | undefined>;
  input(options: vscode.InputBoxOptions): Thenable<string | undefined>;
  pickOne<T extends vscode.QuickPickItem>(
    items: readonly T[],
    options: vscode.QuickPickOptions,
  ): Thenable<T | undefined>;
  pickMany<T extends vscode.QuickPickItem>(
    items: readonly T[],
    options: vscode.QuickPickOptions,
  ): Thenable<readonly T[] | undefined>;
  /** A cancellable notification with progress; cancelling only stops waiting. */
  progress<R>(
    title: string,
    task: (progress: ProgressReport, token: vscode.CancellationToken) => Thenable<R>,
  ): Thenable<R>;
}

export function windowUi(): TaskCommandsUi {
  return {
    info: (message, ...actions) => vscode.window.showInformationMessage(message, ...actions),
    warning: (message, ...actions) => vscode.window.showWarningMessage(message, ...actions),
    error: (message, ...actions) => vscode.window.showErrorMessage(message, ...actions),
    confirm: (message, detail, ...actions) =>
      vscode.window.showWarningMessage(message, { modal: true, detail }, ...actions),
    input: (options) => vscode.window.showInputBox(options),
    pickOne: (items, options) => vscode.window.showQuickPick([...items], { ...options, canPickMany: false }),
    pickMany: (items, options) => vscode.window.showQuickPick([...items], { ...options, canPickMany: true }),
    progress: (title, task) =>
      vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, task),
  };
}
