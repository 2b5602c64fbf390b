/**
 * The local runtime's clock: virtual time that runs `speed` times faster than real time
 * (86400: a day a second). Installed under a global symbol that the bundled handlers' system
 * clock reads, so handlers, waits, schedules and retries all follow one clock.
 */
export const LOCAL_CLOCK = Symbol.for('tend.localClock');
const MAX_TIMER_MS = 2 ** 31 - 1;

export class VirtualClock {
  private baseVirtual: number;
  private baseReal: number;
  private pausedAt: number | undefined;
  private readonly onResume = new Set<() => void>();
  /** Sleepers waiting on a real timer, so pause() can park them and advanceTo() can wake them. */
  private readonly armed = new Map<() => void, NodeJS.Timeout>();
  /** When each sleeper wakes (virtual ms), so a step can stop at every moment something is due. */
  private readonly wakes = new Map<() => void, number>();

  constructor(
    start: Date = new Date(),
    private speedFactor = 1,
  ) {
    this.baseVirtual = start.getTime();
    this.baseReal = performance.now();
  }

  get speed(): number {
    return this.speedFactor;
  }

  nowMs(): number {
    return this.pausedAt ?? this.baseVirtual + (performance.now() - this.baseReal) * this.speedFactor;
  }

  get paused(): boolean {
    return this.pausedAt !== undefined;
  }

  /** Stops time (for setting up a scene); waits hold until `resume`. */
  pause(): void {
    if (this.pausedAt !== undefined) return;
    this.pausedAt = this.nowMs();
    for (const [tick, timer] of this.armed) {
      clearTimeout(timer);
      this.onResume.add(tick);
    }
    this.armed.clear();
  }

  /**
   * While paused, moves time forward to `virtualMs` and wakes whatever is due by then: a
   * discrete-event step, as fast as the work allows and the same on every run (the demo's clock).
   */
  advanceTo(virtualMs: number): void {
    if (this.pausedAt === undefined) throw new Error('advanceTo needs a paused clock');
    this.pausedAt = Math.max(this.pausedAt, virtualMs);
    const parked = [...this.onResume];
    this.onResume.clear();
    for (const w of parked) w();
  }

  resume(): void {
    if (this.pausedAt === undefined) return;
    this.baseVirtual = this.pausedAt;
    this.baseReal = performance.now();
    this.pausedAt = undefined;
    const waiting = [...this.onResume];
    this.onResume.clear();
    for (const w of waiting) w();
  }

  now(): Date {
    return new Date(this.nowMs());
  }

  /** The earliest moment a sleeper waits for (a schedule's next fire, a state machine's Wait, a retry), if any. */
  nextWake(): number | undefined {
    let next: number | undefined;
    for (const at of this.wakes.values()) if (next === undefined || at < next) next = at;
    return next;
  }

  setSpeed(speed: number): void {
    if (!(speed > 0)) throw new Error('speed must be above 0; use pause() to stop time');
    this.baseVirtual = this.nowMs();
    this.baseReal = performance.now();
    this.speedFactor = speed;
    // Re-arm the sleepers' timers for the new speed.
    const armed = [...this.armed];
    this.armed.clear();
    for (const [tick, timer] of armed) {
      clearTimeout(timer);
      tick();
    }
  }

  /** Real milliseconds until a virtual moment. */
  realDelayUntil(virtualMs: number): number {
    return Math.max(0, (virtualMs - this.nowMs()) / this.speedFactor);
  }

  /**
   * Resolves when virtual time reaches `virtualMs`. Waits in slices under setTimeout's
   * 24.8-day limit (past it, Node fires at once) and re-checks, so any wait is exact.
   */
  sleepUntil(virtualMs: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      let timer: NodeJS.Timeout;
      const onAbort = () => {
        clearTimeout(timer);
        this.armed.delete(tick);
        this.onResume.delete(tick);
        this.wakes.delete(tick);
        resolve();
      };
      const tick = () => {
        this.armed.delete(tick);
        if (virtualMs <= this.nowMs()) {
          this.wakes.delete(tick);
          signal?.removeEventListener('abort', onAbort);
          return resolve();
        }
        this.wakes.set(tick, virtualMs);
        if (this.paused) return void this.onResume.add(tick);
        const delay = this.realDelayUntil(virtualMs);
        timer = setTimeout(tick, Math.min(Math.ceil(delay), MAX_TIMER_MS));
        this.armed.set(tick, timer);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      tick();
    });
  }

  install(): void {
    (globalThis as Record<symbol, unknown>)[LOCAL_CLOCK] = this;
  }

  uninstall(): void {
    if ((globalThis as Record<symbol, unknown>)[LOCAL_CLOCK] === this) delete (globalThis as Record<symbol, unknown>)[LOCAL_CLOCK];
  }
}
