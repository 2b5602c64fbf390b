import { stateAt, type ArrHistory } from './revenue.ts';

/** The first day an account paid (its cohort is that month), if it ever did. */
export function firstPaidDay(history: ArrHistory): string | undefined {
  return history.points.find((p) => p.status === 'active' && p.arr > 0)?.at.slice(0, 10);
}

const monthStart = (month: string) => `${month}-01`;
const nextMonth = (month: string) => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 7);
};
const paidAt = (h: ArrHistory, day: string) => {
  const s = stateAt(h, day);
  return s?.status === 'active' ? s.arr : 0;
};

export interface CohortRow {
  /** The month its accounts first paid (`yyyy-mm`). */
  cohort: string;
  accounts: number;
  /** Their ARR at the end of their first month. */
  startingArr: number;
  /** Per month since (index 0: the end of the first month), up to `asOf`: the share of the cohort's accounts paying, and of its starting ARR paid (over 100% with expansion). */
  logoRetention: number[];
  revenueRetention: number[];
  ids: string[];
}

/**
 * The cohort retention table: accounts grouped by the month they first paid, and for each month
 * after, how many of them still pay and how much of their first month's ARR they pay now. An
 * account that churned and came back counts again once it pays. Months end before `asOf`.
 */
export function cohortTable(histories: ArrHistory[], asOf: string): CohortRow[] {
  const byCohort = new Map<string, ArrHistory[]>();
  for (const h of histories) {
    const first = firstPaidDay(h);
    if (!first) continue;
    byCohort.set(first.slice(0, 7), [...(byCohort.get(first.slice(0, 7)) ?? []), h]);
  }
  return [...byCohort.keys()].sort().map((cohort) => {
    const members = byCohort.get(cohort)!;
    const firstEnd = monthStart(nextMonth(cohort));
    const startingArr = members.reduce((t, h) => t + paidAt(h, firstEnd), 0);
    const logoRetention: number[] = [];
    const revenueRetention: number[] = [];
    for (let month = cohort; monthStart(nextMonth(month)) <= asOf.slice(0, 10); month = nextMonth(month)) {
      const end = monthStart(nextMonth(month));
      logoRetention.push(members.filter((h) => paidAt(h, end) > 0).length / members.length);
      revenueRetention.push(startingArr ? members.reduce((t, h) => t + paidAt(h, end), 0) / startingArr : 0);
    }
    return { cohort, accounts: members.length, startingArr, logoRetention, revenueRetention, ids: members.map((h) => h.accountId) };
  });
}
