import { describe, expect, it } from 'vitest';
import { playLift, type LiftDeps } from '../../functions/core/lift/play-lift.ts';
import { holdoutSchema } from '../../functions/core/plays/holdout-schema.ts';
import type { PlayDefinition } from '../../functions/core/plays/definition.ts';
import type { RevenuePoint } from '../../functions/core/revenue-history.ts';
import type { Account, RunRecord, StoredScore } from '../../functions/core/types.ts';
import { liftText } from '../../cli/plays/lift.ts';

/**
 * The lift read from its ports, on a hand-made book: four randomized runs of a save play (two in
 * each group), one excluded run, and each account's score and revenue 30 days on. Every figure
 * below is worked out from the table by hand.
 *
 * | account | group     | score start → day 30 | ARR start → day 30 | churned        | run ended       |
 * | a1      | treated   | 30 → 60              | 1000 → 1200        |                | exited recovered |
 * | a2      | treated   | 20 → 40              | 1000 → 1000        |                | exited recovered |
 * | h1      | held-out  | 30 → 30              | 2000 → 0           | day 10         | exited churned   |
 * | h2      | held-out  | 40 → 50              | 1000 → 1000        |                | exited gave-up   |
 * | x1      | excluded  |                      |                    |                | completed        |
 */
const START = '2026-01-01T00:00:00.000Z';
const DAY30 = '2026-01-31';
const NOW = new Date('2026-03-01T00:00:00.000Z');
const holdout = holdoutSchema.parse({ share: 50, days: 30, minimumEffect: 10 });
const play = { id: 'save', exitWhen: [{ reason: 'recovered', when: {} }], holdout } as unknown as PlayDefinition;

const book = {
  a1: { group: 'treated', score: [30, 60], arr: [1000, 1200], reason: 'recovered' },
  a2: { group: 'treated', score: [20, 40], arr: [1000, 1000], reason: 'recovered' },
  h1: { group: 'held-out', score: [30, 30], arr: [2000, 0], reason: 'churned', churnedAt: '2026-01-11T00:00:00.000Z' },
  h2: { group: 'held-out', score: [40, 50], arr: [1000, 1000], reason: 'gave-up' },
} as const;

function deps(): LiftDeps {
  const runs: RunRecord[] = Object.entries(book).map(([id, b]) => ({
    accountId: id,
    play: 'save',
    cycle: '2026-01-01',
    executionName: `save-${id}`,
    status: 'exited',
    reason: b.reason,
    startedAt: START,
    trigger: { on: 'tier.changed', at: START },
    schedule: {},
    steps: {},
    assignment: { group: b.group, randomized: true, reason: 'drawn', draw: 0.1, share: 50, baseline: { score: b.score[0], arr: b.arr[0] } },
    variants: { 'outreach:save-outreach': id === 'a1' ? 'save-outreach-b' : 'save-outreach' },
  }));
  runs.push({
    ...runs[0]!,
    accountId: 'x1',
    status: 'completed',
    reason: undefined,
    assignment: { ...runs[0]!.assignment!, randomized: false, reason: 'excluded: segment high-touch' },
  });
  const point = (id: string, at: string, arr: number, status: 'active' | 'churned', rev: number) =>
    ({
      accountId: id,
      at,
      day: at.slice(0, 10),
      rev,
      arr,
      status,
      kind: 'new',
      source: 'api',
      arrBefore: 0,
      arrAfter: arr,
      everPaid: true,
      recordedAt: at,
    }) as RevenuePoint;
  return {
    clock: { now: () => NOW },
    plays: { save: play },
    runs: { listByPlay: async () => ({ runs }) },
    accounts: {
      read: async (id) => {
        const b = book[id as keyof typeof book];
        const churned = b && 'churnedAt' in b ? { status: 'churned', churnedAt: b.churnedAt } : { status: 'active' };
        const account = { id, startDate: '2025-06-01T00:00:00.000Z', arr: 500, ...churned } as Account;
        return { account, rev: 1 };
      },
    },
    scores: {
      get: async (id) => {
        const b = book[id as keyof typeof book];
        return b ? ({ accountId: id, score: b.score[1], recent: [{ day: DAY30, score: b.score[1] }] } as unknown as StoredScore) : undefined;
      },
    },
    revenue: {
      points: async (id) => {
        const b = book[id as keyof typeof book];
        if (!b) return [];
        return [
          point(id, '2025-06-01T00:00:00.000Z', b.arr[0], 'active', 1),
          point(id, '2026-01-10T00:00:00.000Z', b.arr[1], b.arr[1] ? 'active' : 'churned', 2),
        ];
      },
    },
    holdouts: { ended: async () => undefined },
    variantEmail: {
      read: async () => ({ 'outreach/save-outreach-b': { sent: 1, opened: 1, clicked: 0, replied: 1, unsubscribed: 0, bounced: 0, complained: 0 } }),
    },
  };
}

