import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseConfig, type OnboardingStep } from '../../functions/core/config.ts';
import { assessForStep, executionName, ONBOARDING, planOnboarding, scheduleKey, suggestFeature } from '../../functions/core/journey/onboarding.ts';
import type { UsageSummary } from '../../functions/core/score/derive.ts';
import cfg from '../../tend.config.ts';

const DAY = 86_400_000;
const steps = parseConfig(cfg).journeys.onboarding.steps;
const step = (id: string, day: number): OnboardingStep => ({ id, day, templates: { active: 'welcome', inactive: 'welcome' } });

describe('scheduleKey', () => {
  it.each([
    ['welcome', 'welcome'],
    ['day-7', 'day_7'],
    ['day-30', 'day_30'],
    ['week-1-setup', 'week_1_setup'],
  ])('%s -> %s', (id, key) => {
    expect(scheduleKey(id)).toBe(key);
  });
});

describe('planOnboarding', () => {
  it('gives absolute times start + day * 24h for the shipped steps, keyed by scheduleKey', () => {
    // 2026-01-05T09:00Z + 1, 7, 14, 30 days
    expect(planOnboarding('2026-01-05T09:00:00.000Z', steps)).toEqual({
      welcome: '2026-01-06T09:00:00.000Z',
      day_7: '2026-01-12T09:00:00.000Z',
      day_14: '2026-01-19T09:00:00.000Z',
      day_30: '2026-02-04T09:00:00.000Z',
    });
  });

  it.each([
    // A date-only start is midnight UTC.
    ['2026-03-01', 'day-7', 7, { day_7: '2026-03-08T00:00:00.000Z' }],
    // Day 0 is the start itself; an offset start is normalised to UTC.
    ['2026-03-01T10:30:00+02:00', 'day-0', 0, { day_0: '2026-03-01T08:30:00.000Z' }],
    // 24h days: no wall-clock DST shift (Europe moves its clocks on 2026-03-29).
    ['2026-03-28T12:00:00Z', 'd-2', 2, { d_2: '2026-03-30T12:00:00.000Z' }],
    // Across a leap day.
    ['2028-02-28T00:00:00Z', 'day-1', 1, { day_1: '2028-02-29T00:00:00.000Z' }],
    ['2026-01-01T00:00:00Z', 'day-365', 365, { day_365: '2027-01-01T00:00:00.000Z' }],
  ])('start %s, step %s (day %s)', (start, id, day, expected) => {
    expect(planOnboarding(start, [step(id, day)])).toEqual(expected);
  });

  it('every planned time is exactly day * 24h after the start', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.parse('2020-01-01'), max: Date.parse('2040-01-01') }),
        fc.uniqueArray(fc.integer({ min: 0, max: 365 }), { minLength: 1, maxLength: 12 }),
        (startMs, days) => {
          const sorted = [...days].sort((a, b) => a - b);
          const plan = planOnboarding(new Date(startMs).toISOString(), sorted.map((d) => step(`day-${d}`, d)));
          expect(Object.keys(plan)).toEqual(sorted.map((d) => `day_${d}`));
          for (const d of sorted) expect(Date.parse(plan[`day_${d}`]!) - startMs).toBe(d * DAY);
        },
      ),
    );
  });
});

describe('executionName', () => {
  it('is deterministic', () => {
    expect(executionName(ONBOARDING, 'acme')).toBe(executionName(ONBOARDING, 'acme'));
    expect(executionName(ONBOARDING, 'acme')).toMatch(/^onboarding-acme-[0-9a-z]+$/);
  });

  it('differs per play and per account', () => {
    expect(executionName(ONBOARDING, 'acme')).not.toBe(executionName(ONBOARDING, 'acme2'));
    expect(executionName(ONBOARDING, 'acme')).not.toBe(executionName('renewal', 'acme'));
  });

  it.each([
    ['a.b', 'a_b'],
    ['a:b', 'a_b'],
    ['x@acme.example', 'x_acme_example'],
    ['a.b', 'a:b'],
    // Ids longer than 40 characters share a truncated prefix but not a name.
    ['x'.repeat(40) + 'a', 'x'.repeat(40) + 'b'],
  ])('ids that sanitize alike still get different names: %s vs %s', (a, b) => {
    const na = executionName(ONBOARDING, a);
    const nb = executionName(ONBOARDING, b);
    // Same readable part...
    expect(na.slice(0, na.lastIndexOf('-'))).toBe(nb.slice(0, nb.lastIndexOf('-')));
    // ...different names.
    expect(na).not.toBe(nb);
  });

  it('is at most 80 characters of [A-Za-z0-9_-] for any account id', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'grapheme', maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 200 })), (id) => {
        const name = executionName(ONBOARDING, id);
        expect(name.length).toBeLessThanOrEqual(80);
        expect(name).toMatch(/^[A-Za-z0-9_-]+$/);
        expect(executionName(ONBOARDING, id)).toBe(name);
      }),
      { numRuns: 500 },
    );
  });

  it('two ids differing only in a character that sanitizes to _ get different names', () => {
    // FNV-1a is a bijection per step, so ids of equal length differing in one position never collide.
    const unsafe = fc.constantFrom('.', ':', '@', '/', ' ', 'é', '_');
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 100 }), fc.nat(), unsafe, unsafe, (base, pos, c1, c2) => {
        fc.pre(c1 !== c2);
        const i = pos % base.length;
        const a = base.slice(0, i) + c1 + base.slice(i + 1);
        const b = base.slice(0, i) + c2 + base.slice(i + 1);
        expect(executionName(ONBOARDING, a)).not.toBe(executionName(ONBOARDING, b));
      }),
      { numRuns: 500 },
    );
  });
});

describe('assessForStep and suggestFeature', () => {
  const usage = (over: Partial<UsageSummary>): UsageSummary => ({
    activeUsers: 3,
    seats: 10,
    featuresUsed: ['dashboards'],
    featuresAvailable: ['dashboards', 'reports', 'alerts'],
    userDays: 12,
    activeInLast7Days: true,
    ...over,
  });

  it.each([
    [true, 'active'],
    [false, 'inactive'],
  ] as const)('activeInLast7Days %s -> %s', (active, state) => {
    expect(assessForStep(usage({ activeInLast7Days: active }))).toEqual({ state, activeUsers: 3, seats: 10 });
  });

  it.each([
    [['dashboards'], ['dashboards', 'reports', 'alerts'], 'reports'], // first unused
    [['dashboards', 'reports'], ['dashboards', 'reports', 'alerts'], 'alerts'],
    [['dashboards', 'reports', 'alerts'], ['dashboards', 'reports', 'alerts'], 'dashboards'], // all used: first
    [[], [], 'the dashboard'], // no features configured
  ])('used %j of %j -> %s', (used, available, expected) => {
    expect(suggestFeature(usage({ featuresUsed: used, featuresAvailable: available }))).toBe(expected);
  });
});
