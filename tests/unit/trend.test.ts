import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { recordDaily, trendOf, TREND_DAYS, type DailyScore } from '../../functions/core/score/trend.ts';

const day = (n: number) => new Date(Date.UTC(2026, 0, 1) + n * 86_400_000).toISOString().slice(0, 10);
const series = (scores: (number | null)[]): DailyScore[] => scores.flatMap((s, i) => (s === null ? [] : [{ day: day(i), score: s }]));

describe('score trend', () => {
  it.each([
    // 31 daily scores, today last: change over 7 and 30 days.
    ['steady', Array(31).fill(80), { change7d: 0, change30d: 0, fallingFast: false }],
    ['falling fast while still green', [...Array(24).fill(95), 94, 93, 92, 90, 88, 86, 84], { change7d: -11, change30d: -11, fallingFast: true }],
    ['rising', Array.from({ length: 31 }, (_, i) => 40 + i), { change7d: 7, change30d: 30, fallingFast: false }],
    ['a slow fall is not fast', Array.from({ length: 31 }, (_, i) => 90 - Math.floor(i / 2)), { change7d: -4, change30d: -15, fallingFast: false }],
  ])('%s', (_, scores, expected) => {
    const recent = series(scores);
    expect(trendOf(recent, recent[recent.length - 1]!, 10)).toEqual(expected);
  });

  it('has no change without a score that far back, and uses the last score before a missed day', () => {
    const young = series([70, 72, 75]);
    expect(trendOf(young, young[2]!, 10)).toEqual({ change7d: null, change30d: null, fallingFast: false });
    // Day 23 (7 days before day 30) was missed: day 22's score stands in.
    const gap = series([...Array(23).fill(60), null, ...Array(6).fill(60), 50]).map((d, i) => (i === 22 ? { ...d, score: 64 } : d));
    expect(trendOf(gap, gap[gap.length - 1]!, 10).change7d).toBe(-14);
  });

  it('keeps TREND_DAYS days, one score a day, today replacing an earlier run of today', () => {
    let recent: DailyScore[] = [];
    for (let i = 0; i < 50; i++) recent = recordDaily(recent, { day: day(i), score: i });
    expect(recent).toHaveLength(TREND_DAYS);
    expect(recent[0]!.day).toBe(day(50 - TREND_DAYS));
    const rerun = recordDaily(recent, { day: day(49), score: 7 });
    expect(rerun).toHaveLength(TREND_DAYS);
    expect(rerun[rerun.length - 1]).toEqual({ day: day(49), score: 7 });
  });

  it('flags falling fast exactly when the 7-day loss reaches the threshold', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 }), fc.integer({ min: 1, max: 50 }), (before, now, threshold) => {
        const recent = series([before, ...Array(6).fill(before), now]);
        const t = trendOf(recent, recent[7]!, threshold);
        expect(t.change7d).toBe(now - before);
        expect(t.fallingFast).toBe(before - now >= threshold);
      }),
    );
  });
});

describe('score trend after a missed run', () => {
  it('still has a 30-day change when the run 30 days ago was missed', () => {
    // 35 days kept; day 5 (30 days before day 35) missed, day 4 stands in.
    const scores = Array.from({ length: 36 }, (_, i) => (i === 5 ? null : 50 + i));
    const recent = recordDaily(series(scores), { day: day(35), score: 85 });
    expect(trendOf(recent, { day: day(35), score: 85 }, 10).change30d).toBe(85 - 54);
  });
});
