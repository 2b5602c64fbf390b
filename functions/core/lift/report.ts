import type { Holdout } from '../plays/holdout.ts';
import { newcombe, ratioDifference, ratioOf, sampleOf, welch, type Interval } from './intervals.ts';
import type { Observation } from './observations.ts';
import { moreRunsNeeded, runsForMeans, runsForProportions } from './power.ts';

/**
 * A play's lift (docs/holdouts.md): for each outcome, the treated and held-out figures, their
 * difference with its 95% interval, and whether there are enough runs yet to detect the play's
 * minimum effect. Pure: the observations come from functions/core/lift/observations.ts.
 */

export type Verdict = 'not-enough-data' | 'treated-higher' | 'treated-lower' | 'no-detectable-difference';

interface Needed {
  /** What "enough" is computed for: the minimum effect (a proportion, score points or an NRR difference). */
  minimumEffect: number;
  heldOut: number;
  treated: number;
  /** More runs to start, in the holdout's proportions, until both groups have what they need. */
  moreRuns: number;
}

interface OutcomeBase {
  id: string;
  label: string;
  difference: number | null;
  interval: Interval | null;
  method: string;
  enoughData: boolean;
  stillNeeded: Needed | null;
  verdict: Verdict;
}

export interface RateGroup {
  n: number;
  count: number;
  rate: number | null;
  pending: number;
}
export interface MeanGroup {
  n: number;
  mean: number | null;
  sd: number | null;
  pending: number;
}
export interface RatioGroup {
  n: number;
  value: number | null;
  pending: number;
}

export type OutcomeLift =
  | (OutcomeBase & { kind: 'rate'; treated: RateGroup; heldOut: RateGroup })
  | (OutcomeBase & { kind: 'mean'; treated: MeanGroup; heldOut: MeanGroup })
  | (OutcomeBase & { kind: 'ratio'; treated: RatioGroup; heldOut: RatioGroup });

/** Fewer than this many runs with a known outcome in a group: no interval is shown (it would be mostly noise). */
export const MIN_PER_GROUP = 2;

const round = (x: number, digits = 4) => Math.round(x * 10 ** digits) / 10 ** digits;
const roundInterval = (i: Interval | null) => (i ? { low: round(i.low), high: round(i.high) } : null);

/**
 * An interval clear of zero is a difference found, however few the runs; one that holds zero says
 * "no detectable difference" only once both groups have the runs the minimum effect needs, and
 * "not enough data" before (docs/holdouts.md: decide at the planned size, not at every look).
 */
function verdictOf(interval: Interval | null, enough: boolean): Verdict {
  if (!interval) return 'not-enough-data';
  if (interval.low > 0) return 'treated-higher';
  if (interval.high < 0) return 'treated-lower';
  return enough ? 'no-detectable-difference' : 'not-enough-data';
}

function needed(runs: { heldOut: number; treated: number }, have: { heldOut: number; treated: number }, share: number, minimumEffect: number): Needed {
  return { minimumEffect, ...runs, moreRuns: moreRunsNeeded(runs, have, share) };
}

/** A proportion outcome: Newcombe's interval for treated − held-out, and runs needed for `effect` from the held-out rate. */
export function rateLift(id: string, label: string, values: { group: Observation['group']; value: boolean | null }[], holdout: Holdout): OutcomeLift {
  const groupOf = (g: Observation['group']): RateGroup => {
    const known = values.filter((v) => v.group === g && v.value !== null);
    const count = known.filter((v) => v.value).length;
    return {
      n: known.length,
      count,
      rate: known.length ? round(count / known.length) : null,
      pending: values.filter((v) => v.group === g && v.value === null).length,
    };
  };
  const treated = groupOf('treated');
  const heldOut = groupOf('held-out');
  const effect = holdout.minimumEffect / 100;
  const k = (100 - holdout.share) / holdout.share;
  const baseline = heldOut.n ? heldOut.count / heldOut.n : treated.n ? treated.count / treated.n : 0.5;
  const runs = runsForProportions(baseline, effect, k);
  const have = { heldOut: heldOut.n, treated: treated.n };
  const enough = heldOut.n >= runs.heldOut && treated.n >= runs.treated;
  const ci = treated.n >= MIN_PER_GROUP && heldOut.n >= MIN_PER_GROUP ? newcombe(treated.count, treated.n, heldOut.count, heldOut.n) : null;
  return {
    id,
    label,
    kind: 'rate',
    treated,
    heldOut,
    difference: ci ? round(ci.difference) : null,
    interval: roundInterval(ci),
    method: 'newcombe-wilson',
    enoughData: enough,
    stillNeeded: enough ? null : needed(runs, have, holdout.share, effect),
    verdict: verdictOf(ci, enough),
  };
}

