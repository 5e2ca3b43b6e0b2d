import * as v from 'valibot';
import { NO_FILTER, type DecisionFilter } from './decisionFilter';
import { queueSnapshotSchema, type QueueSnapshot } from './protocol';

/**
 * What the webview keeps with vscode.setState: a hidden panel's webview is destroyed
 * (retainContextWhenHidden is off), and this lets it come back with the same filters and show the last
 * picture at once, until the host's fresh snapshot arrives.
 */
export interface ViewState {
  readonly filter: DecisionFilter;
  readonly snapshot: QueueSnapshot | null;
}

const viewStateSchema: v.GenericSchema<unknown, ViewState> = v.object({
  filter: v.object({ kind: v.nullable(v.string()), label: v.nullable(v.string()) }),
  snapshot: v.nullable(queueSnapshotSchema),
});

/** The saved state, or a fresh one when there is none or it is from an older version of the panel. */
export function readViewState(saved: unknown): ViewState {
  const parsed = v.safeParse(viewStateSchema, saved);
  return parsed.success ? parsed.output : { filter: NO_FILTER, snapshot: null };
}
