import { ratio, within, type Period } from './period.ts';

export interface OnboardingStart {
  accountId: string;
  startDate: string;
  /** When the account first reached value (the `firstValue` milestone), if it has. */
  firstValueAt?: string;
}

export interface TimeToValueFigures {
  /** Whole days from start to first value, of the accounts that reached it. */
  medianDays: number | null;
  p90Days: number | null;
  /** Reached within the target, of those whose outcome is known: reached, or past the target without value. */
  withinTarget: number | null;
  started: number;
  reached: number;
  /** Past the target without value. */
  overdue: number;
  /** Not reached, still inside the target: no outcome yet, left out of `withinTarget`. */
  pending: number;
  accounts: { overdue: string[]; slowest: string[] };
}

const DAY = 86_400_000;
const daysBetween = (from: string, to: string) => Math.floor((Date.parse(to.slice(0, 10)) - Date.parse(from.slice(0, 10))) / DAY);

/** The value at rank ceil(q·n) of the sorted values (nearest rank): always one of them. */
export function nearestRank(sorted: number[], q: number): number | null {
  return sorted.length ? sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]! : null;
}

/** The middle value, or the mean of the two middle values. */
export function median(sorted: number[]): number | null {
  if (!sorted.length) return null;
  const mid = sorted.length / 2;
  return Number.isInteger(mid) ? (sorted[mid - 1]! + sorted[mid]!) / 2 : sorted[Math.floor(mid)]!;
}

/**
 * Time to first value of the accounts that started in the period, as of `asOf` (the day the
 * figures are computed: an account started last week may still reach value in time).
 */
export function timeToValue(starts: OnboardingStart[], period: Period, targetDays: number, asOf: string): TimeToValueFigures {
  const cohort = starts.filter((s) => within(s.startDate, period));
  const reached = cohort.filter((s) => s.firstValueAt && s.firstValueAt.slice(0, 10) < asOf.slice(0, 10));
  const days = reached.map((s) => daysBetween(s.startDate, s.firstValueAt!)).sort((a, b) => a - b);
  const open = cohort.filter((s) => !reached.includes(s));
  const overdue = open.filter((s) => daysBetween(s.startDate, asOf) > targetDays);
  const slowest = [...reached].sort((a, b) => daysBetween(b.startDate, b.firstValueAt!) - daysBetween(a.startDate, a.firstValueAt!));
  return {
    medianDays: median(days),
    p90Days: nearestRank(days, 0.9),
    withinTarget: ratio(days.filter((d) => d <= targetDays).length, reached.length + overdue.length),
    started: cohort.length,
    reached: reached.length,
    overdue: overdue.length,
    pending: open.length - overdue.length,
    accounts: { overdue: overdue.map((s) => s.accountId), slowest: slowest.slice(0, 10).map((s) => s.accountId) },
  };
}