/** A mean outcome (health change): Welch's interval; runs needed for `effect` score points with the observed spread. */
export function meanLift(id: string, label: string, values: { group: Observation['group']; value: number | null }[], holdout: Holdout): OutcomeLift {
  const of = (g: Observation['group']) => sampleOf(values.filter((v) => v.group === g && v.value !== null).map((v) => v.value!));
  const pendingOf = (g: Observation['group']) => values.filter((v) => v.group === g && v.value === null).length;
  const t = of('treated');
  const h = of('held-out');
  const show = (s: ReturnType<typeof sampleOf>, g: Observation['group']): MeanGroup => ({
    n: s.n,
    mean: s.n ? round(s.mean, 2) : null,
    sd: s.n > 1 ? round(Math.sqrt(s.variance), 2) : null,
    pending: pendingOf(g),
  });
  const ci = welch(t, h);
  const pooledSd = t.n + h.n > 2 ? Math.sqrt(((t.n - 1) * t.variance + (h.n - 1) * h.variance) / Math.max(1, t.n + h.n - 2)) : null;
  const k = (100 - holdout.share) / holdout.share;
  const runs = pooledSd ? runsForMeans(pooledSd, holdout.minimumEffect, k) : null;
  const enough = !!runs && h.n >= runs.heldOut && t.n >= runs.treated;
  return {
    id,
    label,
    kind: 'mean',
    treated: show(t, 'treated'),
    heldOut: show(h, 'held-out'),
    difference: ci ? round(ci.difference, 2) : null,
    interval: ci ? { low: round(ci.low, 2), high: round(ci.high, 2) } : null,
    method: 'welch',
    enoughData: enough,
    stillNeeded: enough || !runs ? null : needed(runs, { heldOut: h.n, treated: t.n }, holdout.share, holdout.minimumEffect),
    verdict: verdictOf(ci, enough),
  };
}

/** NRR of the accounts (Σ ARR after ÷ Σ ARR before): the linearized ratio's normal interval. */
export function ratioLift(id: string, label: string, values: { group: Observation['group']; value: Observation['nrr'] }[], holdout: Holdout): OutcomeLift {
  const pairsOf = (g: Observation['group']) => values.filter((v) => v.group === g && v.value !== null).map((v) => v.value!);
  const pendingOf = (g: Observation['group']) => values.filter((v) => v.group === g && v.value === null).length;
  const t = ratioOf(pairsOf('treated'));
  const h = ratioOf(pairsOf('held-out'));
  const show = (r: ReturnType<typeof ratioOf>, g: Observation['group']): RatioGroup => ({
    n: pairsOf(g).length,
    value: r ? round(r.ratio) : null,
    pending: pendingOf(g),
  });
  const ci = t && h ? ratioDifference(t, h) : null;
  const effect = holdout.minimumEffect / 100;
  const k = (100 - holdout.share) / holdout.share;
  // The spread of one account's linearized NRR: sqrt(n · var(R)), pooled over the groups.
  const sd = t && h ? Math.sqrt((t.variance * t.n * (t.n - 1) + h.variance * h.n * (h.n - 1)) / Math.max(1, t.n + h.n - 2)) : null;
  const runs = sd ? runsForMeans(sd, effect, k) : null;
  const enough = !!runs && !!t && !!h && h.n >= runs.heldOut && t.n >= runs.treated;
  return {
    id,
    label,
    kind: 'ratio',
    treated: show(t, 'treated'),
    heldOut: show(h, 'held-out'),
    difference: ci ? round(ci.difference) : null,
    interval: roundInterval(ci),
    method: 'ratio-linearized',
    enoughData: enough,
    stillNeeded: enough || !runs ? null : needed(runs, { heldOut: h?.n ?? 0, treated: t?.n ?? 0 }, holdout.share, effect),
    verdict: verdictOf(ci, enough),
  };
}

/** Every outcome of a play's lift, from its randomized runs' observations. */
export function liftOutcomes(observations: Observation[], holdout: Holdout, endings: string[]): OutcomeLift[] {
  const n = holdout.days;
  const endingsSeen = [...new Set([...endings, ...observations.map((o) => o.ending).filter((e): e is string => e !== null)])];
  return [
    ...endingsSeen.map((reason) =>
      rateLift(
        `ending:${reason}`,
        reason === 'completed' ? 'went through every step' : `exited ${reason}`,
        observations.map((o) => ({ group: o.group, value: o.ending === null ? null : o.ending === reason })),
        holdout,
      ),
    ),
    rateLift(
      `churned-within-${n}d`,
      `churned within ${n} days`,
      observations.map((o) => ({ group: o.group, value: o.churned })),
      holdout,
    ),
    rateLift(
      `renewed-within-${n}d`,
      `renewal recorded renewed within ${n} days`,
      observations.map((o) => ({ group: o.group, value: o.renewed })),
      holdout,
    ),
    rateLift(
      `first-value-within-${n}d`,
      `first value reached within ${n} days`,
      observations.map((o) => ({ group: o.group, value: o.firstValue })),
      holdout,
    ),
    meanLift(
      `health-change-${n}d`,
      `health score change after ${n} days (points)`,
      observations.map((o) => ({ group: o.group, value: o.healthChange })),
      holdout,
    ),
    ratioLift(
      `nrr-${n}d`,
      `NRR of the accounts over ${n} days`,
      observations.map((o) => ({ group: o.group, value: o.nrr })),
      holdout,
    ),
  ];
}
