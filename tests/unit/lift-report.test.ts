import { describe, expect, it } from 'vitest';
import { liftOutcomes, rateLift } from '../../functions/core/lift/report.ts';
import { observe, type RunFacts } from '../../functions/core/lift/observations.ts';
import { holdoutSchema } from '../../functions/core/plays/holdout-schema.ts';

const holdout = holdoutSchema.parse({ share: 50, days: 30, minimumEffect: 10 });
const START = '2026-01-01T00:00:00.000Z';
const NOW = new Date('2026-03-01T00:00:00.000Z');
const run = (group: 'treated' | 'held-out', over: Partial<RunFacts['run']> = {}): RunFacts['run'] => ({
  status: 'exited',
  reason: 'recovered',
  startedAt: START,
  assignment: { group, randomized: true, reason: 'drawn', draw: 0.3, share: 50, baseline: { score: 40, arr: 1000 } },
  ...over,
});

describe('observations of a run', () => {
  it.each([
    {
      name: 'churned on day 10: churned, not renewed, ARR 0',
      facts: { run: run('treated'), account: { status: 'churned', churnedAt: '2026-01-11T00:00:00.000Z' }, scoreAfter: 10, arrAfter: 0 },
      now: NOW,
      expected: { group: 'treated', ending: 'recovered', churned: true, renewed: false, firstValue: false, healthChange: -30, nrr: { before: 1000, after: 0 } },
    },
    {
      name: 'churned on day 40: not within 30 days',
      facts: { run: run('held-out'), account: { status: 'churned', churnedAt: '2026-02-10T00:00:00.000Z' }, arrAfter: 1000 },
      now: NOW,
      expected: { churned: false, renewed: false, healthChange: null, nrr: { before: 1000, after: 1000 } },
    },
    {
      name: 'day 20, live, nothing yet: every window outcome pending',
      facts: { run: run('treated', { status: 'running', reason: undefined }), account: { status: 'active' } },
      now: new Date('2026-01-21T00:00:00.000Z'),
      expected: { ending: null, churned: null, renewed: null, firstValue: null, healthChange: null, nrr: null },
    },
    {
      name: 'renewed on day 5 and first value on day 3: known before the window ends',
      facts: {
        run: run('treated', { status: 'completed' }),
        account: {
          status: 'active',
          milestones: { firstValue: '2026-01-04T00:00:00.000Z' },
          lastRenewal: { renewalDate: '2026-01-06', outcome: 'renewed', recordedAt: '2026-01-06T00:00:00.000Z' },
        },
      },
      now: new Date('2026-01-10T00:00:00.000Z'),
      expected: { ending: 'completed', churned: null, renewed: true, firstValue: true },
    },
  ] as const)('$name', ({ facts, now, expected }) => {
    expect(observe(facts as RunFacts, 30, now)).toMatchObject(expected);
  });

  it('a run the draw did not decide (excluded, after the end, no holdout) is not observed', () => {
    expect(observe({ run: { ...run('treated'), assignment: { ...run('treated').assignment!, randomized: false } } }, 30, NOW)).toBeUndefined();
    expect(observe({ run: { ...run('treated'), assignment: undefined } }, 30, NOW)).toBeUndefined();
  });
});

describe('a rate outcome', () => {
  const values = (t: number, tn: number, h: number, hn: number, pending = 0) => [
    ...Array.from({ length: tn }, (_, i) => ({ group: 'treated' as const, value: i < t })),
    ...Array.from({ length: hn }, (_, i) => ({ group: 'held-out' as const, value: i < h })),
    ...Array.from({ length: pending }, () => ({ group: 'held-out' as const, value: null })),
  ];

  it('12/100 treated against 25/100 held out, 3 pending: Newcombe [−0.2356, −0.022], a difference found, though short of the runs planned for 10 points', () => {
    const lift = rateLift('churned-within-30d', 'churned within 30 days', values(12, 100, 25, 100, 3), holdout);
    expect(lift).toMatchObject({
      kind: 'rate',
      treated: { n: 100, count: 12, rate: 0.12, pending: 0 },
      heldOut: { n: 100, count: 25, rate: 0.25, pending: 3 },
      difference: -0.13,
      interval: { low: -0.2356, high: -0.022 },
      enoughData: false,
      verdict: 'treated-lower',
    });
    // From the held-out rate 25% against 35%: Fleiss gives 329 a group; 229 more held-out runs at 50% is 458 more runs.
    expect(lift.stillNeeded).toEqual({ minimumEffect: 0.1, heldOut: 329, treated: 329, moreRuns: 458 });
  });

  it('with enough runs, a difference whose interval is below zero: treated lower', () => {
    const lift = rateLift('x', 'x', values(60, 400, 100, 400), holdout);
    expect(lift).toMatchObject({ enoughData: true, stillNeeded: null, verdict: 'treated-lower', difference: -0.1 });
  });

  it('with enough runs and no difference: no detectable difference', () => {
    expect(rateLift('x', 'x', values(80, 400, 81, 400), holdout).verdict).toBe('no-detectable-difference');
  });

  it('an interval holding zero before the planned runs: not enough data', () => {
    expect(rateLift('x', 'x', values(20, 100, 25, 100), holdout)).toMatchObject({ enoughData: false, verdict: 'not-enough-data' });
  });

  it('with fewer than 2 known runs in a group: no interval', () => {
    expect(rateLift('x', 'x', values(1, 10, 0, 1), holdout)).toMatchObject({ interval: null, difference: null, verdict: 'not-enough-data' });
  });
});

describe('every outcome of a play', () => {
  it('lists the endings seen and the configured ones, then churn, renewal, first value, health change and NRR', () => {
    const obs = [
      observe({ run: run('treated'), account: { status: 'active' } }, 30, NOW)!,
      observe({ run: run('held-out', { reason: 'gave-up' }), account: { status: 'active' } }, 30, NOW)!,
    ];
    expect(liftOutcomes(obs, holdout, ['recovered', 'renewed']).map((o) => `${o.id} ${o.kind}`)).toEqual([
      'ending:recovered rate',
      'ending:renewed rate',
      'ending:gave-up rate',
      'churned-within-30d rate',
      'renewed-within-30d rate',
      'first-value-within-30d rate',
      'health-change-30d mean',
      'nrr-30d ratio',
    ]);
  });
});
