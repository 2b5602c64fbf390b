import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { changesSince, inRenewalWindow, scoreBefore, type ChangeEntry, type ChangeOptions } from '../../functions/core/metrics/changes.ts';
import { presetModel } from '../../functions/core/score/presets/index.ts';
import type { ScoreModel } from '../../functions/core/score/model.ts';

/** Four tiers: the top one green, the bottom one red, the two between yellow. */
const model: ScoreModel = {
  ...presetModel('seed-002'),
  tiers: [
    { name: 'Healthy', min: 80, color: '#2e7d32' },
    { name: 'Stable', min: 60, color: '#9e9d24' },
    { name: 'AtRisk', min: 40, color: '#f9a825' },
    { name: 'Critical', min: 0, color: '#c62828' },
  ],
};
const tierOf = (s: number | null) => (s === null ? null : s >= 80 ? 'Healthy' : s >= 60 ? 'Stable' : s >= 40 ? 'AtRisk' : 'Critical');
const bandOf = (s: number | null) => (s === null ? null : s >= 80 ? 'green' : s >= 40 ? 'yellow' : 'red');

// Monday's review of the week before: since Monday 4 May (mid-day: counted from the day's start).
const options: ChangeOptions = {
  since: new Date('2026-05-04T12:00:00Z'),
  now: new Date('2026-05-11T09:00:00Z'),
  top: 10,
  renewalWindowDays: 90,
  modelFor: () => model,
};

/** An account whose daily scores are `days` (day of May -> score); its current score is the last. */
function scored(accountId: string, days: Record<number, number>, extra: Partial<NonNullable<ChangeEntry['score']>> = {}, arr = 1000): ChangeEntry {
  const recent = Object.entries(days).map(([d, score]) => ({ day: `2026-05-${d.padStart(2, '0')}`, score }));
  const score = recent.length ? recent[recent.length - 1]!.score : null;
  return {
    accountId,
    arr,
    segment: 'tech-touch',
    score: { score, tier: tierOf(score), band: bandOf(score) as 'red' | null, recent, flags: {}, ...extra },
  };
}
const renewing = (accountId: string, renewalDate: string, arr = 500): ChangeEntry => ({ accountId, arr, segment: 'tech-touch', renewalDate });

type List = 'turnedRed' | 'tierDrops' | 'flagsRaised' | 'flagsCleared' | 'up' | 'down' | 'renewalsEntering';
const listsOf = (entry: ChangeEntry): List[] => {
  const c = changesSince([entry], options);
  const lists: [List, { accountId: string }[]][] = [
    ['turnedRed', c.turnedRed.accounts],
    ['tierDrops', c.tierDrops.accounts],
    ['flagsRaised', c.flagsRaised.accounts],
    ['flagsCleared', c.flagsCleared.accounts],
    ['up', c.movers.up],
    ['down', c.movers.down],
    ['renewalsEntering', c.renewalsEntering.accounts],
  ];
  return lists.filter(([, accounts]) => accounts.length > 0).map(([name]) => name);
};

