import { SHARD_COUNT } from '../account-list.ts';
import { DAY_MS, dayOf } from '../clock.ts';
import { ValidationError } from '../errors.ts';
import type { AccountRepo, RunRepo, ScoreFactsReader } from '../ports.ts';
import type { ScoreFacts } from '../score/explain.ts';
import type { ScoreModel } from '../score/model.ts';
import type { Account } from '../types.ts';
import { changesSince, CHANGES_MAX_DAYS, type Changes } from './changes.ts';
import type { Counters } from './contribution.ts';
import { BANDS } from './contribution.ts';
import type { Band, BandFigures } from './health.ts';
import type { RenewalIndexReader } from './renewal-index.ts';
import { entriesFromStates, scoreOfFacts, type ScoreStateRepo } from './score-states.ts';
import { changesQuerySchema, MAX_SPAN_DAYS, renewalsQuerySchema, type ChangesQuery, type RenewalsQuery } from './report-queries.ts';
export { changesQuerySchema, renewalsQuerySchema, type ChangesQuery, type RenewalsQuery };

/** The renewal window of the review and the renewals list's default: the next 90 days. */
export const RENEWAL_WINDOW_DAYS = 90;

export interface ReportDeps {
  accounts: Pick<AccountRepo, 'list'>;
  scoreFacts: ScoreFactsReader;
  /** When given, each listed renewal says its open plays (one Query per listed account; the web app's Renewals page). */
  runs?: Pick<RunRepo, 'forAccount'>;
  /** The book index (renewal-index.ts): the reports' one read of the book. */
  renewals: RenewalIndexReader;
  /** The score states the scoring runs keep (score-states.ts): the review's scores now and then. */
  scoreStates: Pick<ScoreStateRepo, 'read'>;
  modelFor: (segment: string) => ScoreModel;
}

const addDays = (day: string, n: number) => dayOf(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS);
const invalid = (field: string, message: string) => new ValidationError(`${field}: ${message}`, [{ field, message }]);
/** ARR as the metrics count it: trials pay nothing (docs/metrics.md). */
const paidArr = (a: Account) => (a.status === 'trial' ? 0 : (a.arr ?? 0));

/**
 * The book: every account not churned, from the account index, one paged Query per shard (the 16
 * run together). The index projects whole account items, so this is the one read of the catalog.
 */
async function readBook(deps: ReportDeps): Promise<Account[]> {
  const shards = await Promise.all(
    Array.from({ length: SHARD_COUNT }, async (_, shard) => {
      const out: Account[] = [];
      for await (const page of deps.accounts.list(shard)) out.push(...page.filter((a) => a.status !== 'churned'));
      return out;
    }),
  );
  return shards.flat();
}

export interface RenewalRow {
  accountId: string;
  name: string;
  renewalDate: string;
  arr: number;
  band: Band;
  score: number | null;
  tier: string | null;
  trend: ScoreFacts['trend'] | null;
  flags: string[];
  churnRisk: number | null;
  /** The owning CSM's id, null when unassigned. */
  owner: string | null;
  /** Plays running or paused for the account (when the caller reads runs). */
  openPlays?: string[];
}

/** A band's renewals: accounts and ARR, and their shares of the window's (the accounts themselves: the band's `query`). */
export type RenewalFigures = Omit<BandFigures, 'ids'>;

export interface RenewalsReport {
  from: string;
  to: string;
  asOf: string;
  /** All renewals in the window, and by band, each with the query that lists its accounts. */
  total: { accounts: number; arr: number; query: string };
  byBand: Record<Band, RenewalFigures & { query: string }>;
  /** The window by calendar month (the first and last cut to the window): accounts and ARR by band, and the query listing each month. */
  byMonth: { month: string; from: string; to: string; accounts: number; arr: number; byBand: Record<Band, RenewalFigures>; query: string }[];
  /** This page of the renewals (of `band` when filtered), soonest first. */
  renewals: RenewalRow[];
  cursor: string | null;
}

/** The calendar months `[from, to)` spans, each cut to it (the web app's renewals by month: one read of the book for all). */
function monthsOf(from: string, to: string): { from: string; to: string }[] {
  const out: { from: string; to: string }[] = [];
  for (let start = from; start < to;) {
    const [y, m] = start.split('-').map(Number) as [number, number];
    const next = new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 10);
    out.push({ from: start, to: next < to ? next : to });
    start = next;
  }
  return out;
}

