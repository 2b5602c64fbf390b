/**
 * A wake-up for whoever waits until the local runtime's work has settled (`idle()`): fired when
 * a handler returns and when a state machine run ends or starts waiting on the clock, the only
 * moments the runtime can go from busy to idle. Waiting on it replaces polling every event-loop
 * turn, which kept a core busy for the whole of every clock step.
 */
export class SettlePulse {
  private readonly waiters = new Set<() => void>();

  /** Resolves at the next `fire()`, or after `ms` at the latest (a safety net, not the usual way out). */
  next(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.waiters.add(wake);
    });
  }

  fire(): void {
    for (const wake of [...this.waiters]) wake();
  }
}