describe('changesSince: which changes an account shows in the review', () => {
  it.each<[string, ChangeEntry, List[]]>([
    [
      'yellow (Stable) before the 4th, red now: turned red, dropped a tier, moved down',
      scored('a', { 1: 70, 3: 65, 10: 35, 11: 30 }),
      ['turnedRed', 'tierDrops', 'down'],
    ],
    ['red then, red now, a little higher: a mover up only', scored('a', { 3: 35, 11: 38 }), ['up']],
    ['green to yellow: a tier drop, not red', scored('a', { 2: 85, 11: 62 }), ['tierDrops', 'down']],
    ['yellow to yellow across tiers (Stable to AtRisk): a tier drop', scored('a', { 3: 61, 11: 59 }), ['tierDrops', 'down']],
    ['first scored after since, in red: turned red (from nothing), no drop, no move', scored('a', { 6: 30, 11: 30 }), ['turnedRed']],
    ['a score only on since\'s own day is not "then": the day counts as changed', scored('a', { 4: 70, 11: 30 }), ['turnedRed']],
    ['rose a tier: a mover up, nothing else', scored('a', { 3: 45, 11: 82 }), ['up']],
    ['unchanged: nothing', scored('a', { 3: 70, 11: 70 }), []],
    ['went red and came back within the week: nothing (the review compares then and now)', scored('a', { 3: 70, 7: 30, 11: 70 }), []],
    [
      "a flag raised on since's day (at its start)",
      scored('a', { 3: 70, 11: 70 }, { flags: { 'usage-drop': { kind: 'risk', since: '2026-05-04T00:00:00.000Z' } } }),
      ['flagsRaised'],
    ],
    [
      'a flag that holds since before: nothing',
      scored('a', { 3: 70, 11: 70 }, { flags: { 'champion-left': { kind: 'risk', since: '2026-05-03T23:59:59.999Z' } } }),
      [],
    ],
    [
      'a flag raised before and cleared since: cleared only',
      scored(
        'a',
        { 3: 70, 11: 70 },
        { clearedFlags: { 'payment-trouble': { kind: 'risk', since: '2026-04-01T06:00:00.000Z', clearedAt: '2026-05-06T06:00:00.000Z' } } },
      ),
      ['flagsCleared'],
    ],
    [
      'a flag raised and cleared since: raised and cleared',
      scored(
        'a',
        { 3: 70, 11: 70 },
        { clearedFlags: { 'ticket-spike': { kind: 'risk', since: '2026-05-05T06:00:00.000Z', clearedAt: '2026-05-08T06:00:00.000Z' } } },
      ),
      ['flagsRaised', 'flagsCleared'],
    ],
    [
      'a flag cleared before since: nothing',
      scored(
        'a',
        { 3: 70, 11: 70 },
        { clearedFlags: { 'nps-detractor': { kind: 'risk', since: '2026-04-01T06:00:00.000Z', clearedAt: '2026-05-03T06:00:00.000Z' } } },
      ),
      [],
    ],
    ['a flag never raised: in neither list', scored('a', { 3: 70, 11: 70 }, { flags: {}, clearedFlags: {} }), []],
    // The window on the 11th is 11 May to 8 Aug; on the 3rd (the day before since's) it was 3 May to 31 Jul.
    ['a renewal on 5 Aug, not scored: entered the window', renewing('a', '2026-08-05'), ['renewalsEntering']],
    ['a renewal on 1 Aug: entered on the 4th (the boundary)', renewing('a', '2026-08-01'), ['renewalsEntering']],
    ['a renewal on 31 Jul: already in the window before since', renewing('a', '2026-07-31'), []],
    ['a renewal on 9 Aug: enters tomorrow', renewing('a', '2026-08-09'), []],
    ['a renewal on 8 Aug: entered today', renewing('a', '2026-08-08T00:00:00Z'), ['renewalsEntering']],
    ['a renewal already past', renewing('a', '2026-05-02'), []],
  ])('%s', (_, entry, lists) => {
    expect(listsOf(entry)).toEqual(lists);
  });
});

