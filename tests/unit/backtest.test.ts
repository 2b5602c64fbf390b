import { describe, expect, it } from 'vitest';
import { backtest, type HistoricScore } from '../../functions/core/score/backtest.ts';
import { computeScore } from '../../functions/core/score/compute.ts';
import { presetModel } from '../../functions/core/score/presets/index.ts';

const seed002 = presetModel('seed-002');
const seed004 = presetModel('seed-004');

/** History as seed-002 stored it: an account's signals each day, scored by seed-002. */
function history(accountId: string, days: { day: string; signals: HistoricScore['signals'] }[]): HistoricScore[] {
  return days.map(({ day, signals }) => {
    const r = computeScore(seed002, signals);
    return { accountId, day, segment: 'tech-touch', signals, score: r.score, tier: r.tier };
  });
}

describe('backtest', () => {
  it('reports nothing changed when the candidate is the stored model', () => {
    const h = history('a', [{ day: '2026-03-01', signals: { loginDaysPerWeek: 3, featureAdoption: 0.5 } }]);
    const r = backtest(h, () => seed002);
    expect(r.changes).toEqual([]);
    expect(r.latest.stored).toEqual(r.latest.candidate);
  });

  it('finds the accounts that change tier and the first day they do', () => {
    const h = [
      // Always fully active: green under seed-002, and under seed-004 (no data for its other signals) it is scored on adoption alone.
      ...history('steady', [
        { day: '2026-03-01', signals: { loginDaysPerWeek: 4, featureAdoption: 0.7, activeSeatRatio: 0.8, usageDepth: 4 } },
        { day: '2026-03-02', signals: { loginDaysPerWeek: 4, featureAdoption: 0.7, activeSeatRatio: 0.8, usageDepth: 4 } },
      ]),
      // Adoption falls on day 2: seed-004 (adoption only, here) moves it sooner and further.
      ...history('slipping', [
        { day: '2026-03-01', signals: { loginDaysPerWeek: 4, featureAdoption: 0.7, activeSeatRatio: 0.8, usageDepth: 4 } },
        { day: '2026-03-02', signals: { loginDaysPerWeek: 4, featureAdoption: 0.35, activeSeatRatio: 0.8, usageDepth: 4 } },
      ]),
    ];
    const r = backtest(h, () => seed004);
    expect(r.accounts).toBe(2);
    expect(r.days).toBe(2);
    // Day 1, both accounts: every signal at its target -> 100 under either model: green (seed-002), healthy (seed-004).
    // Day 2, 'slipping': seed-002 usage = (100 + 50 + 100 + 100) / 4 = 87.5 -> 88 green (usage is all it has);
    // seed-004 has only featureAdoption of its signals: 0.35 / 0.7 = 50 -> at-risk.
    expect(r.changes).toEqual([
      { accountId: 'slipping', firstDay: '2026-03-01', was: 'green', wouldBe: 'healthy', daysDifferent: 2 },
      { accountId: 'steady', firstDay: '2026-03-01', was: 'green', wouldBe: 'healthy', daysDifferent: 2 },
    ]);
    expect(r.transitions).toEqual({ green: { healthy: 1, 'at-risk': 1 } });
    expect(r.latest).toEqual({ stored: { green: 2 }, candidate: { healthy: 1, 'at-risk': 1 } });
    expect(r.averageScore).toEqual({ stored: (100 + 88) / 2, candidate: (100 + 50) / 2 });
  });
});
