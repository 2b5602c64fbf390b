import { ratio, type Period } from './period.ts';

/**
 * An account's subscription at one date: ARR is annual recurring revenue, whatever the contract's
 * length (a 3-year deal of 300,000 is 100,000 ARR, changed only when the contract changes).
 * Trial and churned accounts pay nothing.
 */
export interface ArrPoint {
  at: string;
  arr: number;
  status: 'trial' | 'active' | 'churned';
}

/** Every recorded state of one account, oldest first (docs/metrics.md: revenue history). */
export interface ArrHistory {
  accountId: string;
  points: ArrPoint[];
}

export type MovementKind = 'new' | 'expansion' | 'contraction' | 'churn' | 'reactivation';

export interface RevenueMovement {
  accountId: string;
  at: string;
  kind: MovementKind;
  arrBefore: number;
  arrAfter: number;
}

const paying = (p: ArrPoint | undefined) => (p?.status === 'active' ? p.arr : 0);

/** What a change of state is, if it changes paid ARR: first payment, more, less, none, or paying again after a churn. */
export function movementOf(accountId: string, before: ArrPoint | undefined, after: ArrPoint, paidBefore: boolean): RevenueMovement | null {
  const [a, b] = [paying(before), paying(after)];
  if (a === b) return null;
  const kind: MovementKind = a === 0 ? (paidBefore ? 'reactivation' : 'new') : b === 0 ? 'churn' : b > a ? 'expansion' : 'contraction';
  return { accountId, at: after.at, kind, arrBefore: a, arrAfter: b };
}

/** An account's movements, in order. */
export function movementsOf(history: ArrHistory): RevenueMovement[] {
  const out: RevenueMovement[] = [];
  let paid = false;
  history.points.forEach((p, i) => {
    const m = movementOf(history.accountId, history.points[i - 1], p, paid);
    if (m) out.push(m);
    paid ||= paying(p) > 0;
  });
  return out;
}

/** The state in force when a day begins: the last one recorded before it. */
export function stateAt(history: ArrHistory, day: string): ArrPoint | undefined {
  let state: ArrPoint | undefined;
  for (const p of history.points) if (p.at.slice(0, 10) < day) state = p;
  return state;
}

export interface RetentionFigures {
  startingArr: number;
  startingLogos: number;
  /** ARR at the end of the period of the accounts paying at its start. */
  retainedArr: number;
  expansionArr: number;
  contractionArr: number;
  churnedArr: number;
  churnedLogos: number;
  newArr: number;
  reactivationArr: number;
  nrr: number | null;
  grr: number | null;
  logoChurn: number | null;
  revenueChurn: number | null;
  expansionShare: number | null;
  /** The accounts behind each figure. */
  accounts: Record<'starting' | 'expanded' | 'contracted' | 'churned' | 'new' | 'reactivated', string[]>;
}

/**
 * Retention over a period, from each account's paid ARR when the period begins (`start`) and when
 * it ends (`end`), net per account: an account that expanded and contracted inside the period
 * counts once, by its net change; one that churned and came back inside it is retained.
 * The cohort is the accounts paying at the start. NRR = Σ end / Σ start; GRR = Σ min(end, start) /
 * Σ start, so GRR never passes 100% and NRR ≥ GRR. New and reactivated accounts (paying at the end,
 * not at the start) are reported beside the cohort, never in it.
 */
export function retention(histories: ArrHistory[], period: Period): RetentionFigures {
  const f: RetentionFigures = {
    startingArr: 0,
    startingLogos: 0,
    retainedArr: 0,
    expansionArr: 0,
    contractionArr: 0,
    churnedArr: 0,
    churnedLogos: 0,
    newArr: 0,
    reactivationArr: 0,
    nrr: null,
    grr: null,
    logoChurn: null,
    revenueChurn: null,
    expansionShare: null,
    accounts: { starting: [], expanded: [], contracted: [], churned: [], new: [], reactivated: [] },
  };
  let kept = 0;
  for (const h of histories) {
    const start = paying(stateAt(h, period.from));
    const end = paying(stateAt(h, period.to));
    if (start > 0) {
      f.startingArr += start;
      f.startingLogos++;
      f.retainedArr += end;
      kept += Math.min(start, end);
      f.accounts.starting.push(h.accountId);
      if (end === 0) {
        f.churnedArr += start;
        f.churnedLogos++;
        f.accounts.churned.push(h.accountId);
      } else if (end > start) {
        f.expansionArr += end - start;
        f.accounts.expanded.push(h.accountId);
      } else if (end < start) {
        f.contractionArr += start - end;
        f.accounts.contracted.push(h.accountId);
      }
    } else if (end > 0) {
      const paidBefore = h.points.some((p) => p.at.slice(0, 10) < period.from && paying(p) > 0);
      if (paidBefore) {
        f.reactivationArr += end;
        f.accounts.reactivated.push(h.accountId);
      } else {
        f.newArr += end;
        f.accounts.new.push(h.accountId);
      }
    }
  }
  f.nrr = ratio(f.retainedArr, f.startingArr);
  f.grr = ratio(kept, f.startingArr);
  f.logoChurn = ratio(f.churnedLogos, f.startingLogos);
  f.revenueChurn = ratio(f.churnedArr, f.startingArr);
  f.expansionShare = ratio(f.expansionArr, f.startingArr);
  return f;
}
