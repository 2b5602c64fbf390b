import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { churnRisk, fitChurnModel, MIN_LABELLED, type LabelledAccount } from '../../functions/core/churn/fit.ts';
import { auc, calibration } from '../../functions/core/churn/logistic.ts';
import { seededRandom } from '../../cli/demo/random.ts';

/** Synthetic accounts whose churn follows a known rule: low login frequency and few active seats, with noise. */
function population(n: number, seed: number): LabelledAccount[] {
  const r = seededRandom(seed);
  return Array.from({ length: n }, (_, i) => {
    const loginDaysPerWeek = r.next() * 5;
    const activeSeatRatio = r.next();
    const arr = 1000 + r.next() * 50_000; // unrelated to churn
    const risk = 1 / (1 + Math.exp(-(2.5 - 1.2 * loginDaysPerWeek - 3 * activeSeatRatio)));
    return { accountId: `acct-${i}`, churned: r.next() < risk, signals: { loginDaysPerWeek, activeSeatRatio, arr, paymentStatus: 'current' } };
  });
}

describe('churn model', () => {
  it('ranks held-out accounts well above chance when churn follows a known rule', () => {
    const result = fitChurnModel(population(600, 7), new Date('2026-06-01T00:00:00Z'));
    if (!result.ok) throw new Error(result.reason);
    const m = result.model;
    expect(m.heldOut).toBeGreaterThan(100);
    expect(m.auc).toBeGreaterThan(0.75);
    expect(m.features).toEqual(['activeSeatRatio', 'arr', 'loginDaysPerWeek']);
    // The rule's signals carry the weight, with the rule's signs; ARR is noise.
    const w = Object.fromEntries(m.features.map((f, j) => [f, m.weights[j]!]));
    expect(w.loginDaysPerWeek).toBeLessThan(-0.5);
    expect(w.activeSeatRatio).toBeLessThan(-0.3);
    expect(Math.abs(w.arr!)).toBeLessThan(Math.abs(w.loginDaysPerWeek!) / 3);
    // Calibrated within reason: a low Brier score, and risk ordered as the rule says.
    expect(m.brier).toBeLessThan(0.2);
    expect(churnRisk(m, { loginDaysPerWeek: 0.2, activeSeatRatio: 0.1 })).toBeGreaterThan(churnRisk(m, { loginDaysPerWeek: 4.5, activeSeatRatio: 0.9 }) + 0.5);
  });

  it('says so when too few accounts have a known outcome', () => {
    const result = fitChurnModel(population(MIN_LABELLED - 1, 3), new Date());
    expect(result).toMatchObject({ ok: false, reason: expect.stringContaining('too few accounts with a known outcome') });
    const oneSided = population(200, 4).map((a) => ({ ...a, churned: false }));
    expect(fitChurnModel(oneSided, new Date()).ok).toBe(false);
  });

  it('AUC is 1 for a perfect ranking, 0.5 for ties, and symmetric', () => {
    expect(auc([0.9, 0.8, 0.2, 0.1], [1, 1, 0, 0])).toBe(1);
    expect(auc([0.5, 0.5], [1, 0])).toBe(0.5);
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.integer({ min: 0, max: 100 }).map((x) => x / 100),
            fc.boolean(),
          ),
          { minLength: 2 },
        ),
        (pairs) => {
          const s = pairs.map((p) => p[0]);
          const l = pairs.map((p) => (p[1] ? 1 : 0));
          const a = auc(s, l);
          if (Number.isNaN(a)) return;
          expect(a).toBeGreaterThanOrEqual(0);
          expect(a).toBeLessThanOrEqual(1);
          expect(
            auc(
              s.map((x) => 1 - x),
              l,
            ),
          ).toBeCloseTo(1 - a, 9);
        },
      ),
    );
  });

  it('calibration bins average what fell in them', () => {
    const c = calibration([0.1, 0.15, 0.9], [0, 1, 1], 5);
    expect(c.bins).toEqual([
      { from: 0, to: 0.2, accounts: 2, predicted: 0.125, observed: 0.5 },
      { from: 0.8, to: 1, accounts: 1, predicted: 0.9, observed: 1 },
    ]);
    expect(c.brier).toBeCloseTo((0.01 + 0.7225 + 0.01) / 3, 10);
  });
});
