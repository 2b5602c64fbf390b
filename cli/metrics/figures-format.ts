import type { MetricsReport } from '../../functions/core/metrics/metrics-report.ts';
import { csv, textTable } from './format.ts';

type Cell = string | number | null | undefined;
type Figures = MetricsReport['whole'];
export type MetricsView = 'retention' | 'sentiment' | 'onboarding' | 'cohorts';

const money = (n: number) => Math.round(n).toLocaleString('en-US');
const pct = (r: number | null) => (r === null ? null : `${(r * 100).toFixed(1)}%`);
const num = (n: number | null, digits = 1) => (n === null ? null : Number.isInteger(n) ? n : Number(n.toFixed(digits)));

/** The whole first, then each group of the cut. */
const rowsOf = (r: MetricsReport, row: (f: Figures) => Cell[]): Cell[][] => [
  ['(whole)', ...row(r.whole)],
  ...Object.entries(r.groups ?? {}).map(([g, f]) => [g, ...row(f)]),
];

const VIEWS: Record<Exclude<MetricsView, 'cohorts'>, { header: string[]; text: (f: Figures) => Cell[]; csv: (f: Figures) => Cell[]; note: string }> = {
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
    header: ['group', 'started', 'reached', 'median days', 'p90 days', 'within target', 'overdue', 'pending'],
    text: ({ timeToValue: t }) => [t.started, t.reached, num(t.medianDays), t.p90Days, pct(t.withinTarget), t.overdue, t.pending],
    csv: ({ timeToValue: t }) => [t.started, t.reached, t.medianDays, t.p90Days, t.withinTarget, t.overdue, t.pending],
    note: 'overdue',
  },
};

/** One view of GET /v1/metrics as CSV: a row for the whole and per group. */
export function metricsCsv(view: MetricsView, r: MetricsReport): string {
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
