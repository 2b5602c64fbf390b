import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addInto,
  AGGREGATE_CUTS,
  contributionDiff,
  contributionOf,
  entriesOf,
  type Counters,
  type MetricSources,
} from '../../functions/core/metrics/contribution.ts';
import { aggregateReadOf, figuresFromAggregates, groupFigures } from '../../functions/core/metrics/figures.ts';
import { periodOf } from '../../functions/core/metrics/period.ts';
import { portfolio, type Cut, type PortfolioAccount } from '../../functions/core/metrics/portfolio.ts';
import type { ArrHistory, ArrPoint } from '../../functions/core/metrics/revenue.ts';
import type { Survey } from '../../functions/core/types.ts';
import { BOOK } from './support/metrics-book.ts';
import { withoutLists } from '../support/metric-figures.ts';

const bands = ['green', 'yellow', 'red', 'unscored'] as const;
const survey = (accountId: string, i: number, kind: 'nps' | 'csat', score: number, answeredAt: string, contactEmail?: string): Survey => ({
  id: `s${i}`,
  accountId,
  kind,
  score,
  answeredAt,
  ...(contactEmail ? { contactEmail } : {}),
});
const SURVEYS: Survey[] = [
  survey('a01', 1, 'nps', 10, '2026-01-10T10:00:00Z', 'ann@x.io'),
  survey('a01', 2, 'nps', 5, '2026-02-10T10:00:00Z', 'ann@x.io'),
  survey('a02', 3, 'nps', 8, '2026-03-01T10:00:00Z', 'bob@x.io'),
  survey('a03', 4, 'nps', 9, '2026-03-02T10:00:00Z'),
  survey('a03', 5, 'csat', 4, '2026-01-02T10:00:00Z'),
  survey('a05', 6, 'csat', 2, '2026-02-02T10:00:00Z'),
  survey('a08', 7, 'csat', 5, '2026-04-02T10:00:00Z'),
];

function sourcesOf(histories: ArrHistory[], surveys: Survey[], segments: string[], withFirstValue: (i: number) => number | undefined): MetricSources[] {
  return histories.map((history, i) => {
    const last = history.points.at(-1)!;
    const startDate = history.points[0]!.at;
    const fv = withFirstValue(i);
    const account: PortfolioAccount = {
      accountId: history.accountId,
      segment: segments[i % segments.length]!,
      ...(i % 3 ? { plan: 'pro' } : {}),
      ...(i % 4 === 1 ? { owner: 'dana' } : {}),
      status: last.status,
      arr: last.status === 'trial' ? 0 : last.arr,
      band: bands[i % 4]!,
      startDate,
      ...(fv !== undefined ? { firstValueAt: new Date(Date.parse(startDate) + fv * 86_400_000).toISOString() } : {}),
    };
    return { account, history, surveys: surveys.filter((s) => s.accountId === history.accountId) };
  });
}

/** Rebuild in memory: the sum of every account's contribution, by cut then sort key. */
function summed(sources: MetricSources[]) {
  const all = new Map<string, Counters>();
  for (const s of sources) addInto(all, entriesOf(contributionOf(s)));
  return all;
}
const itemsOfCut = (all: Map<string, Counters>, cut: string) =>
  [...all].filter(([k]) => k.startsWith(`${cut}|`)).map(([k, c]) => [k.slice(cut.length + 1), c] as [string, Counters]);

function expectAggregatesEqualPortfolio(sources: MetricSources[], all: Map<string, Counters>, periodName: string, periodKey: string, asOf: string, cut: Cut) {
  const period = periodOf(periodName);
  const options = { period, asOf, firstValueTargetDays: 14 };
  const input = { accounts: sources.map((s) => s.account), histories: sources.map((s) => s.history), surveys: sources.flatMap((s) => s.surveys) };
  const expected = portfolio(input, options, cut);
  const whole = groupFigures('all', aggregateReadOf(itemsOfCut(all, 'whole'), periodKey, period), periodKey, period, asOf, 14);
  expect(whole).toEqual(withoutLists(expected.whole));
  const groups = figuresFromAggregates(aggregateReadOf(itemsOfCut(all, cut), periodKey, period), periodKey, period, asOf, 14);
  expect(groups).toEqual(Object.fromEntries(Object.entries(expected.byGroup!).map(([g, f]) => [g, withoutLists(f)])));
}

