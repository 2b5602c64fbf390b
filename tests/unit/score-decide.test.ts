import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideScore, entersRedAfterGrace, type ScoringPolicy } from '../../functions/core/score/decide.ts';
import { factsOf } from '../../functions/core/score/explain.ts';
import type { ScoringInput } from '../../functions/core/score/input.ts';
import { presetModel } from '../../functions/core/score/presets/index.ts';
import type { Account, StoredScore } from '../../functions/core/types.ts';
import { scoreFactsOf, scoreItem } from '../../functions/data/scores.ts';

const DAY = 86_400_000;
const now = new Date('2026-05-04T06:00:00Z');
const features = ['dashboards', 'reports', 'alerts', 'integrations'];
const policy: ScoringPolicy = { modelFor: () => presetModel('seed-002'), features, fallingFastPoints: 10 };
const account = (over: Partial<Account> = {}) =>
  ({
    id: 'acme',
    name: 'Acme',
    seats: 10,
    arr: 9000,
    status: 'active',
    segment: 'tech-touch',
    startDate: '2025-01-01T00:00:00Z',
    primaryContact: { email: 'a@acme.example' },
    ...over,
  }) as Account;
const input = (over: Partial<ScoringInput> = {}): ScoringInput => ({ account: account(), days: [], surveys: [], tickets: [], contacts: [], ...over });
const scored = (i: ScoringInput, options = {}) => {
  const d = decideScore(policy, i, now, options);
  if (d.kind !== 'score') throw new Error(d.kind);
  return d;
};

describe('decideScore (pure: loaded data in, the score to store and the events out)', () => {
  it.each([
    ['no account', input({ account: undefined }), 'none'],
    ['a churned account', input({ account: account({ status: 'churned' }) }), 'none'],
    ['an active account', input(), 'score'],
  ])('%s -> %s', (_, i, kind) => {
    expect(decideScore(policy, i, now).kind).toBe(kind);
  });

  it('the once-a-day run skips an account scored earlier that UTC day, and only that run', () => {
    const first = scored(input()).stored;
    const earlier = { ...factsOf(first), computedAt: '2026-05-04T01:00:00.000Z' };
    expect(decideScore(policy, input({ previous: earlier }), now, { oncePerDay: true })).toEqual({
      kind: 'scored-today',
      tier: first.tier,
      band: first.band,
      score: first.score,
    });
    expect(decideScore(policy, input({ previous: earlier }), now).kind).toBe('score');
    expect(decideScore(policy, input({ previous: { ...earlier, computedAt: '2026-05-03T06:00:00.000Z' } }), now, { oncePerDay: true }).kind).toBe('score');
  });

  it.each([
    ['an existing customer scored first in red announces it', '2025-01-01T00:00:00Z', 1],
    ['a brand-new account in red does not (onboarding is not save)', new Date(now.getTime() - 10 * DAY).toISOString(), 0],
  ])('%s', (_, startDate, announced) => {
    const d = scored(input({ account: account({ startDate }) }));
    expect(d.stored.band).toBe('red');
    expect(d.events.filter((e) => e.type === 'tier.changed')).toHaveLength(announced);
  });

  // Accounts that start red (docs/plays.md): the score before, its time, and whether this red score enters red for the plays.
  const graceEnd = new Date('2026-04-04T06:00:00Z').getTime(); // start + 30 days; `now` is 30 days past it
  it.each([
    ['first score, past the grace (an import)', undefined, true],
    ['red inside the grace, first score past it', { band: 'red', at: graceEnd - DAY }, true],
    ['red at the very end of the grace, first score past it', { band: 'red', at: graceEnd }, true],
    ['red past the grace already (announced then)', { band: 'red', at: graceEnd + DAY }, false],
    ['yellow inside the grace (a turn to red is a tier change)', { band: 'yellow', at: graceEnd - DAY }, false],
  ] as const)('entersRedAfterGrace: %s -> %s', (_, before, enters) => {
    const previous = before && { tier: before.band, band: before.band, computedAt: new Date(before.at).toISOString() };
    expect(entersRedAfterGrace('2026-03-05T06:00:00Z', previous, now)).toBe(enters);
    // Inside the grace, nothing enters red whatever came before.
    expect(entersRedAfterGrace('2026-03-05T06:00:00Z', previous, new Date(graceEnd))).toBe(false);
  });

  it('an account red through its onboarding grace announces red (for save) on its first score past it, once', () => {
    const startDate = new Date(now.getTime() - 31 * DAY).toISOString();
    const first = decideScore(policy, input({ account: account({ startDate }) }), new Date(now.getTime() - 2 * DAY));
    if (first.kind !== 'score') throw new Error(first.kind);
    expect(first.stored.band).toBe('red');
    expect(first.events.filter((e) => e.type === 'tier.changed')).toHaveLength(0);
    const past = scored(input({ account: account({ startDate }), previous: factsOf(first.stored) }));
    expect(past.events.filter((e) => e.type === 'tier.changed').map((e) => e.detail)).toEqual([
      { from: null, to: past.stored.tier, fromBand: null, band: 'red', score: past.stored.score },
    ]);
    expect(past.write).toBe(true);
    const again = scored(input({ account: account({ startDate }), previous: factsOf(past.stored) }));
    expect(again.events.filter((e) => e.type === 'tier.changed')).toHaveLength(0);
  });

  it('writes the first score of a day, and a same-day rescore only when something moved', () => {
    const first = scored(input());
    expect(first.write).toBe(true);
    const again = scored(input({ previous: factsOf(first.stored) }));
    expect(again.write).toBe(false);
    expect(again.events).toEqual([]);
  });
});