/** Accounts and ARR by band of the renewal day items of `[from, to)` (their counters summed), as `byBand` counts a book. */
function figuresOfDays(days: [string, Counters][], from: string, to: string): { accounts: number; arr: number; byBand: Record<Band, RenewalFigures> } {
  const sum: Counters = {};
  for (const [day, counters] of days) if (day >= from && day < to) for (const [f, v] of Object.entries(counters)) sum[f] = (sum[f] ?? 0) + v;
  const accounts = BANDS.reduce((t, b) => t + (sum[`${b}Accounts`] ?? 0), 0);
  const arr = BANDS.reduce((t, b) => t + (sum[`${b}Arr`] ?? 0), 0);
  const byBand = Object.fromEntries(
    BANDS.map((b) => {
      const [n, a] = [sum[`${b}Accounts`] ?? 0, sum[`${b}Arr`] ?? 0];
      return [b, { accounts: n, arr: a, accountShare: accounts ? n / accounts : null, arrShare: arr ? a / arr : null }];
    }),
  ) as Record<Band, RenewalFigures>;
  return { accounts, arr, byBand };
}

/**
 * Renewals due in `[from, to)`, soonest first, with their health, and accounts and ARR by band:
 * the totals from the renewal day items (one small item per day, kept with the book index by the
 * same upkeep), the listed page from the index's first entries of the window, then the score items
 * of that page only. Nothing read grows with the book.
 */
export async function renewalsReport(deps: ReportDeps, query: RenewalsQuery, now: Date): Promise<RenewalsReport> {
  const from = query.from ?? dayOf(now);
  if (query.to && query.days) throw invalid('days', 'give to or days, not both');
  const to = query.to ?? addDays(from, query.days ?? RENEWAL_WINDOW_DAYS);
  if (to <= from) throw invalid('to', 'must be after from');
  if (to > addDays(from, MAX_SPAN_DAYS)) throw invalid('to', `at most ${MAX_SPAN_DAYS} days after from`);
  const offset = query.cursor ? Number(query.cursor) : 0;
  // One entry past the page: whether there is a next one.
  const [days, entries] = await Promise.all([deps.renewals.days(from, to), deps.renewals.first(from, to, offset + query.limit + 1, query.band)]);
  const link = (band?: Band) => `/v1/renewals?from=${from}&to=${to}${band ? `&band=${band}` : ''}`;
  const window = figuresOfDays(days, from, to);
  const page = entries.slice(offset, offset + query.limit);
  // Scores of the listed page only: one item each, read in batches of 100.
  const scores = await deps.scoreFacts.many(page.map((d) => d.accountId));
  const runs = deps.runs;
  const openPlays = runs
    ? new Map(
        await Promise.all(
          page.map(
            async (d) =>
              [d.accountId, (await runs.forAccount(d.accountId)).filter((r) => r.status === 'running' || r.status === 'paused').map((r) => r.play)] as const,
          ),
        ),
      )
    : undefined;
  return {
    from,
    to,
    asOf: now.toISOString(),
    total: { accounts: window.accounts, arr: window.arr, query: link() },
    byBand: Object.fromEntries(BANDS.map((band) => [band, { ...window.byBand[band], query: link(band) }])) as RenewalsReport['byBand'],
    byMonth: monthsOf(from, to).map((m) => {
      const inMonth = figuresOfDays(days, m.from, m.to);
      return { month: m.from.slice(0, 7), ...m, ...inMonth, query: `/v1/renewals?from=${m.from}&to=${m.to}` };
    }),
    renewals: page.map((d) => {
      const s = scores.get(d.accountId);
      return {
        accountId: d.accountId,
        name: d.name,
        renewalDate: d.renewalDate!,
        arr: d.arr,
        band: d.band,
        score: s?.score ?? null,
        tier: s?.tier ?? null,
        trend: s?.trend ?? null,
        flags: Object.keys(s?.flags ?? {}).sort(),
        churnRisk: s?.churnRisk ?? null,
        owner: d.owner ?? null,
        ...(openPlays ? { openPlays: openPlays.get(d.accountId) ?? [] } : {}),
      };
    }),
    cursor: entries.length > offset + query.limit ? String(offset + query.limit) : null,
  };
}

