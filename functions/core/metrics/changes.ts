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

function figure<T extends { accountId: string }>(accounts: T[], arrOf: Map<string, number>, list?: number): Figure<T> {
  const ids = new Set(accounts.map((a) => a.accountId));
  return {
    count: accounts.length,
    arr: [...ids].reduce((t, id) => t + (arrOf.get(id) ?? 0), 0),
    accounts: list === undefined ? accounts : accounts.slice(0, list),
  };
}

function flagFigure(episodes: FlagEpisode[], arrOf: Map<string, number>, list?: number): FlagFigure {
  const byFlag: Record<string, number> = {};
  for (const e of episodes) byFlag[e.flag] = (byFlag[e.flag] ?? 0) + 1;
  return { ...figure(episodes, arrOf, list), byFlag };
}

const byAccount = <T extends { accountId: string }>(a: T, b: T) => (a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : 0);

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
  const movers: Mover[] = [];
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
    const model = options.modelFor(e.segment);
    const then = scoreBefore(s.recent, fromDay);
    const moved = { accountId: e.accountId, arr: e.arr, scoreThen: then, score };
    const bandThen = bandOf(model, then);
    if ((s.band ?? bandOf(model, score)) === 'red' && bandThen !== 'red') turnedRed.push({ ...moved, from: bandThen, to: 'red' });
    const rankThen = tierRank(model, then);
    const rankNow = tierRank(model, score);
    if (rankThen !== null && rankNow !== null && rankNow > rankThen) tierDrops.push({ ...moved, from: tierOf(model, then!).name, to: s.tier });
    if (then !== null && score !== null && score !== then) movers.push({ ...moved, change: score - then });
    for (const [flag, f] of Object.entries(s.flags)) if (f.since >= from) raised.push({ accountId: e.accountId, flag, kind: f.kind, since: f.since });
    for (const [flag, f] of Object.entries(s.clearedFlags ?? {})) {
      if (f.clearedAt < from) continue;
      const episode = { accountId: e.accountId, flag, kind: f.kind, since: f.since, clearedAt: f.clearedAt };
      cleared.push(episode);
      if (f.since >= from) raised.push(episode);
    }
  }
  const byChange = (a: Mover, b: Mover) => Math.abs(b.change) - Math.abs(a.change) || byAccount(a, b);
  const bySince = (a: FlagEpisode, b: FlagEpisode) => (a.since < b.since ? -1 : a.since > b.since ? 1 : byAccount(a, b) || (a.flag < b.flag ? -1 : 1));
  return {
    from,
    asOf: options.now.toISOString(),
    turnedRed: figure(turnedRed.sort(byAccount), arrOf, options.list),
    tierDrops: figure(tierDrops.sort(byAccount), arrOf, options.list),
    flagsRaised: flagFigure(raised.sort(bySince), arrOf, options.list),
    flagsCleared: flagFigure(
      cleared.sort((a, b) => (a.clearedAt! < b.clearedAt! ? -1 : a.clearedAt! > b.clearedAt! ? 1 : bySince(a, b))),
      arrOf,
      options.list,
    ),
    movers: {
      up: movers
        .filter((m) => m.change > 0)
        .sort(byChange)
        .slice(0, options.top),
      down: movers
        .filter((m) => m.change < 0)
        .sort(byChange)
        .slice(0, options.top),
    },
    renewalsEntering: figure(
      entering.sort((a, b) => (a.renewalDate < b.renewalDate ? -1 : a.renewalDate > b.renewalDate ? 1 : byAccount(a, b))),
      arrOf,
      options.list,
    ),
  };
}
