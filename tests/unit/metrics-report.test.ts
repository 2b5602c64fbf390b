import { describe, expect, it } from 'vitest';
import { addInto, contributionOf, entriesOf, splitAddress, type Counters, type MetricSources } from '../../functions/core/metrics/contribution.ts';
import { readRanges } from '../../functions/core/metrics/figures.ts';
import { metricsReport, resolvePeriod } from '../../functions/core/metrics/metrics-report.ts';
import type { MetricAggregateRepo } from '../../functions/core/metrics/sources.ts';
import { metricsCsv, metricsText } from '../../cli/metrics/figures-format.ts';
import { tallyAccount } from '../../functions/core/metrics/health-days.ts';
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
    moveRenewal: async () => undefined,
    replaceAll: async () => ({ written: 0, deleted: 0, renewals: 0 }),
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

  it.each([undefined, 'segment', 'owner', 'cohort'] as const)(
    'a table whose aggregates are of a former layout (not rebuilt since) answers from the items, the same figures (cut %s)',
    async (cut) => {
      const now = new Date('2026-04-01T00:00:00Z');
      const notReady = { ...deps, aggregates: { ...memoryAggregates(), ready: async () => false, readPeriod: () => Promise.reject(new Error('read')) } };
      const [fromItems, fromAggregates] = await Promise.all([
        metricsReport(notReady, { period: '2026-Q1', ...(cut ? { cut } : {}) }, now),
        metricsReport({ ...deps, aggregates: { ...memoryAggregates(), ready: async () => true } }, { period: '2026-Q1', ...(cut ? { cut } : {}) }, now),
      ]);
      expect(fromItems.source).toBe('items');
      expect(fromAggregates.source).toBe('aggregates');
      expect({ ...fromItems, source: 'aggregates' }).toEqual(fromAggregates);
    },
  );

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

  it('prints health over time and activation, for the whole book and each group of a cut the daily run counts', async () => {
    // Two days of the daily run's shard items: a tech-touch Pro account owned by alex, a high-touch Enterprise one without an owner.
    const tech = {
      band: 'green' as const,
      score: 90,
      arr: 100,
      activation: { known: 4, active: 3 },
      groups: { segment: 'tech-touch', plan: 'Pro', owner: 'alex' },
    };
    const high = {
      band: 'red' as const,
      score: 30,
      arr: 900,
      activation: { known: 2, active: 0 },
      groups: { segment: 'high-touch', plan: 'Enterprise', owner: 'none' },
    };
    const items: [string, Counters][] = [
      ['2026-03-02#00', tallyAccount(tallyAccount({}, tech), high)],
      ['2026-03-03#00', tallyAccount({}, tech)],
      ['2026-03-03#01', tallyAccount({}, { ...high, band: 'yellow', score: 60 })],
    ];
    const withHealth = { ...deps, healthDays: { read: async () => items } };
    const now = new Date('2026-04-01T00:00:00Z');
    const bySegment = await metricsReport(withHealth, { period: '2026-03', cut: 'segment' }, now);
    expect(bySegment.whole.healthOverTime!.map((d) => [d.day, d.accounts, d.averageScore])).toEqual([
      ['2026-03-02', 2, 60],
      ['2026-03-03', 2, 75],
    ]);
    expect(bySegment.groups!['tech-touch']!.activation).toEqual({ known: 4, active: 3, pooled: 0.75, meanOfAccounts: 0.75 });
    expect(bySegment.groups!['high-touch']!.healthOverTime!.map((d) => d.bands.red.arr)).toEqual([900, 0]);
    const text = metricsText('health', bySegment);
    expect(text).toMatch(/^Health over time 2026-03 .* by segment/);
    expect(text).toMatch(/\(whole\)\s+2026-03-03\s+2\s+1\s+1\s+0\s+0\s+0\s+900\s+75\s+50\.0%\s+37\.5%/);
    expect(text).toMatch(/tech-touch\s+2026-03-02\s+1\s+1\s+0\s+0\s+0/);
    const rows = metricsCsv('health', bySegment).split('\n');
    expect(rows[0]).toBe(
      'group,day,accounts,green,yellow,red,unscored,greenArr,yellowArr,redArr,unscoredArr,averageScore,activationPooled,activationMeanOfAccounts,activePeople,knownPeople',
    );
    expect(rows).toContain('high-touch,2026-03-02,1,0,0,1,0,0,0,900,0,30,0,0,0,2');
    expect(metricsText('onboarding', bySegment)).toMatch(/tech-touch\s.*75\.0%\s+3\s+4$/m);
    // Cohorts are not counted by the daily run: the whole book only, and it says so.
    const byCohort = await metricsReport(withHealth, { period: '2026-03', cut: 'cohort' }, now);
    expect(metricsText('health', byCohort)).toContain('not cohorts');
    expect(Object.values(byCohort.groups ?? {}).every((g) => g.healthOverTime === undefined)).toBe(true);
  });
});
