import { describe, expect, it } from 'vitest';
import { healthSeries, monthsOf, tallyAccount, type ScoredAccount } from '../../functions/core/metrics/health-days.ts';
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
