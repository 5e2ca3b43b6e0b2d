import type { MasterEvent } from '../mesos/codec';

/** Events applied from now on, kept for a snapshot being requested (SnapshotOptions.replay). */
export interface EventRecording {
  dispose(): void;
}

/** At most this many events are kept per recording (a GET_STATE of 100 MB takes the master seconds to serve). */
export const MAX_RECORDED_EVENTS = 50_000;

/** The model's side of an EventRecording. */
export class Recording implements EventRecording {
  private events: MasterEvent[] = [];
  overflowed = false;
  constructor(private readonly recordings: Set<Recording>) {
    recordings.add(this);
  }
  record(event: MasterEvent): void {
    if (this.events.length < MAX_RECORDED_EVENTS) this.events.push(event);
    else this.overflowed = true;
  }
  /** The events recorded, once: a recording serves one snapshot. */
  take(): readonly MasterEvent[] {
    const events = this.events;
    this.dispose();
    return events;
  }
  dispose(): void {
    this.recordings.delete(this);
    this.events = [];
  }
}
