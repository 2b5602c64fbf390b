import { describe, expect, it } from 'vitest';
import { DAY_MS, dayOf } from '../../functions/core/clock.ts';
import { computeScore } from '../../functions/core/score/compute.ts';
import { deriveSignals, summariseUsage } from '../../functions/core/score/derive.ts';
import { presetModel } from '../../functions/core/score/presets/index.ts';
import type { Account, UsageDay } from '../../functions/core/types.ts';

const features = ['dashboards', 'reports', 'alerts', 'integrations'];
const now = new Date('2026-06-30T12:00:00Z');

function account(over: Partial<Account> = {}): Account {
  return {
    id: 'acme',
    name: 'Acme Corp',
    seats: 10,
    arr: 12_000,
    status: 'active',
    startDate: '2026-01-01T00:00:00Z', // well over 60 days before `now`
    segment: 'medium-touch',
    primaryContact: { email: 'ana@acme.example', name: 'Ana Ortiz' },
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
    ...over,
  };
}

/** A usage day `ago` days before `now`. */
function usage(ago: number, users: string[], used: string[] = ['dashboards']): UsageDay {
  return {
    day: dayOf(now.getTime() - ago * DAY_MS),
    users,
    features: used,
    userFeatures: users.flatMap((u) => used.map((f) => `${u}|${f}`)),
  };
}

describe('summariseUsage', () => {
  it('no usage: nothing active, seats from the account', () => {
    expect(summariseUsage(account(), [], features, now)).toEqual({
      activeUsers: 0,
      seats: 10,
      featuresUsed: [],
      featuresAvailable: features,
      userDays: 0,
      lastActiveDay: undefined,
      activeInLast7Days: false,
    });
  });

  it.each([
    [0, true], // today
    [2, true],
    [6, true],
    [8, false],
    [10, false],
    [29, false], // still in the 30-day window, but not the last week
  ])('usage %s days ago -> activeInLast7Days %s', (ago, active) => {
    const u = summariseUsage(account(), [usage(ago, ['u1'])], features, now);
    expect(u.activeInLast7Days).toBe(active);
    expect(u.activeUsers).toBe(1);
    expect(u.lastActiveDay).toBe(dayOf(now.getTime() - ago * DAY_MS));
  });

  it('a day with no users does not count as active', () => {
    const u = summariseUsage(account(), [usage(1, [], [])], features, now);
    expect(u.activeInLast7Days).toBe(false);
    expect(u.lastActiveDay).toBeUndefined();
  });

  it('ignores usage outside the 30-day window', () => {
    const u = summariseUsage(account(), [usage(31, ['old']), usage(45, ['older'])], features, now);
    expect(u).toMatchObject({ activeUsers: 0, userDays: 0, featuresUsed: [] });
  });

  it('counts distinct users and user-days, and lists used features in product order', () => {
    const u = summariseUsage(account(), [usage(1, ['u1', 'u2'], ['reports']), usage(3, ['u1'], ['dashboards', 'reports'])], features, now);
    expect(u).toMatchObject({ activeUsers: 2, userDays: 3, featuresUsed: ['dashboards', 'reports'], lastActiveDay: dayOf(now.getTime() - DAY_MS) });
  });

  it('an account without seats counts its active users as its seats (at least 1)', () => {
    expect(summariseUsage(account({ seats: undefined }), [usage(1, ['u1', 'u2', 'u3'])], features, now).seats).toBe(3);
    expect(summariseUsage(account({ seats: undefined }), [], features, now).seats).toBe(1);
  });
});

