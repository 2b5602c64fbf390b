import { describe, expect, it } from 'vitest';
import { newestRuns } from '../../functions/core/plays/newest-runs.ts';
import type { RunRecord } from '../../functions/core/types.ts';

/** A play's runs served a page at a time, newest first, as the run index answers: `limit` each, a cursor while more remain. */
function runIndex(total: number) {
  const limits: number[] = [];
  return {
    limits,
    listByPlay: async (_play: string, options: { limit: number; cursor?: string }) => {
      limits.push(options.limit);
      const from = Number(options.cursor ?? 0);
      const to = Math.min(total, from + options.limit);
      const runs = Array.from({ length: to - from }, (_, i) => ({ accountId: `a${from + i}` }) as RunRecord);
      return { runs, cursor: to < total ? String(to) : undefined };
    },
  };
}

describe('newestRuns', () => {
  it.each([
    // total runs, cap, runs read, truncated, Query limits
    [0, 5000, 0, false, [500]],
    [499, 5000, 499, false, [500]],
    [1200, 5000, 1200, false, [500, 500, 500]],
    [5000, 5000, 5000, false, [500, 500, 500, 500, 500, 500, 500, 500, 500, 500]],
    [5001, 5000, 5000, true, [500, 500, 500, 500, 500, 500, 500, 500, 500, 500]],
    [1200, 700, 700, true, [500, 200]],
  ])('%i runs, at most %i: reads %i, truncated %s', async (total, max, read, truncated, limits) => {
    const index = runIndex(total);
    const out = await newestRuns(index, 'save', max);
    expect({ read: out.runs.length, truncated: out.truncated, limits: index.limits }).toEqual({ read, truncated, limits });
    expect(out.runs.map((r) => r.accountId)).toEqual(Array.from({ length: read }, (_, i) => `a${i}`));
  });
});
