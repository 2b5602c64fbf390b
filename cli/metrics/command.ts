import { rebuildAccountList } from '../../functions/data/account-list-entries.ts';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { parseConfig } from '../../functions/core/config.ts';
import type { Changes } from '../../functions/core/metrics/changes.ts';
import { changesQuerySchema, changesReport, renewalsQuerySchema, renewalsReport, type RenewalsReport } from '../../functions/core/metrics/reports.ts';
import { modelResolver } from '../../functions/core/score/presets/index.ts';
import { accountRepo } from '../../functions/data/accounts.ts';
import { scoreFactsReader } from '../../functions/data/scores.ts';
import { renewalIndex } from '../../functions/data/renewal-index.ts';
import { scoreStates } from '../../functions/data/score-states.ts';
import { rebuildOutcomeCounters } from '../../functions/data/outcome-figures.ts';
import userConfig from '../../tend.config.ts';
import { devSession, openTable } from '../local-state.ts';
import { changesCsv, changesText, renewalsCsv, renewalsText } from './format.ts';
import { metricsQuerySchema, metricsReport, type MetricsDeps, type MetricsReport } from '../../functions/core/metrics/metrics-report.ts';
import { rebuildMetrics } from '../../functions/core/metrics/upkeep.ts';
import { metricAggregates } from '../../functions/data/metric-aggregates.ts';
import { metricSources } from '../../functions/data/metric-sources.ts';
import { metricsCsv, metricsText, type MetricsView } from './figures-format.ts';

export interface MetricsOptions {
  data: string;
  url?: string;
  key?: string;
  table?: string;
  region?: string;
  /** Read the table directly as of this time (default now) instead of asking an API. */
  at?: string;
  json?: boolean;
  csv?: boolean;
}

/**
 * Where the report comes from: an API (--url/--key, TEND_URL/TEND_API_KEY, or the running
 * `tend dev`, whose clock is the one its data lives on), else the table read directly (local
 * data on disk, or --table) as of --at.
 */
