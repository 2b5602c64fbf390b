import { DAY_MS, dayOf, type Clock } from '../clock.ts';
import type { ClearedFlag } from '../flags/cleared.ts';
import type { ActiveFlag } from '../flags/rules.ts';
import type { ScoreFacts } from '../score/explain.ts';
import type { Account, StoredScore } from '../types.ts';
import type { ChangeEntry } from './changes.ts';
import type { RenewalEntry } from './renewal-index.ts';
import type { MetricAggregateRepo } from './sources.ts';

/** What the review reads of the account itself: its paid ARR (trials 0), segment and owner, as they were when a state or note was written. */
export interface BookFields {
  arr: number;
  segment: string;
  owner?: string;
}

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
  /** The account as the scoring read it: so the review needs no read of the book. Absent in states written before it was kept. */
  book?: BookFields;
}

/**
 * A change to an account's book fields after its state was written (an ARR, segment or owner
 * change, or the account leaving the book): logged by the metric upkeep under the day it was
 * made, so the review's book is the newest of the states and these notes.
 */
export interface BookNote {
  accountId: string;
  at: string;
  /** Absent: the account left the book (churned). */
  book?: BookFields;
}

/** One day's states: the daily run's, per shard (complete shards only), its failures, and the rescorings' logged that day. */
export interface ScoreStatesOfDay {
  day: string;
  /** Shards the day's run set in full. */
  shards: Set<number>;
  states: ScoreState[];
  /** Accounts the day's run failed to score: their state is read from their score item. */
  failed: string[];
  /** The book changes noted that day. */
  notes: BookNote[];
}

/** The daily states and the rescorings' log (functions/data/score-states.ts). */
export interface ScoreStateRepo {
  /** The daily run's states of one shard, set (never added): a retried batch overwrites its own. */
  put(day: string, shard: number, states: ScoreState[], failed: string[]): Promise<void>;
  /** One rescoring batch's writes: one log item (or a few) per batch, under the day each was computed. */
  log(states: ScoreState[]): Promise<void>;
  /** Book changes, logged under the day of their time. */
  note(notes: BookNote[]): Promise<void>;
  /** `scoresOnly`: each state's account, time and score alone (tier null, no band, flags or book): what a review reads of the day before its first. */
  read(day: string, options?: { scoresOnly?: boolean }): Promise<ScoreStatesOfDay>;
}

/** The book fields of an account item (paid ARR: trials pay nothing, as the metrics count it). */
export const bookOf = (a: Pick<Account, 'status' | 'arr' | 'segment'> & { owner?: string }): BookFields => ({
  arr: a.status === 'trial' ? 0 : (a.arr ?? 0),
  segment: a.segment,
  ...(a.owner ? { owner: a.owner } : {}),
});

/** The note a move of an account's book index entry calls for: none when the fields the review reads stay (a band or renewal date change). */
export function bookNoteOf(before: RenewalEntry | undefined, after: RenewalEntry | undefined, at: string): BookNote | undefined {
  // A new account has no state for a note to correct: it has no score to review until scored, and then its state carries its book.
  if (!before) return undefined;
  if (after && after.arr === before.arr && after.segment === before.segment && after.owner === before.owner) return undefined;
  return {
    accountId: before.accountId,
    at,
    ...(after ? { book: { arr: after.arr, segment: after.segment, ...(after.owner ? { owner: after.owner } : {}) } } : {}),
  };
}

/**
 * The metric upkeep's aggregates with each move of a book index entry that changes what the
 * review reads noted beside the score states (composed in functions/shared/deps.ts). A failed note
 * is reported and does not fail the upkeep: the aggregates stay right, and the review shows the
 * account's former ARR, segment or owner only until its next score state carries the new ones.
 */
export function withBookNotes<A extends Pick<MetricAggregateRepo, 'moveRenewal'>>(
  aggregates: A,
  states: Pick<ScoreStateRepo, 'note'>,
  clock: Clock,
  onError: (err: unknown) => void,
): A {
  return {
    ...aggregates,
    async moveRenewal(before, after) {
      await aggregates.moveRenewal(before, after);
      const note = bookNoteOf(before, after, clock.now().toISOString());
      if (note) await states.note([note]).catch(onError);
    },
  };
}

export const stateOf = (
  s: Pick<StoredScore, 'accountId' | 'computedAt' | 'score' | 'tier' | 'band' | 'recent' | 'flags' | 'clearedFlags'>,
  account?: Parameters<typeof bookOf>[0],
): ScoreState => ({
  accountId: s.accountId,
  computedAt: s.computedAt,
  score: s.score,
  tier: s.tier,
  ...(s.band !== undefined ? { band: s.band } : {}),
  ...(s.recent.length ? { firstDay: s.recent.reduce((m, d) => (d.day < m ? d.day : m), s.recent[0]!.day) } : {}),
  ...(Object.keys(s.flags ?? {}).length ? { flags: s.flags } : {}),
  ...(Object.keys(s.clearedFlags ?? {}).length ? { clearedFlags: s.clearedFlags } : {}),
  ...(account ? { book: bookOf(account) } : {}),
});

const addDays = (day: string, n: number) => dayOf(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS);
const newest = (into: Map<string, ScoreState>, s: ScoreState) => {
  const seen = into.get(s.accountId);
  if (!seen || seen.computedAt < s.computedAt) into.set(s.accountId, s);
};

