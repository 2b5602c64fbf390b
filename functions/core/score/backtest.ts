import { computeScore } from './compute.ts';
import type { ScoreModel, SignalValues } from './model.ts';

/** One stored daily score: what the account's signals were and what the model then said. */
export interface HistoricScore {
  accountId: string;
  day: string;
  segment: string;
  signals: SignalValues;
  score: number | null;
  tier: string | null;
}

export interface TierChange {
  accountId: string;
  /** The first day the candidate model puts the account in another tier. */
  firstDay: string;
  was: string | null;
  wouldBe: string | null;
  /** Days (of those stored) on which the tiers differ. */
  daysDifferent: number;
}

export interface BacktestReport {
  accounts: number;
  days: number;
  /** Latest day's tier counts, as stored and under the candidate. */
  latest: { stored: Record<string, number>; candidate: Record<string, number> };
  /** Latest day: stored tier -> candidate tier -> accounts. */
  transitions: Record<string, Record<string, number>>;
  changes: TierChange[];
  averageScore: { stored: number | null; candidate: number | null };
}

const bump = (m: Record<string, number>, k: string) => (m[k] = (m[k] ?? 0) + 1);
const mean = (xs: number[]) => (xs.length ? Math.round((xs.reduce((s, x) => s + x, 0) / xs.length) * 10) / 10 : null);

/**
 * Re-scores stored history under a candidate model and reports what would change, before the
 * model is rolled out: which accounts would change tier, from when, and the latest distribution.
 */
export function backtest(history: HistoricScore[], candidate: (segment: string) => ScoreModel): BacktestReport {
  const byAccount = new Map<string, HistoricScore[]>();
  for (const h of history) byAccount.set(h.accountId, [...(byAccount.get(h.accountId) ?? []), h]);
  const latestStored: Record<string, number> = {};
  const latestCandidate: Record<string, number> = {};
  const transitions: Record<string, Record<string, number>> = {};
  const changes: TierChange[] = [];
  const storedScores: number[] = [];
  const candidateScores: number[] = [];
  for (const [accountId, days] of byAccount) {
    days.sort((a, b) => a.day.localeCompare(b.day));
    let change: TierChange | undefined;
    let last: { stored: string; candidate: string } | undefined;
    for (const d of days) {
      const r = computeScore(candidate(d.segment), d.signals);
      if (r.tier !== d.tier) {
        change ??= { accountId, firstDay: d.day, was: d.tier, wouldBe: r.tier, daysDifferent: 0 };
        change.daysDifferent++;
      }
      last = { stored: d.tier ?? 'unscored', candidate: r.tier ?? 'unscored' };
      if (d === days[days.length - 1]) {
        if (d.score !== null) storedScores.push(d.score);
        if (r.score !== null) candidateScores.push(r.score);
      }
    }
    if (change) changes.push(change);
    if (last) {
      bump(latestStored, last.stored);
      bump(latestCandidate, last.candidate);
      bump((transitions[last.stored] ??= {}), last.candidate);
    }
  }
  return {
    accounts: byAccount.size,
    days: new Set(history.map((h) => h.day)).size,
    latest: { stored: latestStored, candidate: latestCandidate },
    transitions,
    changes: changes.sort((a, b) => a.firstDay.localeCompare(b.firstDay) || a.accountId.localeCompare(b.accountId)),
    averageScore: { stored: mean(storedScores), candidate: mean(candidateScores) },
  };
}
