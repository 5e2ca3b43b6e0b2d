/**
 * Runs the autoscaler's actions: up to `concurrency` at once, so a burst of launches does not wait on one
 * slow Jenkins call after another, but one agent's actions strictly in order (its node is created before
 * its task is launched, offline before it is deleted). Agents are served in the order their first waiting
 * action arrived. `perform` must settle (it gets no retry and its rejection is only reported).
 */
export class AgentActionQueue<A extends { readonly name: string }> {
  /** Waiting actions per agent, in arrival order; a Map keeps the agents in arrival order too. */
  private readonly lanes = new Map<string, A[]>();
  /** Agents with an action under way. */
  private readonly busy = new Set<string>();
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly concurrency: number,
    private readonly perform: (action: A) => Promise<void>,
    private readonly onError: (action: A, error: unknown) => void,
  ) {
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new RangeError(`the action concurrency must be a whole number of 1 or more, got ${concurrency}`);
    }
  }

  /** Actions under way. */
  get running(): number {
    return this.busy.size;
  }

  /** Actions waiting for their turn. */
  get waiting(): number {
    let n = 0;
    for (const lane of this.lanes.values()) n += lane.length;
    return n;
  }

  get idle(): boolean {
    return this.busy.size === 0 && this.lanes.size === 0;
  }

  enqueue(action: A): void {
    const lane = this.lanes.get(action.name);
    if (lane) lane.push(action);
    else this.lanes.set(action.name, [action]);
    this.pump();
  }

  /** Drops the actions that have not started; those under way finish. Returns what was dropped. */
  clear(): A[] {
    const dropped = [...this.lanes.values()].flat();
    this.lanes.clear();
    this.settle();
    return dropped;
  }

  /** Resolves once nothing waits and nothing runs. */
  whenIdle(): Promise<void> {
    if (this.idle) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    for (const [name, lane] of this.lanes) {
      if (this.busy.size >= this.concurrency) return;
      if (this.busy.has(name)) continue;
      const action = lane.shift()!;
      if (lane.length === 0) this.lanes.delete(name);
      this.busy.add(name);
      void this.run(action);
    }
  }

  private async run(action: A): Promise<void> {
    try {
      await this.perform(action);
    } catch (error) {
      this.onError(action, error);
    } finally {
      this.busy.delete(action.name);
      this.pump();
      this.settle();
    }
  }

  private settle(): void {
    if (!this.idle) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}
