import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DAY_MS, dayOf } from '../../functions/core/clock.ts';
import { activityFacts, deriveSignals, deriveUsage, summariseUsage } from '../../functions/core/score/derive.ts';
import type { Account, UsageDay } from '../../functions/core/types.ts';
import * as reference from './support/derive-reference.ts';

const now = new Date('2026-06-30T12:00:00Z');
const features = ['dashboards', 'reports', 'alerts', 'integrations'];
const names = (pool: string[]) => fc.uniqueArray(fc.constantFrom(...pool), { maxLength: pool.length });
const ids = fc.uniqueArray(fc.constantFrom('m1', 'm2', 'm3', 'm4', 'm5', 'm6'), { maxLength: 6 });

/** A usage day from 5 days in the future (ignored) to 75 days back; days may repeat, as a merge could. */
const usageDay: fc.Arbitrary<UsageDay> = fc
  .record({
    ago: fc.integer({ min: -5, max: 75 }),
    users: names(['u1', 'u2', 'u3', 'u4', 'u5', 'u6', 'u7']),
    features: names([...features, 'beta-lab']),
    sessions: fc.option(names(['s1', 's2', 's3']), { nil: undefined }),
    seconds: fc.option(
      fc.array(
        fc.tuple(fc.constantFrom('u1|s1', 'u2|s2', 'u1|s3'), fc.oneof(fc.integer({ min: 0, max: 7200 }), fc.double({ min: 0, max: 7200, noNaN: true }))),
        { maxLength: 4 },
      ),
      { nil: undefined },
    ),
    apiUsers: fc.option(names(['u1', 'u2']), { nil: undefined }),
    departments: fc.option(names(['sales', 'ops', 'eng']), { nil: undefined }),
    emailsSent: fc.option(ids, { nil: undefined }),
    emailsOpened: fc.option(ids, { nil: undefined }),
    emailsClicked: fc.option(ids, { nil: undefined }),
    emailsReplied: fc.option(ids, { nil: undefined }),
  })
  .map(({ ago, users, seconds, ...rest }) => ({
    day: dayOf(now.getTime() - ago * DAY_MS),
    users,
    userFeatures: users.flatMap((u, i) => rest.features.slice(0, i % 3).map((f) => `${u}|${f}`)),
    sessionSeconds: seconds?.map(([s, n]) => `${s}|${n}`),
    ...rest,
  }));

const account: fc.Arbitrary<Account> = fc
  .record({
    seats: fc.option(fc.integer({ min: 1, max: 12 }), { nil: undefined }),
    startAgo: fc.integer({ min: 0, max: 200 }),
    renewalIn: fc.option(fc.integer({ min: -30, max: 400 }), { nil: undefined }),
    trainings: fc.array(fc.constantFrom('u1|intro', 'u2|admin', 'u1|other'), { maxLength: 3 }),
  })
  .map(
    ({ seats, startAgo, renewalIn, trainings }) =>
      ({
        id: 'acme',
        name: 'Acme',
        seats,
        arr: 12_000,
        status: 'active',
        segment: 'medium-touch',
        startDate: new Date(now.getTime() - startAgo * DAY_MS).toISOString(),
        renewalDate: renewalIn === undefined ? undefined : new Date(now.getTime() + renewalIn * DAY_MS).toISOString(),
        trainingsCompleted: trainings,
        paymentStatus: 'current',
        primaryContact: { email: 'ana@acme.example', name: 'Ana' },
        createdAt: '2026-01-01T00:00:00Z',
        updatedAt: '2026-01-01T00:00:00Z',
      }) as Account,
  );

const windows = fc.oneof(fc.constant(undefined), fc.record({ usageDays: fc.integer({ min: 1, max: 40 }), frequencyDays: fc.integer({ min: 1, max: 30 }) }));

function sameAsReference(a: Account, days: UsageDay[], w: { usageDays: number; frequencyDays: number } | undefined, hour: number) {
  const at = new Date(now.getTime() + hour * 3_600_000);
  const courses = ['intro', 'admin'];
  expect(deriveSignals(a, days, features, at, w, courses)).toEqual(reference.deriveSignals(a, days, features, at, w, courses));
  expect(activityFacts(days, at, ['alerts', 'beta-lab'])).toEqual(reference.activityFacts(days, at, ['alerts', 'beta-lab']));
  expect(summariseUsage(a, days, features, at, w?.usageDays)).toEqual(reference.summariseUsage(a, days, features, at, w?.usageDays));
  const all = deriveUsage(a, days, features, at, { windows: w, trainingCourses: courses, premiumFeatures: ['alerts'] });
  expect(all.summary).toEqual(reference.summariseUsage(a, days, features, at));
  expect(all.activity).toEqual(reference.activityFacts(days, at, ['alerts']));
}

describe('single-pass derive = the multi-pass derive it replaced', () => {
  it('same signals, activity facts and summaries on generated usage', () => {
    fc.assert(fc.property(account, fc.array(usageDay, { maxLength: 70 }), windows, fc.integer({ min: 0, max: 23 }), sameAsReference), { numRuns: 400 });
  });

  // Days as the store returns them, oldest first (repeated days included): the scan reads those
  // backwards instead of sorting a copy.
  it('the same on days sorted oldest first', () => {
    const sorted = fc.array(usageDay, { maxLength: 70 }).map((days) => [...days].sort((x, y) => (x.day < y.day ? -1 : x.day > y.day ? 1 : 0)));
    fc.assert(fc.property(account, sorted, windows, fc.integer({ min: 0, max: 23 }), sameAsReference), { numRuns: 400 });
  });
});
