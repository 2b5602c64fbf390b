import type { Counters } from './contribution.ts';
import type { Band } from './health.ts';
import { ratio, type Period } from './period.ts';

/**
 * Health over time (docs/metrics.md, "Health over time"): the daily scoring run counts, per shard,
 * the accounts and ARR of each band and the sum of the scores, and stores that tally in a small
 * per-day item (functions/data/health-days.ts). A retried batch writes the same shard's item again,
 * so it overwrites rather than double-counts; a day's figure is the sum of its shards' items.
 * No per-account read per request and no extra write per account.
 */
const BANDS: Band[] = ['green', 'yellow', 'red', 'unscored'];

/** What the daily run knows of one account it scored (or found scored today). */
export interface ScoredAccount {
  band?: Band | null;
  score?: number | null;
  /** Paid ARR: trials count 0, as in the book (sources.ts). */
  arr: number;
  /** Its known and active people (activation.ts `userActivation`), when known. */
  activation?: { known: number; active: number };
}

/** Adds one account to a shard's tally: its band's account and ARR, and its score to the sum when it has one. */
export function tallyAccount(tally: Counters, a: ScoredAccount): Counters {
  const add = (k: string, v: number) => (tally[k] = (tally[k] ?? 0) + v);
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
  return tally;
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
  const days = new Map<string, Counters>();
  for (const [sk, counters] of items) {
    const day = sk.slice(0, 10);
    if (day < period.from || day >= period.to) continue;
    const t = days.get(day) ?? {};
    for (const [f, v] of Object.entries(counters)) if (typeof v === 'number') t[f] = (t[f] ?? 0) + v;
    days.set(day, t);
  }
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
