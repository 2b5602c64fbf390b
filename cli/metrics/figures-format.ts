import type { MetricsReport } from '../../functions/core/metrics/metrics-report.ts';
import { csv, textTable } from './format.ts';

type Cell = string | number | null | undefined;
type Figures = MetricsReport['whole'];
export type MetricsView = 'retention' | 'sentiment' | 'onboarding' | 'cohorts' | 'health';

const money = (n: number) => Math.round(n).toLocaleString('en-US');
const pct = (r: number | null) => (r === null ? null : `${(r * 100).toFixed(1)}%`);
const num = (n: number | null, digits = 1) => (n === null ? null : Number.isInteger(n) ? n : Number(n.toFixed(digits)));

/** The whole first, then each group of the cut. */
const rowsOf = (r: MetricsReport, row: (f: Figures) => Cell[]): Cell[][] => [
  ['(whole)', ...row(r.whole)],
  ...Object.entries(r.groups ?? {}).map(([g, f]) => [g, ...row(f)]),
];

const VIEWS: Record<
  Exclude<MetricsView, 'cohorts' | 'health'>,
  { header: string[]; text: (f: Figures) => Cell[]; csv: (f: Figures) => Cell[]; note: string }
> = {
  retention: {
    header: [
      'group',
      'start ARR',
      'logos',
      'expansion',
      'contraction',
      'churned',
      'churned logos',
      'new',
      'reactivation',
      'NRR',
      'GRR',
      'logo churn',
      'ARR at risk',
    ],
    text: ({ retention: x, health }) => [
      money(x.startingArr),
      x.startingLogos,
      money(x.expansionArr),
      money(x.contractionArr),
      money(x.churnedArr),
      x.churnedLogos,
      money(x.newArr),
      money(x.reactivationArr),
      pct(x.nrr),
      pct(x.grr),
      pct(x.logoChurn),
      money(health.red.arr),
    ],
    csv: ({ retention: x, health }) => [
      x.startingArr,
      x.startingLogos,
      x.expansionArr,
      x.contractionArr,
      x.churnedArr,
      x.churnedLogos,
      x.newArr,
      x.reactivationArr,
      x.nrr,
      x.grr,
      x.logoChurn,
      health.red.arr,
    ],
    note: 'churned',
  },
  sentiment: {
    header: ['group', 'NPS', 'responses', 'promoters', 'passives', 'detractors', 'CSAT', 'satisfied', 'CSAT responses'],
    text: ({ nps, csat }) => [
      num(nps.nps),
      nps.responses,
      nps.promoters,
      nps.passives,
      nps.detractors,
      num(csat.average, 2),
      pct(csat.satisfied),
      csat.responses,
    ],
    csv: ({ nps, csat }) => [nps.nps, nps.responses, nps.promoters, nps.passives, nps.detractors, csat.average, csat.satisfied, csat.responses],
    note: 'detractors',
  },
  onboarding: {
    // User activation as of the period's last day the daily run counted (docs/metrics.md, "User activation").
    header: ['group', 'started', 'reached', 'median days', 'p90 days', 'within target', 'overdue', 'pending', 'activation', 'active people', 'known people'],
    text: ({ timeToValue: t, activation: a }) => [
      t.started,
      t.reached,
      num(t.medianDays),
      t.p90Days,
      pct(t.withinTarget),
      t.overdue,
      t.pending,
      pct(a?.pooled ?? null),
      a?.active,
      a?.known,
    ],
    csv: ({ timeToValue: t, activation: a }) => [
      t.started,
      t.reached,
      t.medianDays,
      t.p90Days,
      t.withinTarget,
      t.overdue,
      t.pending,
      a?.pooled,
      a?.active,
      a?.known,
    ],
    note: 'overdue',
  },
};

type HealthDay = NonNullable<Figures['healthOverTime']>[number];
const HEALTH_HEADER = ['group', 'day', 'accounts', 'green', 'yellow', 'red', 'unscored', 'red ARR', 'yellow ARR', 'avg score', 'activation', 'mean activation'];
const HEALTH_CSV_HEADER = [
  'group',
  'day',
  'accounts',
  'green',
  'yellow',
  'red',
  'unscored',
  'greenArr',
  'yellowArr',
  'redArr',
  'unscoredArr',
  'averageScore',
  'activationPooled',
  'activationMeanOfAccounts',
  'activePeople',
  'knownPeople',
];
/** Every day of the whole book's series, then of each group's (a cut by cohort has none: the daily run does not know cohorts). */
const healthRows = (r: MetricsReport, row: (d: HealthDay) => Cell[]): Cell[][] =>
  [['(whole)', r.whole] as const, ...Object.entries(r.groups ?? {})].flatMap(([g, f]) => (f.healthOverTime ?? []).map((d) => [g, ...row(d)]));

