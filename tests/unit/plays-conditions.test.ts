import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DAY_MS, dayOf } from '../../functions/core/clock.ts';
import { describeCondition, holds, readsUsage, type AccountSnapshot } from '../../functions/core/plays/conditions.ts';
import type { Condition } from '../../functions/core/plays/definition.ts';
import { makeAccount } from './support/plays-world.ts';

const NOW = new Date('2026-03-10T12:00:00.000Z');
type Band = 'green' | 'yellow' | 'red';

function snapshot(over: Partial<AccountSnapshot> & { used?: number; available?: number } = {}): AccountSnapshot {
  const available = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'].slice(0, over.available ?? 10);
  const { used = 0, ...rest } = over;
  return {
    account: makeAccount(),
    now: NOW,
    band: 'green',
    recentBands: [],
    flags: [],
    usage: { activeUsers: 1, seats: 5, featuresUsed: available.slice(0, used), featuresAvailable: available, userDays: 1, activeInLast7Days: true },
    activated: false,
    cycle: '2026-03-01',
    ...rest,
  };
}

/** Daily bands ending `endDaysAgo` days before today (0 = today), oldest first; null leaves the day unscored. */
const daily = (bands: (Band | null)[], endDaysAgo = 0) =>
  bands
    .map((band, i) => ({ day: dayOf(NOW.getTime() - (endDaysAgo + bands.length - 1 - i) * DAY_MS), band }))
    .filter((d) => d.band !== null) as AccountSnapshot['recentBands'];

describe('holds, clause by clause', () => {
  it.each<[string, Condition, Partial<AccountSnapshot> & { used?: number; available?: number }, boolean]>([
    ['no condition fields', {}, {}, true],
    ['tier in the band', { tier: ['red', 'yellow'] }, { band: 'yellow' }, true],
    ['tier not in the band', { tier: ['red'] }, { band: 'green' }, false],
    ['tier without a score', { tier: ['green', 'yellow', 'red'] }, { band: null }, false],
    ['segment matches', { segment: ['high-touch'] }, { account: makeAccount({ segment: 'high-touch' }) }, true],
    ['segment differs', { segment: ['high-touch', 'medium-touch'] }, { account: makeAccount({ segment: 'tech-touch' }) }, false],
    ['active and active', { active: true }, {}, true],
    [
      'active but quiet',
      { active: true },
      { usage: { activeUsers: 0, seats: 5, featuresUsed: [], featuresAvailable: ['a'], userDays: 0, activeInLast7Days: false } },
      false,
    ],
    [
      'not active and quiet',
      { active: false },
      { usage: { activeUsers: 0, seats: 5, featuresUsed: [], featuresAvailable: ['a'], userDays: 0, activeInLast7Days: false } },
      true,
    ],
    ['activated wanted, reached', { activated: true }, { activated: true }, true],
    ['not activated wanted, reached', { activated: false }, { activated: true }, false],
    ['flag present', { flag: 'promoter' }, { flags: ['promoter', 'near-seat-limit'] }, true],
    ['flag absent', { flag: 'promoter' }, { flags: ['near-seat-limit'] }, false],
    ['noFlag absent', { noFlag: 'payment-trouble' }, { flags: ['promoter'] }, true],
    ['noFlag present', { noFlag: 'payment-trouble' }, { flags: ['payment-trouble'] }, false],
    ['adoption 20% below 30', { adoptionBelow: 30 }, { used: 2 }, true],
    ['adoption 30% not below 30', { adoptionBelow: 30 }, { used: 3 }, false],
    ['adoption 70% at least 70', { adoptionAtLeast: 70 }, { used: 7 }, true],
    ['adoption 60% not at least 70', { adoptionAtLeast: 70 }, { used: 6 }, false],
    ['no features known: adoption 0', { adoptionBelow: 1 }, { used: 0, available: 0 }, true],
    ['no features known: not at least 0.1%', { adoptionAtLeast: 0.1 }, { used: 0, available: 0 }, false],
    ['renewal date moved past the cycle', { renewed: true }, { account: makeAccount({ renewalDate: '2027-03-01T00:00:00.000Z' }), cycle: '2026-03-01' }, true],
    ['renewal date still the cycle', { renewed: true }, { account: makeAccount({ renewalDate: '2026-03-01T00:00:00.000Z' }), cycle: '2026-03-01' }, false],
    ['renewal date later the same day', { renewed: true }, { account: makeAccount({ renewalDate: '2026-03-01T18:00:00.000Z' }), cycle: '2026-03-01' }, false],
    ['no renewal date', { renewed: true }, { account: makeAccount(), cycle: '2026-03-01' }, false],
    ...(
      [
        // The renewal play's cycle is the renewal date; the save play's, the day the account turned red.
        ['outcome for the cycle', 'renewed', '2026-03-01', '2026-02-20T10:00:00.000Z', ['renewed'], true],
        ['outcome for a later renewal', 'renewed', '2027-03-01', '2026-02-20T10:00:00.000Z', ['renewed'], true],
        ['an earlier renewal, recorded since the cycle', 'renewed', '2026-02-15', '2026-03-02T10:00:00.000Z', ['renewed'], true],
        ['an earlier renewal, recorded before the cycle', 'renewed', '2025-03-01', '2025-02-20T10:00:00.000Z', ['renewed'], false],
        ['churned, when renewed is asked', 'churned', '2026-03-01', '2026-02-20T10:00:00.000Z', ['renewed'], false],
        ['churned, either asked', 'churned', '2026-03-01', '2026-02-20T10:00:00.000Z', ['renewed', 'churned'], true],
        ['no outcome recorded', undefined, '', '', ['renewed'], false],
      ] as const
    ).map(([name, outcome, renewalDate, recordedAt, wanted, expected]): [string, Condition, Partial<AccountSnapshot>, boolean] => [
      `renewalOutcome: ${name}`,
      { renewalOutcome: [...wanted] },
      { account: makeAccount(outcome ? { lastRenewal: { outcome, renewalDate, recordedAt } } : {}), cycle: '2026-03-01' },
      expected,
    ]),
    ['every field must hold (AND): one fails', { tier: ['green'], active: true, flag: 'promoter' }, { flags: [] }, false],
    ['every field must hold (AND): all hold', { tier: ['green'], active: true, flag: 'promoter' }, { flags: ['promoter'] }, true],
  ])('%s', (_name, condition, over, expected) => {
    expect(holds(condition, snapshot(over))).toBe(expected);
  });

  it('holds when there is no condition', () => {
    expect(holds(undefined, snapshot({ band: null }))).toBe(true);
  });

  it('ignores fields given as undefined', () => {
    expect(holds({ tier: undefined, active: undefined }, snapshot({ band: null }))).toBe(true);
  });
});