describe('deriveSignals', () => {
  it('no usage: loginDaysPerWeek 0 and activeSeatRatio 0, depth and growth unknown', () => {
    const s = deriveSignals(account(), [], features, now);
    expect(s).toMatchObject({
      loginDaysPerWeek: 0,
      activeSeatRatio: 0,
      featureAdoption: 0,
      usageDepth: undefined,
      usageGrowth: undefined,
      arr: 12_000,
    });
    // Never active: counted from the start date, 2026-01-01 -> 2026-06-30T12:00 = 180 days
    expect(s.daysSinceLastActivity).toBe(180);
  });

  it('features not in the product list are ignored in featureAdoption', () => {
    // used: dashboards (listed), beta-lab and admin-console (not listed) -> 1 of 4 = 0.25
    const s = deriveSignals(account(), [usage(2, ['u1'], ['dashboards', 'beta-lab', 'admin-console'])], features, now);
    expect(s.featureAdoption).toBe(0.25);
  });

  it('works out login frequency, seat ratio, depth and recency by hand', () => {
    // u1 active on 6 days, u2 on 3 of them: userDays 9, activeUsers 2 (all within the last 14 days)
    // loginDaysPerWeek (last 14 days) = 9 / 2 / (14/7) = 2.25; activeSeatRatio = 2/10 = 0.2
    // userFeatures: each user-day touches 2 features -> 18 / 9 = 2 features a day
    const days = [1, 2, 3, 8, 9, 10].map((ago, i) => usage(ago, i < 3 ? ['u1', 'u2'] : ['u1'], ['dashboards', 'reports']));
    const s = deriveSignals(account(), days, features, now);
    expect(s.loginDaysPerWeek).toBeCloseTo(2.25, 10);
    expect(s.activeSeatRatio).toBe(0.2);
    expect(s.usageDepth).toBe(2);
    expect(s.featureAdoption).toBe(0.5); // dashboards + reports of 4
    // last active 2026-06-29 (midnight UTC) -> 1.5 days before now -> 1
    expect(s.daysSinceLastActivity).toBe(1);
  });

  it('a young account measures login frequency over its own age, not 30 days', () => {
    // started 14 days ago: one user active on 7 days -> 7 / 1 / (14/7) = 3.5 days a week
    const young = account({ startDate: new Date(now.getTime() - 14 * DAY_MS).toISOString() });
    const days = [0, 2, 4, 6, 8, 10, 12].map((ago) => usage(ago, ['u1']));
    const s = deriveSignals(young, days, features, now);
    expect(s.loginDaysPerWeek).toBeCloseTo(3.5, 10);
    expect(s.usageGrowth).toBeUndefined(); // younger than 60 days: no prior window
  });

  it('usageGrowth compares the last 30 days with the 30 before', () => {
    // last 30 days: 6 user-days; the 30 before: 4 user-days -> 1.5
    const days = [usage(1, ['u1', 'u2']), usage(5, ['u1', 'u2', 'u3']), usage(20, ['u1']), usage(35, ['u1', 'u2']), usage(50, ['u1', 'u2'])];
    expect(deriveSignals(account(), days, features, now).usageGrowth).toBe(1.5);
  });

  it.each([
    ['no seats', { seats: undefined }, 'activeSeatRatio'],
    ['no ARR', { arr: undefined }, 'arr'],
    ['no payment status', { paymentStatus: undefined }, 'paymentStatus'],
  ] as const)('leaves out what Tend has no data for: %s -> %s undefined', (_name, over, signal) => {
    expect(deriveSignals(account(over), [usage(1, ['u1'])], features, now)[signal]).toBeUndefined();
  });

  it('no product features: featureAdoption unknown rather than 0', () => {
    expect(deriveSignals(account(), [usage(1, ['u1'])], [], now).featureAdoption).toBeUndefined();
  });

  it('passes account fields through and feeds computeScore', () => {
    const s = deriveSignals(account({ paymentStatus: 'late', strategicImportance: 'high' }), [usage(1, ['u1'])], features, now);
    expect(s).toMatchObject({ paymentStatus: 'late', strategicImportance: 'high', arr: 12_000 });
    const r = computeScore(presetModel('seed-002'), s);
    expect(r.score).toEqual(expect.any(Number));
    // usage has 4 of 4 signals, business 3 of 4 (no growth yet), engagement and sentiment none:
    // (40 * 1 + 15 * 0.75) / 100 = 0.5125 -> 0.51
    expect(r.coverage).toBe(0.51);
  });
});

describe('configurable windows', () => {
  it('measure login frequency and seats over the configured days', () => {
    // u1 active 3 and 20 days ago. Frequency over 7 days: 1 user-day / 1 user / 1 week = 1;
    // over 28 days: 2 / 1 / 4 weeks = 0.5. Seats active over 10 days: 1 of 10; over 30: 1 of 10 too.
    const days = [usage(3, ['u1']), usage(20, ['u1', 'u2'])];
    const short = deriveSignals(account(), days, features, now, { usageDays: 10, frequencyDays: 7 });
    const long = deriveSignals(account(), days, features, now, { usageDays: 30, frequencyDays: 28 });
    expect(short.loginDaysPerWeek).toBeCloseTo(1, 10);
    expect(long.loginDaysPerWeek).toBeCloseTo(3 / 2 / 4, 10);
    expect(short.activeSeatRatio).toBe(0.1);
    expect(long.activeSeatRatio).toBe(0.2);
  });
});

describe('time in product, API usage and training', () => {
  it('count the longest report of each session, API days against the period before, and distinct courses done', () => {
    // Two sessions of u1 (reported at 600 s then 900 s; and 1,200 s) and one of u2 (300 s): 900 + 1,200 + 300 = 2,400 s = 40 min,
    // over 2 active users and 30/7 weeks -> 40 / 2 / (30/7) = 4.67 minutes per user a week.
    const days = [
      { ...usage(2, ['u1', 'u2']), sessionSeconds: ['u1|s1|600', 'u1|s1|900', 'u2|s9|300'], apiUsers: ['u1'] },
      { ...usage(5, ['u1']), sessionSeconds: ['u1|s2|1200'], apiUsers: ['u1'] },
      { ...usage(40, ['u1']), apiUsers: ['u1'] },
    ];
    const a = account({ trainingsCompleted: ['u1|getting-started', 'u2|getting-started', 'u1|dashboards-101', 'u1|retired-course'] } as never);
    const s = deriveSignals(a, days, features, now, { usageDays: 30, frequencyDays: 14 }, ['getting-started', 'dashboards-101', 'admin-essentials']);
    expect(s.minutesPerUserWeek).toBeCloseTo(40 / 2 / (30 / 7), 10);
    // API days: 2 in the last 30, 1 in the 30 before -> 2.
    expect(s.apiUsageTrend).toBe(2);
    expect(s.trainingCompletion).toBeCloseTo(2 / 3, 10);
  });

  it('leave them missing without session lengths, API history or a course list', () => {
    const s = deriveSignals(account(), [usage(2, ['u1'])], features, now);
    expect(s).toMatchObject({ minutesPerUserWeek: undefined, apiUsageTrend: undefined, trainingCompletion: undefined });
  });
});
