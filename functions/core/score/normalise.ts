import type { Normalise, SignalValue } from './model.ts';

const clamp = (x: number) => Math.min(100, Math.max(0, x));

/** A signal's raw value as 0..100, or undefined when the value does not fit the rule (treated as missing). */
export function normalise(rule: Normalise, value: SignalValue): number | undefined {
  // Own keys only: a value such as 'constructor' or 'toString' must not read Object.prototype.
  if (rule.kind === 'categorical') return typeof value === 'string' && Object.hasOwn(rule.scores, value) ? rule.scores[value] : undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
  switch (rule.kind) {
    case 'linear':
      return rule.max === rule.min ? (value >= rule.max ? 100 : 0) : clamp(((value - rule.min) / (rule.max - rule.min)) * 100);
    case 'inverse':
      return rule.max === rule.min ? (value <= rule.min ? 100 : 0) : clamp(((rule.max - value) / (rule.max - rule.min)) * 100);
    case 'target':
      return clamp((value / rule.target) * 100);
    case 'points': {
      let best: number | undefined;
      let bestAt = -Infinity;
      for (const step of rule.steps) {
        if (value >= step.atLeast && step.atLeast >= bestAt) {
          best = step.score;
          bestAt = step.atLeast;
        }
      }
      return best ?? 0;
    }
  }
}
