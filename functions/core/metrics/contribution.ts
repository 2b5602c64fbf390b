import type { Survey } from '../types.ts';
import { firstPaidDay } from './cohorts.ts';
import type { Band } from './health.ts';
import { periodOf, within, type Period } from './period.ts';
import type { Cut, PortfolioAccount } from './portfolio.ts';
import type { RenewalEntry } from './renewal-index.ts';
import { stateAt, type ArrHistory } from './revenue.ts';

/**
 * What one account adds to the metric aggregates (docs/metrics.md, "How the figures are kept").
 * Every aggregate is the sum of its accounts' contributions, so upkeep is one subtraction: when an
 * account's sources change, its new contribution minus the one last applied is added to the
 * aggregate items, and rebuild is the plain sum over all accounts. A contribution is a pure
 * function of the account's sources, so backdated points, group moves and replays need no special
 * case: the next difference says what moved.
 */
export interface MetricSources {
  account: PortfolioAccount;
  history: ArrHistory;
  surveys: Survey[];
  /** What the book index shows of the account beside the above: its name and renewal date (renewal-index.ts). */
  profile?: { name: string; renewalDate?: string };
}

/** The cuts aggregates are kept for; `whole` is the whole book (one group, `all`). */
export const AGGREGATE_CUTS = ['whole', 'segment', 'plan', 'owner', 'cohort'] as const;
export type AggregateCut = (typeof AGGREGATE_CUTS)[number];
export const WHOLE_GROUP = 'all';

/** Counters by name: what an aggregate item holds, and what a contribution adds to one. */
export type Counters = Record<string, number>;

export interface Contribution {
  /** The account's group in each cut. */
  groups: Record<AggregateCut, string>;
  /** By named period key (`M#2026-03`, `Q#2026-Q1`, `Y#2026`): retention flows and sentiment counts. */
  periods: Record<string, Counters>;
  /** Its start day (`T#` items are per start day) and the time-to-value counters there. */
  start: { day: string; counters: Counters };
  /** The current book: one account, and, when live, its band's account and ARR. */
  now: Counters;
  /** Its book index entry (renewal-index.ts): live accounts only. */
  renewal?: RenewalEntry;
}

export const BANDS: Band[] = ['green', 'yellow', 'red', 'unscored'];
const DAY = 86_400_000;
const daysBetween = (from: string, to: string) => Math.floor((Date.parse(to.slice(0, 10)) - Date.parse(from.slice(0, 10))) / DAY);
const paid = (h: ArrHistory, day: string) => {
  const s = stateAt(h, day);
  return s?.status === 'active' ? s.arr : 0;
};

/** The named periods a day falls in: its month, quarter and year (the keys of the period items). */
export function periodKeysOf(day: string): string[] {
  const [y, m] = [day.slice(0, 4), Number(day.slice(5, 7))];
  return [`M#${day.slice(0, 7)}`, `Q#${y}-Q${Math.ceil(m / 3)}`, `Y#${y}`];
}

/** A period key's `[from, to)`. */
export function periodOfKey(key: string): Period {
  return periodOf(key.slice(2));
}

/**
 * The account's retention flows in one period, as `retention()` counts them: net per account,
 * from its paid ARR when the period begins to when it ends; nothing when they are equal.
 * Starting ARR and logos are not here: they are the book when the period begins, the sum of the
 * monthly net flows before it (figures.ts), so an account that does not move adds nothing.
 */
export function flowsOf(history: ArrHistory, period: Period): Counters {
  const [s, e] = [paid(history, period.from), paid(history, period.to)];
  if (s === e) return {};
  if (s > 0) {
    if (e === 0) return { churnedArr: s, churnedLogos: 1 };
    return e > s ? { expansionArr: e - s } : { contractionArr: s - e };
  }
  const paidBefore = history.points.some((p) => p.at.slice(0, 10) < period.from && p.status === 'active' && p.arr > 0);
  return paidBefore ? { reactivationArr: e, reactivationLogos: 1 } : { newArr: e, newLogos: 1 };
}

/** NPS (latest answer per person in the period, as `nps()`) and CSAT (every answer) counts of one period. */
export function sentimentOf(surveys: Survey[], period: Period): Counters {
  const latest = new Map<string, Survey>();
  const out: Counters = {};
  const add = (k: string, v: number) => (out[k] = (out[k] ?? 0) + v);
  for (const s of surveys) {
    if (!within(s.answeredAt, period)) continue;
    if (s.kind === 'csat') {
      add('csatResponses', 1);
      add('csatSum', s.score);
      if (s.score >= 4) add('csatSatisfied', 1);
      continue;
    }
    const who = s.contactEmail ? `${s.accountId}\u0000${s.contactEmail.toLowerCase()}` : `\u0001${s.accountId}\u0000${s.id}`;
    const seen = latest.get(who);
    if (!seen || seen.answeredAt < s.answeredAt) latest.set(who, s);
  }
  for (const s of latest.values()) {
    add('npsResponses', 1);
    add(s.score >= 9 ? 'promoters' : s.score <= 6 ? 'detractors' : 'passives', 1);
  }
  return out;
}

const groupOf = (account: PortfolioAccount, history: ArrHistory, cut: Cut) =>
  cut === 'cohort' ? (firstPaidDay(history)?.slice(0, 7) ?? 'none') : (account[cut] ?? 'none');

