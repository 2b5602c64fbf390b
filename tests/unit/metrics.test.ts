import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { periodOf } from '../../functions/core/metrics/period.ts';
import { movementsOf, retention, type ArrPoint } from '../../functions/core/metrics/revenue.ts';
import { BOOK } from './support/metrics-book.ts';
import { csat, nps } from '../../functions/core/metrics/sentiment.ts';
import { median, nearestRank, timeToValue } from '../../functions/core/metrics/onboarding.ts';
import { byBand, renewalsDue, type BookEntry } from '../../functions/core/metrics/health.ts';
import type { Survey } from '../../functions/core/types.ts';

describe('retention on the hand-computed book', () => {
  it.each([
    [
      '2026-Q1',
      {
        startingArr: 1110,
        startingLogos: 8,
        retainedArr: 1080,
        expansionArr: 80,
        contractionArr: 30,
        churnedArr: 80,
        churnedLogos: 1,
        newArr: 90,
        reactivationArr: 0,
      },
      { nrr: 1080 / 1110, grr: 1000 / 1110, logoChurn: 1 / 8, revenueChurn: 80 / 1110, expansionShare: 80 / 1110 },
      { expanded: ['a02', 'a08'], contracted: ['a03'], churned: ['a04'], new: ['a05', 'a07'], reactivated: [] },
    ],
    [
      '2026-Q2',
      {
        startingArr: 1170,
        startingLogos: 9,
        retainedArr: 1080,
        expansionArr: 0,
        contractionArr: 0,
        churnedArr: 90,
        churnedLogos: 1,
        newArr: 0,
        reactivationArr: 70,
      },
      { nrr: 1080 / 1170, grr: 1080 / 1170, logoChurn: 1 / 9, revenueChurn: 90 / 1170, expansionShare: 0 },
      { expanded: [], contracted: [], churned: ['a09'], new: [], reactivated: ['a06'] },
    ],
    [
      '2026-Q3',
      {
        startingArr: 1150,
        startingLogos: 9,
        retainedArr: 1210,
        expansionArr: 60,
        contractionArr: 0,
        churnedArr: 0,
        churnedLogos: 0,
        newArr: 0,
        reactivationArr: 0,
      },
      { nrr: 1210 / 1150, grr: 1, logoChurn: 0, revenueChurn: 0, expansionShare: 60 / 1150 },
      { expanded: ['a10'], contracted: [], churned: [], new: [], reactivated: [] },
    ],
  ])('%s', (period, sums, ratios, accounts) => {
    const f = retention(BOOK, periodOf(period));
    expect(f).toMatchObject(sums);
    for (const [k, v] of Object.entries(ratios)) expect(f[k as keyof typeof ratios]).toBeCloseTo(v, 10);
    expect(f.accounts).toMatchObject(accounts);
  });

  it('nets an account that churned and came back inside the period: retained, not churned (a11 in Q1)', () => {
    const f = retention(BOOK, periodOf('2026-Q1'));
    expect(f.accounts.starting).toContain('a11');
    expect(f.accounts.churned).not.toContain('a11');
  });

  it('lists the movements of an account, reactivation told from a first payment', () => {
    expect(movementsOf(BOOK[5]!).map((m) => [m.kind, m.arrBefore, m.arrAfter])).toEqual([
      ['new', 0, 60],
      ['churn', 60, 0],
      ['reactivation', 0, 70],
    ]);
    expect(movementsOf(BOOK[6]!).map((m) => m.kind)).toEqual(['new']);
    expect(movementsOf(BOOK[11]!)).toEqual([]);
  });

  it('has no ratio for an empty cohort (null, not 0% or 100%)', () => {
    expect(retention([], periodOf('2026-Q1'))).toMatchObject({ nrr: null, grr: null, logoChurn: null });
  });
});