/** One view of GET /v1/metrics as CSV: a row for the whole and per group. */
export function metricsCsv(view: MetricsView, r: MetricsReport): string {
  if (view === 'health')
    return csv(
      HEALTH_CSV_HEADER,
      healthRows(r, (d) => [
        d.day,
        d.accounts,
        d.bands.green.accounts,
        d.bands.yellow.accounts,
        d.bands.red.accounts,
        d.bands.unscored.accounts,
        d.bands.green.arr,
        d.bands.yellow.arr,
        d.bands.red.arr,
        d.bands.unscored.arr,
        d.averageScore,
        d.activation.pooled,
        d.activation.meanOfAccounts,
        d.activation.active,
        d.activation.known,
      ]),
    );
  if (view === 'cohorts') {
    const months = Math.max(0, ...(r.cohorts ?? []).map((c) => c.logoRetention.length));
    const m = Array.from({ length: months }, (_, i) => i);
    return csv(
      ['cohort', 'accounts', 'startingArr', ...m.map((i) => `logo_m${i}`), ...m.map((i) => `revenue_m${i}`)],
      (r.cohorts ?? []).map((c) => [c.cohort, c.accounts, c.startingArr, ...m.map((i) => c.logoRetention[i]), ...m.map((i) => c.revenueRetention[i])]),
    );
  }
  const v = VIEWS[view];
  return csv(v.header, rowsOf(r, v.csv));
}

/** One view of GET /v1/metrics as a readable table, with the drill-down of its first figure. */
export function metricsText(view: MetricsView, r: MetricsReport): string {
  const title = `${view[0]!.toUpperCase()}${view.slice(1)} ${r.period} (${r.from} to ${r.to}, up to, not including)${r.cut ? ` by ${r.cut}` : ''}, as of ${r.asOf}`;
  if (view === 'cohorts') {
    const rows = r.cohorts ?? [];
    const months = Math.min(12, Math.max(0, ...rows.map((c) => c.logoRetention.length)));
    const m = Array.from({ length: months }, (_, i) => i);
    const table = (pick: (c: (typeof rows)[number]) => number[]) =>
      textTable(
        ['cohort', 'accounts', 'start ARR', ...m.map((i) => `m${i}`)],
        rows.map((c) => [c.cohort, c.accounts, money(c.startingArr), ...m.map((i) => pct(pick(c)[i] ?? null))]),
      );
    return [
      `Cohort retention as of ${r.asOf} (by the month accounts first paid; m0 is the end of that month)`,
      '',
      'Logos still paying',
      rows.length ? table((c) => c.logoRetention) : 'No account has paid yet.',
      '',
      'ARR paid, of the first month’s',
      rows.length ? table((c) => c.revenueRetention) : '',
    ].join('\n');
  }
  if (view === 'health') {
    const rows = healthRows(r, (d) => [
      d.day,
      d.accounts,
      d.bands.green.accounts,
      d.bands.yellow.accounts,
      d.bands.red.accounts,
      d.bands.unscored.accounts,
      money(d.bands.red.arr),
      money(d.bands.yellow.arr),
      num(d.averageScore),
      pct(d.activation.pooled),
      pct(d.activation.meanOfAccounts),
    ]);
    return [
      `Health over time ${r.period} (${r.from} to ${r.to}, up to, not including)${r.cut ? ` by ${r.cut}` : ''}, as of ${r.asOf}: accounts by band, day by day, from the daily scoring run`,
      rows.length ? textTable(HEALTH_HEADER, rows) : 'No day of the period was counted by the daily scoring run yet.',
      ...(r.cut === 'cohort' ? ['(the daily run counts segment, plan and owner groups, not cohorts: only the whole book is shown)'] : []),
      '',
      `The accounts of a band now: GET ${r.whole.accountsQuery.red}`,
    ].join('\n');
  }
  const v = VIEWS[view];
  return [
    title,
    r.source === 'items' ? '(a custom span: computed from the source items)' : '',
    textTable(v.header, rowsOf(r, v.text)),
    '',
    `The accounts behind a figure: GET ${r.whole.accountsQuery[v.note as keyof Figures['accountsQuery']]}`,
  ]
    .filter((l, i) => l !== '' || i > 1)
    .join('\n');
}
