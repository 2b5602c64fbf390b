import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { evaluateFlags, upsellBlocked, DEFAULT_FLAG_THRESHOLDS, FLAG_RULES, type ActiveFlag, type FlagFacts } from '../../functions/core/flags/rules.ts';
import { matchesPattern } from '../../local/eventbridge.ts';

const now = new Date('2026-06-30T06:00:00Z');
const facts = (over: Partial<FlagFacts> = {}): FlagFacts => ({
  now,
  startDate: '2025-06-01T00:00:00Z',
  seats: 10,
  paymentStatus: 'current',
  activeInLast7Days: true,
  userDaysLast7: 30,
  userDaysPrior7: 30,
  activeSeatRatio: 0.8,
  weeklyActiveUsers: 6,
  tierRank: 0,
  bestRecentTierRank: 0,
  fallingFast: false,
  change30d: 2,
  ticketsLast7Days: 0,
  openComplaints: 0,
  premiumFeaturesUsed: 0,
  departmentsActive: 1,
  championLeft: false,
  sponsorLeft: false,
  ...over,
});
const active = (f: FlagFacts) => Object.keys(evaluateFlags(f, undefined).active).sort();

describe('at-risk and expansion flags', () => {
  it.each([
    ['a healthy, stable account', facts(), ['strong-stable-health']],
    ['no login in 7 days', facts({ activeInLast7Days: false, userDaysLast7: 0, tierRank: 1 }), ['no-login-7d', 'tier-dropped', 'usage-drop']],
    ['usage down exactly 50%', facts({ userDaysLast7: 15, userDaysPrior7: 30, change30d: -1 }), ['usage-drop']],
    ['usage down 40% is not a drop', facts({ userDaysLast7: 18, userDaysPrior7: 30, change30d: -1 }), []],
    ['a tiny prior week is not a drop', facts({ userDaysLast7: 0, userDaysPrior7: 4, change30d: -1 }), []],
    ['renewal in 30 days while yellow', facts({ renewalDate: '2026-07-30T00:00:00Z', tierRank: 1, bestRecentTierRank: 1 }), ['renewal-near-unhealthy']],
    ['renewal in 30 days while green', facts({ renewalDate: '2026-07-30T00:00:00Z', change30d: -1 }), []],
    ['falling fast while green', facts({ fallingFast: true, change30d: -12 }), ['falling-fast']],
    ['late payment blocks every upsell', facts({ paymentStatus: 'late', weeklyActiveUsers: 10 }), ['payment-trouble']],
    ['near the seat limit', facts({ weeklyActiveUsers: 9 }), ['near-seat-limit', 'strong-stable-health']],
    ['near the seat limit but new', facts({ weeklyActiveUsers: 9, startDate: '2026-05-01T00:00:00Z' }), []],
    ['near the seat limit with an urgent ticket open', facts({ weeklyActiveUsers: 9, openComplaints: 1 }), []],
    ['premium features in use', facts({ premiumFeaturesUsed: 1 }), ['premium-interest', 'strong-stable-health']],
    ['premium features in use while struggling', facts({ premiumFeaturesUsed: 2, tierRank: 1, bestRecentTierRank: 1 }), []],
    ['three departments', facts({ departmentsActive: 3 }), ['several-departments', 'strong-stable-health']],
    ['two departments', facts({ departmentsActive: 2 }), ['strong-stable-health']],
    ['the champion left', facts({ championLeft: true, change30d: -1 }), ['champion-left']],
    ['the executive sponsor left', facts({ sponsorLeft: true, change30d: -1 }), ['sponsor-left']],
    ['two tickets in a week', facts({ ticketsLast7Days: 2 }), ['strong-stable-health', 'ticket-spike']],
    ['one ticket is no spike', facts({ ticketsLast7Days: 1 }), ['strong-stable-health']],
    ['an NPS detractor', facts({ latestNps: 6, change30d: -1 }), ['nps-detractor']],
    ['a promoter in good health', facts({ latestNps: 9 }), ['promoter', 'strong-stable-health']],
    ['a promoter in yellow is not an advocate yet', facts({ latestNps: 10, tierRank: 1, bestRecentTierRank: 1 }), []],
  ])('%s', (_, f, expected) => {
    expect(active(f)).toEqual(expected);
  });

  it('explains why an upsell is blocked', () => {
    expect(upsellBlocked(facts({ tierRank: 1 }), DEFAULT_FLAG_THRESHOLDS)).toBe('not in the top health tier');
    expect(upsellBlocked(facts({ activeSeatRatio: 0.2 }), DEFAULT_FLAG_THRESHOLDS)).toBe('usage is low');
    expect(upsellBlocked(facts(), DEFAULT_FLAG_THRESHOLDS)).toBeUndefined();
  });

  it('raises a flag once when it starts, keeps its start while it holds, clears it once', () => {
    const quiet = facts({ activeInLast7Days: false, userDaysLast7: 0, userDaysPrior7: 0, change30d: -1 });
    const day1 = evaluateFlags(quiet, undefined);
    expect(day1.changes.map((c) => `${c.change} ${c.flag}`)).toEqual(['started no-login-7d']);
    const day2 = evaluateFlags({ ...quiet, now: new Date(now.getTime() + 86_400_000) }, day1.active);
    expect(day2.changes).toEqual([]);
    expect(day2.active['no-login-7d']!.since).toBe(now.toISOString());
    const day3 = evaluateFlags(facts({ change30d: -1 }), day2.active);
    expect(day3.changes.map((c) => `${c.change} ${c.flag}`)).toEqual(['stopped no-login-7d']);
    expect(day3.active).toEqual({});
  });
});