describe('the score item', () => {
  it('keeps the daily history as a list and reads it back', () => {
    const history = fc
      .uniqueArray(fc.integer({ min: 0, max: 34 }), { maxLength: 35 })
      .chain((ago) => fc.tuple(fc.constant(ago), fc.array(fc.integer({ min: 0, max: 100 }), { minLength: ago.length, maxLength: ago.length })));
    fc.assert(
      fc.property(history, ([ago, scores]) => {
        const recent = ago
          .map((a, i) => ({ day: new Date(now.getTime() - a * DAY).toISOString().slice(0, 10), score: scores[i]! }))
          .sort((x, y) => x.day.localeCompare(y.day));
        const stored = { ...scored(input()).stored, recent } as StoredScore;
        const facts = scoreFactsOf(JSON.parse(JSON.stringify(scoreItem(stored))) as Record<string, unknown>, 'acme');
        expect(facts).toEqual(factsOf(stored));
      }),
    );
  });
});

describe('cleared flags (a flag cleared is told from one never raised)', () => {
  const at = (days: number) => new Date(now.getTime() + days * DAY);
  const run = (previous: StoredScore | undefined, paymentStatus: string | undefined, when: Date) => {
    const d = decideScore(policy, input({ account: account({ paymentStatus } as Partial<Account>), previous: previous && factsOf(previous) }), when);
    if (d.kind !== 'score') throw new Error(d.kind);
    return d.stored;
  };

  it('records the start and the clearing of a flag the scorer drops, and nothing for a flag that never held', () => {
    const raised = run(undefined, 'failed', at(0));
    expect(raised.flags['payment-trouble']?.since).toBe(at(0).toISOString());
    expect(raised.clearedFlags).toEqual({});
    const cleared = run(raised, 'current', at(1));
    expect(cleared.flags['payment-trouble']).toBeUndefined();
    expect(cleared.clearedFlags?.['payment-trouble']).toEqual({ kind: 'risk', since: at(0).toISOString(), clearedAt: at(1).toISOString() });
    expect(cleared.clearedFlags?.['champion-left']).toBeUndefined();
  });

  it.each([
    ['kept 35 days', 35, true],
    ['dropped after 35 days', 36, false],
  ])('a clearing is %s', (_, days, kept) => {
    const cleared = run(run(undefined, 'failed', at(0)), 'current', at(1));
    const later = run(cleared, 'current', at(1 + days));
    expect(Boolean(later.clearedFlags?.['payment-trouble'])).toBe(kept);
  });

  it('survives the round trip through the stored item', () => {
    const cleared = run(run(undefined, 'failed', at(0)), 'current', at(1));
    expect(scoreFactsOf(scoreItem(cleared), 'acme').clearedFlags).toEqual(cleared.clearedFlags);
  });
});