type DirectDeps = Parameters<typeof renewalsReport>[0] & MetricsDeps;
async function report<T>(options: MetricsOptions, path: string, direct: (deps: DirectDeps, now: Date) => Promise<T>): Promise<T> {
  const dev = options.table ? undefined : devSession(options.data);
  const url = options.table ? undefined : (options.url ?? process.env.TEND_URL ?? dev?.url);
  if (url) {
    const key = options.key ?? process.env.TEND_API_KEY ?? (url === dev?.url ? dev?.key : undefined);
    if (!key) throw new Error(`no API key for ${url}: pass --key (a read key from \`tend keys create --scope read\`) or set TEND_API_KEY`);
    const res = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${key}` } });
    const body = (await res.json()) as T & { message?: string };
    if (!res.ok) throw new Error(`${res.status}: ${body.message ?? JSON.stringify(body)}`);
    return body;
  }
  const t = await openTable({ ...options, mustExist: true });
  try {
    const db = DynamoDBDocumentClient.from(t.client);
    const config = parseConfig(userConfig);
    const deps = {
      accounts: accountRepo(db, t.table),
      scoreFacts: scoreFactsReader(db, t.table),
      renewals: renewalIndex(db, t.table),
      scoreStates: scoreStates(db, t.table),
      modelFor: modelResolver(config.scoreModel),
      aggregates: metricAggregates(db, t.table),
      sources: metricSources(db, t.table),
      firstValueTargetDays: config.milestones.firstValueTargetDays,
    };
    return await direct(deps, options.at ? new Date(options.at) : await t.now());
  } finally {
    await t.close();
  }
}

const print = <T>(options: MetricsOptions, value: T, asCsv: (v: T) => string, asText: (v: T) => string) =>
  console.log(options.json ? JSON.stringify(value, null, 2) : options.csv ? asCsv(value) : asText(value));

/** `tend metrics renewals`: every page of the renewals due in the window. */
export async function renewalsCommand(options: MetricsOptions & { from?: string; to?: string; band?: string }) {
  const params = (cursor?: string) =>
    Object.fromEntries(
      Object.entries({ from: options.from, to: options.to, band: options.band, limit: '500', cursor }).filter((e): e is [string, string] => !!e[1]),
    );
  const checked = renewalsQuerySchema.safeParse(params());
  if (!checked.success) throw new Error(checked.error.issues.map((i) => `--${String(i.path[0])}: ${i.message}`).join('; '));
  let page: RenewalsReport = await report(options, `/v1/renewals?${new URLSearchParams(params())}`, (deps, now) => renewalsReport(deps, checked.data, now));
  const all = { ...page, renewals: [...page.renewals] };
  while (page.cursor) {
    const cursor = page.cursor;
    page = await report(options, `/v1/renewals?${new URLSearchParams(params(cursor))}`, (deps, now) => renewalsReport(deps, { ...checked.data, cursor }, now));
    all.renewals.push(...page.renewals);
  }
  print(options, { ...all, cursor: null }, renewalsCsv, renewalsText);
}

/** `tend metrics changes`: the weekly at-risk review since a time. */
export async function changesCommand(options: MetricsOptions & { since: string; top: number }) {
  const checked = changesQuerySchema.safeParse({ since: options.since, top: String(options.top) });
  if (!checked.success) throw new Error(checked.error.issues.map((i) => `--${String(i.path[0])}: ${i.message}`).join('; '));
  const changes: Changes = await report(options, `/v1/changes?${new URLSearchParams({ since: options.since, top: String(options.top) })}`, (deps, now) =>
    changesReport(deps, checked.data, now),
  );
  print(options, changes, changesCsv, changesText);
}

/** `tend metrics retention|sentiment|onboarding|cohorts`: one view of GET /v1/metrics (cohorts: the cohort cut and its table). */
export async function metricsCommand(view: MetricsView, options: MetricsOptions & { period?: string; cut?: string }) {
  const params = Object.fromEntries(
    Object.entries({ period: options.period, cut: view === 'cohorts' ? 'cohort' : options.cut }).filter((e): e is [string, string] => !!e[1]),
  );
  const checked = metricsQuerySchema.safeParse(params);
  if (!checked.success) throw new Error(checked.error.issues.map((i) => `--${String(i.path[0])}: ${i.message}`).join('; '));
  const out: MetricsReport = await report(options, `/v1/metrics?${new URLSearchParams(params)}`, (deps, now) => metricsReport(deps, checked.data, now));
  print(
    options,
    out,
    (r) => metricsCsv(view, r),
    (r) => metricsText(view, r),
  );
}

/**
 * `tend metrics rebuild`: every aggregate recomputed from the source items and written over the
 * old ones, on the table itself (local data, or --table with AWS credentials). Run it after a
 * restore, a bulk fix of source items, or an upkeep that stopped between its two writes.
 */
export async function rebuildCommand(options: Pick<MetricsOptions, 'data' | 'table' | 'region' | 'json'>) {
  const t = await openTable({ ...options, mustExist: true });
  try {
    const db = DynamoDBDocumentClient.from(t.client);
    const started = Date.now();
    const out = await rebuildMetrics({ sources: metricSources(db, t.table), aggregates: metricAggregates(db, t.table) });
    const outcomes = await rebuildOutcomeCounters(db, t.table);
    // The account list's sorted entries (issue 16): a deployment from before them lists from the index once this has run.
    const accountList = await rebuildAccountList(db, t.table, new Date());
    const result = { ...out, outcomes, accountList, seconds: (Date.now() - started) / 1000 };
    console.log(
      options.json
        ? JSON.stringify(result, null, 2)
        : `Rebuilt the metric aggregates from ${out.accounts} accounts: ${out.items} items written, ${out.deleted} stale ones deleted, ${out.renewals} book index entries; the outcome counters from ${outcomes.scanned} run, send and task items: ${outcomes.items} written, ${outcomes.deleted} deleted; the account list's ${accountList.entries} entries for ${accountList.accounts} accounts (${result.seconds.toFixed(1)} s).`,
    );
  } finally {
    await t.close();
  }
}
