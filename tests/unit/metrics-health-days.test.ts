import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { HEALTH_CUTS, healthSeries, healthSeriesByGroup, monthsOf, tallyAccount, type ScoredAccount } from '../../functions/core/metrics/health-days.ts';
import type { Counters } from '../../functions/core/metrics/contribution.ts';

const tallyOf = (accounts: ScoredAccount[]) => accounts.reduce<Counters>((t, a) => tallyAccount(t, a), {});
const none = { accounts: 0, arr: 0 };
const noActivation = { known: 0, active: 0, pooled: null, meanOfAccounts: null };

describe('tallyAccount', () => {
  it.each([
    { name: 'nothing', accounts: [], tally: {} },
    { name: 'one green', accounts: [{ band: 'green', score: 80, arr: 10 }], tally: { accounts: 1, greenAccounts: 1, greenArr: 10, scored: 1, scoreSum: 80 } },
    {
      name: 'no score yet: unscored, out of the average',
      accounts: [{ band: null, score: null, arr: 5 }],
      tally: { accounts: 1, unscoredAccounts: 1, unscoredArr: 5 },
    },
    {
      name: 'activation: people pooled, and the rate of each account with people',
      accounts: [
        { band: 'green', score: 80, arr: 0, activation: { known: 4, active: 1 } },
        { band: 'green', score: 80, arr: 0, activation: { known: 0, active: 0 } },
      ],
      tally: {
        accounts: 2,
        greenAccounts: 2,
        greenArr: 0,
        scored: 2,
        scoreSum: 160,
        knownPeople: 4,
        activePeople: 1,
        activationRated: 1,
        activationRateSum: 0.25,
      },
    },
    {
      name: 'bands add up',
      accounts: [
        { band: 'red', score: 20, arr: 7 },
        { band: 'red', score: 30, arr: 3 },
        { band: 'yellow', score: 50, arr: 0 },
      ],
      tally: { accounts: 3, redAccounts: 2, redArr: 10, yellowAccounts: 1, yellowArr: 0, scored: 3, scoreSum: 100 },
    },
  ] as { name: string; accounts: ScoredAccount[]; tally: Counters }[])('$name', ({ accounts, tally }) => {
    expect(tallyOf(accounts)).toEqual(tally);
  });
});

describe('monthsOf', () => {
  it.each([
    { period: { from: '2026-03-01', to: '2026-04-01' }, months: ['2026-03'] },
    { period: { from: '2026-01-01', to: '2026-04-01' }, months: ['2026-01', '2026-02', '2026-03'] },
    { period: { from: '2025-12-15', to: '2026-01-02' }, months: ['2025-12', '2026-01'] },
    { period: { from: '2026-02-03', to: '2026-02-04' }, months: ['2026-02'] },
  ])('$months', ({ period, months }) => {
    expect(monthsOf(period)).toEqual(months);
  });
});

describe('healthSeries', () => {
  const period = { from: '2026-03-01', to: '2026-04-01' };
  it.each([
    { name: 'no run: no day', items: [], series: [] },
    {
      name: 'shards of a day are summed; the average is over scored accounts',
      items: [
        ['2026-03-02#00', tallyOf([{ band: 'green', score: 90, arr: 100, activation: { known: 1, active: 1 } }])],
        ['2026-03-02#01', tallyOf([{ band: 'red', score: 20, arr: 50, activation: { known: 4, active: 2 } }, { arr: 1 }])],
      ],
      series: [
        {
          day: '2026-03-02',
          accounts: 3,
          bands: { green: { accounts: 1, arr: 100 }, yellow: none, red: { accounts: 1, arr: 50 }, unscored: { accounts: 1, arr: 1 } },
          averageScore: 55,
          activation: { known: 5, active: 3, pooled: 0.6, meanOfAccounts: 0.75 },
        },
      ],
    },
    {
      name: 'days in order, days outside the period left out, a day of unscored accounts has no average',
      items: [
        ['2026-03-05#00', tallyOf([{ arr: 0 }])],
        ['2026-02-28#00', tallyOf([{ band: 'green', score: 90, arr: 100 }])],
        ['2026-04-01#00', tallyOf([{ band: 'green', score: 90, arr: 100 }])],
        [
          '2026-03-04#03',
          tallyOf([
            { band: 'yellow', score: 61, arr: 9 },
            { band: 'yellow', score: 62, arr: 1 },
          ]),
        ],
      ],
      series: [
        {
          day: '2026-03-04',
          accounts: 2,
          bands: { green: none, yellow: { accounts: 2, arr: 10 }, red: none, unscored: none },
          averageScore: 61.5,
          activation: noActivation,
        },
        {
          day: '2026-03-05',
          accounts: 1,
          bands: { green: none, yellow: none, red: none, unscored: { accounts: 1, arr: 0 } },
          averageScore: null,
          activation: noActivation,
        },
      ],
    },
  ] as { name: string; items: [string, Counters][]; series: unknown[] }[])('$name', ({ items, series }) => {
    expect(healthSeries(items, period)).toEqual(series);
  });
});

