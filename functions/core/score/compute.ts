import { normalise } from './normalise.ts';
import type { ScoreModel, SignalValues } from './model.ts';
import { shortValue, signalInfo } from './signals.ts';

export interface SignalContribution {
  signal: string;
  value: number | string;
  /** The signal on 0..100. */
  score: number;
  /** Points of the total this signal adds (its score times its share of the present weight). */
  points: number;
  /** Points it would add at 100 minus what it adds: what it costs the account. */
  pointsLost: number;
  text: string;
  /** The value a week earlier, when it was known and scored differently. */
  before?: number | string;
}

export interface ComponentResult {
  id: string;
  label: string;
  weight: number;
  /** 0..100, or null when none of its signals is present. */
  score: number | null;
  /** Share of the component's signal weight that had data, 0..1. */
  coverage: number;
  signals: SignalContribution[];
}

export interface ScoreResult {
  modelId: string;
  modelVersion: string;
  /** Whole number 0..100, or null when no signal of the model has data. */
  score: number | null;
  tier: string | null;
  color: string | null;
  /** Share of the model's weight that had data, 0..1: missing signals re-weight over the rest. */
  coverage: number;
  components: ComponentResult[];
  driversDown: SignalContribution[];
  driversUp: SignalContribution[];
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** A change of this many points (0..100) in a signal's score is worth saying in its reason. */
const NOTABLE_CHANGE = 5;

/**
 * A model's weights as the scoring loop reads them, worked out once per model: the total, each
 * component's signal weight, and the weight each signal's points use (that of the first signal of
 * its name in the last component of its id, as a lookup by id then by name gives).
 */
interface WeightPlan {
  totalWeight: number;
  allWeights: number[];
  pointWeights: number[][];
}
const weightPlans = new WeakMap<ScoreModel, WeightPlan>();
function weightPlan(model: ScoreModel): WeightPlan {
  let plan = weightPlans.get(model);
  if (plan) return plan;
  const byId = new Map(model.components.map((c) => [c.id, c]));
  plan = {
    totalWeight: model.components.reduce((s, c) => s + c.weight, 0),
    allWeights: model.components.map((c) => c.signals.reduce((s, x) => s + x.weight, 0)),
    pointWeights: model.components.map((c) => c.signals.map((x) => byId.get(c.id)!.signals.find((y) => y.signal === x.signal)?.weight ?? 0)),
  };
  weightPlans.set(model, plan);
  return plan;
}

/**
 * Puts `s` among the top three of `top` by `key`, highest first; a tie stays behind those already
 * there, as a stable sort then the first three would leave it. Scoring ranks every account's signals:
 * this keeps three, where a filter, a sort and a slice made three arrays.
 */
function keepTopThree(top: SignalContribution[], s: SignalContribution, key: 'points' | 'pointsLost') {
  let at = top.length;
  while (at > 0 && top[at - 1]![key] < s[key]) at--;
  if (at >= 3) return;
  top.splice(at, 0, s);
  if (top.length > 3) top.length = 3;
}

/**
 * Scores one account. Pure: the same model and values always give the same result. With the
 * values of a week before, each reason that moved says so: "... (84% a week ago)".
 *
 * This runs for every account scored: plain loops over the model, its weights worked out once per
 * model (weightPlan), no intermediate arrays (tests/unit/compute-rewrite.test.ts holds it to the
 * map/filter/sort version it replaced, bench/run.ts measures it).
 */
export function computeScore(model: ScoreModel, values: SignalValues, weekBefore?: SignalValues, options: { explain?: boolean } = {}): ScoreResult {
  // Scoring stores no text (reasons are rebuilt on read): it skips building it, a third of the work.
  const explain = options.explain ?? true;
  const { totalWeight, allWeights, pointWeights } = weightPlan(model);
  const components: ComponentResult[] = [];
  // Each present signal's point weight, in the order of the components' `signals`.
  const presentPointWeights: number[] = [];
  for (let ci = 0; ci < model.components.length; ci++) {
    const component = model.components[ci]!;
    const signals: SignalContribution[] = [];
    let presentWeight = 0;
    let weighted = 0;
    for (let si = 0; si < component.signals.length; si++) {
      const spec = component.signals[si]!;
      const value = values[spec.signal];
      const s = value === undefined ? undefined : normalise(spec.normalise, value);
      if (s === undefined || value === undefined) continue;
      presentWeight += spec.weight;
      weighted += s * spec.weight;
      presentPointWeights.push(pointWeights[ci]![si]!);
      const before = weekBefore?.[spec.signal];
      const beforeScore = before === undefined ? undefined : normalise(spec.normalise, before);
      const moved = before !== undefined && beforeScore !== undefined && Math.abs(beforeScore - s) >= NOTABLE_CHANGE;
      const text = explain ? signalInfo(spec.signal).describe(value) : '';
      const contribution: SignalContribution = {
        signal: spec.signal,
        value,
        score: round2(s),
        points: 0,
        pointsLost: 0,
        text: moved && explain ? `${text} (${shortValue(spec.signal, before)} a week ago)` : text,
      };
      // Set after, not spread into the literal (the slow path of object creation); still the last key.
      if (moved) contribution.before = before;
      signals.push(contribution);
    }
    const score = presentWeight > 0 ? weighted / presentWeight : null;
    components.push({
      id: component.id,
      label: component.label,
      weight: component.weight,
      score: score === null ? null : round2(score),
      coverage: round2(presentWeight / allWeights[ci]!),
      signals,
    });
  }

  let scoredWeight = 0;
  let covered = 0;
  for (const c of components) {
    if (c.score !== null) scoredWeight += c.weight;
    covered += c.weight * c.coverage;
  }
  const coverage = round2(covered / totalWeight);
  if (scoredWeight === 0) {
    return { modelId: model.id, modelVersion: model.version, score: null, tier: null, color: null, coverage, components, driversDown: [], driversUp: [] };
  }

  let exactSum = 0;
  let p = 0;
  for (const c of components) {
    if (c.score === null) {
      p += c.signals.length;
      continue;
    }
    let presentWeight = 0;
    for (let k = 0; k < c.signals.length; k++) presentWeight += presentPointWeights[p + k]!;
    for (const s of c.signals) {
      const share = (c.weight / scoredWeight) * (presentPointWeights[p++]! / presentWeight);
      s.points = round2(s.score * share);
      s.pointsLost = round2((100 - s.score) * share);
    }
    exactSum += c.score * c.weight;
  }
  const exact = exactSum / scoredWeight;
  const score = Math.min(100, Math.max(0, Math.round(exact)));
  const tier = tierOf(model, score);
  const driversDown: SignalContribution[] = [];
  for (const c of components) if (c.score !== null) for (const s of c.signals) if (s.pointsLost > 0) keepTopThree(driversDown, s, 'pointsLost');
  // A partly met signal both costs and earns points: it is named once, as a cost when it is among the
  // top costs (what would raise the score most), so the two lists never say the same thing.
  const driversUp: SignalContribution[] = [];
  for (const c of components)
    if (c.score !== null) for (const s of c.signals) if (s.points > 0 && !driversDown.includes(s)) keepTopThree(driversUp, s, 'points');
  return { modelId: model.id, modelVersion: model.version, score, tier: tier.name, color: tier.color, coverage, components, driversDown, driversUp };
}

/** A model's tiers, top first: sorted once per model, not once per call (a scoring pass ranks ~35 daily scores). */
const sortedTiers = new WeakMap<ScoreModel, ScoreModel['tiers']>();
function tiersTopFirst(model: ScoreModel): ScoreModel['tiers'] {
  let sorted = sortedTiers.get(model);
  if (!sorted) sortedTiers.set(model, (sorted = [...model.tiers].sort((a, b) => b.min - a.min)));
  return sorted;
}

export function tierOf(model: ScoreModel, score: number) {
  const sorted = tiersTopFirst(model);
  return sorted.find((t) => score >= t.min) ?? sorted[sorted.length - 1]!;
}

/** Position of a score's tier, 0 for the top tier. */
export function tierRank(model: ScoreModel, score: number | null): number | null {
  if (score === null) return null;
  const sorted = tiersTopFirst(model);
  const i = sorted.findIndex((t) => score >= t.min);
  return i === -1 ? sorted.length - 1 : i;
}

export type HealthBand = 'green' | 'yellow' | 'red';

/**
 * Models name their tiers as they like (healthy, stable, at-risk, critical...); plays speak of
 * bands: the top tier is green, the bottom tier red, any tier between yellow.
 */
export function bandOf(model: ScoreModel, score: number | null): HealthBand | null {
  const rank = tierRank(model, score);
  if (rank === null) return null;
  return rank === 0 ? 'green' : rank === model.tiers.length - 1 ? 'red' : 'yellow';
}
