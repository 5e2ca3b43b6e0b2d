// The launch wizard as a state machine: which step comes next, what each step shows and accepts, and the
// task entry the answers make. No vscode here: launchWizard.ts shows the steps, the tests drive this.
import {
  readTaskDefinitionEntry,
  TASK_ENTRY_DEFAULTS,
  type TaskDefinitionEntry,
} from '../../core/scheduler/taskDefinitionEntry';
import { formatTaskDefinitionProblem } from '../../core/scheduler/taskDefinitionProblem';
import type { TaskRequest } from '../../core/scheduler/taskRequest';
import {
  readArguments,
  readConstraints,
  readEnvironment,
  readInstances,
  readNonNegative,
  readPositive,
  validateImage,
  validateShellCommand,
  validateTaskName,
  type Read,
} from './launchInputs';

export type WizardStepId =
  | 'cluster'
  | 'name'
  | 'mode'
  | 'command'
  | 'cpus'
  | 'mem'
  | 'disk'
  | 'instances'
  | 'image'
  | 'constraints'
  | 'environment';

export type CommandMode = 'shell' | 'argv';

/** What the user typed or picked, as text, so that going back shows it again. */
export type WizardAnswers = Partial<Record<WizardStepId, string>>;

export interface WizardPickItem {
  readonly label: string;
  readonly description?: string;
  readonly detail?: string;
  readonly value: string;
}

interface StepBase {
  readonly id: WizardStepId;
  /** 1-based, over the steps this run shows. */
  readonly number: number;
  readonly total: number;
  readonly title: string;
  readonly placeholder?: string;
}

export interface PickStep extends StepBase {
  readonly kind: 'pick';
  readonly items: readonly WizardPickItem[];
  /** The value picked before, to show it active. */
  readonly value?: string;
}

export interface InputStep extends StepBase {
  readonly kind: 'input';
  readonly prompt: string;
  readonly value: string;
  /** The message for the input box, or undefined when the text is fine. */
  validate(text: string): string | undefined;
}

export type WizardStep = PickStep | InputStep;

export interface LaunchWizardOptions {
  /** The clusters that may be launched on; the cluster step shows only when there are several. */
  readonly clusters: readonly { readonly name: string; readonly description?: string }[];
  /** Answers to start from (e.g. a cluster already chosen). */
  readonly answers?: WizardAnswers;
}

const errorOf = <T>(read: Read<T>): string | undefined => read.error;

const MODES: readonly WizardPickItem[] = [
  { label: 'Shell command', description: '/bin/sh -c', detail: 'Pipes, $VARIABLES and && work.', value: 'shell' },
  {
    label: 'Program and arguments',
    description: 'no shell',
    detail: 'Runs the program directly with the words you give as its arguments.',
    value: 'argv',
  },
];

interface StepSpec {
  readonly id: WizardStepId;
  readonly make: (answers: WizardAnswers) => Omit<PickStep, keyof StepBase> | Omit<InputStep, keyof StepBase>;
  readonly placeholder?: string;
  readonly title: string;
}

function specs(options: LaunchWizardOptions): StepSpec[] {
  const input =
    (prompt: string, validate: (text: string) => string | undefined, initial: string) =>
    (answers: WizardAnswers, id: WizardStepId) => ({
      kind: 'input' as const,
      prompt,
      value: answers[id] ?? initial,
      validate,
    });
  const all: (StepSpec & { when?: () => boolean })[] = [
    {
      id: 'cluster',
      title: 'Cluster',
      placeholder: 'Launch on which cluster?',
      when: () => options.clusters.length > 1,
      make: (a) => ({
        kind: 'pick',
        items: options.clusters.map((c) => ({
          label: c.name,
          ...(c.description ? { description: c.description } : {}),
          value: c.name,
        })),
        ...(a.cluster ? { value: a.cluster } : {}),
      }),
    },
    {
      id: 'name',
      title: 'Name',
      placeholder: 'e.g. web or nightly backup',
      make: (a) => input("The task's name (the task id is made from it)", validateTaskName, '')(a, 'name'),
    },
    {
      id: 'mode',
      title: 'How to run it',
      placeholder: 'Run the command with a shell, or a program directly?',
      make: (a) => ({ kind: 'pick', items: MODES, ...(a.mode ? { value: a.mode } : {}) }),
    },
    {
      id: 'command',
      title: 'Command',
      make: (a) =>
        a.mode === 'argv'
          ? input(
              'The program and its arguments; quote words with spaces ("a b")',
              (t) => errorOf(readArguments(t)),
              '',
            )(a, 'command')
          : input('The command, run with /bin/sh -c', validateShellCommand, '')(a, 'command'),
      placeholder: 'e.g. echo hello from Mesos; sleep 60',
    },
    {
      id: 'cpus',
      title: 'CPUs',
      placeholder: 'e.g. 0.5',
      make: (a) =>
        input(
          'CPU shares (> 0; may be fractional)',
          (t) => errorOf(readPositive(t, 'cpus')),
          String(TASK_ENTRY_DEFAULTS.cpus),
        )(a, 'cpus'),
    },
    {
      id: 'mem',
      title: 'Memory',
      placeholder: 'e.g. 256',
      make: (a) =>
        input(
          'Memory in MB (> 0)',
          (t) => errorOf(readPositive(t, 'memory')),
          String(TASK_ENTRY_DEFAULTS.mem),
        )(a, 'mem'),
    },
    {
      id: 'disk',
      title: 'Disk',
      placeholder: 'e.g. 512',
      make: (a) =>
        input(
          'Sandbox disk in MB (0 for none)',
          (t) => errorOf(readNonNegative(t, 'disk')),
          String(TASK_ENTRY_DEFAULTS.disk),
        )(a, 'disk'),
    },
    {
      id: 'instances',
      title: 'Instances',
      placeholder: 'e.g. 3',
      make: (a) =>
        input(
          'How many copies to launch',
          (t) => errorOf(readInstances(t)),
          String(TASK_ENTRY_DEFAULTS.instances),
        )(a, 'instances'),
    },
    {
      id: 'image',
      title: 'Container image (optional)',
      placeholder: 'e.g. alpine:3.20 — leave empty to run on the agent directly',
      make: (a) => input('A container image to run the command in; empty for none', validateImage, '')(a, 'image'),
    },
    {
      id: 'constraints',
      title: 'Placement constraints (optional)',
      placeholder: 'e.g. hostname:UNIQUE; rack:LIKE:rack-[12] — empty for none',
      make: (a) =>
        input(
          'attribute:OPERATOR[:value], several separated by ";" (UNIQUE, CLUSTER, LIKE, UNLIKE, GROUP_BY, MAX_PER)',
          (t) => errorOf(readConstraints(t)),
          '',
        )(a, 'constraints'),
    },
    {
      id: 'environment',
      title: 'Environment (optional)',
      placeholder: 'e.g. LOG_LEVEL=debug GREETING="hello world" — empty for none',
      make: (a) =>
        input(
          'NAME=value pairs separated by spaces; quote values with spaces',
          (t) => errorOf(readEnvironment(t)),
          '',
        )(a, 'environment'),
    },
  ];
  return all.filter((s) => s.when?.() ?? true);
}

