import * as vscode from 'vscode';
import type { TaskRequest } from '../../core/scheduler/taskRequest';
import {
  LaunchWizard,
  type InputStep,
  type LaunchWizardOptions,
  type PickStep,
  type WizardPickItem,
} from './launchWizardSteps';

/** What the wizard ends with: the requests to launch, a wish to launch from a file instead, or nothing. */
export type WizardOutcome =
  | { readonly kind: 'launch'; readonly cluster: string; readonly requests: TaskRequest[] }
  | { readonly kind: 'fromFile' };

type StepAnswer = { readonly value: string } | 'back' | 'fromFile' | undefined;

const FROM_FILE: vscode.QuickInputButton = {
  iconPath: new vscode.ThemeIcon('file-code'),
  tooltip: 'Launch from a task definition file (*.mesos-task.json)…',
};

/** Shows one input step; resolves with the accepted text, 'back', 'fromFile', or undefined when dismissed. */
function showInput(step: InputStep, canGoBack: boolean): Promise<StepAnswer> {
  return new Promise((resolve) => {
    const box = vscode.window.createInputBox();
    let settled = false;
    const finish = (answer: StepAnswer) => {
      if (settled) return;
      settled = true;
      resolve(answer);
      box.hide();
    };
    box.title = step.title;
    box.step = step.number;
    box.totalSteps = step.total;
    box.prompt = step.prompt;
    box.placeholder = step.placeholder;
    box.value = step.value;
    box.ignoreFocusOut = true;
    box.buttons = [...(canGoBack ? [vscode.QuickInputButtons.Back] : []), ...(step.number === 1 ? [FROM_FILE] : [])];
    const disposables = [
      box.onDidChangeValue((text) => (box.validationMessage = step.validate(text))),
      box.onDidAccept(() => {
        const problem = step.validate(box.value);
        if (problem) box.validationMessage = problem;
        else finish({ value: box.value });
      }),
      box.onDidTriggerButton((button) => finish(button === vscode.QuickInputButtons.Back ? 'back' : 'fromFile')),
      box.onDidHide(() => {
        finish(undefined);
        for (const d of disposables) d.dispose();
        box.dispose();
      }),
    ];
    box.show();
    // an answer kept from before may no longer be acceptable: say so at once
    if (step.value !== '') box.validationMessage = step.validate(step.value);
  });
}

/** Shows one pick step, like showInput. */
function showPick(step: PickStep, canGoBack: boolean): Promise<StepAnswer> {
  return new Promise((resolve) => {
    const pick = vscode.window.createQuickPick<vscode.QuickPickItem & { item: WizardPickItem }>();
    let settled = false;
    const finish = (answer: StepAnswer) => {
      if (settled) return;
      settled = true;
      resolve(answer);
      pick.hide();
    };
    pick.title = step.title;
    pick.step = step.number;
    pick.totalSteps = step.total;
    pick.placeholder = step.placeholder;
    pick.ignoreFocusOut = true;
    pick.items = step.items.map((item) => ({
      label: item.label,
      description: item.description,
      detail: item.detail,
      item,
    }));
    const previous = pick.items.find((i) => i.item.value === step.value);
    if (previous) pick.activeItems = [previous];
    pick.buttons = [...(canGoBack ? [vscode.QuickInputButtons.Back] : []), ...(step.number === 1 ? [FROM_FILE] : [])];
    const disposables = [
      pick.onDidAccept(() => {
        const chosen = pick.selectedItems[0] ?? pick.activeItems[0];
        if (chosen) finish({ value: chosen.item.value });
      }),
      pick.onDidTriggerButton((button) => finish(button === vscode.QuickInputButtons.Back ? 'back' : 'fromFile')),
      pick.onDidHide(() => {
        finish(undefined);
        for (const d of disposables) d.dispose();
        pick.dispose();
      }),
    ];
    pick.show();
  });
}

/**
 * Mesos: Launch Task… as a multi-step input: step numbers, a Back button, every input checked as it is
 * typed. The steps themselves (and what they accept) are in launchWizardSteps.ts.
 */
export async function runLaunchWizard(options: LaunchWizardOptions): Promise<WizardOutcome | undefined> {
  const wizard = new LaunchWizard(options);
  while (!wizard.done) {
    const step = wizard.current!;
    const answer =
      step.kind === 'input' ? await showInput(step, wizard.canGoBack) : await showPick(step, wizard.canGoBack);
    if (answer === undefined) return undefined;
    if (answer === 'fromFile') return { kind: 'fromFile' };
    if (answer === 'back') wizard.back();
    else {
      const problem = wizard.answer(answer.value);
      if (problem) void vscode.window.showWarningMessage(problem);
    }
  }
  return { kind: 'launch', ...wizard.result() };
}
