import { describe, expect, it } from 'vitest';
import { addInto, contributionOf, entriesOf, splitAddress, type Counters, type MetricSources } from '../../functions/core/metrics/contribution.ts';
import { readRanges } from '../../functions/core/metrics/figures.ts';
import { metricsReport, resolvePeriod } from '../../functions/core/metrics/metrics-report.ts';
import type { MetricAggregateRepo } from '../../functions/core/metrics/sources.ts';
import { metricsCsv, metricsText } from '../../cli/metrics/figures-format.ts';
import { BOOK } from './support/metrics-book.ts';

const sources: MetricSources[] = BOOK.map((history, i) => {
  const last = history.points.at(-1)!;
  return {
    account: {
      accountId: history.accountId,
      segment: i % 2 ? 'tech-touch' : 'high-touch',
      status: last.status,
      arr: last.status === 'trial' ? 0 : last.arr,
      band: i % 3 ? 'green' : 'red',
      startDate: history.points[0]!.at,
    },
    history,
    surveys: [],
  };
});

/** The aggregates in memory, read by the same ranges as the DynamoDB repository. */
function memoryAggregates(): MetricAggregateRepo {
  const all = new Map<string, Counters>();
  for (const s of sources) addInto(all, entriesOf(contributionOf(s)));
  const ofCut = (cut: string) => [...all].map(([a, c]) => [splitAddress(a), c] as const).filter(([a]) => a.cut === cut);
  return {
    contribution: async () => ({ version: 0 }),
    saveContribution: async () => true,
    add: async () => undefined,
    async readPeriod(cut, key, period) {
      const r = readRanges(key, period);
      return ofCut(cut)
        .filter(
          ([{ sk }]) =>
            (sk >= r.before.from && sk < r.before.to) || sk.startsWith(r.period.prefix) || (sk >= r.starts.from && sk < r.starts.to) || sk.startsWith('N#'),
        )
        .map(([{ sk }, c]) => [sk, c]);
    },
    readMonths: async (cut) => ofCut(cut).map(([{ sk }, c]) => [sk, c]),
    replaceAll: async () => ({ written: 0, deleted: 0 }),
  };
}
const deps = {
  aggregates: memoryAggregates(),
  sources: {
    load: async () => undefined,
    async *all() {
      yield sources;
    },
  },
  firstValueTargetDays: 14,
};

describe('GET /v1/metrics report', () => {
  it.each([
    ['2026-Q1', 'Q#2026-Q1'],
    ['2026-03', 'M#2026-03'],
    ['2026', 'Y#2026'],
    ['2026-01-01..2026-04-01', 'Q#2026-Q1'],
    ['2026-02-01..2026-03-01', 'M#2026-02'],
    ['2026-01-01..2027-01-01', 'Y#2026'],
    ['2026-01-10..2026-02-10', undefined],
  ])('%s is read from %s', (name, key) => expect(resolvePeriod(name).key).toBe(key));

  it('rejects a period that is none, naming the field', () => {
    expect(() => resolvePeriod('2026-02-30..2026-01-01')).toThrow(/period/);
  });

  it('defaults to the current quarter, and a span equal to a quarter answers as the quarter does', async () => {
    const now = new Date('2026-02-15T09:00:00Z');
    const byDefault = await metricsReport(deps, {}, now);
    expect(byDefault).toMatchObject({ period: '2026-Q1', from: '2026-01-01', to: '2026-04-01', source: 'aggregates' });
    expect(byDefault.whole.retention).toMatchObject({ startingArr: 1110, retainedArr: 1080, newArr: 90 });
    const span = await metricsReport(deps, { period: '2026-01-01..2026-04-01' }, now);
    expect(span.whole).toEqual({ ...byDefault.whole, accountsQuery: span.whole.accountsQuery });
  });

  it('a custom span is computed from the items and says so; groups carry their drill-down', async () => {
    const out = await metricsReport(deps, { period: '2026-01-10..2026-02-10', cut: 'segment' }, new Date('2026-04-01T00:00:00Z'));
    expect(out.source).toBe('items');
    expect(Object.keys(out.groups!)).toEqual(['high-touch', 'tech-touch']);
    expect(out.groups!['tech-touch']!.accountsQuery.churned).toBe(
      '/v1/metrics/accounts?figure=churned&period=2026-01-10..2026-02-10&cut=segment&group=tech-touch',
    );
  });

  it('prints readable tables and CSV, whole first then each group; cohorts as a table by month', async () => {
    const out = await metricsReport(deps, { period: '2026-Q1', cut: 'segment' }, new Date('2026-04-01T00:00:00Z'));
    const text = metricsText('retention', out);
    expect(text).toMatch(/^Retention 2026-Q1 \(2026-01-01 to 2026-04-01/);
    expect(text).toMatch(/\(whole\)\s+1,110\s+8/);
    expect(text).toContain('97.3%');
    expect(metricsCsv('retention', out).split('\n')[1]).toMatch(/^\(whole\),1110,8,80,30,80,1,90,0,0.97/);
    expect(metricsText('sentiment', out)).toContain('NPS');
    expect(metricsText('onboarding', out)).toContain('median days');
    const cohorts = await metricsReport(deps, { period: '2026-Q1', cut: 'cohort' }, new Date('2026-04-01T00:00:00Z'));
    expect(metricsText('cohorts', cohorts)).toMatch(/2026-01\s+1\s+50\s+100.0%/);
    expect(metricsCsv('cohorts', cohorts).split('\n')[0]).toMatch(/^cohort,accounts,startingArr,logo_m0/);
  });
});
