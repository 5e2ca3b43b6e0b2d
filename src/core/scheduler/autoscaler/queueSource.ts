import type { QueueChange, QueueSnapshot, ScaleNowResult } from '../../../../webview/protocol';

/**
 * What the Jenkins Queue & Scaling panel needs from a cluster's autoscaler. No `vscode` here, so the core's
 * autoscaler (or the client of a headless one) can implement it directly.
 *
 * - `snapshot()` is read on every ready handshake (each time the panel becomes visible), so it should be
 *   cheap: the current lists, decisions oldest first (the newest 2000 are enough), the last hour of
 *   timeline points.
 * - `onDidChange` reports each change after it happened, in order (see QueueChange: status, queue and agents
 *   are whole replacements; decisions and timeline points are only the new ones). The panel batches them.
 *   A timeline point every 5-15 s is plenty.
 * - The controls resolve when done, or reject with an Error whose message is a sentence for the user (with
 *   the cause and a next step). The panel enables them only when the status says `where: 'here'`.
 */
export interface QueueSource {
  snapshot(): QueueSnapshot;
  onDidChange(listener: (change: QueueChange) => void): { dispose(): void };
  pause(): Promise<void> | void;
  resume(): Promise<void> | void;
  setDryRun(on: boolean): Promise<void> | void;
  /** Runs a scaling round now instead of at the next poll; says what it did. */
  scaleNow(): Promise<ScaleNowResult> | ScaleNowResult;
}