describe('notRedForDays: N scored days, none red, in the last N days and today', () => {
  it.each<[string, (Band | null)[], number, boolean]>([
    ['7 green days up to today', ['green', 'green', 'green', 'green', 'green', 'green', 'green'], 0, true],
    ['7 days, some yellow', ['yellow', 'green', 'yellow', 'green', 'green', 'yellow', 'green'], 0, true],
    // Today's score may not be computed yet: 7 days ending yesterday are enough.
    ['7 green days ending yesterday (today not scored yet)', ['green', 'green', 'green', 'green', 'green', 'green', 'green'], 1, true],
    ['7 green days ending two days ago', ['green', 'green', 'green', 'green', 'green', 'green', 'green'], 2, false],
    ['red 8 days ago does not count', ['red', 'green', 'green', 'green', 'green', 'green', 'green', 'green', 'green'], 0, true],
    ['red 7 days ago counts (the window reaches back one day more)', ['red', 'green', 'green', 'green', 'green', 'green', 'green', 'green'], 0, false],
    ['red today', ['green', 'green', 'green', 'green', 'green', 'green', 'red'], 0, false],
    ['only 6 days scored', ['green', 'green', 'green', 'green', 'green', 'green'], 0, false],
    ['one unscored day among the last 8 is tolerated', ['green', 'green', null, 'green', 'green', 'green', 'green', 'green'], 0, true],
    ['two unscored days among the last 8 are not', ['green', 'green', null, 'green', null, 'green', 'green', 'green'], 0, false],
    ['no scores at all', [], 0, false],
  ])('%s', (_name, bands, endDaysAgo, expected) => {
    expect(holds({ notRedForDays: 7 }, snapshot({ recentBands: daily(bands, endDaysAgo) }))).toBe(expected);
  });

  it('counts a day scored without a band (null) as not proven healthy', () => {
    const recent = daily(['green', 'green', 'green', 'green']);
    recent[2] = { ...recent[2]!, band: null };
    expect(holds({ notRedForDays: 3 }, snapshot({ recentBands: recent }))).toBe(false);
  });

  it('property: holds exactly when at least N of the last N+1 calendar days (today included) are scored and none is red', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom<Band | null>('green', 'yellow', 'red', null), { maxLength: 20 }), fc.integer({ min: 1, max: 10 }), (bands, n) => {
        const window = bands.slice(-(n + 1)).filter((b) => b !== null);
        const expected = window.length >= n && window.every((b) => b !== 'red');
        expect(holds({ notRedForDays: n }, snapshot({ recentBands: daily(bands) }))).toBe(expected);
      }),
    );
  });
});

