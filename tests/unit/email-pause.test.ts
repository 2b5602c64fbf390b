import { describe, expect, it } from 'vitest';
import { pausePolicy, pauseState, sendingPause, windowDays, type ReputationDay } from '../../functions/core/email/reputation.ts';

const now = new Date('2026-03-09T12:00:00Z');
const day = (d: string, sent: number, bounced = 0, complained = 0): ReputationDay => ({ day: d, sent, bounced, complained });

describe('the automatic sending pause', () => {
  it.each([
    ['too few sends to judge', [day('2026-03-09', 100, 20)], false],
    ['bounce rate under 4%', [day('2026-03-08', 1000, 39)], false],
    ['bounce rate at 4% (80% of 5%)', [day('2026-03-08', 600, 24), day('2026-03-09', 400, 16)], true],
    ['complaint rate at 0.08% (80% of 0.1%)', [day('2026-03-05', 2500, 0, 2)], true],
    ['complaints under 0.08%', [day('2026-03-05', 2500, 0, 1)], false],
    ['bounces older than the 7-day window no longer count', [day('2026-03-02', 1000, 100), day('2026-03-04', 1000, 10)], false],
  ])('%s', (_, days, paused) => {
    expect(pauseState(days, undefined, now).paused).toBe(paused);
  });

  it('says why, with the rates and the thresholds, and how to resume', () => {
    const state = pauseState([day('2026-03-09', 1000, 45)], undefined, now);
    expect(state).toMatchObject({ paused: true, bounceRate: 0.045, sent: 1000 });
    expect(state.paused && state.reason).toContain('bounce rate 4.50% (45 of 1000) ≥ 4.00% over the last 7 days');
    expect(state.paused && state.reason).toContain('tend email resume');
  });

  it("an operator's resume holds until it expires", () => {
    const days = [day('2026-03-09', 1000, 45)];
    const override = { until: '2026-03-10T12:00:00Z', by: 'ops@vendor.example', at: now.toISOString() };
    expect(pauseState(days, override, now)).toMatchObject({ paused: false, detail: expect.stringContaining('ops@vendor.example resumed sending') });
    expect(pauseState(days, override, new Date('2026-03-10T12:00:01Z')).paused).toBe(true);
  });

  it('reads the config: a fraction, a window and a minimum volume of its own', () => {
    expect(pausePolicy({ autoPause: { fraction: 0.5 } })).toEqual({ fraction: 0.5, days: 7, minSends: 500 });
    expect(pauseState([day('2026-03-09', 100, 3)], undefined, now, { fraction: 0.5, days: 1, minSends: 50 }).paused).toBe(true);
    expect(windowDays(now, 3)).toEqual(['2026-03-07', '2026-03-08', '2026-03-09']);
  });

  it('reads the counters at most once a minute', async () => {
    let reads = 0;
    const pause = sendingPause({ days: async () => (reads++, []), override: async () => undefined }, pausePolicy(undefined));
    await pause.state(now);
    await pause.state(new Date(now.getTime() + 30_000));
    expect(reads).toBe(1);
    await pause.state(new Date(now.getTime() + 61_000));
    expect(reads).toBe(2);
  });
});
