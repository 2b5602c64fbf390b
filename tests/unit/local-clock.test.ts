import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../local/clock.ts';
import { nextFire } from '../../local/scheduler.ts';

const DAY = 86_400_000;

describe('VirtualClock', () => {
  it('runs speed times faster than real time', async () => {
    const clock = new VirtualClock(new Date('2026-01-01T00:00:00Z'), 3_600_000);
    const before = clock.nowMs();
    await new Promise((r) => setTimeout(r, 20));
    // 20 ms at an hour a millisecond is at least 19 hours.
    expect(clock.nowMs() - before).toBeGreaterThanOrEqual(19 * 3_600_000);
  });

  it('holds time while paused and wakes sleepers that advanceTo reaches, in order', async () => {
    const clock = new VirtualClock(new Date('2026-01-01T00:00:00Z'), 1);
    clock.pause();
    const t0 = clock.nowMs();
    const woke: string[] = [];
    const a = clock.sleepUntil(t0 + 40 * DAY).then(() => woke.push('40 days'));
    const b = clock.sleepUntil(t0 + DAY).then(() => woke.push('1 day'));
    await new Promise((r) => setTimeout(r, 20));
    expect(clock.nowMs()).toBe(t0);
    expect(woke).toEqual([]);
    clock.advanceTo(t0 + 2 * DAY);
    await b;
    expect(woke).toEqual(['1 day']);
    // A wait past 24.8 days (setTimeout's limit) still waits for its time, then ends.
    clock.advanceTo(t0 + 39 * DAY);
    await new Promise((r) => setTimeout(r, 10));
    expect(woke).toEqual(['1 day']);
    clock.advanceTo(t0 + 40 * DAY);
    await a;
    expect(woke).toEqual(['1 day', '40 days']);
  });

  it('ends a sleep early when aborted', async () => {
    const clock = new VirtualClock(new Date(), 1);
    const stop = new AbortController();
    const sleeping = clock.sleepUntil(clock.nowMs() + 365 * DAY, stop.signal);
    stop.abort();
    await expect(sleeping).resolves.toBeUndefined();
  });

  it('refuses a speed of zero', () => {
    expect(() => new VirtualClock().setSpeed(0)).toThrow(/pause/);
  });
});

describe('local scheduler expressions', () => {
  const at = Date.parse('2026-01-05T07:30:00Z');
  it.each([
    ['rate(1 day)', at + DAY],
    ['rate(15 minutes)', at + 15 * 60_000],
    ['rate(2 hours)', at + 2 * 3_600_000],
    ['cron(0 6 * * ? *)', Date.parse('2026-01-06T06:00:00Z')],
    ['cron(45 7 * * ? *)', Date.parse('2026-01-05T07:45:00Z')],
  ])('%s fires next at the right time', (expression, expected) => {
    expect(nextFire(expression, at)).toBe(expected);
  });

  it('refuses a cron form it cannot evaluate, naming it', () => {
    expect(() => nextFire('cron(0 6 ? * MON-FRI *)', at)).toThrow(/cron\(0 6 \? \* MON-FRI \*\) is not supported/);
  });
});