/** The account's whole contribution, from its sources. */
export function contributionOf({ account, history, surveys, profile }: MetricSources): Contribution {
  const periods: Record<string, Counters> = {};
  const keys = new Set([...history.points.map((p) => p.at.slice(0, 10)), ...surveys.map((s) => s.answeredAt.slice(0, 10))].flatMap(periodKeysOf));
  for (const key of [...keys].sort()) {
    const period = periodOfKey(key);
    const counters = { ...flowsOf(history, period), ...sentimentOf(surveys, period) };
    if (Object.keys(counters).length) periods[key] = counters;
  }
  const start = { day: account.startDate.slice(0, 10), counters: { started: 1 } as Counters };
  if (account.firstValueAt) start.counters[`d${daysBetween(account.startDate, account.firstValueAt)}`] = 1;
  const now: Counters = { accounts: 1 };
  if (account.status !== 'churned') Object.assign(now, { [`${account.band}Accounts`]: 1, [`${account.band}Arr`]: account.arr });
  return {
    groups: {
      whole: WHOLE_GROUP,
      segment: groupOf(account, history, 'segment'),
      plan: groupOf(account, history, 'plan'),
      owner: groupOf(account, history, 'owner'),
      cohort: groupOf(account, history, 'cohort'),
    },
    periods,
    start,
    now,
    ...(account.status !== 'churned' && profile
      ? {
          renewal: {
            accountId: account.accountId,
            ...(profile.renewalDate ? { renewalDate: profile.renewalDate } : {}),
            segment: account.segment,
            arr: account.arr,
            band: account.band,
            name: profile.name,
            ...(account.owner ? { owner: account.owner } : {}),
          },
        }
      : {}),
  };
}

/** An aggregate item's address: its cut (the partition) and its sort key. */
export interface AggregateAddress {
  cut: AggregateCut;
  sk: string;
}

/** Sort keys of the aggregate items (one partition per cut; docs/data-model.md). */
export const aggregateSk = {
  period: (periodKey: string, group: string) => `P#${periodKey}#${group}`,
  start: (day: string, group: string) => `T#${day}#${group}`,
  now: (group: string) => `N#${group}`,
  /** The live accounts renewing on a day, by band (the `whole` cut only): the renewals report's counters. */
  renewalDay: (day: string) => `R#${day}`,
};

/** What a live account adds to its renewal day's item: one account and its paid ARR in its band. */
export const renewalCounters = (r: Pick<RenewalEntry, 'band' | 'arr'>): Counters => ({ [`${r.band}Accounts`]: 1, [`${r.band}Arr`]: r.arr });

/** The aggregate items a contribution adds to, with what it adds to each (`cut|sk` → counters). */
export function entriesOf(c: Contribution | undefined): Map<string, Counters> {
  const out = new Map<string, Counters>();
  if (!c) return out;
  for (const cut of AGGREGATE_CUTS) {
    const g = c.groups[cut];
    for (const [key, counters] of Object.entries(c.periods)) out.set(`${cut}|${aggregateSk.period(key, g)}`, counters);
    out.set(`${cut}|${aggregateSk.start(c.start.day, g)}`, c.start.counters);
    out.set(`${cut}|${aggregateSk.now(g)}`, c.now);
  }
  // Beside the book index entry, so the same difference moves both and rebuild sums both (a renewal window's totals read no entry).
  if (c.renewal?.renewalDate) out.set(`whole|${aggregateSk.renewalDay(c.renewal.renewalDate.slice(0, 10))}`, renewalCounters(c.renewal));
  return out;
}

/** What to add to each aggregate item to go from contribution `before` to `after`: only non-zero counters, only items that move. */
export function contributionDiff(before: Contribution | undefined, after: Contribution | undefined): Map<string, Counters> {
  const [a, b] = [entriesOf(before), entriesOf(after)];
  const out = new Map<string, Counters>();
  for (const key of new Set([...a.keys(), ...b.keys()])) {
    const d: Counters = {};
    const [x, y] = [a.get(key) ?? {}, b.get(key) ?? {}];
    for (const f of new Set([...Object.keys(x), ...Object.keys(y)])) {
      const v = (y[f] ?? 0) - (x[f] ?? 0);
      if (v !== 0) d[f] = v;
    }
    if (Object.keys(d).length) out.set(key, d);
  }
  return out;
}

/** Adds counters into a map of aggregates (rebuild's sum, and the tests' model of upkeep). */
export function addInto(into: Map<string, Counters>, entries: Map<string, Counters>) {
  for (const [key, counters] of entries) {
    const t = into.get(key) ?? {};
    for (const [f, v] of Object.entries(counters)) t[f] = (t[f] ?? 0) + v;
    into.set(key, t);
  }
}

export const splitAddress = (key: string): AggregateAddress => {
  const i = key.indexOf('|');
  return { cut: key.slice(0, i) as AggregateCut, sk: key.slice(i + 1) };
};

/**
 * The contribution with the account in another band: only the book moves (its band's account and
 * ARR), and its renewal index entry's band. What scoring's band change needs, without reading the account's sources again.
 */
export function withBand(c: Contribution, band: Band): Contribution {
  const live = BANDS.find((b) => c.now[`${b}Accounts`]);
  if (!live) return c;
  const { [`${live}Accounts`]: _n, [`${live}Arr`]: arr, ...rest } = c.now;
  return { ...c, now: { ...rest, [`${band}Accounts`]: 1, [`${band}Arr`]: arr ?? 0 }, ...(c.renewal ? { renewal: { ...c.renewal, band } } : {}) };
}
