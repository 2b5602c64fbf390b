import { ratio, within, type Period } from './period.ts';
import type { RunStatus } from '../types.ts';

/** How a run ended: every status but the live ones (running, paused). */
export const RUN_ENDINGS = ['completed', 'exited', 'cancelled', 'failed'] as const;
export type RunEnding = (typeof RUN_ENDINGS)[number];

/**
 * What is counted of a play in a period (docs/metrics.md, "Play outcomes"). Runs are a cohort:
 * the runs *started* in the period, with how they have ended so far (a run still live is pending).
 * Tasks are a flow: the play's CSM tasks *done* in the period. All of it adds up month by month.
 */
export interface PlayCounts {
  started: number;
  completed: number;
  exited: number;
  cancelled: number;
  failed: number;
  /** Exited runs by their exit reason (recovered, churned, renewed, gave-up...). */
  exits: Record<string, number>;
  tasksDone: number;
  /** Done no later than due. */
  tasksOnTime: number;
}

export const noPlayCounts = (): PlayCounts => ({ started: 0, completed: 0, exited: 0, cancelled: 0, failed: 0, exits: {}, tasksDone: 0, tasksOnTime: 0 });

/** The run fields the counts read (a run item as stored). */
export interface RunFacts {
  play: string;
  status: RunStatus;
  /** Absent on a run that failed before it began: in no cohort. */
  startedAt?: string;
  reason?: string;
}

/** The task fields the counts read (a task item as stored; `doneAt` set when it was done). */
export interface TaskFacts {
  play?: string;
  status: string;
  dueAt: string;
  doneAt?: string;
}

/** The play tasks without a play (made by hand) count under. */
export const NO_PLAY = '(none)';

/** A task done no later than its due time (timestamps compared as instants). */
export const doneOnTime = (t: Pick<TaskFacts, 'dueAt' | 'doneAt'>) => !!t.doneAt && Date.parse(t.doneAt) <= Date.parse(t.dueAt);

/** An exit reason as a counter's name: ids as plays declare them, anything else made safe and short. */
export const reasonKey = (reason: string | undefined) => (reason ?? 'unknown').replace(/[^\w-]/g, '-').slice(0, 64) || 'unknown';

/** The definition, computed from the items themselves (what the maintained counters must equal). */
export function countPlays(runs: RunFacts[], tasks: TaskFacts[], period: Period): Record<string, PlayCounts> {
  const out: Record<string, PlayCounts> = {};
  const of = (play: string) => (out[play] ??= noPlayCounts());
  for (const r of runs) {
    if (!r.startedAt || !within(r.startedAt, period)) continue;
    const c = of(r.play);
    c.started++;
    if ((RUN_ENDINGS as readonly string[]).includes(r.status)) c[r.status as RunEnding]++;
    if (r.status === 'exited') c.exits[reasonKey(r.reason)] = (c.exits[reasonKey(r.reason)] ?? 0) + 1;
  }
  for (const t of tasks) {
    if (t.status !== 'done' || !t.doneAt || !within(t.doneAt, period)) continue;
    const c = of(t.play ?? NO_PLAY);
    c.tasksDone++;
    if (doneOnTime(t)) c.tasksOnTime++;
  }
  return out;
}

/** Two periods' counts of one play, added (the counts of disjoint months add up to their union). */
export function addPlayCounts(a: PlayCounts, b: PlayCounts): PlayCounts {
  const exits = { ...a.exits };
  for (const [k, n] of Object.entries(b.exits)) exits[k] = (exits[k] ?? 0) + n;
  return {
    started: a.started + b.started,
    completed: a.completed + b.completed,
    exited: a.exited + b.exited,
    cancelled: a.cancelled + b.cancelled,
    failed: a.failed + b.failed,
    exits,
    tasksDone: a.tasksDone + b.tasksDone,
    tasksOnTime: a.tasksOnTime + b.tasksOnTime,
  };
}

/**
 * The save play's outcomes: saved when it exited because the account recovered or renewed, lost
 * when the account churned while it ran or the play gave up (60 days without recovery).
 * Cancelled and failed runs have no outcome and are left out of the rate.
 */
export const SAVE_OUTCOMES = { play: 'save', saved: ['recovered', 'renewed'], lost: ['churned', 'gave-up'] } as const;

export interface PlayFigures extends PlayCounts {
  play: string;
  /** Runs of the cohort that have ended, and those still live (running or paused). */
  ended: number;
  live: number;
  /** Completed ÷ ended: the runs that went through every step. */
  completionRate: number | null;
  /** The save play only: saved ÷ (saved + lost). */
  save?: { saved: number; lost: number; rate: number | null };
  /** Tasks done on time ÷ tasks done. */
  onTimeRate: number | null;
  /** The API query that lists the play's runs behind the figures (newest start first; add `status=`); none for tasks without a play. */
  query?: string;
}

const sum = (exits: Record<string, number>, reasons: readonly string[]) => reasons.reduce((t, r) => t + (exits[r] ?? 0), 0);

export function playFigures(play: string, c: PlayCounts): PlayFigures {
  const ended = c.completed + c.exited + c.cancelled + c.failed;
  const figures: PlayFigures = {
    play,
    ...c,
    ended,
    live: Math.max(0, c.started - ended),
    completionRate: ratio(c.completed, ended),
    onTimeRate: ratio(c.tasksOnTime, c.tasksDone),
    ...(play === NO_PLAY ? {} : { query: `/v1/plays/${encodeURIComponent(play)}/runs` }),
  };
  if (play === SAVE_OUTCOMES.play) {
    const saved = sum(c.exits, SAVE_OUTCOMES.saved);
    const lost = sum(c.exits, SAVE_OUTCOMES.lost);
    figures.save = { saved, lost, rate: ratio(saved, saved + lost) };
  }
  return figures;
}