describe('healthSeriesByGroup: each group of a cut, from the same items', () => {
  const period = { from: '2026-03-01', to: '2026-04-01' };
  const scored = fc.record({
    band: fc.constantFrom('green', 'yellow', 'red', null),
    score: fc.option(fc.integer({ min: 0, max: 100 }), { nil: null }),
    arr: fc.integer({ min: 0, max: 100_000 }),
    activation: fc.option(
      fc.integer({ min: 0, max: 9 }).chain((known) => fc.record({ known: fc.constant(known), active: fc.integer({ min: 0, max: known }) })),
      { nil: undefined },
    ),
    groups: fc.record({
      segment: fc.constantFrom('high-touch', 'tech-touch'),
      plan: fc.constantFrom('Starter', 'Pro', 'Enterprise'),
      owner: fc.constantFrom('alex', 'sam', 'none'),
    }),
    day: fc.constantFrom('2026-02-28', '2026-03-02', '2026-03-03', '2026-03-31', '2026-04-01'),
    shard: fc.integer({ min: 0, max: 3 }),
  }) as fc.Arbitrary<ScoredAccount & { day: string; shard: number; groups: NonNullable<ScoredAccount['groups']> }>;
  /** The items the daily run writes: one tally per (day, shard). */
  const itemsOf = (accounts: (ScoredAccount & { day: string; shard: number })[]) => {
    const items = new Map<string, Counters>();
    for (const a of accounts) {
      const sk = `${a.day}#${String(a.shard).padStart(2, '0')}`;
      items.set(sk, tallyAccount(items.get(sk) ?? {}, a));
    }
    return [...items];
  };

  it('equals, for every group, the series of the items tallied from its accounts alone (brute force), and leaves the whole as it was', () => {
    fc.assert(
      fc.property(fc.array(scored, { maxLength: 40 }), fc.constantFrom(...HEALTH_CUTS), (accounts, cut) => {
        const items = itemsOf(accounts);
        const byGroup = healthSeriesByGroup(items, period, cut);
        const inPeriod = accounts.filter((a) => a.day >= period.from && a.day < period.to);
        const groups = [...new Set(inPeriod.map((a) => a.groups[cut]))].sort();
        expect(Object.keys(byGroup)).toEqual(groups);
        for (const g of groups) {
          const alone = itemsOf(accounts.filter((a) => a.groups[cut] === g).map(({ groups: _g, ...a }) => a));
          expect(byGroup[g]).toEqual(healthSeries(alone, period));
        }
        const ungrouped = itemsOf(accounts.map(({ groups: _g, ...a }) => a));
        expect(healthSeries(items, period)).toEqual(healthSeries(ungrouped, period));
        // Disjoint groups cover the book: each day's accounts and ARR add up to the whole's.
        for (const day of healthSeries(items, period)) {
          const sum = Object.values(byGroup).flatMap((series) => series.filter((d) => d.day === day.day));
          expect(sum.reduce((n, d) => n + d.accounts, 0)).toBe(day.accounts);
          expect(sum.reduce((n, d) => n + d.bands.red.arr + d.bands.green.arr + d.bands.yellow.arr + d.bands.unscored.arr, 0)).toBe(
            day.bands.red.arr + day.bands.green.arr + day.bands.yellow.arr + day.bands.unscored.arr,
          );
          expect(sum.reduce((n, d) => n + d.activation.known, 0)).toBe(day.activation.known);
        }
      }),
      { numRuns: 200 },
    );
  });
});
