/** Time as the domain sees it. Injected everywhere so tests and the local runtime can run days in seconds. */
export interface Clock {
  now(): Date;
}

/**
 * The local runtime runs the same bundled handlers in one process and installs its fast clock
 * under this global symbol; on AWS nothing is installed and the system time is used.
 */
const LOCAL_CLOCK = Symbol.for('tend.localClock');

export const systemClock: Clock = {
  now() {
    const local = (globalThis as Record<symbol, { nowMs(): number } | undefined>)[LOCAL_CLOCK];
    return new Date(local ? local.nowMs() : Date.now());
  },
};

export function fixedClock(at: Date | string): Clock {
  const time = new Date(at).getTime();
  return { now: () => new Date(time) };
}

export const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` of a moment, in UTC. */
export function dayOf(at: Date | number): string {
  return new Date(at).toISOString().slice(0, 10);
}

export function addDays(at: Date, days: number): Date {
  return new Date(at.getTime() + days * DAY_MS);
}