describe('aggregates from contributions give portfolio() exactly', () => {
  const sources = sourcesOf(BOOK, SURVEYS, ['high-touch', 'tech#touch'], (i) => (i % 5 === 4 ? undefined : i * 3));
  const all = summed(sources);
  it.each([
    ['2026-Q1', 'Q#2026-Q1', '2026-04-01', 'segment'],
    ['2026-Q2', 'Q#2026-Q2', '2026-05-20', 'plan'],
    ['2026-03', 'M#2026-03', '2026-04-01', 'owner'],
    ['2026-02', 'M#2026-02', '2026-03-01', 'cohort'],
    ['2025', 'Y#2025', '2026-01-01', 'cohort'],
  ] as const)('%s by %s on the hand-computed book', (name, key, asOf, cut) => expectAggregatesEqualPortfolio(sources, all, name, key, asOf, cut));

  it('Q1 on the book: the documented figures', () => {
    const whole = groupFigures(
      'all',
      aggregateReadOf(itemsOfCut(all, 'whole'), 'Q#2026-Q1', periodOf('2026-Q1')),
      'Q#2026-Q1',
      periodOf('2026-Q1'),
      '2026-04-01',
      14,
    );
    expect(whole.retention).toMatchObject({ startingArr: 1110, retainedArr: 1080, newArr: 90 });
    // ann@x.io answered 10 then 5 in Q1: her latest (a detractor) counts once.
    expect(whole.nps).toMatchObject({ responses: 3, promoters: 1, detractors: 1, passives: 1 });
  });

  it('upkeep by differences lands where the rebuild does, whatever the order of changes (property)', () => {
    const point = fc.record({
      day: fc.integer({ min: 0, max: 500 }),
      arr: fc.constantFrom(0, 10, 20, 35),
      status: fc.constantFrom<ArrPoint['status']>('trial', 'active', 'active', 'churned'),
    });
    const account = fc.record({
      points: fc.array(point, { minLength: 1, maxLength: 5 }),
      segment: fc.constantFrom('a', 'b'),
      nps: fc.array(fc.tuple(fc.integer({ min: 0, max: 500 }), fc.integer({ min: 0, max: 10 })), { maxLength: 3 }),
    });
    fc.assert(
      fc.property(fc.array(account, { minLength: 1, maxLength: 6 }), fc.constantFrom<Cut>('segment', 'cohort', 'plan'), (accounts, cut) => {
        const day = (d: number) => new Date(Date.UTC(2025, 0, 1) + d * 86_400_000).toISOString();
        const histories: ArrHistory[] = accounts.map((a, i) => ({
          accountId: `x${i}`,
          points: [...a.points].sort((p, q) => p.day - q.day).map((p) => ({ at: day(p.day), arr: p.arr, status: p.status })),
        }));
        const surveys = accounts.flatMap((a, i) => a.nps.map(([d, score], j) => survey(`x${i}`, j, 'nps', score, day(d), 'p@x.io')));
        const final = sourcesOf(
          histories,
          surveys,
          accounts.map((a) => a.segment),
          (i) => (i % 2 ? 7 * i : undefined),
        );
        // Incremental: each account grows point by point (a segment move on the way), each step's difference applied.
        const incremental = new Map<string, Counters>();
        final.forEach((s) => {
          let before;
          for (let k = 1; k <= s.history.points.length; k++) {
            const step = {
              ...s,
              account: { ...s.account, segment: k % 2 ? 'moving' : s.account.segment },
              history: { ...s.history, points: s.history.points.slice(0, k) },
            };
            const c = contributionOf(k === s.history.points.length ? s : step);
            addInto(incremental, contributionDiff(before, c));
            before = c;
          }
        });
        const rebuilt = summed(final);
        const nonZero = (m: Map<string, Counters>) =>
          new Map(
            [...m].map(([k, c]) => [k, Object.fromEntries(Object.entries(c).filter(([, v]) => v !== 0))] as const).filter(([, c]) => Object.keys(c).length),
          );
        expect(nonZero(incremental)).toEqual(nonZero(rebuilt));
        for (const [name, key] of [
          ['2025-Q2', 'Q#2025-Q2'],
          ['2026-01', 'M#2026-01'],
          ['2025', 'Y#2025'],
        ] as const)
          expectAggregatesEqualPortfolio(final, rebuilt, name, key, '2026-06-01', cut);
      }),
      { numRuns: 60 },
    );
  });

  it('cuts cover the book: every cut has a group for each account', () => {
    for (const cut of AGGREGATE_CUTS)
      expect(
        itemsOfCut(all, cut)
          .filter(([sk]) => sk.startsWith('N#'))
          .reduce((t, [, c]) => t + (c.accounts ?? 0), 0),
      ).toBe(BOOK.length);
  });
});

describe('cohort table from the aggregates', () => {
  it('equals cohortTable() on the hand-computed book, month by month', async () => {
    const { cohortTable } = await import('../../functions/core/metrics/cohorts.ts');
    const { cohortsFromAggregates } = await import('../../functions/core/metrics/figures.ts');
    const sources = sourcesOf(BOOK, [], ['x'], () => undefined);
    const all = summed(sources);
    for (const asOf of ['2026-04-01', '2026-09-15'])
      expect(cohortsFromAggregates(itemsOfCut(all, 'cohort'), asOf)).toEqual(cohortTable(BOOK, asOf).map(({ ids: _ids, ...row }) => row));
  });
});

describe('a band change from the stored contribution', () => {
  it('moves the book exactly as recomputing from the sources does', async () => {
    const { withBand } = await import('../../functions/core/metrics/contribution.ts');
    for (const s of sourcesOf(BOOK, SURVEYS, ['x'], () => undefined))
      for (const band of bands) expect(withBand(contributionOf(s), band)).toEqual(contributionOf({ ...s, account: { ...s.account, band } }));
  });
});
