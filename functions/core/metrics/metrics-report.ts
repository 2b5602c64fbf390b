import { dayOf } from '../clock.ts';
import { ValidationError } from '../errors.ts';
import { cohortTable } from './cohorts.ts';
import { WHOLE_GROUP } from './contribution.ts';
import { aggregateReadOf, cohortsFromAggregates, figuresFromAggregates, groupFigures, type AggregateFigures } from './figures.ts';
import { periodOf, type Period } from './period.ts';
import { groupOf, portfolio, type Cut, type PortfolioInput } from './portfolio.ts';
import type { MetricAggregateRepo, MetricSourceReader } from './sources.ts';
import { HEALTH_CUTS, healthSeries, healthSeriesByGroup, type HealthCut, type HealthDay, type HealthDayRepo } from './health-days.ts';
import {
  DRILL_FIGURES,
  metricAccountsQuerySchema,
  metricsQuerySchema,
  type DrillFigure,
  type MetricAccountsQuery,
  type MetricsQuery,
} from './metrics-queries.ts';
export { DRILL_FIGURES, metricAccountsQuerySchema, metricsQuerySchema, type DrillFigure, type MetricAccountsQuery, type MetricsQuery };

const isHealthCut = (cut: string): cut is HealthCut => (HEALTH_CUTS as readonly string[]).includes(cut);

export interface MetricsDeps {
  aggregates: MetricAggregateRepo;
  sources: MetricSourceReader;
  firstValueTargetDays: number;
  /** The outcome counters' figures for a period of whole months (`from..to`). */
  outcomes?: { load(period: string): Promise<unknown> };
  /** The daily run's health tallies: the whole book's `healthOverTime`. */
  healthDays?: Pick<HealthDayRepo, 'read'>;
}

const invalid = (field: string, message: string) => new ValidationError(`${field}: ${message}`, [{ field, message }]);

/** The current quarter's name. */
export const quarterOf = (day: string) => `${day.slice(0, 4)}-Q${Math.ceil(Number(day.slice(5, 7)) / 3)}`;

/** A period's name to its span and, when it is a named period (or a span equal to one), its aggregate key. */
export function resolvePeriod(name: string): { name: string; period: Period; key?: string } {
  let period: Period;
  try {
    period = periodOf(name);
  } catch (err) {
    throw invalid('period', (err as Error).message);
  }
  const y = period.from.slice(0, 4);
  const candidates = [`M#${period.from.slice(0, 7)}`, `Q#${quarterOf(period.from)}`, `Y#${y}`];
  const key = candidates.find((k) => {
    const p = periodOf(k.slice(2));
    return p.from === period.from && p.to === period.to;
  });
  return { name, period, ...(key ? { key } : {}) };
}

/** The drill-down of a figure: the route that lists its accounts (docs/metrics.md). */
export function drillQuery(name: string, figure: DrillFigure, cut?: Cut, group?: string) {
  const q = new URLSearchParams({ figure, period: name, ...(cut && group !== undefined ? { cut, group } : {}) });
  return `/v1/metrics/accounts?${q}`;
}
const withQueries = (figures: AggregateFigures, name: string, cut?: Cut, group?: string) => ({
  ...figures,
  accountsQuery: Object.fromEntries(DRILL_FIGURES.map((f) => [f, drillQuery(name, f, cut, group)])) as Record<DrillFigure, string>,
});

/** portfolio()'s figures without its account lists (a span read from the source items answers as the aggregates do). */
function countsOnly(f: ReturnType<typeof portfolio>['whole']): AggregateFigures {
  const { accounts: _r, ...retention } = f.retention;
  const { accounts: _n, ...nps } = f.nps;
  const { accounts: _c, ...csat } = f.csat;
  const { accounts: _t, ...timeToValue } = f.timeToValue;
  const health = Object.fromEntries(Object.entries(f.health).map(([b, { ids: _i, ...rest }]) => [b, rest])) as AggregateFigures['health'];
  return { accounts: f.accounts, retention, nps, csat, timeToValue, health };
}

/** Every account's sources, as `portfolio()` reads them: a read of the whole book (drill-down and custom spans only). */
async function readAll(sources: MetricSourceReader): Promise<PortfolioInput> {
  const input: PortfolioInput = { accounts: [], histories: [], surveys: [] };
  for await (const page of sources.all())
    for (const s of page) {
      input.accounts.push(s.account);
      input.histories.push(s.history);
      input.surveys.push(...s.surveys);
    }
  return input;
}

/**
 * `GET /v1/metrics`: retention, sentiment, onboarding and health for the whole book and each group
 * of a cut. A named period (month, quarter, year) is read from the aggregates: a few Queries per
 * cut, whatever the number of accounts. Any other span is computed from the source items (a read
 * of every account), and says so in `source`.
 */
