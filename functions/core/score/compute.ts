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
 * Scores one account. Pure: the same model and values always give the same result. With the
 * values of a week before, each reason that moved says so: "... (84% a week ago)".
 */
export function computeScore(model: ScoreModel, values: SignalValues, weekBefore?: SignalValues, options: { explain?: boolean } = {}): ScoreResult {
  // Scoring stores no text (reasons are rebuilt on read): it skips building it, a third of the work.
  const explain = options.explain ?? true;
  const totalWeight = model.components.reduce((s, c) => s + c.weight, 0);
  const components: ComponentResult[] = model.components.map((component) => {
    // A plain loop, not flatMap: this runs for every signal of every account scored.
    const present: { spec: (typeof component.signals)[number]; value: number | string; score: number }[] = [];
    for (const spec of component.signals) {
      const value = values[spec.signal];
      const score = value === undefined ? undefined : normalise(spec.normalise, value);
      if (score !== undefined && value !== undefined) present.push({ spec, value, score });
    }
    const allWeight = component.signals.reduce((s, x) => s + x.weight, 0);
    const presentWeight = present.reduce((s, x) => s + x.spec.weight, 0);
    const score = presentWeight > 0 ? present.reduce((s, x) => s + x.score * x.spec.weight, 0) / presentWeight : null;
    return {
      id: component.id,
      label: component.label,
      weight: component.weight,
      score: score === null ? null : round2(score),
      coverage: round2(presentWeight / allWeight),
      signals: present.map(({ spec, value, score: s }) => {
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
        return contribution;
      }),
    };
  });

  const scored = components.filter((c) => c.score !== null);
  const scoredWeight = scored.reduce((s, c) => s + c.weight, 0);
  const coverage = round2(components.reduce((s, c) => s + c.weight * c.coverage, 0) / totalWeight);
  if (scoredWeight === 0) {
    return { modelId: model.id, modelVersion: model.version, score: null, tier: null, color: null, coverage, components, driversDown: [], driversUp: [] };
  }

  const specs = componentsById(model);
  for (const c of scored) {
    const spec = specs.get(c.id)!;
    const presentWeight = c.signals.reduce((s, x) => s + (spec.signals.find((y) => y.signal === x.signal)?.weight ?? 0), 0);
    for (const s of c.signals) {
      const share = (c.weight / scoredWeight) * ((spec.signals.find((y) => y.signal === s.signal)?.weight ?? 0) / presentWeight);
      s.points = round2(s.score * share);
      s.pointsLost = round2((100 - s.score) * share);
    }
  }
  const exact = scored.reduce((s, c) => s + (c.score as number) * c.weight, 0) / scoredWeight;
  const score = Math.min(100, Math.max(0, Math.round(exact)));
  const tier = tierOf(model, score);
  const all = scored.flatMap((c) => c.signals);
  const driversDown = all
    .filter((s) => s.pointsLost > 0)
    .sort((a, b) => b.pointsLost - a.pointsLost)
    .slice(0, 3);
  // A partly met signal both costs and earns points: it is named once, as a cost when it is among the
  // top costs (what would raise the score most), so the two lists never say the same thing.
  const driversUp = all
    .filter((s) => s.points > 0 && !driversDown.includes(s))
    .sort((a, b) => b.points - a.points)
    .slice(0, 3);
  return { modelId: model.id, modelVersion: model.version, score, tier: tier.name, color: tier.color, coverage, components, driversDown, driversUp };
}

/** A model's components by id (the last of an id, as a Map built from the list keeps): built once per model, not per call. */
const byId = new WeakMap<ScoreModel, Map<string, ScoreModel['components'][number]>>();
function componentsById(model: ScoreModel) {
  let found = byId.get(model);
  if (!found) byId.set(model, (found = new Map(model.components.map((c) => [c.id, c]))));
  return found;
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
