import { DAY_MS } from '../clock.ts';
import type { Account, RunRecord } from '../types.ts';

/**
 * What one run's account did after the run began, as the lift reads it (docs/holdouts.md,
 * "Outcomes"): each outcome `null` while it is not known yet (the run is live, or N days have
 * not passed and nothing happened).
 */
export interface RunFacts {
  run: Pick<RunRecord, 'status' | 'reason' | 'startedAt' | 'assignment' | 'variants'>;
  account?: Pick<Account, 'status' | 'churnedAt' | 'milestones' | 'lastRenewal'>;
  /** The account's score on the day N days after the run began, when known (the score item keeps 35 days). */
  scoreAfter?: number;
  /** The ARR in force N days after the run began (0 once churned), when that day has come. */
  arrAfter?: number;
}

export interface Observation {
  group: 'treated' | 'held-out';
  variants?: Record<string, string>;
  /** The run's ending: `completed`, or the exit reason; null while live; cancelled and failed runs have none (left out). */
  ending: string | null;
  churned: boolean | null;
  renewed: boolean | null;
  firstValue: boolean | null;
  healthChange: number | null;
  nrr: { before: number; after: number } | null;
}

const within = (at: string | undefined, from: number, to: number) => at !== undefined && Date.parse(at) >= from && Date.parse(at) <= to;

/** One randomized run's observation as of `now`; undefined for a run the draw did not decide (excluded, after the end, no holdout). */
export function observe(facts: RunFacts, days: number, now: Date): Observation | undefined {
  const { run, account } = facts;
  if (!run.assignment?.randomized) return undefined;
  const start = Date.parse(run.startedAt);
  const end = start + days * DAY_MS;
  const over = now.getTime() >= end;
  const churned = within(account?.churnedAt, start, end);
  const renewal = account?.lastRenewal && within(account.lastRenewal.recordedAt, start, end) ? account.lastRenewal.outcome : undefined;
  const firstValueAt = account?.milestones?.firstValue;
  const reached = firstValueAt !== undefined && Date.parse(firstValueAt) <= end;
  const baseline = run.assignment.baseline;
  return {
    group: run.assignment.group,
    ...(run.variants ? { variants: run.variants } : {}),
    ending: run.status === 'completed' ? 'completed' : run.status === 'exited' ? (run.reason ?? 'exited') : null,
    churned: churned ? true : over ? false : null,
    renewed: renewal === 'renewed' ? true : renewal === 'churned' || churned || over ? false : null,
    firstValue: reached ? true : over ? false : null,
    healthChange: over && baseline?.score !== undefined && facts.scoreAfter !== undefined ? facts.scoreAfter - baseline.score : null,
    nrr: over && baseline?.arr !== undefined && baseline.arr > 0 && facts.arrAfter !== undefined ? { before: baseline.arr, after: facts.arrAfter } : null,
  };
}