describe('describeCondition', () => {
  it.each<[Condition | undefined, string]>([
    [undefined, 'always'],
    [{}, 'always'],
    [{ tier: ['red'] }, 'health red'],
    [{ tier: ['yellow', 'red'] }, 'health yellow or red'],
    [{ segment: ['high-touch', 'medium-touch'] }, 'high-touch or medium-touch'],
    [{ active: true }, 'active in the last 7 days'],
    [{ active: false }, 'not active in the last 7 days'],
    [{ activated: true }, 'first value reached'],
    [{ activated: false }, 'first value not reached'],
    [{ flag: 'promoter' }, 'flag promoter'],
    [{ noFlag: 'payment-trouble' }, 'no flag payment-trouble'],
    [{ adoptionBelow: 30 }, 'adoption under 30%'],
    [{ adoptionAtLeast: 70 }, 'adoption at least 70%'],
    [{ notRedForDays: 7 }, 'not red for 7 days'],
    [{ renewed: true }, 'renewal date moved on'],
    [{ renewalOutcome: ['renewed', 'churned'] }, 'renewal outcome renewed or churned recorded'],
    [{ tier: ['red'], active: false }, 'health red and not active in the last 7 days'],
    [{ tier: undefined, flag: 'promoter' }, 'flag promoter'],
  ])('%j -> %s', (condition, text) => {
    expect(describeCondition(condition)).toBe(text);
  });
});

describe('checklist milestones', () => {
  const withMilestones = (milestones: Record<string, string> | undefined) => snapshot({ account: { ...makeAccount(), milestones } });
  it.each<[string, Condition, Record<string, string> | undefined, boolean]>([
    ['milestone reached', { milestone: 'kickoff-held' }, { 'kickoff-held': '2026-03-01T00:00:00Z' }, true],
    ['milestone not reached', { milestone: 'kickoff-held' }, { 'admin-trained': '2026-03-01T00:00:00Z' }, false],
    ['no milestones at all', { milestone: 'kickoff-held' }, undefined, false],
    ['noMilestone, not reached', { noMilestone: 'admin-trained' }, {}, true],
    ['noMilestone, reached', { noMilestone: 'admin-trained' }, { 'admin-trained': '2026-03-02T00:00:00Z' }, false],
  ])('%s', (_, condition, milestones, expected) => {
    expect(holds(condition, withMilestones(milestones))).toBe(expected);
  });

  it('reads as words', () => {
    expect(describeCondition({ milestone: 'kickoff-held', noMilestone: 'admin-trained' })).toBe(
      'milestone kickoff-held reached and milestone admin-trained not reached',
    );
  });
});

/**
 * `readsUsage` is a hand-kept list of the clauses that read the usage (a step queries the usage days
 * only for those): a clause whose `holds` depends on `usage` but is missing from it would be decided
 * on empty usage. One arbitrary per clause kind, required by the type: a new kind fails to typecheck here.
 */
