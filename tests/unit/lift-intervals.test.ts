import { describe, expect, it } from 'vitest';
import { newcombe, ratioDifference, ratioOf, sampleOf, tQuantile, welch, wilson } from '../../functions/core/lift/intervals.ts';
import { moreRunsNeeded, runsForMeans, runsForProportions } from '../../functions/core/lift/power.ts';

/**
 * The interval math against published and hand-worked values (docs/holdouts.md, "Method").
 * Wilson and Newcombe: R. G. Newcombe, Statistics in Medicine 17 (1998), the single-proportion
 * paper's Table I (method 3) and the difference paper's Table II (method 10), to 4 decimals.
 */
describe('Wilson score interval', () => {
  it.each([
    { x: 81, n: 263, low: 0.2553, high: 0.3662 }, // Newcombe 1998a, Table I
    { x: 0, n: 20, low: 0, high: 0.1611 },
    { x: 15, n: 148, low: 0.0624, high: 0.1605 },
    { x: 20, n: 20, low: 0.8389, high: 1 },
  ])('$x / $n: [$low, $high]', ({ x, n, low, high }) => {
    const w = wilson(x, n);
    expect(w.low).toBeCloseTo(low, 4);
    expect(w.high).toBeCloseTo(high, 4);
  });
});

describe("Newcombe's hybrid score interval for a difference of proportions", () => {
  it.each([
    { x1: 56, n1: 70, x2: 48, n2: 80, d: 0.2, low: 0.0524, high: 0.3339 }, // Newcombe 1998b, Table II (a)
    { x1: 9, n1: 10, x2: 3, n2: 10, d: 0.6, low: 0.1705, high: 0.809 }, // (b)
    { x1: 5, n1: 56, x2: 0, n2: 29, d: 0.0893, low: -0.0381, high: 0.1926 }, // (d): a zero count
    { x1: 12, n1: 100, x2: 25, n2: 100, d: -0.13, low: -0.2356, high: -0.022 }, // a save play's churn, 12% against 25%
  ])('$x1/$n1 − $x2/$n2 = $d: [$low, $high]', ({ x1, n1, x2, n2, d, low, high }) => {
    const ci = newcombe(x1, n1, x2, n2);
    expect(ci.difference).toBeCloseTo(d, 4);
    expect(ci.low).toBeCloseTo(low, 4);
    expect(ci.high).toBeCloseTo(high, 4);
  });
});

describe('t quantile (Cornish–Fisher)', () => {
  it.each([
    { df: 5, t: 2.5706 },
    { df: 10, t: 2.2281 },
    { df: 30, t: 2.0423 },
    { df: 100, t: 1.984 },
    { df: Infinity, t: 1.96 },
  ])('t(0.975; $df) = $t', ({ df, t }) => expect(tQuantile(df)).toBeCloseTo(t, 3));
});

describe("Welch's interval for a difference of means", () => {
  it('health changes of 10 treated and 8 held-out accounts: 13.7 − 7.5 = 6.2 points, df 15.87, [3.271, 9.129]', () => {
    // Means 137/10 and 60/8; variances 104.1/9 = 11.567 and 42/7 = 6; se² = 1.1567 + 0.75; df = se⁴ / (1.1567²/9 + 0.75²/7).
    const ci = welch(sampleOf([12, 15, 9, 20, 14, 11, 17, 13, 16, 10]), sampleOf([8, 6, 11, 5, 9, 7, 10, 4]))!;
    expect(ci.difference).toBeCloseTo(6.2, 6);
    expect(ci.df).toBeCloseTo(15.874, 3);
    expect(ci.low).toBeCloseTo(3.271, 3);
    expect(ci.high).toBeCloseTo(9.129, 3);
  });

  it('has no interval under 2 values a group, and a zero-width one without spread', () => {
    expect(welch(sampleOf([1]), sampleOf([1, 2]))).toBeNull();
    expect(welch(sampleOf([3, 3]), sampleOf([1, 1]))).toMatchObject({ difference: 2, low: 2, high: 2 });
  });
});

describe('NRR as a ratio of sums, linearized', () => {
  it('treated 390/400 = 0.975 against held-out 150/200 = 0.75: difference 0.225, [−0.2790, 0.7290]', () => {
    // Treated residuals (after − R·before) / mean before: 12.5, −15, 2.5 over 133.3 → variance 0.010898, var(R) = /3 = 0.0036328.
    // Held-out: ±25 / 100 → variance 0.125, var(R) = /2 = 0.0625. Half-width 1.96 · √0.0661328 = 0.50403.
    const t = ratioOf([
      { before: 100, after: 110 },
      { before: 200, after: 180 },
      { before: 100, after: 100 },
    ])!;
    const h = ratioOf([
      { before: 100, after: 100 },
      { before: 100, after: 50 },
    ])!;
    expect(t.ratio).toBeCloseTo(0.975, 6);
    expect(t.variance).toBeCloseTo(0.0036328, 6);
    expect(h.variance).toBeCloseTo(0.0625, 6);
    const ci = ratioDifference(t, h);
    expect(ci.difference).toBeCloseTo(0.225, 6);
    expect(ci.low).toBeCloseTo(-0.27903, 4);
    expect(ci.high).toBeCloseTo(0.72903, 4);
  });
});

describe('runs needed for 80% power at alpha 5%', () => {
  it.each([
    { baseline: 0.2, effect: 0.1, k: 1, heldOut: 294, treated: 294 }, // the textbook 20% against 30%
    { baseline: 0.2, effect: 0.1, k: 9, heldOut: 169, treated: 1521 }, // a 10% holdout
    { baseline: 0.95, effect: 0.1, k: 1, heldOut: 141, treated: 141 }, // no room above: against 85%
  ])('proportions $baseline ± $effect, k = $k: $heldOut held out, $treated treated', ({ baseline, effect, k, heldOut, treated }) => {
    expect(runsForProportions(baseline, effect, k)).toEqual({ heldOut, treated });
  });

  it('means: sd 10, 5 points, equal groups: 63 each ((1.96 + 0.8416)² · 100 · 2 / 25 = 62.8)', () => {
    expect(runsForMeans(10, 5, 1)).toEqual({ heldOut: 63, treated: 63 });
  });

  it('more runs to start: the group furthest from its need, in the holdout proportions', () => {
    // 169 − 19 = 150 held-out runs missing at 10%: 1,500 more runs; 1,521 − 200 = 1,321 treated at 90%: 1,468.
    expect(moreRunsNeeded({ heldOut: 169, treated: 1521 }, { heldOut: 19, treated: 200 }, 10)).toBe(1500);
    expect(moreRunsNeeded({ heldOut: 10, treated: 90 }, { heldOut: 12, treated: 95 }, 10)).toBe(0);
  });
});
