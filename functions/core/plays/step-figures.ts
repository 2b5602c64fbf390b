import type { PlayDefinition } from './definition.ts';
import type { RunRecord } from '../types.ts';

export interface StepFigure {
  step: string;
  day: number;
  /** Runs waiting at this step now (running or paused, this step next). */
  waiting: number;
  done: number;
  skipped: number;
  /** Why steps were done or skipped, by the words of their detail (figures in it counted as one: "reached N hours after..."), most frequent first. */
  reasons: { reason: string; outcome: string; count: number }[];
  /** Accounts waiting here now (the first 100), for the drill-down. */
  accounts: string[];
}

export interface PlayStepFigures {
  play: string;
  runs: number;
  live: number;
  steps: StepFigure[];
  /** How runs ended: completed, cancelled, failed, and exits by reason. */
  ended: { completed: number; cancelled: number; failed: number; exited: Record<string, number> };
}

const LIVE = new Set(['running', 'paused']);

/** The figures of a play's diagram from its runs (each read once): who waits where, what each step did and why, how runs ended. */
export function stepFigures(play: Pick<PlayDefinition, 'id' | 'steps'>, runs: Iterable<RunRecord>): PlayStepFigures {
  const steps = new Map(
    play.steps.map((s) => [s.id, { step: s.id, day: s.day, waiting: 0, done: 0, skipped: 0, reasons: new Map<string, number>(), accounts: [] as string[] }]),
  );
  const out: PlayStepFigures = { play: play.id, runs: 0, live: 0, steps: [], ended: { completed: 0, cancelled: 0, failed: 0, exited: {} } };
  for (const run of runs) {
    out.runs++;
    if (LIVE.has(run.status)) {
      out.live++;
      const at = run.next ? steps.get(run.next.step) : undefined;
      if (at) {
        at.waiting++;
        if (at.accounts.length < 100) at.accounts.push(run.accountId);
      }
    } else if (run.status === 'completed' || run.status === 'cancelled' || run.status === 'failed') out.ended[run.status]++;
    else if (run.status === 'exited') out.ended.exited[run.reason ?? 'unknown'] = (out.ended.exited[run.reason ?? 'unknown'] ?? 0) + 1;
    for (const [id, record] of Object.entries(run.steps ?? {})) {
      const s = steps.get(id);
      if (!s) continue;
      if (record.outcome === 'done' || record.outcome === 'skipped') s[record.outcome]++;
      const key = `${record.outcome}\t${(record.detail ?? record.outcome).replace(/\d+/g, 'N')}`;
      s.reasons.set(key, (s.reasons.get(key) ?? 0) + 1);
    }
  }
  out.steps = [...steps.values()].map(({ reasons, ...s }) => ({
    ...s,
    reasons: [...reasons]
      .map(([key, count]) => {
        const [outcome = '', reason = ''] = key.split('\t');
        return { reason, outcome, count };
      })
      .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)),
  }));
  return out;
}
