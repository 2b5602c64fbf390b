/** The multi-pass derive as it was before the single pass (kept only as the oracle of tests/unit/derive-single-pass.test.ts). */
import { DAY_MS, dayOf } from '../../../functions/core/clock.ts';
import type { Account, UsageDay } from '../../../functions/core/types.ts';
import type { SignalValues } from '../../../functions/core/score/model.ts';
import { emailEngagement } from '../../../functions/core/score/email-engagement.ts';
import { DEFAULT_WINDOWS, type UsageSummary, type UsageWindows } from '../../../functions/core/score/derive.ts';

// The windows and the summary's shape are the live module's: only the computation is the old one.
const { usageDays: WINDOW_DAYS } = DEFAULT_WINDOWS;

function inRange(days: UsageDay[], fromMs: number, toMs: number) {
  const from = dayOf(fromMs);
  const to = dayOf(toMs);
  return days.filter((d) => d.day >= from && d.day < to);
}

export function summariseUsage(account: Pick<Account, 'seats'>, days: UsageDay[], features: string[], now: Date, usageDays = WINDOW_DAYS): UsageSummary {
  const window = inRange(days, now.getTime() - usageDays * DAY_MS, now.getTime() + DAY_MS);
  const users = new Set(window.flatMap((d) => d.users));
  const used = new Set(window.flatMap((d) => d.features));
  const active = window
    .filter((d) => d.users.length > 0)
    .map((d) => d.day)
    .sort();
  return {
    activeUsers: users.size,
    seats: account.seats ?? Math.max(users.size, 1),
    featuresUsed: features.filter((f) => used.has(f)),
    featuresAvailable: features,
    userDays: window.reduce((s, d) => s + d.users.length, 0),
    lastActiveDay: active[active.length - 1],
    activeInLast7Days: inRange(window, now.getTime() - 6 * DAY_MS, now.getTime() + DAY_MS).some((d) => d.users.length > 0),
  };
}

/**
 * Raw signal values for the score model, from what Tend stores. A signal Tend has no data for
 * is left out (undefined), and the model re-weights over the rest and reports lower coverage.
 */
