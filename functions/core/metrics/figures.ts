import { aggregateSk, BANDS, type Counters } from './contribution.ts';
import type { Band } from './health.ts';
import { ratio, type Period } from './period.ts';
import type { RetentionFigures } from './revenue.ts';

/**
 * The figures of `portfolio()` read back from the aggregate items of one cut (contribution.ts):
 * the same formulas over the same sums, so each equals what `portfolio()` gives over the source
 * items (tests/integration/metrics-aggregates.test.ts). What the aggregates do not hold are the
 * account lists: each figure's drill-down query lists them (docs/metrics.md).
 */
export interface AggregateRead {
  /** Monthly period items (`P#M#…`) of every month before the period: the book when it begins. */
  before: Map<string, Counters>;
  /** The period's own items (`P#<key>#group`). */
  period: Map<string, Counters>;
  /** Time-to-value items of the start days in the period (`T#day#group`). */
  starts: Map<string, Counters>;
  /** The current book by group (`N#group`). */
  now: Map<string, Counters>;
}

export interface AggregateFigures {
  accounts: number;
  retention: Omit<RetentionFigures, 'accounts'>;
  nps: { nps: number | null; responses: number; promoters: number; passives: number; detractors: number };
  csat: { average: number | null; satisfied: number | null; responses: number };
  timeToValue: {
    medianDays: number | null;
    p90Days: number | null;
    withinTarget: number | null;
    started: number;
    reached: number;
    overdue: number;
    pending: number;
  };
  health: Record<Band, { accounts: number; arr: number; accountShare: number | null; arrShare: number | null }>;
}

/** The group of an aggregate item's sort key: what follows its fixed-width prefix (a group name may hold `#`). */
const groupOfSk = (sk: string) => sk.slice(sk.startsWith('N#') ? 2 : sk.startsWith('T#') ? 13 : sk.startsWith('P#Y#') ? 9 : 12);
const n = (c: Counters | undefined, f: string) => c?.[f] ?? 0;
const DAY = 86_400_000;
const daysBetween = (from: string, to: string) => Math.floor((Date.parse(to) - Date.parse(from)) / DAY);

/** Net change of paid ARR and paying logos an item's flows say (end minus start, summed over its accounts). */
export const netArr = (c: Counters) => n(c, 'newArr') + n(c, 'reactivationArr') + n(c, 'expansionArr') - n(c, 'contractionArr') - n(c, 'churnedArr');
export const netLogos = (c: Counters) => n(c, 'newLogos') + n(c, 'reactivationLogos') - n(c, 'churnedLogos');

/** The value at a 0-based rank of a histogram (days → count), sorted ascending. */
function atRank(hist: [number, number][], rank: number): number {
  let seen = 0;
  for (const [days, count] of hist) if ((seen += count) > rank) return days;
  throw new Error('rank past the histogram');
}

/** The figures of one group from its items. */
export function groupFigures(group: string, read: AggregateRead, periodKey: string, period: Period, asOf: string, targetDays: number): AggregateFigures {
  let startingArr = 0;
  let startingLogos = 0;
  for (const [sk, c] of read.before) {
    if (groupOfSk(sk) !== group) continue;
    startingArr += netArr(c);
    startingLogos += netLogos(c);
  }
  const p = read.period.get(aggregateSk.period(periodKey, group));
  const [expansionArr, contractionArr, churnedArr] = [n(p, 'expansionArr'), n(p, 'contractionArr'), n(p, 'churnedArr')];
  const retainedArr = startingArr + expansionArr - contractionArr - churnedArr;
  const kept = startingArr - contractionArr - churnedArr;
  const churnedLogos = n(p, 'churnedLogos');

  const responses = n(p, 'npsResponses');
  const csatResponses = n(p, 'csatResponses');

  // Time to value: started per start day, and whole days to value as a histogram; reached only before asOf's day.
  const hist = new Map<number, number>();
  let started = 0;
  let overdue = 0;
  let pending = 0;
  const today = asOf.slice(0, 10);
  for (const [sk, c] of read.starts) {
    if (groupOfSk(sk) !== group) continue;
    const day = sk.slice(2, 12);
    if (day < period.from || day >= period.to) continue;
    let reached = 0;
    // Reached before today's day: `day` + days < today, counted in whole days once per item (not a date per field).
    const age = daysBetween(day, today);
    for (const f in c) {
      const count = c[f];
      if (!f.startsWith('d') || !count) continue;
      const days = Number(f.slice(1));
      if (days >= age) continue;
      hist.set(days, (hist.get(days) ?? 0) + count);
      reached += count;
    }
    started += n(c, 'started');
    const open = n(c, 'started') - reached;
    if (age > targetDays) overdue += open;
    else pending += open;
  }
  const sorted = [...hist].sort(([a], [b]) => a - b);
  const reached = sorted.reduce((t, [, c]) => t + c, 0);
  const mid = reached / 2;
  const medianDays = reached ? (Number.isInteger(mid) ? (atRank(sorted, mid - 1) + atRank(sorted, mid)) / 2 : atRank(sorted, Math.floor(mid))) : null;
  const p90Days = reached ? atRank(sorted, Math.max(0, Math.ceil(0.9 * reached) - 1)) : null;
  const inTarget = sorted.filter(([d]) => d <= targetDays).reduce((t, [, c]) => t + c, 0);

  const now = read.now.get(aggregateSk.now(group));
  const live = BANDS.reduce((t, b) => t + n(now, `${b}Accounts`), 0);
  const liveArr = BANDS.reduce((t, b) => t + n(now, `${b}Arr`), 0);
  const health = Object.fromEntries(
    BANDS.map((b) => {
      const [accounts, arr] = [n(now, `${b}Accounts`), n(now, `${b}Arr`)];
      return [b, { accounts, arr, accountShare: live ? accounts / live : null, arrShare: liveArr ? arr / liveArr : null }];
    }),
  ) as AggregateFigures['health'];
  return {
    accounts: n(now, 'accounts'),
    retention: {
      startingArr,
      startingLogos,
      retainedArr,
      expansionArr,
      contractionArr,
      churnedArr,
      churnedLogos,
      newArr: n(p, 'newArr'),
      reactivationArr: n(p, 'reactivationArr'),
      nrr: ratio(retainedArr, startingArr),
      grr: ratio(kept, startingArr),
      logoChurn: ratio(churnedLogos, startingLogos),
      revenueChurn: ratio(churnedArr, startingArr),
      expansionShare: ratio(expansionArr, startingArr),
    },
    nps: {
      nps: responses ? 100 * (n(p, 'promoters') / responses - n(p, 'detractors') / responses) : null,
      responses,
      promoters: n(p, 'promoters'),
      passives: n(p, 'passives'),
      detractors: n(p, 'detractors'),
    },
    csat: { average: csatResponses ? n(p, 'csatSum') / csatResponses : null, satisfied: ratio(n(p, 'csatSatisfied'), csatResponses), responses: csatResponses },
    timeToValue: { medianDays, p90Days, withinTarget: ratio(inTarget, reached + overdue), started, reached, overdue, pending },
    health,
  };
}

