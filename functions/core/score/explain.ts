import type { StoredScore } from '../types.ts';
import { computeScore } from './compute.ts';
import type { ScoreModel } from './model.ts';

/**
 * What the score item keeps: the result without its explanation. The reasons (components,
 * drivers and their text) are a pure function of the model, the signals and the week-before
 * values of the reasons that moved, so they are rebuilt on read instead of stored.
 */
export type ScoreFacts = Omit<StoredScore, 'components' | 'driversDown' | 'driversUp' | 'color'> & {
  /** A week-earlier value for each signal whose reason says "(... a week ago)". */
  weekBefore: Record<string, number | string>;
};

/** The facts to store for a computed score. */
export function factsOf(score: StoredScore): ScoreFacts {
  const { components, driversDown: _down, driversUp: _up, color: _color, ...facts } = score;
  const weekBefore: Record<string, number | string> = {};
  for (const c of components) for (const s of c.signals) if (s.before !== undefined) weekBefore[s.signal] = s.before;
  return { ...facts, weekBefore };
}

/**
 * A stored score with its reasons, rebuilt under `model`. The score, tier and coverage stay as
 * stored (a model changed since explains but does not re-score: the next run does).
 */
export function explainScore(model: ScoreModel, facts: ScoreFacts): StoredScore {
  const { weekBefore, ...stored } = facts;
  const { components, driversDown, driversUp } = computeScore(model, facts.signals, weekBefore);
  const color = model.tiers.find((t) => t.name === facts.tier)?.color ?? null;
  return { ...stored, components, driversDown, driversUp, color };
}
