import type { AutoscaleDecision, AutoscaleDecisionKind } from './autoscaleDecision';
import type { AutoscalerAction } from './autoscalerAction';
import type { AutoscalerState, ManagedAgent } from './autoscalerState';

export type DecisionAbout = Omit<AutoscaleDecision, 'at' | 'kind' | 'reason' | 'dryRun'>;

/** Which inputs report a repeating decision again when it stops and comes back (see AutoscaleStep.decide). */
export type NoteScope = 'poll' | 'poll-failed' | 'scheduler' | 'other';

// Skips and outages hold for many polls in a row; each is reported when it starts or changes, not every poll.
const REPEATING: ReadonlySet<AutoscaleDecisionKind> = new Set<AutoscaleDecisionKind>(['skip', 'outage']);

/** Collects the outputs of handling one input; state is replaced, never mutated. */
export class AutoscaleStep {
  readonly actions: AutoscalerAction[] = [];
  readonly decisions: AutoscaleDecision[] = [];

  constructor(
    public state: AutoscalerState,
    readonly at: number,
    readonly scope: NoteScope,
    /** Dry run: actions are dropped, every decision is marked and reported only when it starts or changes. */
    readonly dryRun: boolean,
  ) {}

  decide(kind: AutoscaleDecisionKind, reason: string, about: DecisionAbout = {}): void {
    const record: AutoscaleDecision = {
      at: this.at,
      kind,
      ...about,
      ...(this.dryRun ? { dryRun: true as const } : {}),
      reason,
    };
    if (this.dryRun || REPEATING.has(kind)) {
      const { at: _at, ...content } = record;
      const key = `${this.scope}|${JSON.stringify(content)}`;
      const seen = key in this.state.noted;
      this.state = { ...this.state, noted: { ...this.state.noted, [key]: this.at } };
      if (seen) return;
    }
    this.decisions.push(record);
  }

  skip(skip: NonNullable<AutoscaleDecision['skip']>, reason: string, about: DecisionAbout = {}): void {
    this.decide('skip', reason, { skip, ...about });
  }

  act(action: AutoscalerAction): void {
    if (!this.dryRun) this.actions.push(action);
  }

  putAgent(agent: ManagedAgent): void {
    this.state = { ...this.state, agents: { ...this.state.agents, [agent.name]: agent } };
  }

  /** Forgets an agent; its name stays retired for a while so late views do not make it an orphan. */
  dropAgent(name: string): void {
    const agents = { ...this.state.agents };
    delete agents[name];
    this.state = { ...this.state, agents, retired: { ...this.state.retired, [name]: this.at } };
  }

  /**
   * Drops repeating decisions of this scope not made again in this step, so they are reported when they
   * return, and retired names older than the grace period, so neither record grows without bound.
   */
  tidy(clearScopes: readonly NoteScope[] = []): void {
    const noted: Record<string, number> = {};
    let notesChanged = false;
    for (const [key, seenAt] of Object.entries(this.state.noted)) {
      const scope = key.slice(0, key.indexOf('|')) as NoteScope;
      if ((scope === this.scope && seenAt < this.at) || clearScopes.includes(scope)) notesChanged = true;
      else noted[key] = seenAt;
    }
    const retired: Record<string, number> = {};
    let retiredChanged = false;
    for (const [name, when] of Object.entries(this.state.retired)) {
      if (this.at - when >= this.state.options.retiredGraceMs) retiredChanged = true;
      else retired[name] = when;
    }
    if (notesChanged) this.state = { ...this.state, noted };
    if (retiredChanged) this.state = { ...this.state, retired };
  }
}

/** The usual fields of a decision about one agent. */
export function aboutAgent(agent: ManagedAgent): DecisionAbout {
  return { agent: agent.name, template: agent.template, ...(agent.items.length > 0 ? { items: agent.items } : {}) };
}