/** Random books: each account a few dated states. */
const histories = fc.array(
  fc.record({
    accountId: fc.uuid(),
    points: fc
      .array(
        fc.record({
          at: fc.integer({ min: 0, max: 700 }).map((d) => new Date(Date.UTC(2025, 0, 1) + d * 86_400_000).toISOString().slice(0, 10)),
          arr: fc.integer({ min: 0, max: 1_000_000 }),
          status: fc.constantFrom<ArrPoint['status']>('trial', 'active', 'churned'),
        }),
        { maxLength: 6 },
      )
      .map((ps) => ps.sort((a, b) => (a.at < b.at ? -1 : 1))),
  }),
  { maxLength: 30 },
);
const periods = fc.constantFrom('2025-Q2', '2025-Q4', '2026-Q1', '2026-03', '2025-02-01..2026-06-01');

describe('retention properties', () => {
  it('GRR never passes 100% and NRR is never below GRR', () => {
    fc.assert(
      fc.property(histories, periods, (book, period) => {
        const f = retention(book, periodOf(period));
        if (f.grr === null) {
          expect(f.startingArr).toBe(0);
          return;
        }
        expect(f.grr).toBeLessThanOrEqual(1 + 1e-12);
        expect(f.nrr!).toBeGreaterThanOrEqual(f.grr - 1e-12);
      }),
    );
  });

  it('bridges: starting + expansion - contraction - churn = retained', () => {
    fc.assert(
      fc.property(histories, periods, (book, period) => {
        const f = retention(book, periodOf(period));
        expect(f.startingArr + f.expansionArr - f.contractionArr - f.churnedArr).toBe(f.retainedArr);
      }),
    );
  });

  it('adds up over disjoint segments: the sums of two halves are the sums of the whole', () => {
    fc.assert(
      fc.property(histories, periods, fc.integer({ min: 0, max: 30 }), (book, period, cut) => {
        const [whole, left, right] = [book, book.slice(0, cut), book.slice(cut)].map((b) => retention(b, periodOf(period)));
        for (const k of ['startingArr', 'retainedArr', 'expansionArr', 'contractionArr', 'churnedArr', 'newArr', 'reactivationArr', 'churnedLogos'] as const)
          expect(left![k] + right![k]).toBe(whole![k]);
      }),
    );
  });
});

const survey = (id: string, kind: 'nps' | 'csat', score: number, answeredAt: string, contactEmail?: string, accountId = 'a01'): Survey => ({
  id,
  accountId,
  kind,
  score,
  answeredAt,
  contactEmail,
});

describe('NPS and CSAT', () => {
  const answers = [
    survey('s1', 'nps', 9, '2026-01-10T10:00:00Z', 'a@x.example'),
    survey('s2', 'nps', 10, '2026-01-11T10:00:00Z', 'b@x.example', 'a02'),
    survey('s3', 'nps', 7, '2026-02-11T10:00:00Z', 'c@x.example'),
    survey('s4', 'nps', 3, '2026-02-12T10:00:00Z', 'd@x.example', 'a04'),
    survey('s5', 'nps', 6, '2026-03-01T10:00:00Z', 'e@x.example', 'a03'),
    // a@ answers again: the latest answer counts, a detractor now.
    survey('s6', 'nps', 6, '2026-03-20T10:00:00Z', 'A@x.example'),
    survey('s7', 'nps', 9, '2026-03-21T10:00:00Z'),
    survey('s8', 'nps', 0, '2026-04-02T10:00:00Z', 'f@x.example'),
    ...[5, 4, 3, 5, 1].map((score, i) => survey(`c${i}`, 'csat', score, `2026-02-0${i + 1}T10:00:00Z`, 'a@x.example', i === 4 ? 'a09' : 'a01')),
  ];

  it('NPS over Q1: 6 people, 2 promoters, 3 detractors: -16.7', () => {
    const f = nps(answers, periodOf('2026-Q1'));
    expect(f).toMatchObject({ responses: 6, promoters: 2, passives: 1, detractors: 3 });
    expect(f.nps).toBeCloseTo(((2 - 3) / 6) * 100, 10);
    expect(f.accounts.detractors.sort()).toEqual(['a01', 'a03', 'a04']);
  });

  it('CSAT over Q1: average 3.6, 60% scoring 4-5', () => {
    expect(csat(answers, periodOf('2026-Q1'))).toMatchObject({ average: 3.6, satisfied: 0.6, responses: 5, accounts: { dissatisfied: ['a09'] } });
  });

  it('has no NPS without answers', () => {
    expect(nps(answers, periodOf('2025-Q1'))).toMatchObject({ nps: null, responses: 0 });
  });

  it('keeps NPS between -100 and 100', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ score: fc.integer({ min: 0, max: 10 }), who: fc.option(fc.constantFrom('a@x', 'b@x', 'c@x')) })), (rows) => {
        const f = nps(
          rows.map((r, i) => survey(`s${i}`, 'nps', r.score, `2026-02-${String(1 + (i % 28)).padStart(2, '0')}T10:00:00Z`, r.who ?? undefined)),
          periodOf('2026-Q1'),
        );
        if (f.nps !== null) expect(Math.abs(f.nps)).toBeLessThanOrEqual(100);
        expect(f.promoters + f.passives + f.detractors).toBe(f.responses);
      }),
    );
  });
});

