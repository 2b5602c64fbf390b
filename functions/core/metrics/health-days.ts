import type { Counters } from './contribution.ts';
import type { Band } from './health.ts';
import { ratio, type Period } from './period.ts';

/**
 * Health over time (docs/metrics.md, "Health over time"): the daily scoring run counts, per shard,
 * the accounts and ARR of each band and the sum of the scores, and stores that tally in a small
 * per-day item (functions/data/health-days.ts). A retried batch writes the same shard's item again,
 * so it overwrites rather than double-counts; a day's figure is the sum of its shards' items.
 * No per-account read per request and no extra write per account.
 *
 * The same item keeps each group's tally beside the whole book's, under `<cut>|<group>|<counter>`
 * for the cuts the daily run knows of an account (segment, plan, owner: HEALTH_CUTS): the series
 * of a group costs no more writes, only a larger item (bench/scoring-batch.ts measures it).
 * Cohorts are left out: an account's first paid month is in its revenue history, which the daily
 * run does not read.
 */
export const HEALTH_CUTS = ['segment', 'plan', 'owner'] as const;
export type HealthCut = (typeof HEALTH_CUTS)[number];
const SEPARATOR = '|';
const BANDS: Band[] = ['green', 'yellow', 'red', 'unscored'];

/** What the daily run knows of one account it scored (or found scored today). */
export interface ScoredAccount {
  band?: Band | null;
  score?: number | null;
  /** Paid ARR: trials count 0, as in the book (sources.ts). */
  arr: number;
  /** Its known and active people (activation.ts `userActivation`), when known. */
  activation?: { known: number; active: number };
  /** Its group in each cut (`none` without an owner): its tally is added to each group's too. */
  groups?: Record<HealthCut, string>;
}

/**
 * Adds one account to a shard's tally: its band's account and ARR, and its score to the sum when
 * it has one; the same again under each of its groups.
 */
export function tallyAccount(tally: Counters, a: ScoredAccount): Counters {
  tallyInto(tally, '', a);
  if (a.groups) for (const cut of HEALTH_CUTS) tallyInto(tally, `${cut}${SEPARATOR}${a.groups[cut]}${SEPARATOR}`, a);
  return tally;
}

function tallyInto(tally: Counters, prefix: string, a: ScoredAccount): void {
  const add = (k: string, v: number) => (tally[prefix + k] = (tally[prefix + k] ?? 0) + v);
  const band = a.band ?? 'unscored';
  add('accounts', 1);
  add(`${band}Accounts`, 1);
  add(`${band}Arr`, a.arr);
  if (typeof a.score === 'number') {
    add('scored', 1);
    add('scoreSum', a.score);
  }
  if (a.activation) {
    add('knownPeople', a.activation.known);
    add('activePeople', a.activation.active);
    // The mean of the accounts' rates needs the rates' sum and how many accounts have one.
    if (a.activation.known > 0) {
      add('activationRated', 1);
      add('activationRateSum', a.activation.active / a.activation.known);
    }
  }
}

/** The months (`yyyy-mm`, one item partition each) a period spans: one Query each. */
export function monthsOf(period: Period): string[] {
  const out: string[] = [];
  for (let m = period.from.slice(0, 7); `${m}-01` < period.to;) {
    out.push(m);
    const [y, mm] = [Number(m.slice(0, 4)), Number(m.slice(5, 7))];
    m = mm === 12 ? `${y + 1}-01` : `${y}-${String(mm + 1).padStart(2, '0')}`;
  }
  return out;
}

export interface HealthDay {
  day: string;
  accounts: number;
  bands: Record<Band, { accounts: number; arr: number }>;
  /** Mean score of the accounts with one; null when none had a score. */
  averageScore: number | null;
  /** User activation that day (activation.ts `bookActivation`): pooled Σ active ÷ Σ known, and the mean of the accounts' rates. */
  activation: { known: number; active: number; pooled: number | null; meanOfAccounts: number | null };
}

/**
 * The daily series of a period from its per-day shard items (`<day>#<shard>` → tally): one entry
 * per day the daily run counted, in day order. A day without a run (before the first, or a failed
 * run) has no entry rather than a false zero.
 */
export function healthSeries(items: [string, Counters][], period: Period): HealthDay[] {
  return seriesOf(sumDays(items, period, (field) => (field.includes(SEPARATOR) ? undefined : ['', field])).get('') ?? new Map());
}

/**
 * Each group's daily series for one cut, from the same items: a group appears from the first day
 * the daily run counted an account in it; on other days of the period it has no entry.
 */
export function healthSeriesByGroup(items: [string, Counters][], period: Period, cut: HealthCut): Record<string, HealthDay[]> {
  const prefix = `${cut}${SEPARATOR}`;
  const byGroup = sumDays(items, period, (field) => {
    if (!field.startsWith(prefix)) return undefined;
    const end = field.lastIndexOf(SEPARATOR);
    return [field.slice(prefix.length, end), field.slice(end + 1)];
  });
  return Object.fromEntries([...byGroup.keys()].sort().map((group) => [group, seriesOf(byGroup.get(group)!)]));
}

/** Sums the shard items of each day of the period, by group (`split` names a counter's group and field, or drops it). */
function sumDays(items: [string, Counters][], period: Period, split: (field: string) => [string, string] | undefined) {
  const groups = new Map<string, Map<string, Counters>>();
  for (const [sk, counters] of items) {
    const day = sk.slice(0, 10);
    if (day < period.from || day >= period.to) continue;
    for (const [name, v] of Object.entries(counters)) {
      const at = typeof v === 'number' ? split(name) : undefined;
      if (!at) continue;
      const [group, field] = at;
      const days = groups.get(group) ?? groups.set(group, new Map()).get(group)!;
      const t = days.get(day) ?? days.set(day, {}).get(day)!;
      t[field] = (t[field] ?? 0) + (v as number);
    }
  }
  return groups;
}

function seriesOf(days: Map<string, Counters>): HealthDay[] {
  return [...days.keys()].sort().map((day) => {
    const t = days.get(day)!;
    const bands = Object.fromEntries(BANDS.map((b) => [b, { accounts: t[`${b}Accounts`] ?? 0, arr: t[`${b}Arr`] ?? 0 }])) as HealthDay['bands'];
    const avg = ratio(t.scoreSum ?? 0, t.scored ?? 0);
    const round = (x: number | null, places: number) => (x === null ? null : Math.round(x * 10 ** places) / 10 ** places);
    const [known, active] = [t.knownPeople ?? 0, t.activePeople ?? 0];
    const activation = {
      known,
      active,
      pooled: round(ratio(active, known), 4),
      meanOfAccounts: round(ratio(t.activationRateSum ?? 0, t.activationRated ?? 0), 4),
    };
    return { day, accounts: t.accounts ?? 0, bands, averageScore: round(avg, 1), activation };
  });
}

/** The per-day tallies (functions/data/health-days.ts). */
export interface HealthDayRepo {
  /** Sets (not adds) one shard's tally of one day: a retried batch overwrites its own item. */
  put(day: string, shard: number, tally: Counters): Promise<void>;
  /** Every shard item of the period's days: one Query per month. */
  read(period: Period): Promise<[string, Counters][]>;
}
