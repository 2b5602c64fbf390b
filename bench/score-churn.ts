/**
 * What moves in the daily scores, field by field: which of the list's score fields changed (band,
 * risk, exp, each flag raised or cleared) and by how much the whole-number score moved. These are
 * what the sorted list's upkeep pays for (docs/data-model.md "Sorted account lists": a moved
 * score 2 gsi2 WRU, a changed band/flag the three other entries), so the bench prints them beside
 * the units. `scoreChurn` runs the pure scorer over many days of the bench's usage pattern (no
 * DynamoDB) to show the steady state the one measured day cannot: flags that need weeks of history,
 * and flags that flap (raised and cleared on alternate days by noise).
 */
import { scoreListing } from '../functions/core/account-list-entry.ts';
import { decideScore, type ScoringPolicy } from '../functions/core/score/decide.ts';
import { factsOf, type ScoreFacts } from '../functions/core/score/explain.ts';
import type { Account, UsageDay } from '../functions/core/types.ts';

const DAY = 86_400_000;
const FEATURES = ['dashboards', 'reports', 'alerts', 'integrations', 'sharing', 'api'];

/** The bench's usage pattern: account i on the day `d` days before `start` (d < 0: after it). */
export function benchUsage(i: number, d: number, start: number) {
  const seats = 5 + (i % 30);
  const users = Array.from({ length: 1 + ((((i + d) % seats) + seats) % seats) }, (_, u) => `u${u}`);
  const used = FEATURES.slice(0, 1 + ((((i * 7 + d) % FEATURES.length) + FEATURES.length) % FEATURES.length));
  const day = new Date(start - d * DAY).toISOString().slice(0, 10);
  return { day, users, features: used, userFeatures: users.map((u, k) => `${u}|${used[k % used.length]}`) };
}

/** The same pattern with quiet weekends (no usage on Saturdays and Sundays), as a business tool is used. */
export function weekendUsage(i: number, d: number, start: number) {
  const usage = benchUsage(i, d, start);
  const weekday = new Date(`${usage.day}T00:00:00Z`).getUTCDay();
  return weekday === 0 || weekday === 6 ? { ...usage, users: [], features: [], userFeatures: [] } : usage;
}

/** The bench's account i. */
export function benchAccount(i: number) {
  const id = `bench-${i}`;
  const seats = 5 + (i % 30);
  return {
    id,
    name: id,
    seats,
    arr: seats * 600,
    status: 'active',
    segment: 'tech-touch',
    startDate: '2025-09-01T00:00:00.000Z',
    createdAt: '2025-09-01T00:00:00.000Z',
    primaryContact: { email: `cs@${id}.example` },
  };
}

/** Tallies of what changed between two listings (account-list-entry.ts `scoreListing`: value|band|risk|exp|flags). */
export class ListingChanges {
  accounts = 0;
  /** Accounts whose band, risk, exp or flags changed (what rewrites the three other entries). */
  otherEntries = 0;
  /** Accounts whose whole-number score moved, by size of the move. */
  moves = new Map<string, number>();
  /** Key moves of a score order that tolerates 1 point (the key moves when the score is 2 or more from it). */
  tolerantMoves = 0;
  /** Accounts where each field changed (`+flag` raised, `-flag` cleared). */
  fields = new Map<string, number>();

  add(before: string | undefined, after: string) {
    this.accounts++;
    if (before === undefined) return;
    const [v0, ...f0] = before.split('|');
    const [v1, ...f1] = after.split('|');
    if (v0 !== v1) {
      const size = v0 && v1 ? Math.abs(Math.round(Number(v1) - Number(v0))) : NaN;
      const bucket = Number.isNaN(size) ? 'scored/unscored' : size >= 6 ? '6+' : size >= 3 ? '3-5' : String(size);
      this.moves.set(bucket, (this.moves.get(bucket) ?? 0) + 1);
    }
    if (f0.join('|') === f1.join('|')) return;
    this.otherEntries++;
    const count = (k: string) => this.fields.set(k, (this.fields.get(k) ?? 0) + 1);
    ['band', 'risk', 'exp'].forEach((name, k) => f0[k] !== f1[k] && count(name));
    const flags = (l: string[]) => new Set((l[3] ?? '').split(',').filter(Boolean));
    const [was, now] = [flags(f0), flags(f1)];
    for (const f of now) if (!was.has(f)) count(`+${f}`);
    for (const f of was) if (!now.has(f)) count(`-${f}`);
  }

  /** Adds another tally (days of a run together). */
  merge(other: ListingChanges) {
    this.accounts += other.accounts;
    this.otherEntries += other.otherEntries;
    this.tolerantMoves += other.tolerantMoves;
    for (const [k, v] of other.moves) this.moves.set(k, (this.moves.get(k) ?? 0) + v);
    for (const [k, v] of other.fields) this.fields.set(k, (this.fields.get(k) ?? 0) + v);
    return this;
  }