describe('time to first value', () => {
  const starts = [
    { accountId: 'a05', startDate: '2026-01-15', firstValueAt: '2026-01-25T08:00:00Z' },
    { accountId: 'a07', startDate: '2026-02-01', firstValueAt: '2026-03-03T08:00:00Z' },
    { accountId: 'a12', startDate: '2026-02-01' },
    { accountId: 'a13', startDate: '2026-03-25' },
    { accountId: 'a14', startDate: '2025-12-30', firstValueAt: '2026-01-02T08:00:00Z' },
  ];

  it('Q1 as of April 1st, target 14 days: median 20, p90 30, 1 of 3 known outcomes within target, 1 pending', () => {
    expect(timeToValue(starts, periodOf('2026-Q1'), 14, '2026-04-01')).toMatchObject({
      medianDays: 20,
      p90Days: 30,
      withinTarget: 1 / 3,
      started: 4,
      reached: 2,
      overdue: 1,
      pending: 1,
      accounts: { overdue: ['a12'], slowest: ['a07', 'a05'] },
    });
  });

  it.each([
    [[], null, null],
    [[7], 7, 7],
    [[1, 2, 3, 4], 2.5, 4],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 5.5, 9],
  ])('median and p90 (nearest rank) of %j: %s, %s', (values, m, p90) => {
    expect(median(values)).toBe(m);
    expect(nearestRank(values, 0.9)).toBe(p90);
  });
});

describe('health bands and renewals', () => {
  const book: BookEntry[] = [
    { accountId: 'a01', arr: 100, band: 'green', renewalDate: '2026-05-01' },
    { accountId: 'a02', arr: 260, band: 'red', renewalDate: '2026-04-15' },
    { accountId: 'a03', arr: 120, band: 'yellow', renewalDate: '2026-09-01' },
    { accountId: 'a05', arr: 50, band: 'red' },
    { accountId: 'a07', arr: 40, band: 'unscored', renewalDate: '2026-06-30' },
  ];

  it('counts accounts and ARR by band; ARR at risk is the red band', () => {
    const f = byBand(book);
    expect(f.red).toMatchObject({ accounts: 2, arr: 310, ids: ['a02', 'a05'] });
    expect(f.red.arrShare).toBeCloseTo(310 / 570, 10);
    expect(f.green.accountShare).toBeCloseTo(1 / 5, 10);
  });

  it('lists the renewals due in Q2 soonest first, with their ARR by band', () => {
    const f = renewalsDue(book, periodOf('2026-Q2'));
    expect(f.due.map((r) => r.accountId)).toEqual(['a02', 'a01', 'a07']);
    expect(f.byBand.red.arr).toBe(260);
  });
});

describe('periods', () => {
  it.each([
    ['2026-Q1', { from: '2026-01-01', to: '2026-04-01' }],
    ['2026-Q4', { from: '2026-10-01', to: '2027-01-01' }],
    ['2026-12', { from: '2026-12-01', to: '2027-01-01' }],
    ['2026-01-15..2026-02-15', { from: '2026-01-15', to: '2026-02-15' }],
  ])('%s is %j', (name, period) => expect(periodOf(name)).toEqual(period));

  it.each(['2026-Q5', '2026-13', '2026-02-15..2026-01-15', 'last quarter'])('refuses %s', (name) => expect(() => periodOf(name)).toThrow(/not a period/));
});