describe('changesSince: the figures', () => {
  const book: ChangeEntry[] = [
    scored('a1', { 3: 65, 11: 30 }, {}, 100),
    scored('a2', { 3: 85, 11: 62 }, {}, 200),
    scored('a3', { 3: 45, 11: 82 }, {}, 400),
    scored('a4', { 3: 45, 11: 48 }, {}, 800),
    scored('a5', { 3: 40, 11: 43 }, { flags: { 'usage-drop': { kind: 'risk', since: '2026-05-05T06:00:00.000Z' } } }, 1600),
    { ...scored('a6', { 3: 70, 11: 70 }, {}, 3200), renewalDate: '2026-08-05' },
  ];
  const c = changesSince(book, { ...options, top: 2 });

  it('counts and sums the ARR of the accounts behind each figure', () => {
    expect([c.turnedRed.count, c.turnedRed.arr]).toEqual([1, 100]);
    expect([c.tierDrops.count, c.tierDrops.arr, c.tierDrops.accounts.map((a) => a.accountId)]).toEqual([2, 300, ['a1', 'a2']]);
    expect(c.tierDrops.accounts[1]).toEqual({ accountId: 'a2', arr: 200, scoreThen: 85, score: 62, from: 'Healthy', to: 'Stable' });
    expect(c.renewalsEntering.accounts).toEqual([{ accountId: 'a6', arr: 3200, renewalDate: '2026-08-05', band: 'yellow', score: 70 }]);
    expect(c.flagsRaised).toEqual({
      count: 1,
      arr: 1600,
      accounts: [{ accountId: 'a5', flag: 'usage-drop', kind: 'risk', since: '2026-05-05T06:00:00.000Z' }],
      byFlag: { 'usage-drop': 1 },
    });
    expect(c.from).toBe('2026-05-04T00:00:00.000Z');
  });

  it('with list, names the first accounts of each figure; count, ARR and byFlag stay of all', () => {
    const listed = changesSince(book, { ...options, top: 2, list: 1 });
    expect(listed.tierDrops).toEqual({ count: 2, arr: 300, accounts: c.tierDrops.accounts.slice(0, 1) });
    const none = changesSince(book, { ...options, top: 2, list: 0 });
    expect(none.flagsRaised).toEqual({ count: 1, arr: 1600, accounts: [], byFlag: { 'usage-drop': 1 } });
    expect(none.movers).toEqual(c.movers);
  });

  it('with any list and top, lists what sorting every account and cutting gives, in order (property)', () => {
    const flag = fc.record({ day: fc.integer({ min: 1, max: 11 }), cleared: fc.option(fc.integer({ min: 1, max: 11 })) });
    const account = fc.record({
      then: fc.integer({ min: 0, max: 100 }),
      now: fc.integer({ min: 0, max: 100 }),
      arr: fc.nat(5000),
      renewal: fc.option(fc.integer({ min: 0, max: 120 })),
      flags: fc.dictionary(fc.constantFrom('usage-drop', 'no-login-7d', 'payment-trouble'), flag),
    });
    fc.assert(
      fc.property(fc.array(account, { maxLength: 120 }), fc.integer({ min: 0, max: 12 }), fc.integer({ min: 1, max: 12 }), (accounts, list, top) => {
        const at = (d: number) => `2026-05-${String(d).padStart(2, '0')}T06:00:00.000Z`;
        const entries = accounts.map((a, i): ChangeEntry => {
          const flags = Object.entries(a.flags);
          return {
            ...scored(
              `a${String(i).padStart(3, '0')}`,
              { 2: a.then, 11: a.now },
              {
                flags: Object.fromEntries(flags.filter(([, f]) => f.cleared === null).map(([n, f]) => [n, { kind: 'risk' as const, since: at(f.day) }])),
                clearedFlags: Object.fromEntries(
                  flags.filter(([, f]) => f.cleared !== null).map(([n, f]) => [n, { kind: 'risk' as const, since: at(f.day), clearedAt: at(f.cleared!) }]),
                ) as never,
              },
              a.arr,
            ),
            ...(a.renewal !== null ? { renewalDate: new Date(Date.UTC(2026, 4, 11) + a.renewal * 86_400_000).toISOString().slice(0, 10) } : {}),
          };
        });
        const whole = changesSince(entries, { ...options, top: 1000 });
        const listed = changesSince(entries, { ...options, top, list });
        for (const part of ['turnedRed', 'tierDrops', 'flagsRaised', 'flagsCleared', 'renewalsEntering'] as const)
          expect(listed[part]).toEqual({ ...whole[part], accounts: whole[part].accounts.slice(0, list) });
        expect(listed.movers).toEqual({ up: whole.movers.up.slice(0, top), down: whole.movers.down.slice(0, top) });
      }),
      { numRuns: 200 },
    );
  });

  it('lists the top movers each way, biggest first, ties by account id', () => {
    expect(c.movers.up.map((m) => [m.accountId, m.change])).toEqual([
      ['a3', 37],
      ['a4', 3],
    ]);
    expect(c.movers.down.map((m) => [m.accountId, m.change])).toEqual([
      ['a1', -35],
      ['a2', -23],
    ]);
  });

  it('an account counted twice in a figure (two flags) adds its ARR once', () => {
    const two = scored(
      'x',
      { 3: 70, 11: 70 },
      { flags: { a: { kind: 'risk', since: '2026-05-05T00:00:00.000Z' }, b: { kind: 'risk', since: '2026-05-06T00:00:00.000Z' } } },
      700,
    );
    expect(changesSince([two], options).flagsRaised).toMatchObject({ count: 2, arr: 700 });
  });
});

describe('the helpers', () => {
  it.each([
    ['2026-05-04', 65],
    ['2026-05-03', 70],
    ['2026-05-01', null],
  ])('scoreBefore(%s) = %s', (day, expected) => {
    expect(
      scoreBefore(
        [
          { day: '2026-05-01', score: 70 },
          { day: '2026-05-03', score: 65 },
          { day: '2026-05-05', score: 30 },
        ],
        day,
      ),
    ).toBe(expected);
  });

  it.each([
    ['2026-05-11', '2026-05-11', true],
    ['2026-08-08', '2026-05-11', true],
    ['2026-08-09', '2026-05-11', false],
    ['2026-05-10', '2026-05-11', false],
  ])('a renewal on %s is in the 90-day window on %s: %s', (renewal, day, expected) => {
    expect(inRenewalWindow(renewal, day, 90)).toBe(expected);
  });
});
