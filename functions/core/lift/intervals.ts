/**
 * The 95% intervals of docs/holdouts.md, "Method". Hand-rolled: no statistics library is among
 * the dependencies, and these are a few closed forms (Wilson, Newcombe, Welch, a ratio's
 * linearized variance) plus a t quantile; each is tested against hand-computed values.
 */

/** The normal quantile for a two-sided 95% interval and for 80% power. */
export const Z_95 = 1.959963984540054;
export const Z_80 = 0.8416212335729143;

export interface Interval {
  low: number;
  high: number;
}

/** Wilson's score interval for a proportion x / n (good at small n and near 0 or 1, unlike p ± z·se). */
export function wilson(x: number, n: number, z = Z_95): Interval {
  if (n <= 0) return { low: 0, high: 1 };
  const p = x / n;
  const denominator = 1 + (z * z) / n;
  const centre = (p + (z * z) / (2 * n)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/**
 * Newcombe's hybrid score interval (his method 10, 1998) for p1 − p2 from the two Wilson
 * intervals: keeps its coverage near 95% at small samples where the Wald interval does not.
 */
export function newcombe(x1: number, n1: number, x2: number, n2: number, z = Z_95): Interval & { difference: number } {
  const p1 = x1 / n1;
  const p2 = x2 / n2;
  const w1 = wilson(x1, n1, z);
  const w2 = wilson(x2, n2, z);
  const d = p1 - p2;
  return {
    difference: d,
    low: d - Math.sqrt((p1 - w1.low) ** 2 + (w2.high - p2) ** 2),
    high: d + Math.sqrt((w1.high - p1) ** 2 + (p2 - w2.low) ** 2),
  };
}

/**
 * The t quantile t(1 − α/2; ν) by the Cornish–Fisher expansion of A&S 26.7.5 (four terms):
 * within 0.002 of the exact value from ν = 5 on (2.571 at ν = 5), 1% under at ν = 2; the
 * method needs at least 2 runs per group and warns of small samples anyway.
 */
export function tQuantile(df: number, z = Z_95): number {
  if (!Number.isFinite(df)) return z;
  const v = Math.max(df, 1);
  const z3 = z ** 3;
  const z5 = z ** 5;
  const z7 = z ** 7;
  const z9 = z ** 9;
  return (
    z +
    (z3 + z) / (4 * v) +
    (5 * z5 + 16 * z3 + 3 * z) / (96 * v ** 2) +
    (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * v ** 3) +
    (79 * z9 + 776 * z7 + 1482 * z5 - 1920 * z3 - 945 * z) / (92160 * v ** 4)
  );
}

export interface Sample {
  n: number;
  mean: number;
  /** The sample variance (n − 1 in the denominator). */
  variance: number;
}

export function sampleOf(values: number[]): Sample {
  const n = values.length;
  const mean = n ? values.reduce((s, v) => s + v, 0) / n : 0;
  const variance = n > 1 ? values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1) : 0;
  return { n, mean, variance };
}

/** Welch's interval for mean1 − mean2 (unequal variances, Welch–Satterthwaite degrees of freedom); null under 2 values a group. */
export function welch(a: Sample, b: Sample): (Interval & { difference: number; df: number }) | null {
  if (a.n < 2 || b.n < 2) return null;
  const va = a.variance / a.n;
  const vb = b.variance / b.n;
  const se = Math.sqrt(va + vb);
  const difference = a.mean - b.mean;
  if (se === 0) return { difference, low: difference, high: difference, df: a.n + b.n - 2 };
  const df = (va + vb) ** 2 / (va ** 2 / (a.n - 1) + vb ** 2 / (b.n - 1));
  const t = tQuantile(df);
  return { difference, low: difference - t * se, high: difference + t * se, df };
}

/** A ratio of sums Σy / Σx (NRR: ARR after ÷ ARR before) with its linearized (delta-method) variance. */
export function ratioOf(pairs: { before: number; after: number }[]): { ratio: number; variance: number; n: number } | null {
  const n = pairs.length;
  const sx = pairs.reduce((s, p) => s + p.before, 0);
  if (n < 2 || sx <= 0) return null;
  const ratio = pairs.reduce((s, p) => s + p.after, 0) / sx;
  const meanX = sx / n;
  // Residuals of the ratio estimator, scaled by the mean denominator: var(R) ≈ s²(e) / n.
  const residuals = pairs.map((p) => (p.after - ratio * p.before) / meanX);
  return { ratio, variance: sampleOf(residuals).variance / n, n };
}

/** The normal interval for R1 − R2 from two linearized ratios. */
export function ratioDifference(a: { ratio: number; variance: number }, b: { ratio: number; variance: number }, z = Z_95): Interval & { difference: number } {
  const difference = a.ratio - b.ratio;
  const half = z * Math.sqrt(a.variance + b.variance);
  return { difference, low: difference - half, high: difference + half };
}
