import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { playSchema, type PlayDefinition } from '../../functions/core/plays/definition.ts';
import { resolvePlays } from '../../functions/core/plays/resolve.ts';
import { anchorOf, cycleOf, executionName, planRun, scheduleKey, stepTime } from '../../functions/core/plays/schedule.ts';
import { makeAccount } from './support/plays-world.ts';

const plays = resolvePlays({});

describe('planRun: absolute times from the anchor', () => {
  it('onboarding counts days from the start date', () => {
    expect(planRun(plays.onboarding!, '2026-01-01T00:00:00.000Z')).toEqual({
      welcome: '2026-01-02T00:00:00.000Z',
      day_7: '2026-01-08T00:00:00.000Z',
      day_14: '2026-01-15T00:00:00.000Z',
      day_30: '2026-01-31T00:00:00.000Z',
      review: '2026-03-02T00:00:00.000Z',
    });
  });

  it('renewal counts back from the renewal date (negative days)', () => {
    expect(planRun(plays.renewal!, '2026-12-31T00:00:00.000Z')).toEqual({
      health_review: '2026-10-02T00:00:00.000Z',
      value_review: '2026-11-01T00:00:00.000Z',
      notice: '2026-12-01T00:00:00.000Z',
      close: '2026-12-17T00:00:00.000Z',
    });
  });

  it('save counts from the trigger, with hours: outreach now, review an hour later and its check an hour after, watch the next day', () => {
    expect(planRun(plays.save!, '2026-05-04T13:25:00.000Z')).toEqual({
      outreach: '2026-05-04T13:25:00.000Z',
      review: '2026-05-04T14:25:00.000Z',
      review_check: '2026-05-04T15:25:00.000Z',
      watch: '2026-05-05T13:25:00.000Z',
    });
  });

  it.each<[number, number, string]>([
    [0, 0, '2026-03-10T08:00:00.000Z'],
    [0, 23, '2026-03-11T07:00:00.000Z'],
    [-1, 5, '2026-03-09T13:00:00.000Z'],
    [365, 0, '2027-03-10T08:00:00.000Z'],
    [-365, 0, '2025-03-10T08:00:00.000Z'],
  ])('stepTime day %i hour %i', (day, hour, expected) => {
    expect(stepTime('2026-03-10T08:00:00.000Z', { day, hour })).toBe(expected);
  });

  it('keys each step JSONPath-safely', () => {
    expect(scheduleKey('day-7')).toBe('day_7');
    expect(scheduleKey('a-b-c')).toBe('a_b_c');
    expect(scheduleKey('plain')).toBe('plain');
    for (const play of Object.values(plays)) for (const key of Object.keys(planRun(play, '2026-01-01T00:00:00.000Z'))) expect(key).toMatch(/^[a-z0-9_]+$/);
  });
});

describe('anchorOf and cycleOf', () => {
  const account = makeAccount({ startDate: '2026-01-05T00:00:00.000Z', renewalDate: '2027-01-05T00:00:00.000Z' });
  it.each<[string, string | undefined]>([
    ['onboarding', '2026-01-05T00:00:00.000Z'],
    ['renewal', '2027-01-05T00:00:00.000Z'],
    ['save', '2026-06-01T10:00:00.000Z'],
  ])('%s anchors on %s', (id, expected) => {
    expect(anchorOf(plays[id]!, account, '2026-06-01T10:00:00.000Z')).toBe(expected);
  });

  it('has no anchor for a renewal without a renewal date', () => {
    expect(anchorOf(plays.renewal!, makeAccount(), '2026-06-01T10:00:00.000Z')).toBeUndefined();
  });

  it('the cycle is the anchor day', () => {
    expect(cycleOf('2026-06-01T23:59:59.000Z')).toBe('2026-06-01');
  });
});

describe('executionName', () => {
  it('is readable and fixed for an account, play and cycle', () => {
    const name = executionName('onboarding', 'acme', '2026-01-05');
    expect(name).toMatch(/^onboarding-acme-20260105-[0-9a-z]+$/);
    expect(executionName('onboarding', 'acme', '2026-01-05')).toBe(name);
  });

  it('replaces characters Step Functions refuses and keeps long ids short', () => {
    const name = executionName('renewal', 'acme.com/eu west#1', '2026-01-05');
    expect(name).toMatch(/^renewal-acme_com_eu_west_1-20260105-[0-9a-z]+$/);
    expect(executionName('save', 'x'.repeat(200), '2026-01-05').length).toBeLessThanOrEqual(80);
  });

  const playId = fc.stringMatching(/^[a-z0-9-]{1,24}$/);
  const accountId = fc.string({ minLength: 1, maxLength: 128, unit: 'binary' });
  const cycle = fc
    .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10));

  it('property: at most 80 characters of [A-Za-z0-9_-], deterministic', () => {
    fc.assert(
      fc.property(playId, accountId, cycle, (p, a, c) => {
        const name = executionName(p, a, c);
        expect(name.length).toBeLessThanOrEqual(80);
        expect(name).toMatch(/^[A-Za-z0-9_-]+$/);
        expect(executionName(p, a, c)).toBe(name);
      }),
      { numRuns: 500 },
    );
  });

  it('property: distinct per play, account and cycle', () => {
    fc.assert(
      fc.property(fc.tuple(playId, accountId, cycle), fc.tuple(playId, accountId, cycle), ([p1, a1, c1], [p2, a2, c2]) => {
        fc.pre(p1 !== p2 || a1 !== a2 || c1 !== c2);
        expect(executionName(p1, a1, c1)).not.toBe(executionName(p2, a2, c2));
      }),
      { numRuns: 500 },
    );
  });

  it('distinct for ids that sanitise alike or share their first 32 characters', () => {
    const names = new Set([
      executionName('renewal', 'acme.eu', '2026-01-05'),
      executionName('renewal', 'acme_eu', '2026-01-05'),
      executionName('renewal', 'acme eu', '2026-01-05'),
      executionName('renewal', `${'a'.repeat(32)}1`, '2026-01-05'),
      executionName('renewal', `${'a'.repeat(32)}2`, '2026-01-05'),
      executionName('renewal', 'acme_eu', '2026-01-06'),
      executionName('save', 'acme_eu', '2026-01-05'),
    ]);
    expect(names.size).toBe(7);
  });

  it('distinct for every play of the configuration', () => {
    const ids = Object.keys(plays);
    expect(new Set(ids.map((id) => executionName(id, 'acme', '2026-01-05'))).size).toBe(ids.length);
  });
});

describe("a custom play's plan", () => {
  it('plans every step, hours included', () => {
    const play: PlayDefinition = playSchema.parse({
      id: 'trial',
      description: 'Trial',
      trigger: { on: 'account.created' },
      anchor: 'startDate',
      steps: [
        { id: 'kick-off', day: 0, hour: 9, do: { event: 'kick-off' } },
        { id: 'mid', day: 7, hour: 9, do: { event: 'mid' } },
      ],
    });
    expect(planRun(play, '2026-01-01T00:00:00.000Z')).toEqual({ kick_off: '2026-01-01T09:00:00.000Z', mid: '2026-01-08T09:00:00.000Z' });
  });
});
