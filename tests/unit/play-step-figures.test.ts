import { describe, expect, it } from 'vitest';
import { stepFigures } from '../../functions/core/plays/step-figures.ts';
import type { RunRecord } from '../../functions/core/types.ts';

const play = {
  id: 'renewal',
  steps: [
    { id: 'review', day: -90 },
    { id: 'notice', day: -30 },
    { id: 'close', day: -14 },
  ],
} as Parameters<typeof stepFigures>[0];
const run = (accountId: string, over: Partial<RunRecord>): RunRecord =>
  ({
    accountId,
    play: 'renewal',
    cycle: '2026-06-01',
    executionName: `x-${accountId}`,
    status: 'running',
    startedAt: '2026-03-01T00:00:00Z',
    trigger: { on: 'date', at: '' },
    schedule: {},
    steps: {},
    ...over,
  }) as RunRecord;

describe('a play diagram figures from its runs', () => {
  const figures = stepFigures(play, [
    run('a', { next: { step: 'notice', at: '' }, steps: { review: { outcome: 'done', at: '', detail: 'option 2: always' } } }),
    run('b', {
      status: 'paused',
      next: { step: 'notice', at: '' },
      steps: { review: { outcome: 'skipped', at: '', detail: 'reached 222 hours after it was due' } },
    }),
    run('c', {
      status: 'completed',
      steps: {
        review: { outcome: 'skipped', at: '', detail: 'reached 774 hours after it was due' },
        notice: { outcome: 'done', at: '' },
        close: { outcome: 'done', at: '' },
      },
    }),
    run('d', { status: 'exited', reason: 'renewed', steps: { review: { outcome: 'done', at: '', detail: 'option 2: always' } } }),
    run('e', { status: 'exited', reason: 'renewed' }),
    run('f', { status: 'cancelled', steps: { gone: { outcome: 'done', at: '' } } }),
  ]);

  it.each([
    ['review', { waiting: 0, done: 2, skipped: 2 }],
    ['notice', { waiting: 2, done: 1, skipped: 0 }],
    ['close', { waiting: 0, done: 1, skipped: 0 }],
  ])('%s: waiting, done and skipped', (step, expected) => {
    expect(figures.steps.find((s) => s.step === step)).toMatchObject(expected);
  });

  it('counts reasons by their words, most frequent first; lists the accounts waiting; tells how runs ended', () => {
    expect(figures.steps[0]!.reasons).toEqual([
      { outcome: 'done', reason: 'option N: always', count: 2 },
      { outcome: 'skipped', reason: 'reached N hours after it was due', count: 2 },
    ]);
    expect(figures.steps[1]!.accounts).toEqual(['a', 'b']);
    expect(figures).toMatchObject({ runs: 6, live: 2, ended: { completed: 1, cancelled: 1, failed: 0, exited: { renewed: 2 } } });
  });
});
