import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../local/clock.ts';
import type { CloudAssembly } from '../../local/assembly.ts';
import type { LambdaHost } from '../../local/lambdas.ts';
import { LocalScheduler, nextFire, type LocalSchedule } from '../../local/scheduler.ts';
import type { LocalStepFunctions } from '../../local/stepfunctions/runner.ts';

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

describe('local scheduler probes (local/schedule-probes.ts)', () => {
  const START = Date.parse('2026-01-05T00:00:00Z');
  const HOUR = 3_600_000;
  /** Two hourly schedules of a stand-in template: one with a probe, one without. */
  const assembly = {
    resources: () =>
      ['Sweep', 'Other'].map((logicalId) => ({
        stack: 'Tend',
        logicalId,
        resource: {
          Properties: {
            ScheduleExpression: 'rate(1 hour)',
            Target: { Arn: `arn:aws:lambda:us-east-1:1:function:${logicalId}`, Input: JSON.stringify({ sweep: logicalId }) },
          },
        },
      })),
    resolve: (_stack: string, value: unknown) => value,
  } as unknown as CloudAssembly;

  it('fires a due schedule whose probe finds work, skips it when the probe finds none, and fires it when the probe fails; fire() ignores the probe', async () => {
    const clock = new VirtualClock(new Date(START), 1);
    clock.pause();
    const t0 = clock.nowMs();
    const invoked: string[] = [];
    const lambdas = { invoke: async (arn: string) => void invoked.push(arn.split(':').pop()!) } as unknown as LambdaHost;
    const answers: (boolean | Error)[] = [false, true, new Error('probe down')];
    const probe = (s: LocalSchedule) => {
      if ((s.input as { sweep: string }).sweep !== 'Sweep') return true;
      const answer = answers.shift()!;
      if (answer instanceof Error) throw answer;
      return answer;
    };
    const scheduler = new LocalScheduler(assembly, lambdas, {} as LocalStepFunctions, clock, undefined, probe);
    scheduler.start();
    const [sweep, other] = scheduler.schedules;
    for (let hour = 1; hour <= 3; hour++) {
      clock.advanceTo(t0 + hour * HOUR);
      // Both loops wake, probe and fire on the next turns; wait (bounded) until each has come due once more.
      for (let i = 0; i < 500 && (other!.fired < hour || sweep!.fired + sweep!.skipped < hour); i++) await new Promise((r) => setTimeout(r, 1));
      // Then a timer turn: each loop goes back to sleep until the next hour in microtasks, before the clock moves on.
      await new Promise((r) => setTimeout(r, 1));
    }
    expect(invoked.filter((f) => f === 'Other')).toHaveLength(3);
    expect({ fired: sweep!.fired, skipped: sweep!.skipped }).toEqual({ fired: 2, skipped: 1 });
    expect(other!.skipped).toBe(0);
    await scheduler.fire(sweep!);
    expect(sweep!.fired).toBe(3);
    scheduler.close();
  });
});