  /** One line each: moves by size, then the fields (per account, so `m` and `f` of the cost model). */
  lines(indent = '  '): string[] {
    const n = Math.max(1, this.accounts);
    const share = (k: number) => (k / n).toFixed(3);
    const moved = [...this.moves.values()].reduce((a, b) => a + b, 0);
    const sizes = ['1', '2', '3-5', '6+', 'scored/unscored'].filter((s) => this.moves.has(s));
    const fields = [...this.fields.entries()].sort((a, b) => b[1] - a[1]);
    return [
      `${indent}score moves (m) ${share(moved)} an account: ${sizes.map((s) => `${s} point${s === '1' ? '' : 's'} ${share(this.moves.get(s)!)}`).join(', ') || 'none'}`,
      `${indent}band/flag changes (f) ${share(this.otherEntries)} an account: ${fields.map(([k, v]) => `${k} ${share(v)}`).join(', ') || 'none'}`,
    ];
  }
}

/**
 * The pure scorer run `days` days on the bench's accounts (`n` of them), each day's decision fed
 * the previous day's score as stored: per day, the listing changes; over the run, each flag's
 * raises, the short ones (cleared within `flapDays` of being raised) and the flaps (raised again
 * within `flapDays` of being cleared: what hysteresis would prevent).
 */
export function scoreChurn(policy: ScoringPolicy, n: number, days: number, start: number, flapDays = 2, usageOf = benchUsage) {
  const byDay: ListingChanges[] = [];
  const raised = new Map<string, number>();
  const flaps = new Map<string, number>();
  const short = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const account = benchAccount(i) as unknown as Account;
    let previous: ScoreFacts | undefined;
    let listing: string | undefined;
    const last = new Map<string, { change: '+' | '-'; day: number }>();
    // The band's changes, as a flag's: back to the band it left within `flapDays` is a flap.
    let band: { now: string; left?: string; day: number } | undefined;
    // A score order whose key moves only when the score is 2 or more points from the listed one (an option weighed in docs).
    let listed: number | undefined;
    for (let t = 0; t < days; t++) {
      const now = new Date(start + t * DAY + 6 * 3_600_000);
      // 60 days of usage back from yesterday, as the scorer reads them.
      const usage: UsageDay[] = Array.from({ length: 60 }, (_, k) => usageOf(i, k + 1 - t, start)).reverse();
      const decision = decideScore(policy, { account, days: usage, previous, listing, surveys: [], tickets: [], contacts: [] }, now, { oncePerDay: true });
      if (decision.kind !== 'score') continue;
      const next = scoreListing(decision.stored);
      const day = (byDay[t] ??= new ListingChanges());
      day.add(listing, next);
      const score = decision.stored.score;
      if (score !== null && listed !== undefined && Math.abs(score - listed) >= 2) day.tolerantMoves++;
      if (score !== null && (listed === undefined || Math.abs(score - listed) >= 2)) listed = score;
      for (const e of decision.events) {
        if (e.type !== 'flag.started' && e.type !== 'flag.stopped') continue;
        const flag = String((e.detail as { flag: string }).flag);
        const change = e.type === 'flag.started' ? '+' : '-';
        if (change === '+') raised.set(flag, (raised.get(flag) ?? 0) + 1);
        const before = last.get(flag);
        const within = before && before.change !== change && t - before.day <= flapDays;
        if (within) (change === '+' ? flaps : short).set(flag, ((change === '+' ? flaps : short).get(flag) ?? 0) + 1);
        last.set(flag, { change, day: t });
      }
      const b = String(decision.stored.band);
      if (band && b !== band.now) {
        raised.set('(band change)', (raised.get('(band change)') ?? 0) + 1);
        if (b === band.left && t - band.day <= flapDays) flaps.set('(band change)', (flaps.get('(band change)') ?? 0) + 1);
        band = { now: b, left: band.now, day: t };
      } else band ??= { now: b, day: t };
      previous = factsOf(decision.stored);
      listing = next;
    }
  }
  return { byDay, raised, flaps, short };
}

/** The churn runs' lines for the bench: the steady state's m and f by field, each flag's raises, short ones and flaps; every day used, then quiet weekends. */
export function churnLines(policy: ScoringPolicy, n: number, days: number, start: number): string[] {
  return [
    ['every day used (the pattern the bench measures)', benchUsage],
    ['quiet weekends (no usage on Saturdays and Sundays)', weekendUsage],
  ].flatMap(([label, usageOf]) => {
    const { byDay, raised, flaps, short } = scoreChurn(policy, n, days, start, 2, usageOf as typeof benchUsage);
    const steady = byDay.slice(days - 10).reduce((all, d) => all.merge(d), new ListingChanges());
    const accountDays = n * days;
    const flags = [...raised.entries()].sort((a, b) => b[1] - a[1]);
    return [
      `  the pure scorer over ${days} days, ${label as string} (${n} accounts, 60 days of usage behind each day; m and f over the last 10 days):`,
      ...steady.lines('    '),
      `    a score key that tolerated 1 point (moved when the score is 2 or more from it) would move ${(steady.tolerantMoves / Math.max(1, steady.accounts)).toFixed(3)} an account`,
      `    flags raised (bands changed) per account-day; of them, cleared within 2 days, and flaps (raised again within 2 days of being cleared; a band back to the one it left): ${
        flags.map(([f, k]) => `${f} ${(k / accountDays).toFixed(3)} (of ${k}: ${short.get(f) ?? 0} short, ${flaps.get(f) ?? 0} flaps)`).join(', ') || 'none'
      }`,
    ];
  });
}