/** The review's entries from the states, with the accounts whose score item must be read (`unsure`) and those whose book entry must be (`unbooked`). */
export interface EntriesFromStates {
  entries: ChangeEntry[];
  unsure: string[];
  /** Accounts of the book the states cannot place (a failed scoring without a newer state): their entries are read by id and added. */
  unbooked: string[];
}

interface StatesOptions {
  fromDay: string;
  today: string;
  shards: number;
  /** One CSM's accounts only. */
  owner?: string;
  /** Without `book`: the index's entries due on the days a renewal may enter the window from (their renewal dates). */
  entering?: RenewalEntry[];
}

type Booked = BookFields & { accountId: string; renewalDate?: string };

/**
 * The review's entries from the states: "now" is each account's newest state (the last daily run's
 * and the rescorings' since); "then", the last daily score before `fromDay`, is its newest state
 * written the day before (the score item's daily history keeps the last score of each day, and
 * drops days older than 34 before its last write). Returns `undefined` when the states cannot
 * tell (a shard the runs did not set in full on those days), and the accounts whose score item
 * must be read instead (a failed scoring, or a score before the day the states do not show).
 *
 * The book (ARR, segment, owner) is `book` when given (the book index: the fallback); otherwise
 * each account's newest of its state's book fields and the book notes since, with the renewal
 * dates of `entering` (the index's entries due in the days that may enter the renewal window):
 * nothing read grows with the book. `'book-needed'`: a state written before states kept the
 * book (the caller reads the index instead).
 */
export function entriesFromStates(book: RenewalEntry[], days: ScoreStatesOfDay[], options: StatesOptions): EntriesFromStates | undefined;
export function entriesFromStates(book: undefined, days: ScoreStatesOfDay[], options: StatesOptions): EntriesFromStates | 'book-needed' | undefined;
export function entriesFromStates(
  book: RenewalEntry[] | undefined,
  days: ScoreStatesOfDay[],
  options: StatesOptions,
): EntriesFromStates | 'book-needed' | undefined {
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
  const mine = (b: { owner?: string }) => options.owner === undefined || b.owner === options.owner;
  const fromStates = book
    ? { booked: new Map(book.filter(mine).map((b) => [b.accountId, b as Booked])), unbooked: [] }
    : bookOfStates(days, options.today, mine);
  if (fromStates === 'book-needed') return fromStates;
  const { booked, unbooked } = fromStates;
  // The index's entries are current: they place (or, another's, remove) the accounts renewing on those days.
  if (!book)
    for (const e of options.entering ?? [])
      if (mine(e)) booked.set(e.accountId, { ...e });
      else booked.delete(e.accountId);
  const unsure = new Set(days.flatMap((d) => d.failed));
  const keptUntil = addDays(thenDay, 34);
  const entries: ChangeEntry[] = [];
  for (const b of booked.values()) {
    const s = now.get(b.accountId);
    const entry: ChangeEntry = { accountId: b.accountId, arr: b.arr, segment: b.segment, ...(b.renewalDate ? { renewalDate: b.renewalDate } : {}) };
    entries.push(entry);
    if (!s) continue;
    const t = then.get(b.accountId);
    // Scored before the day without a score that day: the history may hold an older one.
    if (!t && s.firstDay && s.firstDay < options.fromDay) unsure.add(b.accountId);
    // The item keeps 35 days counted back from its last write: a score of the day before, older than that, is gone.
    const kept = t && s.computedAt.slice(0, 10) <= keptUntil;
    entry.score = {
      score: s.score,
      tier: s.tier,
      ...(s.band !== undefined ? { band: s.band } : {}),
      recent: kept ? [{ day: thenDay, score: t.score! }].filter((d) => d.score !== null) : [],
      flags: s.flags ?? {},
      ...(s.clearedFlags ? { clearedFlags: s.clearedFlags } : {}),
    };
  }
  // Only the book's: an owner's review reads none of another's items (the caller keeps the unbooked of its book).
  const toRead = unbooked.filter((id) => !booked.has(id));
  return { entries, unsure: [...unsure].filter((id) => booked.has(id) || toRead.includes(id)), unbooked: toRead };
}

/**
 * Each account's book from its newest state of today's or yesterday's run (every live account of a
 * shard set in full has one; an account without one left the book, or failed), unless a note since
 * says otherwise (changed, or left the book). The accounts that failed those days: `unbooked`, read by id.
 */
function bookOfStates(
  days: ScoreStatesOfDay[],
  today: string,
  mine: (b: { owner?: string }) => boolean,
): { booked: Map<string, Booked>; unbooked: string[] } | 'book-needed' {
  const recent = days.filter((d) => d.day >= addDays(today, -1));
  const failed = new Set(recent.flatMap((d) => d.failed));
  const latest = new Map<string, { at: string; book?: BookFields }>();
  for (const d of recent)
    for (const s of d.states) {
      if (!s.book) return 'book-needed';
      if (failed.has(s.accountId)) continue;
      const seen = latest.get(s.accountId);
      if (!seen || seen.at < s.computedAt) latest.set(s.accountId, { at: s.computedAt, book: s.book });
    }
  for (const d of recent)
    for (const n of d.notes) {
      const seen = latest.get(n.accountId);
      // At the same time (a paused clock), the note: a scoring that read the account after the change agrees with it anyway.
      if (seen && seen.at <= n.at) latest.set(n.accountId, n);
    }
  const booked = new Map<string, Booked>();
  for (const [accountId, { book }] of latest) if (book && mine(book)) booked.set(accountId, { accountId, ...book });
  return { booked, unbooked: [...failed] };
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