describe('readsUsage covers every clause that reads the usage', () => {
  const day = (offset: number) => dayOf(NOW.getTime() + offset * DAY_MS);
  const CLAUSE_VALUES: { [K in keyof Condition]-?: fc.Arbitrary<NonNullable<Condition[K]>> } = {
    tier: fc.uniqueArray(fc.constantFrom('green', 'yellow', 'red' as const), { minLength: 1 }),
    segment: fc.uniqueArray(fc.constantFrom('high-touch', 'medium-touch', 'tech-touch' as const), { minLength: 1 }),
    active: fc.boolean(),
    activated: fc.boolean(),
    flag: fc.constantFrom('promoter', 'at-risk'),
    noFlag: fc.constantFrom('promoter', 'at-risk'),
    adoptionBelow: fc.integer({ min: 0, max: 100 }),
    adoptionAtLeast: fc.integer({ min: 0, max: 100 }),
    notRedForDays: fc.integer({ min: 1, max: 30 }),
    renewed: fc.constant(true as const),
    renewalOutcome: fc.uniqueArray(fc.constantFrom('renewed', 'churned' as const), { minLength: 1 }),
    milestone: fc.constantFrom('kickoff', 'firstValue'),
    noMilestone: fc.constantFrom('kickoff', 'firstValue'),
    taskDone: fc.constantFrom('ask', 'call'),
    taskNotDone: fc.record({ step: fc.constantFrom('ask', 'call'), days: fc.integer({ min: 0, max: 10 }) }),
  };
  const band = fc.constantFrom<Band | null>('green', 'yellow', 'red', null);
  const FEATURES = ['a', 'b', 'c', 'd', 'e'];
  const usage = fc
    .record({
      activeUsers: fc.integer({ min: 0, max: 10 }),
      available: fc.integer({ min: 0, max: FEATURES.length }),
      used: fc.integer({ min: 0, max: FEATURES.length }),
      activeInLast7Days: fc.boolean(),
      userDays: fc.integer({ min: 0, max: 100 }),
    })
    .map(({ available, used, ...u }) => ({
      ...u,
      seats: 5,
      featuresAvailable: FEATURES.slice(0, available),
      featuresUsed: FEATURES.slice(0, Math.min(used, available)),
    }));
  const snapshot = fc.record({
    segment: fc.constantFrom('high-touch', 'medium-touch', 'tech-touch' as const),
    renewalDate: fc.option(
      fc.integer({ min: -60, max: 60 }).map((d) => `${day(d)}T00:00:00.000Z`),
      { nil: undefined },
    ),
    lastRenewal: fc.option(
      fc.record({
        outcome: fc.constantFrom('renewed', 'churned' as const),
        renewalDate: fc.integer({ min: -60, max: 60 }).map(day),
        recordedAt: fc.integer({ min: -60, max: 0 }).map((d) => `${day(d)}T00:00:00.000Z`),
      }),
      { nil: undefined },
    ),
    milestones: fc.dictionary(fc.constantFrom('kickoff', 'firstValue'), fc.constant('2026-03-01T00:00:00.000Z')),
    band,
    recentBands: fc.array(band, { maxLength: 31 }).map((bands) => daily(bands)),
    flags: fc.uniqueArray(fc.constantFrom('promoter', 'at-risk')),
    activated: fc.boolean(),
    cycle: fc.integer({ min: -60, max: 0 }).map(day),
    runTasks: fc.array(
      fc.record({ step: fc.constantFrom('ask', 'call'), done: fc.boolean(), ageDays: fc.integer({ min: 0, max: 20 }) }).map(({ step, done, ageDays }) => ({
        step,
        status: done ? ('done' as const) : ('open' as const),
        createdAt: new Date(NOW.getTime() - ageDays * DAY_MS).toISOString(),
      })),
      { maxLength: 3 },
    ),
  });
  const snapshotOf = (s: typeof snapshot extends fc.Arbitrary<infer T> ? T : never, u: AccountSnapshot['usage']): AccountSnapshot => ({
    account: makeAccount({ segment: s.segment, renewalDate: s.renewalDate, lastRenewal: s.lastRenewal, milestones: s.milestones }),
    now: NOW,
    band: s.band,
    recentBands: s.recentBands,
    flags: s.flags,
    usage: u,
    activated: s.activated,
    cycle: s.cycle,
    runTasks: s.runTasks as never,
  });
  /** True when `holds` told the two usages apart (the property's premise). */
  const differs = (condition: Condition, s: Parameters<typeof snapshotOf>[0], u1: AccountSnapshot['usage'], u2: AccountSnapshot['usage']) =>
    holds(condition, snapshotOf(s, u1)) !== holds(condition, snapshotOf(s, u2));

  it.each(Object.keys(CLAUSE_VALUES) as (keyof Condition)[])('%s: when the usage alone changes whether it holds, readsUsage is true', (kind) => {
    let toldApart = false;
    fc.assert(
      fc.property(CLAUSE_VALUES[kind] as fc.Arbitrary<unknown>, snapshot, usage, usage, (value, s, u1, u2) => {
        const condition = { [kind]: value } as Condition;
        if (!differs(condition, s, u1, u2)) return;
        toldApart = true;
        expect(readsUsage(condition)).toBe(true);
      }),
      { numRuns: 300 },
    );
    // Not vacuous: the clauses computed from the usage are told apart by it in these runs.
    if (kind === 'active' || kind === 'adoptionBelow' || kind === 'adoptionAtLeast') expect(toldApart).toBe(true);
  });

  it('any mix of clauses: when the usage alone changes whether it holds, readsUsage is true', () => {
    const condition = fc.record(CLAUSE_VALUES, { requiredKeys: [] }) as fc.Arbitrary<Condition>;
    fc.assert(
      fc.property(condition, snapshot, usage, usage, (c, s, u1, u2) => {
        if (differs(c, s, u1, u2)) expect(readsUsage(c)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