describe('a play’s lift, read from its runs and accounts', () => {
  it('counts only randomized runs, and computes each outcome from the book', async () => {
    const lift = await playLift(deps(), 'save');
    expect(lift.runs).toEqual({ read: 5, truncated: false, treated: 2, heldOut: 2, notRandomized: 1 });
    const by = Object.fromEntries(lift.outcomes.map((o) => [o.id, o]));
    expect(Object.keys(by)).toEqual([
      'ending:completed',
      'ending:recovered',
      'ending:churned',
      'ending:gave-up',
      'churned-within-30d',
      'renewed-within-30d',
      'first-value-within-30d',
      'health-change-30d',
      'nrr-30d',
    ]);
    expect(by['ending:recovered']).toMatchObject({ treated: { n: 2, count: 2, rate: 1 }, heldOut: { n: 2, count: 0, rate: 0 } });
    expect(by['churned-within-30d']).toMatchObject({ treated: { n: 2, count: 0 }, heldOut: { n: 2, count: 1, rate: 0.5 }, difference: -0.5 });
    // Health change: treated +30 and +20 (mean 25, sd 7.07), held out 0 and +10 (mean 5, sd 7.07): 20 points.
    expect(by['health-change-30d']).toMatchObject({ treated: { n: 2, mean: 25, sd: 7.07 }, heldOut: { n: 2, mean: 5, sd: 7.07 }, difference: 20 });
    // NRR: treated 2200 / 2000 = 1.1; held out 1000 / 3000 = 0.3333.
    expect(by['nrr-30d']).toMatchObject({ treated: { n: 2, value: 1.1 }, heldOut: { n: 2, value: 0.3333 }, difference: 0.7667 });
  });

  it('reports each variant of the treated runs (held-out ones left out, excluded ones in) with its sends', async () => {
    const lift = await playLift(deps(), 'save');
    expect(lift.variants).toEqual([
      {
        step: 'outreach',
        template: 'save-outreach',
        runs: 1,
        ended: 1,
        endings: { recovered: 1 },
        churned: { n: 1, count: 0, rate: 0 },
        email: expect.objectContaining({ sent: 0 }),
      },
      {
        step: 'outreach',
        template: 'save-outreach-b',
        runs: 2,
        ended: 2,
        endings: { recovered: 1, completed: 1 },
        churned: { n: 2, count: 0, rate: 0 },
        email: expect.objectContaining({ sent: 1, replied: 1 }),
      },
    ]);
  });

  it('says what a CSM reads: a line per outcome, and what is still needed', async () => {
    const text = liftText(await playLift(deps(), 'save'));
    expect(text).toContain('save: 50% held out, outcomes over 30 days, minimum effect 10 pts');
    expect(text).toContain('runs: 2 treated, 2 held out, 1 not randomized');
    expect(text).toMatch(/churned within 30 days\s+0\.0% of 2\s+50\.0% of 2\s+-50\.0 pts \[/);
    expect(text).toContain('not enough data yet (power 80%, alpha 5%):');
  });

  it('answers 404 for a play that is not configured, and no outcomes for a play without a holdout', async () => {
    await expect(playLift(deps(), 'nope')).rejects.toThrow(/play "nope" is not configured/);
    const d = deps();
    d.plays = { save: { ...play, holdout: undefined } };
    const lift = await playLift(d, 'save');
    expect(lift).toMatchObject({ holdout: null, outcomes: [] });
    expect(liftText(lift)).toContain('no holdout declared');
  });
});
