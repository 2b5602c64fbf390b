import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cohortTable } from '../../functions/core/metrics/cohorts.ts';
import { periodOf } from '../../functions/core/metrics/period.ts';
import { portfolio, type PortfolioAccount } from '../../functions/core/metrics/portfolio.ts';
import type { Band } from '../../functions/core/metrics/health.ts';
import { BOOK } from './support/metrics-book.ts';

describe('cohort retention table on the hand-computed book', () => {
  const table = cohortTable(BOOK, '2026-04-01');
  const row = (cohort: string) => table.find((r) => r.cohort === cohort)!;

  it('groups accounts by the month they first paid; a trial never paid is in none', () => {
    expect(table.map((r) => r.cohort)).toEqual([
      '2024-12',
      '2025-01',
      '2025-02',
      '2025-03',
      '2025-05',
      '2025-06',
      '2025-07',
      '2025-09',
      '2025-10',
      '2026-01',
      '2026-02',
    ]);
    expect(table.flatMap((r) => r.ids)).not.toContain('a12');
  });

  it.each([
    ['2026-01', 50, [1, 1, 1], [1, 1, 1]],
    ['2025-09', 80, [1, 1, 1, 1, 1, 0, 0], [1, 1, 1, 1, 1, 0, 0]],
    ['2025-05', 60, [1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0], [1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0]],
  ])('cohort %s: starting ARR %i, logo retention %j, revenue retention %j', (cohort, startingArr, logos, revenue) => {
    expect(row(cohort)).toMatchObject({ accounts: 1, startingArr, logoRetention: logos, revenueRetention: revenue });
  });

  it('counts expansion in revenue retention (over 100%), month by month', () => {
    const a08 = row('2024-12');
    expect(a08.startingArr).toBe(300);
    expect(a08.revenueRetention[12]).toBe(1);
    expect(a08.revenueRetention[13]).toBeCloseTo(350 / 300, 10);
    expect(a08.revenueRetention[15]).toBeCloseTo(320 / 300, 10);
    expect(a08.revenueRetention).toHaveLength(16);
  });
});

const bands: Band[] = ['green', 'yellow', 'red', 'unscored'];
const accountsOf = (segments: string[]): PortfolioAccount[] =>
  BOOK.map((h, i) => {
    const last = h.points.at(-1)!;
    return {
      accountId: h.accountId,
      segment: segments[i % segments.length]!,
      plan: i % 3 ? 'pro' : undefined,
      status: last.status,
      arr: last.arr,
      band: bands[i % 4]!,
      startDate: h.points[0]!.at,
    };
  });
const options = { period: periodOf('2026-Q1'), asOf: '2026-04-01', firstValueTargetDays: 14 };

describe('portfolio figures by cut', () => {
  it('the whole book gives the Q1 figures of the hand-computed table', () => {
    const { whole } = portfolio({ accounts: accountsOf(['tech-touch']), histories: BOOK, surveys: [] }, options);
    expect(whole.retention).toMatchObject({ startingArr: 1110, retainedArr: 1080, newArr: 90 });
    expect(whole.health.red.accounts + whole.health.green.accounts + whole.health.yellow.accounts + whole.health.unscored.accounts).toBe(10);
  });

  it('puts accounts without a plan in `none`, and cohorts by first paid month', () => {
    const byPlan = portfolio({ accounts: accountsOf(['x']), histories: BOOK, surveys: [] }, options, 'plan');
    expect(Object.keys(byPlan.byGroup!)).toEqual(['none', 'pro']);
    const byCohort = portfolio({ accounts: accountsOf(['x']), histories: BOOK, surveys: [] }, options, 'cohort');
    expect(byCohort.byGroup!['2026-01']!.retention.newArr).toBe(50);
    expect(byCohort.byGroup!['none']!.accounts).toBe(1);
  });

  it('adds up: the groups of any cut sum to the whole (ARR, logos, responses, accounts by band)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('high-touch', 'medium-touch', 'tech-touch'), { minLength: 1, maxLength: 5 }),
        fc.constantFrom('segment', 'plan', 'cohort'),
        (segments, cut) => {
          const out = portfolio({ accounts: accountsOf(segments), histories: BOOK, surveys: [] }, options, cut as 'segment' | 'plan' | 'cohort');
          const groups = Object.values(out.byGroup!);
          for (const k of ['startingArr', 'retainedArr', 'expansionArr', 'contractionArr', 'churnedArr', 'newArr', 'reactivationArr', 'startingLogos'] as const)
            expect(groups.reduce((t, g) => t + g.retention[k], 0)).toBe(out.whole.retention[k]);
          for (const band of bands) expect(groups.reduce((t, g) => t + g.health[band].arr, 0)).toBe(out.whole.health[band].arr);
          expect(groups.reduce((t, g) => t + g.accounts, 0)).toBe(out.whole.accounts);
        },
      ),
    );
  });
});
