import { plural } from '../plural.ts';
import { DAY_MS, dayOf } from '../clock.ts';
import type { HealthBand } from '../score/compute.ts';
import type { UsageSummary } from '../score/derive.ts';
import type { Account, CsmTask } from '../types.ts';
import type { Condition } from './definition.ts';

/** What a step's condition is checked against: the account as it is when the step is due. */
export interface AccountSnapshot {
  account: Account;
  now: Date;
  band: HealthBand | null;
  /** Bands of the last scored days, newest last (from the score's recent daily scores). */
  recentBands: { day: string; band: HealthBand | null }[];
  flags: string[];
  usage: UsageSummary;
  activated: boolean;
  /** The date the run was started for (its renewal date, start date or trigger day). */
  cycle: string;
  /** The tasks this run created, loaded only for a step whose conditions read them (`taskDone`, `taskNotDone`). */
  runTasks?: CsmTask[];
}

/** Each clause of a condition, with how it reads in a run record and a diagram. */
const CLAUSES: {
  [K in keyof Condition]-?: { holds: (s: AccountSnapshot, v: NonNullable<Condition[K]>) => boolean; describe: (v: NonNullable<Condition[K]>) => string };
} = {
  tier: { holds: (s, v) => s.band !== null && v.includes(s.band), describe: (v) => `health ${v.join(' or ')}` },
  segment: { holds: (s, v) => v.includes(s.account.segment), describe: (v) => v.join(' or ') },
  active: { holds: (s, v) => s.usage.activeInLast7Days === v, describe: (v) => (v ? 'active in the last 7 days' : 'not active in the last 7 days') },
  activated: { holds: (s, v) => s.activated === v, describe: (v) => (v ? 'first value reached' : 'first value not reached') },
  flag: { holds: (s, v) => s.flags.includes(v), describe: (v) => `flag ${v}` },
  noFlag: { holds: (s, v) => !s.flags.includes(v), describe: (v) => `no flag ${v}` },
  adoptionBelow: { holds: (s, v) => adoption(s) < v, describe: (v) => `adoption under ${v}%` },
  adoptionAtLeast: { holds: (s, v) => adoption(s) >= v, describe: (v) => `adoption at least ${v}%` },
  notRedForDays: {
    holds: (s, days) => {
      // Today's score may not be computed yet when the step runs: look back one day more.
      const from = dayOf(s.now.getTime() - days * DAY_MS);
      const window = s.recentBands.filter((d) => d.day >= from);
      return window.length >= days && window.every((d) => d.band !== null && d.band !== 'red');
    },
    describe: (v) => `not red for ${plural(v, 'day')}`,
  },
  renewed: { holds: (s) => !!s.account.renewalDate && dayOf(new Date(s.account.renewalDate)) > s.cycle, describe: () => 'renewal date moved on' },
  renewalOutcome: {
    holds: (s, v) => {
      const last = s.account.lastRenewal;
      return !!last && v.includes(last.outcome) && (last.renewalDate >= s.cycle || dayOf(new Date(last.recordedAt)) >= s.cycle);
    },
    describe: (v) => `renewal outcome ${v.join(' or ')} recorded`,
  },
  milestone: { holds: (s, v) => !!s.account.milestones?.[v], describe: (v) => `milestone ${v} reached` },
  noMilestone: { holds: (s, v) => !s.account.milestones?.[v], describe: (v) => `milestone ${v} not reached` },
  taskDone: {
    holds: (s, step) => {
      const mine = (s.runTasks ?? []).filter((t) => t.step === step);
      return mine.length > 0 && mine.every((t) => t.status === 'done');
    },
    describe: (step) => `the ${step} task done`,
  },
  taskNotDone: {
    holds: (s, { step, days }) =>
      (s.runTasks ?? []).some((t) => t.step === step && t.status !== 'done' && s.now.getTime() - Date.parse(t.createdAt) >= days * DAY_MS),
    describe: ({ step, days }) => (days ? `the ${step} task not done after ${plural(days, 'day')}` : `the ${step} task not done`),
  },
};

/** True when a condition reads the run's tasks (the step then loads them: one Query of the account's tasks). */
export const readsTasks = (condition: Condition | undefined) => !!condition && (condition.taskDone !== undefined || condition.taskNotDone !== undefined);

/** True when a condition reads the account's usage (the step then queries its usage days). */
export const readsUsage = (condition: Condition | undefined) =>
  !!condition &&
  (condition.active !== undefined || condition.activated !== undefined || condition.adoptionBelow !== undefined || condition.adoptionAtLeast !== undefined);

function adoption(s: AccountSnapshot): number {
  return s.usage.featuresAvailable.length === 0 ? 0 : (100 * s.usage.featuresUsed.length) / s.usage.featuresAvailable.length;
}

export function holds(condition: Condition | undefined, snapshot: AccountSnapshot): boolean {
  if (!condition) return true;
  return (Object.keys(condition) as (keyof Condition)[]).every((k) => condition[k] === undefined || CLAUSES[k].holds(snapshot, condition[k] as never));
}

/** "health red and not active in the last 7 days" */
export function describeCondition(condition: Condition | undefined): string {
  if (!condition) return 'always';
  const parts = (Object.keys(condition) as (keyof Condition)[])
    .filter((k) => condition[k] !== undefined)
    .map((k) => CLAUSES[k].describe(condition[k] as never));
  return parts.join(' and ') || 'always';
}
