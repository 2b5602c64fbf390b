/** computeScore as it was before its allocation-free rewrite (kept only as the oracle of tests/unit/compute-rewrite.test.ts). */
import { normalise } from '../../../functions/core/score/normalise.ts';
import type { ScoreModel, SignalValues } from '../../../functions/core/score/model.ts';
import { shortValue, signalInfo } from '../../../functions/core/score/signals.ts';
import { tierOf, type ComponentResult, type ScoreResult, type SignalContribution } from '../../../functions/core/score/compute.ts';

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

const byId = new WeakMap<ScoreModel, Map<string, ScoreModel['components'][number]>>();
function componentsById(model: ScoreModel) {
  let found = byId.get(model);
  if (!found) byId.set(model, (found = new Map(model.components.map((c) => [c.id, c]))));
  return found;
}
