/**
 * Declares a stream dead after a stretch of silence. Half-open TCP connections (NAT, load balancers)
 * never report an error, so silence is the only sign: Mesos sends a HEARTBEAT every 15 s, and a stream
 * that stays quiet for several of them is closed and subscribed again (reference §2.10, pitfall 22).
 */
export class HeartbeatWatchdog {
  private timer: NodeJS.Timeout | undefined;
  private silenceMs: number;

  constructor(
    silenceMs: number,
    private readonly onSilence: (silenceMs: number) => void,
  ) {
    this.silenceMs = silenceMs;
    this.arm();
  }

  /** How long the stream may stay silent before it counts as dead. */
  get limitMs(): number {
    return this.silenceMs;
  }

  /** Something arrived: the silence starts over. */
  touch(): void {
    this.timer?.refresh();
  }

  /** A new limit (the master announced its heartbeat interval); the silence starts over. */
  setLimit(silenceMs: number): void {
    this.silenceMs = silenceMs;
    this.arm();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(): void {
    this.stop();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.onSilence(this.silenceMs);
    }, this.silenceMs);
  }
}
