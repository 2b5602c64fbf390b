import { DAY_MS } from '../clock.ts';
import { TREND_DAYS } from '../score/trend.ts';
import type { ActiveFlag, FlagChange } from './rules.ts';

/** A flag that held and stopped holding: its start and when the scorer dropped it. */
export interface ClearedFlag extends ActiveFlag {
  clearedAt: string;
}

/**
 * The flags cleared in the last TREND_DAYS days, by name (the latest clearing of each), with the
 * ones this run stopped added. Without it a flag cleared could not be told from one never raised:
 * the score item keeps only the flags that hold now. Bounded like the daily scores, so the item
 * stays about one write unit.
 */
export function recordCleared(
  previous: Record<string, ClearedFlag> | undefined,
  previousActive: Record<string, ActiveFlag> | undefined,
  changes: FlagChange[],
  now: Date,
): Record<string, ClearedFlag> {
  const oldest = new Date(now.getTime() - TREND_DAYS * DAY_MS).toISOString();
  const kept = Object.entries(previous ?? {}).filter(([, c]) => c.clearedAt >= oldest);
  const cleared: Record<string, ClearedFlag> = Object.fromEntries(kept);
  for (const c of changes) if (c.change === 'stopped') cleared[c.flag] = { kind: c.kind, since: previousActive?.[c.flag]?.since ?? c.at, clearedAt: c.at };
  return cleared;
}
