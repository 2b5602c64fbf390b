import { DAY_MS, dayOf } from '../clock.ts';
import type { ClearedFlag } from '../flags/cleared.ts';
import type { ActiveFlag, FlagKind } from '../flags/rules.ts';
import { bandOf, tierOf, tierRank } from '../score/compute.ts';
import type { ScoreModel } from '../score/model.ts';
import type { DailyScore } from '../score/trend.ts';
import type { Band } from './health.ts';
import { CHANGES_MAX_DAYS } from './report-queries.ts';
export { CHANGES_MAX_DAYS };

/** What the review reads of one account: its book entry and its score item as stored. */
export interface ChangeEntry {
  accountId: string;
  arr: number;
  segment: string;
  renewalDate?: string;
  score?: {
    score: number | null;
    tier: string | null;
    band?: 'green' | 'yellow' | 'red' | null;
    recent: DailyScore[];
    flags: Record<string, ActiveFlag>;
    clearedFlags?: Record<string, ClearedFlag>;
  };
}

export interface ChangeOptions {
  since: Date;
  now: Date;
  /** Movers listed each way. */
  top: number;
  /** Accounts listed in each figure (count and ARR are of them all); absent: every one. */
  list?: number;
  /** The renewal window, in days from today: a renewal is in it when due on one of the next `renewalWindowDays` days, today included. */
  renewalWindowDays: number;
  /** The model that ranks a past score into its tier (the account's segment's). */
  modelFor: (segment: string) => ScoreModel;
}

interface Moved {
  accountId: string;
  arr: number;
  scoreThen: number | null;
  score: number | null;
}
export interface BandChange extends Moved {
  from: string | null;
  to: string | null;
}
export interface FlagEpisode {
  accountId: string;
  flag: string;
  kind: FlagKind;
  since: string;
  /** When it stopped holding; absent while it holds. */
  clearedAt?: string;
}
export interface Mover extends Moved {
  change: number;
}
export interface EnteringRenewal {
  accountId: string;
  arr: number;
  renewalDate: string;
  band: Band;
  score: number | null;
}
export interface Figure<T> {
  count: number;
  /** ARR of the accounts behind the figure (an account counted once). */
  arr: number;
  /** The accounts behind the figure, each with what changed (the first `list` of them when the caller asked for fewer). */
  accounts: T[];
}
/** A flag figure also counts its episodes by flag: what a summary shows without listing every account. */
export interface FlagFigure extends Figure<FlagEpisode> {
  byFlag: Record<string, number>;
}

export interface Changes {
  /** The start of `since`'s UTC day: changes are counted in whole days, `since`'s included. */
  from: string;
  asOf: string;
  turnedRed: Figure<BandChange>;
  tierDrops: Figure<BandChange>;
  flagsRaised: FlagFigure;
  flagsCleared: FlagFigure;
  movers: { up: Mover[]; down: Mover[] };
  renewalsEntering: Figure<EnteringRenewal>;
}

const addDays = (day: string, n: number) => dayOf(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS);

/** The last daily score before `day`: the score as that day began (null: not scored in the history kept). */
export function scoreBefore(recent: DailyScore[], day: string): number | null {
  let found: number | null = null;
  for (const d of recent) if (d.day < day) found = d.score;
  return found;
}

/** Whether a renewal is in the window on a day: due that day or within the next `windowDays - 1` days. */
export const inRenewalWindow = (renewalDate: string, day: string, windowDays: number) =>
  renewalDate.slice(0, 10) >= day && renewalDate.slice(0, 10) < addDays(day, windowDays);

/** The first `n` of `items` in `order`: kept as read when few (an Overview lists 10 of a week's tens of thousands of flags), else sorted. */
function firstOf<T>(items: T[], n: number, order: (a: T, b: T) => number): T[] {
  if (n >= 64) return items.sort(order).slice(0, n);
  const top: T[] = [];
  if (n > 0) for (const item of items) keepTop(top, n, item, order);
  return top;
}

function figure<T extends { accountId: string }>(accounts: T[], order: (a: T, b: T) => number, arrOf: Map<string, number>, list?: number): Figure<T> {
  const ids = new Set<string>();
  let arr = 0;
  for (const { accountId } of accounts)
    if (!ids.has(accountId)) {
      ids.add(accountId);
      arr += arrOf.get(accountId) ?? 0;
    }
  return { count: accounts.length, arr, accounts: list === undefined ? accounts.sort(order) : firstOf(accounts, list, order) };
}

function flagFigure(episodes: FlagEpisode[], order: (a: FlagEpisode, b: FlagEpisode) => number, arrOf: Map<string, number>, list?: number): FlagFigure {
  const byFlag: Record<string, number> = {};
  for (const e of episodes) byFlag[e.flag] = (byFlag[e.flag] ?? 0) + 1;
  return { ...figure(episodes, order, arrOf, list), byFlag };
}