/** The groups of a cut: those with accounts now (every account adds to its group's `N#` item). */
export const groupsOf = (read: AggregateRead) =>
  [...read.now]
    .filter(([, c]) => n(c, 'accounts') > 0)
    .map(([sk]) => groupOfSk(sk))
    .sort((a, b) => (a < b ? -1 : 1));

/** Every group's figures for a named period (`periodKey`: `M#2026-03`, `Q#2026-Q1`, `Y#2026`). */
export function figuresFromAggregates(read: AggregateRead, periodKey: string, period: Period, asOf: string, targetDays: number) {
  return Object.fromEntries(groupsOf(read).map((g) => [g, groupFigures(g, read, periodKey, period, asOf, targetDays)]));
}

/** The sort-key bounds of what a named period's figures read in one cut's partition (data/metric-aggregates.ts queries these). */
export function readRanges(periodKey: string, period: Period) {
  return {
    before: { from: 'P#M#', to: `P#M#${period.from.slice(0, 7)}` },
    period: { prefix: `P#${periodKey}#` },
    starts: { from: `T#${period.from}`, to: `T#${period.to}` },
    now: { prefix: 'N#' },
  };
}

/** Sorts one cut's items (sort key → counters) into what a named period's figures read. */
export function aggregateReadOf(items: Iterable<[string, Counters]>, periodKey: string, period: Period): AggregateRead {
  const r = readRanges(periodKey, period);
  const read: AggregateRead = { before: new Map(), period: new Map(), starts: new Map(), now: new Map() };
  for (const [sk, c] of items) {
    if (sk >= r.before.from && sk < r.before.to) read.before.set(sk, c);
    else if (sk.startsWith(r.period.prefix)) read.period.set(sk, c);
    else if (sk >= r.starts.from && sk < r.starts.to) read.starts.set(sk, c);
    else if (sk.startsWith(r.now.prefix)) read.now.set(sk, c);
  }
  return read;
}

const nextMonth = (month: string) => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 7);
};

/**
 * `cohortTable()` from the cohort cut's monthly items: a cohort's paid ARR and paying logos at a
 * month's end are the sum of its monthly net flows up to that month (its accounts paid nothing
 * before their cohort month). `accounts` is the group's book item.
 */
export function cohortsFromAggregates(items: Iterable<[string, Counters]>, asOf: string) {
  const flows = new Map<string, Map<string, Counters>>();
  const members = new Map<string, number>();
  for (const [sk, c] of items) {
    const group = groupOfSk(sk);
    if (sk.startsWith('N#')) members.set(group, n(c, 'accounts'));
    else if (sk.startsWith('P#M#')) flows.set(group, (flows.get(group) ?? new Map()).set(sk.slice(4, 11), c));
  }
  const cohorts = [...members].filter(([g, count]) => g !== 'none' && count > 0).map(([g]) => g);
  return cohorts.sort().map((cohort) => {
    const monthly = flows.get(cohort) ?? new Map<string, Counters>();
    const accounts = members.get(cohort)!;
    let [arr, logos] = [0, 0];
    const logoRetention: number[] = [];
    const revenueRetention: number[] = [];
    // Its accounts paid nothing before their cohort month: their ARR at its end is that month's net flow.
    const first = monthly.get(cohort);
    const startingArr = first ? netArr(first) : 0;
    for (let month = cohort; `${nextMonth(month)}-01` <= asOf.slice(0, 10); month = nextMonth(month)) {
      const c = monthly.get(month);
      if (c) [arr, logos] = [arr + netArr(c), logos + netLogos(c)];
      logoRetention.push(logos / accounts);
      revenueRetention.push(startingArr ? arr / startingArr : 0);
    }
    return { cohort, accounts, startingArr, logoRetention, revenueRetention };
  });
}