/** Builds the task entry the answers describe; the answers must have passed their steps' checks. */
export function entryOfAnswers(answers: WizardAnswers): TaskDefinitionEntry {
  const value = <T>(read: Read<T>): T => {
    if (read.error !== undefined) throw new Error(read.error);
    return read.value;
  };
  const text = (id: WizardStepId) => answers[id] ?? '';
  const image = text('image').trim();
  const constraints = value(readConstraints(text('constraints')));
  const environment = value(readEnvironment(text('environment')));
  return {
    name: text('name').trim(),
    command: answers.mode === 'argv' ? value(readArguments(text('command'))) : text('command'),
    cpus: value(readPositive(text('cpus') || String(TASK_ENTRY_DEFAULTS.cpus), 'cpus')),
    mem: value(readPositive(text('mem') || String(TASK_ENTRY_DEFAULTS.mem), 'memory')),
    disk: value(readNonNegative(text('disk') || String(TASK_ENTRY_DEFAULTS.disk), 'disk')),
    instances: value(readInstances(text('instances') || String(TASK_ENTRY_DEFAULTS.instances))),
    ...(image ? { container: { image } } : {}),
    ...(constraints.length > 0 ? { constraints } : {}),
    ...(Object.keys(environment).length > 0 ? { environment } : {}),
  };
}

/**
 * Where the wizard is: the current step, the answers so far. `answer` checks the text and moves on;
 * `back` returns to the previous step with its answer kept.
 */
export class LaunchWizard {
  private readonly steps: StepSpec[];
  private index = 0;
  private readonly answersValue: WizardAnswers;

  constructor(private readonly options: LaunchWizardOptions) {
    this.steps = specs(options);
    this.answersValue = { ...options.answers };
    if (options.clusters.length === 1) this.answersValue.cluster = options.clusters[0]!.name;
  }

  get answers(): WizardAnswers {
    return { ...this.answersValue };
  }

  get done(): boolean {
    return this.index >= this.steps.length;
  }

  get canGoBack(): boolean {
    return this.index > 0;
  }

  /** The step to show, or undefined when every step is answered. */
  get current(): WizardStep | undefined {
    const spec = this.steps[this.index];
    if (!spec) return undefined;
    const cluster = this.answersValue.cluster;
    const base: StepBase = {
      id: spec.id,
      number: this.index + 1,
      total: this.steps.length,
      title:
        cluster && spec.id !== 'cluster' ? `Launch Task on ${cluster}: ${spec.title}` : `Launch Task: ${spec.title}`,
      ...(spec.placeholder ? { placeholder: spec.placeholder } : {}),
    };
    const made = spec.make(this.answersValue);
    return { ...base, ...made } as WizardStep;
  }

  /** Takes the text (or picked value) for the current step; returns the message when it is not acceptable. */
  answer(text: string): string | undefined {
    const step = this.current;
    if (!step) return 'The wizard is complete.';
    if (step.kind === 'input') {
      const problem = step.validate(text);
      if (problem) return problem;
    } else if (!step.items.some((i) => i.value === text)) {
      return `Pick one of: ${step.items.map((i) => i.label).join(', ')}.`;
    }
    // a different way of running makes the command typed for the other one meaningless
    if (step.id === 'mode' && this.answersValue.mode !== undefined && this.answersValue.mode !== text)
      delete this.answersValue.command;
    this.answersValue[step.id] = text;
    this.index++;
    return undefined;
  }

  back(): void {
    if (this.index > 0) this.index--;
  }

  /** The cluster and the requests the answers make (one per instance). */
  result(idSuffix?: () => string): { cluster: string; requests: TaskRequest[] } {
    if (!this.done) throw new Error('The wizard is not complete.');
    const cluster = this.answersValue.cluster ?? this.options.clusters[0]?.name;
    if (!cluster) throw new Error('No cluster was chosen.');
    const read = readTaskDefinitionEntry(entryOfAnswers(this.answersValue), '', idSuffix ? { idSuffix } : {});
    if (read.problems.length > 0) throw new Error(read.problems.map(formatTaskDefinitionProblem).join('; '));
    return { cluster, requests: read.requests };
  }
}