export async function metricsReport(deps: MetricsDeps, query: MetricsQuery, now: Date) {
  const asOf = dayOf(now);
  const { name, period, key } = resolvePeriod(query.period ?? quarterOf(asOf));
  const cut = query.cut;
  let whole: AggregateFigures;
  let groups: Record<string, AggregateFigures> | undefined;
  // A table whose aggregates are of a former layout (not rebuilt since) answers from the source items: right, at a read of the book.
  const layoutReady = deps.aggregates.ready ? await deps.aggregates.ready() : true;
  const fromAggregates = !!key && layoutReady;
  let input: PortfolioInput | undefined;
  if (key && fromAggregates) {
    const [w, c] = await Promise.all([
      deps.aggregates.readPeriod('whole', key, period),
      cut ? deps.aggregates.readPeriod(cut, key, period) : Promise.resolve(undefined),
    ]);
    whole = groupFigures(WHOLE_GROUP, aggregateReadOf(w, key, period), key, period, asOf, deps.firstValueTargetDays);
    if (c) groups = figuresFromAggregates(aggregateReadOf(c, key, period), key, period, asOf, deps.firstValueTargetDays);
  } else {
    input = await readAll(deps.sources);
    const out = portfolio(input, { period, asOf, firstValueTargetDays: deps.firstValueTargetDays }, cut);
    whole = countsOnly(out.whole);
    if (out.byGroup) groups = Object.fromEntries(Object.entries(out.byGroup).map(([g, f]) => [g, countsOnly(f)]));
  }
  const cohorts =
    cut !== 'cohort'
      ? undefined
      : layoutReady || !input
        ? cohortsFromAggregates(await deps.aggregates.readMonths('cohort'), asOf)
        : cohortTable(input.histories, asOf).map(({ ids: _ids, ...row }) => row);
  // Play, email and onboarding-completion outcomes are counted by month (functions/data/outcome-figures.ts):
  // served for periods of whole months, for the whole book (by group: GET /v1/metrics/outcomes?cut=), else null.
  const wholeMonths = period.from.endsWith('-01') && period.to.endsWith('-01');
  // One Query per month of the period, whatever the number of accounts (health-days.ts).
  const countsOnlyAsked = query.figures === 'counts';
  const healthItems = deps.healthDays && !countsOnlyAsked ? await deps.healthDays.read(period) : undefined;
  const healthOverTime = healthItems ? healthSeries(healthItems, period) : undefined;
  // Each group's series from the same items (segment, plan and owner; not cohort: health-days.ts).
  const groupHealth = healthItems && cut && isHealthCut(cut) ? healthSeriesByGroup(healthItems, period, cut) : undefined;
  const health = (series: HealthDay[] | undefined) => (series ? { healthOverTime: series, activation: series.at(-1)?.activation ?? null } : {});
  const sections = deps.outcomes && !countsOnlyAsked ? { outcomes: wholeMonths ? await deps.outcomes.load(`${period.from}..${period.to}`) : null } : {};
  return {
    period: name,
    from: period.from,
    to: period.to,
    asOf,
    source: fromAggregates ? ('aggregates' as const) : ('items' as const),
    firstValueTargetDays: deps.firstValueTargetDays,
    // User activation as of the period's last counted day (the daily run counts it with health).
    whole: { ...withQueries(whole, name), ...health(healthOverTime) },
    // A group the daily run has not counted in the period (or a cohort) has an empty series.
    ...(cut && groups
      ? {
          cut,
          groups: Object.fromEntries(
            Object.entries(groups).map(([g, f]) => [g, { ...withQueries(f, name, cut, g), ...health(groupHealth ? (groupHealth[g] ?? []) : undefined) }]),
          ),
        }
      : {}),
    ...(cohorts ? { cohorts } : {}),
    ...sections,
  };
}
export type MetricsReport = Awaited<ReturnType<typeof metricsReport>>;

/** `GET /v1/metrics/accounts`: the accounts behind one figure, from the source items (a read of every account). */
export async function metricAccounts(deps: MetricsDeps, query: MetricAccountsQuery, now: Date) {
  const asOf = dayOf(now);
  const { name, period } = resolvePeriod(query.period ?? quarterOf(asOf));
  if ((query.cut === undefined) !== (query.group === undefined)) throw invalid(query.cut ? 'group' : 'cut', 'cut and group go together');
  const input = await readAll(deps.sources);
  if (query.cut) {
    const histories = new Map(input.histories.map((h) => [h.accountId, h]));
    input.accounts = input.accounts.filter((a) => groupOf(a, histories.get(a.accountId), query.cut!) === query.group);
  }
  const { whole: f } = portfolio(input, { period, asOf, firstValueTargetDays: deps.firstValueTargetDays });
  const lists: Record<DrillFigure, string[]> = {
    ...f.retention.accounts,
    promoters: f.nps.accounts.promoters,
    detractors: f.nps.accounts.detractors,
    dissatisfied: f.csat.accounts.dissatisfied,
    overdue: f.timeToValue.accounts.overdue,
    slowest: f.timeToValue.accounts.slowest,
    green: f.health.green.ids,
    yellow: f.health.yellow.ids,
    red: f.health.red.ids,
    unscored: f.health.unscored.ids,
  };
  return {
    period: name,
    from: period.from,
    to: period.to,
    asOf,
    figure: query.figure,
    ...(query.cut ? { cut: query.cut, group: query.group } : {}),
    accounts: lists[query.figure].sort(),
  };
}
