import { DAY_MS, dayOf } from '../clock.ts';
import type { ClearedFlag } from '../flags/cleared.ts';
import type { ActiveFlag } from '../flags/rules.ts';
import type { ScoreFacts } from '../score/explain.ts';
import type { StoredScore } from '../types.ts';
import type { ChangeEntry } from './changes.ts';
import type { RenewalEntry } from './renewal-index.ts';

/**
 * What the weekly review reads of one score write (docs/metrics.md, "How the figures are kept"):
 * the score item's facts as written, without the daily history. The daily scoring run sets them,
 * per shard, for every account it scored or kept; each rescoring batch logs those it wrote.
 */
export interface ScoreState {
  accountId: string;
  computedAt: string;
  score: number | null;
  tier: string | null;
  band?: 'green' | 'yellow' | 'red' | null;
  /** The day of the oldest daily score the item keeps: whether a score before a day may exist that the states do not show. */
  firstDay?: string;
  flags?: Record<string, ActiveFlag>;
  clearedFlags?: Record<string, ClearedFlag>;
}

/** One day's states: the daily run's, per shard (complete shards only), its failures, and the rescorings' logged that day. */
export interface ScoreStatesOfDay {
  day: string;
  /** Shards the day's run set in full. */
  shards: Set<number>;
  states: ScoreState[];
  /** Accounts the day's run failed to score: their state is read from their score item. */
  failed: string[];
}

/** The daily states and the rescorings' log (functions/data/score-states.ts). */
export interface ScoreStateRepo {
  /** The daily run's states of one shard, set (never added): a retried batch overwrites its own. */
  put(day: string, shard: number, states: ScoreState[], failed: string[]): Promise<void>;
  /** One rescoring batch's writes: one log item (or a few) per batch, under the day each was computed. */
  log(states: ScoreState[]): Promise<void>;
  read(day: string): Promise<ScoreStatesOfDay>;
}

export const stateOf = (s: Pick<StoredScore, 'accountId' | 'computedAt' | 'score' | 'tier' | 'band' | 'recent' | 'flags' | 'clearedFlags'>): ScoreState => ({
  accountId: s.accountId,
  computedAt: s.computedAt,
  score: s.score,
  tier: s.tier,
  ...(s.band !== undefined ? { band: s.band } : {}),
  ...(s.recent.length ? { firstDay: s.recent.reduce((m, d) => (d.day < m ? d.day : m), s.recent[0]!.day) } : {}),
  ...(Object.keys(s.flags ?? {}).length ? { flags: s.flags } : {}),
  ...(Object.keys(s.clearedFlags ?? {}).length ? { clearedFlags: s.clearedFlags } : {}),
});

const addDays = (day: string, n: number) => dayOf(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS);
const newest = (into: Map<string, ScoreState>, s: ScoreState) => {
  const seen = into.get(s.accountId);
  if (!seen || seen.computedAt < s.computedAt) into.set(s.accountId, s);
};

/**
 * The review's entries from the states: "now" is each account's newest state (the last daily run's
 * and the rescorings' since); "then", the last daily score before `fromDay`, is its newest state
 * written the day before (the score item's daily history keeps the last score of each day, and
 * drops days older than 34 before its last write). Returns `undefined` when the states cannot
 * tell (a shard the runs did not set in full on those days), and the accounts whose score item
 * must be read instead (a failed scoring, or a score before the day the states do not show).
 */
export function entriesFromStates(
  book: RenewalEntry[],
  days: ScoreStatesOfDay[],
  options: { fromDay: string; today: string; shards: number },
): { entries: ChangeEntry[]; unsure: string[] } | undefined {
  const thenDay = addDays(options.fromDay, -1);
  const of = (day: string) => days.find((d) => d.day === day);
  const [today, yesterday, before] = [of(options.today), of(addDays(options.today, -1)), of(thenDay)];
  if (!before) return undefined;
  for (let shard = 0; shard < options.shards; shard++) {
    if (!today?.shards.has(shard) && !yesterday?.shards.has(shard)) return undefined;
    if (!before.shards.has(shard)) return undefined;
  }
  const now = new Map<string, ScoreState>();
  for (const d of days) for (const s of d.states) newest(now, s);
  const then = new Map<string, ScoreState>();
  for (const s of before.states) if (s.computedAt.slice(0, 10) === thenDay) newest(then, s);
  const unsure = new Set(days.flatMap((d) => d.failed));
  const entries: ChangeEntry[] = [];
  for (const b of book) {
    const s = now.get(b.accountId);
    const entry: ChangeEntry = { accountId: b.accountId, arr: b.arr, segment: b.segment, ...(b.renewalDate ? { renewalDate: b.renewalDate } : {}) };
    entries.push(entry);
    if (!s) continue;
    const t = then.get(b.accountId);
    // Scored before the day without a score that day: the history may hold an older one.
    if (!t && s.firstDay && s.firstDay < options.fromDay) unsure.add(b.accountId);
    // The item keeps 35 days counted back from its last write: a score of the day before, older than that, is gone.
    const kept = t && thenDay >= addDays(s.computedAt.slice(0, 10), -34);
    entry.score = {
      score: s.score,
      tier: s.tier,
      ...(s.band !== undefined ? { band: s.band } : {}),
      recent: kept ? [{ day: thenDay, score: t.score! }].filter((d) => d.score !== null) : [],
      flags: s.flags ?? {},
      ...(s.clearedFlags ? { clearedFlags: s.clearedFlags } : {}),
    };
  }
  // Only the book's: an owner's review reads none of another's items.
  const inBook = new Set(book.map((b) => b.accountId));
  return { entries, unsure: [...unsure].filter((id) => inBook.has(id)) };
}

/** An entry's score side from the score item itself (the accounts the states cannot tell). */
export const scoreOfFacts = (f: ScoreFacts): ChangeEntry['score'] => ({
  score: f.score,
  tier: f.tier,
  band: f.band,
  recent: f.recent,
  flags: f.flags,
  ...(f.clearedFlags ? { clearedFlags: f.clearedFlags } : {}),
});