describe('usage-drop hysteresis: raised at a 50% drop, cleared only once usage is back above 75% of the week before', () => {
  const raised = { 'usage-drop': { kind: 'risk', since: '2026-06-20T06:00:00.000Z' } } as Record<string, ActiveFlag>;
  const drop = (last: number, prior: number, previous?: Record<string, ActiveFlag>) =>
    'usage-drop' in evaluateFlags(facts({ userDaysLast7: last, userDaysPrior7: prior, change30d: -1 }), previous).active;
  it.each([
    // [case, user-days last 7, prior 7, raised before, raised after]
    ['not raised, down 40%: not raised', 18, 30, false, false],
    ['not raised, down 50%: raised', 15, 30, false, true],
    ['not raised, down 60% from a tiny week: not raised', 1, 4, false, false],
    ['raised, down 40%: kept (within the band between 50% and 25%)', 18, 30, true, true],
    ['raised, down 26%: kept', 22, 30, true, true],
    ['raised, down 25%: cleared', 22.5, 30, true, false],
    ['raised, back to the week before: cleared', 30, 30, true, false],
    ['raised, the prior week tiny and still lower: kept', 1, 4, true, true],
    ['raised, no usage either week: cleared', 0, 0, true, false],
  ])('%s', (_, last, prior, before, after) => {
    expect(drop(last, prior, before ? raised : undefined)).toBe(after);
  });

  it('a ratio wobbling between 45% and 70% of the week before raises it once and never clears it', () => {
    let active: Record<string, ActiveFlag> | undefined;
    const changes: string[] = [];
    [0.45, 0.7, 0.48, 0.66, 0.5, 0.7].forEach((ratio, day) => {
      const out = evaluateFlags(
        facts({ now: new Date(now.getTime() + day * 86_400_000), userDaysLast7: 100 * ratio, userDaysPrior7: 100, change30d: -1 }),
        active,
      );
      changes.push(...out.changes.map((c) => `${day} ${c.change} ${c.flag}`));
      active = out.active;
    });
    expect(changes).toEqual(['0 started usage-drop']);
  });

  it('raising is unchanged, every rule keeps what it raises, and a raised flag clears only when its keeping bar fails (property)', () => {
    fc.assert(
      fc.property(fc.nat({ max: 500 }), fc.nat({ max: 500 }), fc.integer({ min: 1, max: 100 }), (last, prior, usageDropPercent) => {
        const t = { ...DEFAULT_FLAG_THRESHOLDS, usageDropPercent };
        const f = facts({ userDaysLast7: last, userDaysPrior7: prior, change30d: -1 });
        const rule = FLAG_RULES['usage-drop']!;
        const fresh = 'usage-drop' in evaluateFlags(f, undefined, t).active;
        const kept = 'usage-drop' in evaluateFlags(f, raised, t).active;
        expect(fresh).toBe(rule.holds(f, t));
        if (fresh) expect(kept).toBe(true);
        expect(kept).toBe(rule.holds(f, t) || rule.keeps!(f, t));
      }),
    );
  });
});

describe('local EventBridge pattern matching', () => {
  const event = { source: 'tend', 'detail-type': 'flag.started', detail: { flag: 'no-login-7d', kind: 'risk', accountId: 'acme' } };
  it.each([
    [{ source: ['tend'] }, true],
    [{ source: ['other'] }, false],
    [{ 'detail-type': ['flag.started', 'tier.changed'], detail: { kind: ['risk'] } }, true],
    [{ detail: { flag: [{ prefix: 'no-' }] } }, true],
    [{ detail: { flag: [{ 'anything-but': 'no-login-7d' }] } }, false],
    [{ detail: { tier: [{ exists: false }] } }, true],
    [{ detail: { kind: ['expansion'] } }, false],
  ])('%j matches: %s', (pattern, expected) => {
    expect(matchesPattern(pattern, event)).toBe(expected);
  });

  it('refuses an operator it does not implement', () => {
    expect(() => matchesPattern({ detail: { score: [{ numeric: ['>', 5] }] } }, event)).toThrow(/not supported locally/);
  });
});

describe('activity facts for the expansion flags', () => {
  it('count premium features used and departments active over 30 days', async () => {
    const { activityFacts } = await import('../../functions/core/score/derive.ts');
    const day = (ago: number, over: object) => ({
      day: new Date(now.getTime() - ago * 86_400_000).toISOString().slice(0, 10),
      users: ['u1'],
      features: ['reports'],
      userFeatures: ['u1|reports'],
      ...over,
    });
    const f = activityFacts(
      [
        day(1, { features: ['sso', 'reports'], departments: ['sales'] }),
        day(10, { departments: ['finance', 'sales'] }),
        day(29, { departments: ['ops'] }),
        day(40, { features: ['forecasting'], departments: ['legal'] }),
      ],
      now,
      ['sso', 'audit-log', 'forecasting'],
    );
    expect(f).toMatchObject({ premiumFeaturesUsed: 1, departmentsActive: 3 });
  });
});
