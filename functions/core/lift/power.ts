import { Z_80, Z_95 } from './intervals.ts';

/**
 * Runs needed per group to detect a difference `effect` (power 80%, two-sided alpha 5%) when the
 * treated group is `k` times the held-out one (k = (100 − share) / share): the docs/holdouts.md
 * formulas, Fleiss's for proportions with unequal groups and the normal one for means.
 */
export function runsForProportions(baseline: number, effect: number, k: number): { heldOut: number; treated: number } {
  const p2 = baseline;
  // The alternative on the side with room (a rate of 0.95 can only fall by 10 points).
  const p1 = p2 + effect <= 1 ? p2 + effect : p2 - effect;
  const pBar = (p2 + k * p1) / (1 + k);
  const root = Z_95 * Math.sqrt(pBar * (1 - pBar) * (1 + 1 / k)) + Z_80 * Math.sqrt(p2 * (1 - p2) + (p1 * (1 - p1)) / k);
  const heldOut = Math.ceil((root * root) / (effect * effect));
  return { heldOut, treated: Math.ceil(k * heldOut) };
}

export function runsForMeans(sd: number, effect: number, k: number): { heldOut: number; treated: number } {
  const heldOut = Math.ceil(((Z_95 + Z_80) ** 2 * sd * sd * (1 + 1 / k)) / (effect * effect));
  return { heldOut, treated: Math.ceil(k * heldOut) };
}

/** How many more runs to start (in the holdout's proportions) until both groups reach what they need. */
export function moreRunsNeeded(needed: { heldOut: number; treated: number }, have: { heldOut: number; treated: number }, share: number): number {
  const h = share / 100;
  return Math.max(0, Math.ceil((needed.heldOut - have.heldOut) / h), Math.ceil((needed.treated - have.treated) / (1 - h)));
}