const byAccount = <T extends { accountId: string }>(a: T, b: T) => (a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : 0);

const byChange = (a: Mover, b: Mover) => Math.abs(b.change) - Math.abs(a.change) || byAccount(a, b);

/** Inserts `item` into `top` (sorted by `order`, at most `n` long) if it belongs there. */
function keepTop<T>(top: T[], n: number, item: T, order: (a: T, b: T) => number) {
  if (top.length >= n && order(item, top[n - 1]!) >= 0) return;
  let i = Math.min(top.length, n - 1);
  while (i > 0 && order(item, top[i - 1]!) < 0) i--;
  top.splice(i, 0, item);
  if (top.length > n) top.length = n;
}

/**
 * The weekly at-risk review: what changed from the start of `since`'s day to now, read from the
 * score items alone (their 35 days of daily scores, flags that hold with their start, flags
 * cleared with theirs). "Then" is an account's last daily score before that day; "now" its
 * current score. Definitions: docs/metrics.md.
 */
export function changesSince(entries: ChangeEntry[], options: ChangeOptions): Changes {
  const fromDay = dayOf(options.since);
  const from = `${fromDay}T00:00:00.000Z`;
  const today = dayOf(options.now);
  const arrOf = new Map(entries.map((e) => [e.accountId, e.arr]));
  const turnedRed: BandChange[] = [];
  const tierDrops: BandChange[] = [];
  const raised: FlagEpisode[] = [];
  const cleared: FlagEpisode[] = [];
  // The top movers each way, kept as the entries are read: a week moves most of the book, and only `top` are listed.
  const up: Mover[] = [];
  const down: Mover[] = [];
  const models = new Map<string, ScoreModel>();
  const entering: EnteringRenewal[] = [];
  for (const e of entries) {
    const s = e.score;
    const score = s?.score ?? null;
    if (
      e.renewalDate &&
      inRenewalWindow(e.renewalDate, today, options.renewalWindowDays) &&
      !inRenewalWindow(e.renewalDate, addDays(fromDay, -1), options.renewalWindowDays)
    )
      entering.push({
        accountId: e.accountId,
        arr: e.arr,
        renewalDate: e.renewalDate,
        band: s?.band ?? (s ? bandOf(options.modelFor(e.segment), score) : null) ?? 'unscored',
        score,
      });
    if (!s) continue;
    const model = models.get(e.segment) ?? models.set(e.segment, options.modelFor(e.segment)).get(e.segment)!;
    const then = scoreBefore(s.recent, fromDay);
    const bandThen = bandOf(model, then);
    const moved = () => ({ accountId: e.accountId, arr: e.arr, scoreThen: then, score });
    if ((s.band ?? bandOf(model, score)) === 'red' && bandThen !== 'red') turnedRed.push({ ...moved(), from: bandThen, to: 'red' });
    const rankThen = tierRank(model, then);
    const rankNow = tierRank(model, score);
    if (rankThen !== null && rankNow !== null && rankNow > rankThen) tierDrops.push({ ...moved(), from: tierOf(model, then!).name, to: s.tier });
    if (then !== null && score !== null && score !== then) {
      const change = score - then;
      keepTop(change > 0 ? up : down, options.top, { ...moved(), change }, byChange);
    }
    for (const flag in s.flags) {
      const f = s.flags[flag]!;
      if (f.since >= from) raised.push({ accountId: e.accountId, flag, kind: f.kind, since: f.since });
    }
    for (const flag in s.clearedFlags) {
      const f = s.clearedFlags[flag]!;
      if (f.clearedAt < from) continue;
      const episode = { accountId: e.accountId, flag, kind: f.kind, since: f.since, clearedAt: f.clearedAt };
      cleared.push(episode);
      if (f.since >= from) raised.push(episode);
    }
  }
  const bySince = (a: FlagEpisode, b: FlagEpisode) => (a.since < b.since ? -1 : a.since > b.since ? 1 : byAccount(a, b) || (a.flag < b.flag ? -1 : 1));
  return {
    from,
    asOf: options.now.toISOString(),
    turnedRed: figure(turnedRed, byAccount, arrOf, options.list),
    tierDrops: figure(tierDrops, byAccount, arrOf, options.list),
    flagsRaised: flagFigure(raised, bySince, arrOf, options.list),
    flagsCleared: flagFigure(cleared, (a, b) => (a.clearedAt! < b.clearedAt! ? -1 : a.clearedAt! > b.clearedAt! ? 1 : bySince(a, b)), arrOf, options.list),
    movers: { up, down },
    renewalsEntering: figure(
      entering,
      (a, b) => (a.renewalDate < b.renewalDate ? -1 : a.renewalDate > b.renewalDate ? 1 : byAccount(a, b)),
      arrOf,
      options.list,
    ),
  };
}