export function deriveSignals(
  account: Account,
  days: UsageDay[],
  features: string[],
  now: Date,
  windows: UsageWindows = DEFAULT_WINDOWS,
  trainingCourses: string[] = [],
): SignalValues {
  const { usageDays, frequencyDays: frequencyWindow } = windows;
  const u = summariseUsage(account, days, features, now, usageDays);
  const ageDays = Math.max(1, Math.floor((now.getTime() - new Date(account.startDate).getTime()) / DAY_MS));
  const windowDays = Math.min(usageDays, ageDays);
  const window = inRange(days, now.getTime() - usageDays * DAY_MS, now.getTime() + DAY_MS);
  const userFeatureDays = window.reduce((s, d) => s + d.userFeatures.length, 0);
  const prior = inRange(days, now.getTime() - 2 * usageDays * DAY_MS, now.getTime() - usageDays * DAY_MS);
  const priorUserDays = prior.reduce((s, d) => s + d.users.length, 0);
  const lastActive = u.lastActiveDay ?? dayOf(new Date(account.startDate));
  const lastWeek = inRange(days, now.getTime() - 6 * DAY_MS, now.getTime() + DAY_MS);
  const recent = inRange(days, now.getTime() - (frequencyWindow - 1) * DAY_MS, now.getTime() + DAY_MS);
  const recentUsers = new Set(recent.flatMap((d) => d.users)).size;
  const recentUserDays = recent.reduce((s, d) => s + d.users.length, 0);
  const frequencyDays = Math.min(frequencyWindow, ageDays);
  const weeklyUsers = new Set(lastWeek.flatMap((d) => d.users)).size;
  const sessionDays = window.filter((d) => d.sessions !== undefined);
  const longest = new Map<string, number>();
  for (const entry of window.flatMap((d) => d.sessionSeconds ?? [])) {
    const cut = entry.lastIndexOf('|');
    longest.set(entry.slice(0, cut), Math.max(longest.get(entry.slice(0, cut)) ?? 0, Number(entry.slice(cut + 1))));
  }
  const apiDays = (from: number, to: number) => inRange(days, from, to).filter((d) => (d.apiUsers?.length ?? 0) > 0).length;
  const apiNow = apiDays(now.getTime() - (usageDays - 1) * DAY_MS, now.getTime() + DAY_MS);
  const apiBefore = apiDays(now.getTime() - (2 * usageDays - 1) * DAY_MS, now.getTime() - (usageDays - 1) * DAY_MS);
  const sessions = sessionDays.reduce((s, d) => s + (d.sessions?.length ?? 0), 0);
  return {
    loginDaysPerWeek: recentUsers === 0 ? 0 : recentUserDays / recentUsers / (frequencyDays / 7),
    featureAdoption: features.length === 0 ? undefined : u.featuresUsed.length / features.length,
    activeSeatRatio: account.seats ? u.activeUsers / account.seats : undefined,
    usageDepth: u.userDays === 0 ? undefined : userFeatureDays / u.userDays,
    daysSinceLastActivity: Math.max(0, Math.floor((now.getTime() - new Date(lastActive).getTime()) / DAY_MS)),
    usageGrowth: ageDays >= 2 * usageDays && priorUserDays > 0 ? u.userDays / priorUserDays : undefined,
    weeklyActiveSeatRatio: account.seats ? weeklyUsers / account.seats : undefined,
    // Only products that send session ids have this signal; the rest leave it missing.
    sessionsPerUserWeek: sessionDays.length === 0 || u.activeUsers === 0 ? undefined : sessions / u.activeUsers / (windowDays / 7),
    minutesPerUserWeek:
      longest.size === 0 || u.activeUsers === 0 ? undefined : [...longest.values()].reduce((a, b) => a + b, 0) / 60 / u.activeUsers / (windowDays / 7),
    apiUsageTrend: apiBefore > 0 && ageDays >= 2 * usageDays ? apiNow / apiBefore : undefined,
    trainingCompletion: trainingCourses.length
      ? new Set((account.trainingsCompleted ?? []).map((t) => t.slice(t.indexOf('|') + 1)).filter((c) => trainingCourses.includes(c))).size /
        trainingCourses.length
      : undefined,
    emailEngagement: emailEngagement(window),
    daysToRenewal: account.renewalDate ? Math.floor((new Date(account.renewalDate).getTime() - now.getTime()) / DAY_MS) : undefined,
    arr: account.arr,
    paymentStatus: account.paymentStatus,
    strategicImportance: account.strategicImportance,
  };
}

/** Recent activity, for the flags: the last 7 days against the 7 before, and the last 30 days' reach. */
export function activityFacts(days: UsageDay[], now: Date, premiumFeatures: string[] = []) {
  const last7 = inRange(days, now.getTime() - 6 * DAY_MS, now.getTime() + DAY_MS);
  const last30 = inRange(days, now.getTime() - (WINDOW_DAYS - 1) * DAY_MS, now.getTime() + DAY_MS);
  const used = new Set(last30.flatMap((d) => d.features));
  const prior7 = inRange(days, now.getTime() - 13 * DAY_MS, now.getTime() - 6 * DAY_MS);
  return {
    activeInLast7Days: last7.some((d) => d.users.length > 0),
    userDaysLast7: last7.reduce((s, d) => s + d.users.length, 0),
    userDaysPrior7: prior7.reduce((s, d) => s + d.users.length, 0),
    weeklyActiveUsers: new Set(last7.flatMap((d) => d.users)).size,
    premiumFeaturesUsed: premiumFeatures.filter((f) => used.has(f)).length,
    departmentsActive: new Set(last30.flatMap((d) => d.departments ?? [])).size,
  };
}