/**
 * The weekly at-risk review since a time (docs/metrics.md): each account's score now and the day
 * before `since`, and its ARR, segment and owner, from the score states the scoring runs keep (a
 * few items per day, with the book notes made since); the renewals entering the window from the
 * book index's entries due on the days that can enter it (one key range); the score items of the
 * few accounts the states cannot tell. States from before they carried the book fall back on the
 * whole book index. Without the states of those days (before the first daily run that keeps
 * them), the whole book's account and score items are read instead (`source: "items"`).
 */
export async function changesReport(deps: ReportDeps, query: ChangesQuery, now: Date): Promise<Changes & { source: 'states' | 'items' }> {
  if ((query.since === undefined) === (query.days === undefined)) throw invalid('since', 'give since or days, one of them');
  const since = query.since ? new Date(query.since) : new Date(`${addDays(dayOf(now), -query.days!)}T00:00:00.000Z`);
  if (since.getTime() > now.getTime()) throw invalid('since', 'must not be in the future');
  if (dayOf(since) < addDays(dayOf(now), -CHANGES_MAX_DAYS))
    throw invalid('since', `at most ${CHANGES_MAX_DAYS} days back: the score items keep ${CHANGES_MAX_DAYS + 1} days of daily scores`);
  const options = { since, now, top: query.top, list: query.list, renewalWindowDays: RENEWAL_WINDOW_DAYS, modelFor: deps.modelFor };
  const [today, fromDay] = [dayOf(now), dayOf(since)];
  // Of the day before `since` (unless yesterday, whose states may be the newest), the scores alone: "then" is all the review reads of it.
  const read = (days: string[]) =>
    Promise.all([...new Set(days)].map((d) => deps.scoreStates.read(d, { scoresOnly: d < addDays(today, -1) && d === addDays(fromDay, -1) })));
  // Entering: due in the window today, not in it the day before `since`: due from the later of today and that window's end, to today's end.
  const [enterFrom, enterTo] = [[today, addDays(fromDay, RENEWAL_WINDOW_DAYS - 1)].sort()[1]!, addDays(today, RENEWAL_WINDOW_DAYS)];
  const [states, entering] = await Promise.all([read([today, addDays(fromDay, -1)]), enterFrom < enterTo ? deps.renewals.range(enterFrom, enterTo) : []]);
  // Yesterday's states only while today's run has not set every shard: a later run's states supersede them.
  if (states[0]!.shards.size < SHARD_COUNT && addDays(fromDay, -1) !== addDays(today, -1)) states.push(...(await read([addDays(today, -1)])));
  const within = { fromDay, today, shards: SHARD_COUNT, owner: query.owner, entering };
  const booked = entriesFromStates(undefined, states, within);
  // States written before they carried the book: the book from the index, as before.
  const fromStates = booked === 'book-needed' ? entriesFromStates(await deps.renewals.all(today), states, within) : booked;
  if (fromStates) {
    const { entries, unsure, unbooked } = fromStates;
    if (unbooked.length)
      for (const b of (await deps.renewals.entriesOf(unbooked)).values())
        if (query.owner === undefined || b.owner === query.owner)
          entries.push({ accountId: b.accountId, arr: b.arr, segment: b.segment, ...(b.renewalDate ? { renewalDate: b.renewalDate } : {}) });
    const listed = new Set(entries.map((e) => e.accountId));
    const facts = await deps.scoreFacts.many(unsure.filter((id) => listed.has(id)));
    for (const e of entries) {
      const f = facts.get(e.accountId);
      if (f) e.score = scoreOfFacts(f);
    }
    return { ...changesSince(entries, options), source: 'states' };
  }
  const whole = (await readBook(deps)).filter((a) => query.owner === undefined || a.owner === query.owner);
  const scores = await deps.scoreFacts.many(whole.map((a) => a.id));
  const entries = whole.map((a) => ({ accountId: a.id, arr: paidArr(a), segment: a.segment, renewalDate: a.renewalDate, score: scores.get(a.id) }));
  return { ...changesSince(entries, options), source: 'items' };
}
