import type { RunRepo } from '../ports.ts';
import type { RunRecord } from '../types.ts';

/** Runs one answer reads at most: a route over a play's runs answers within API Gateway's 30 s (docs/data-model.md). */
export const MAX_RUNS_READ = 5000;

/** A play's newest runs, at most `max`, 500 a Query; `truncated` when older ones were left unread. */
export async function newestRuns(runs: Pick<RunRepo, 'listByPlay'>, play: string, max = MAX_RUNS_READ): Promise<{ runs: RunRecord[]; truncated: boolean }> {
  const out: RunRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await runs.listByPlay(play, { limit: Math.min(500, max - out.length), cursor });
    out.push(...page.runs);
    cursor = page.cursor;
  } while (cursor && out.length < max);
  return { runs: out, truncated: !!cursor };
}
