/**
 * The simulated customers of the holdout proofs (docs/holdouts.md, "Proved on the simulator"):
 * each account churns within the window with a probability that depends only on whether the
 * play really treated it (its email went out), so the play's true effect on churn is known.
 * Used by the integration test on the local runtime and by the calibration bench.
 */

/** mulberry32: small, seeded, the same on every machine (Math.random is not seedable). */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface ChurnModel {
  /** Churn probability within the window for an account the play did not treat. */
  base: number;
  /** The play's true effect on it (−0.10: ten points less churn when treated). */
  effect: number;
}

/** Whether this account churns: one draw, against base + effect when it was treated. */
export const churns = (model: ChurnModel, treated: boolean, random: () => number) => random() < model.base + (treated ? model.effect : 0);
