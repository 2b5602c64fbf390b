import { DAY_MS, dayOf } from '../clock.ts';
import type { Account, UsageDay } from '../types.ts';
import type { SignalValues } from './model.ts';
import { MIN_EMAILS_SENT } from './email-engagement.ts';

export const WINDOW_DAYS = 30;
/** Login frequency looks at the last two weeks: recent enough to fall when usage stops, long enough to ride out a weekend. */
export const FREQUENCY_DAYS = 14;

/** The look-back windows of the usage signals (config `scoring.windows`). */
export interface UsageWindows {
  /** Active users, adoption, depth; growth compares this window with the one before. */
  usageDays: number;
  /** Login frequency. */
  frequencyDays: number;
}
export const DEFAULT_WINDOWS: UsageWindows = { usageDays: WINDOW_DAYS, frequencyDays: FREQUENCY_DAYS };

/** Usage figures over a window, shared by scoring and by the emails that quote them. */
export interface UsageSummary {
  activeUsers: number;
  seats: number;
  featuresUsed: string[];
  featuresAvailable: string[];
  userDays: number;
  lastActiveDay?: string;
  activeInLast7Days: boolean;
}

/** Recent activity, for the flags: the last 7 days against the 7 before, and the last 30 days' reach. */
export interface ActivityFacts {
  activeInLast7Days: boolean;
  userDaysLast7: number;
  userDaysPrior7: number;
  weeklyActiveUsers: number;
  premiumFeaturesUsed: number;
  departmentsActive: number;
}

/** Figures of one window ending today: [from, tomorrow). */
interface WindowTotals {
  from: string;
  userDays: number;
  lastActiveDay?: string;
  /** Active on a day of the last 7 that is also in this window. */
  activeInLast7Days: boolean;
}

/** The first day of each window (and tomorrow, where they all end) for a time and windows. */
function boundaries(t: number, usageDays: number, frequencyDays: number) {
  const at = (back: number) => dayOf(t - back * DAY_MS);
  return {
    end: at(-1),
    usageFrom: at(usageDays),
    monthFrom: at(WINDOW_DAYS),
    priorFrom: at(2 * usageDays),
    recentFrom: at(frequencyDays - 1),
    weekFrom: at(6),
    priorWeekFrom: at(13),
    activityFrom: at(WINDOW_DAYS - 1),
    apiNowFrom: at(usageDays - 1),
    apiBeforeFrom: at(2 * usageDays - 1),
  };
}

// A batch scores every account on the same day (and a week before it): the day strings are
// worked out once per day, not per account. Boundaries depend on the day only, not the hour.
const recentBoundaries = new Map<string, ReturnType<typeof boundaries>>();
function boundariesOf(now: Date, usageDays: number, frequencyDays: number) {
  const t = now.getTime();
  const key = `${Math.floor(t / DAY_MS)}|${usageDays}|${frequencyDays}`;
  let found = recentBoundaries.get(key);
  if (!found) {
    if (recentBoundaries.size >= 8) recentBoundaries.clear();
    recentBoundaries.set(key, (found = boundaries(t, usageDays, frequencyDays)));
  }
  return found;
}

/**
 * Everything the usage signals need, from ONE pass over the days, newest first. Every window ends
 * today, so the distinct users of a window are those seen by the time the pass leaves it: one
 * growing set, its size noted at each window's first day, replaces a set per window. A feature
 * is in a window when the latest day it was seen is.
 */
function scan(days: UsageDay[], now: Date, usageDays: number, frequencyDays: number) {
  const { end, usageFrom, monthFrom, priorFrom, recentFrom, weekFrom, priorWeekFrom, activityFrom, apiNowFrom, apiBeforeFrom } = boundariesOf(
    now,
    usageDays,
    frequencyDays,
  );
  const usage: WindowTotals = { from: usageFrom, userDays: 0, activeInLast7Days: false };
  const month: WindowTotals = usageFrom === monthFrom ? usage : { from: monthFrom, userDays: 0, activeInLast7Days: false };
  const totals = usage === month ? [usage] : [usage, month];
  const distinctFrom = [usage.from, month.from, recentFrom, weekFrom, activityFrom].reduce((a, b) => (a < b ? a : b));
  const seen = new Set<string>();
  // Window starts, newest first, and the distinct users seen from each on.
  const starts = [...new Set([usage.from, month.from, recentFrom, weekFrom])].sort().reverse();
  const usersFrom = new Map<string, number>();
  let next = 0;
  const featureSeen = new Map<string, string>();
  const longest = new Map<string, number>();
  let timedDays = false;
  const departments = new Set<string>();
  const sent = new Set<string>();
  const engaged = new Set<string>();
  const s = {
    userFeatureDays: 0,
    priorUserDays: 0,
    recentUserDays: 0,
    sessionDays: 0,
    sessions: 0,
    userDaysLast7: 0,
    userDaysPrior7: 0,
    activeLast7: false,
    apiNow: 0,
    apiBefore: 0,
  };
  // Rollups arrive oldest first (sort key order): reversing that is linear for the sort.
  const newestFirst = [...days].sort((a, b) => (a.day < b.day ? 1 : a.day > b.day ? -1 : 0));
  for (const d of newestFirst) {
    const day = d.day;
    if (day >= end) continue;
    while (next < starts.length && day < starts[next]!) usersFrom.set(starts[next++]!, seen.size);
    const active = d.users.length;
    // Distinct users and features are only counted in windows that end today: older days (the
    // prior window of growth) need sums only, and skipping them halves the hashing.
    if (day >= distinctFrom) {
      for (const u of d.users) seen.add(u);
      for (const f of d.features) if ((featureSeen.get(f) ?? '') < day) featureSeen.set(f, day);
    }
    const api = (d.apiUsers?.length ?? 0) > 0;
    if (day >= priorFrom && day < usage.from) s.priorUserDays += active;
    if (api && day >= apiBeforeFrom && day < apiNowFrom) s.apiBefore++;
    if (api && day >= apiNowFrom) s.apiNow++;
    if (day >= recentFrom) s.recentUserDays += active;
    if (day >= weekFrom) {
      s.userDaysLast7 += active;
      if (active > 0) s.activeLast7 = true;
    } else if (day >= priorWeekFrom) s.userDaysPrior7 += active;
    if (day >= activityFrom && d.departments) for (const x of d.departments) departments.add(x);
    for (const w of totals) {
      if (day < w.from) continue;
      w.userDays += active;
      if (active > 0 && (w.lastActiveDay === undefined || day > w.lastActiveDay)) w.lastActiveDay = day;
      if (active > 0 && day >= weekFrom) w.activeInLast7Days = true;
    }
    if (day < usage.from) continue;
    s.userFeatureDays += d.userFeatures.length;
    if (d.sessions !== undefined) {
      s.sessionDays++;
      s.sessions += d.sessions.length;
    }
    if (d.sessionSeconds) timedDays = true;
    if (d.emailsSent) for (const id of d.emailsSent) sent.add(id);
    for (const ids of [d.emailsOpened, d.emailsClicked, d.emailsReplied]) if (ids) for (const id of ids) engaged.add(id);
  }
  while (next < starts.length) usersFrom.set(starts[next++]!, seen.size);
  // Session lengths in the days' own order, so their sum adds up in the same order as it always did
  // (durations need not be whole seconds). Only products that send session ids have any.
  if (timedDays) {
    for (const d of days) {
      if (!d.sessionSeconds || d.day < usage.from || d.day >= end) continue;
      for (const entry of d.sessionSeconds) {
        const cut = entry.lastIndexOf('|');
        const session = entry.slice(0, cut);
        const seconds = Number(entry.slice(cut + 1));
        const before = longest.get(session);
        // Math.max semantics, NaN included: a malformed entry poisons its session as it always did.
        longest.set(session, before === undefined ? Math.max(0, seconds) : Math.max(before, seconds));
      }
    }
  }
  const usersSince = (from: string) => usersFrom.get(from)!;
  const featuresSince = (from: string, among: string[]) => among.filter((f) => (featureSeen.get(f) ?? '') >= from);
  let engagedSent = 0;
  for (const id of engaged) if (sent.has(id)) engagedSent++;
  return { ...s, usage, month, longest, departments, sent: sent.size, engagedSent, usersSince, featuresSince, recentFrom, weekFrom, activityFrom };
}

type Scan = ReturnType<typeof scan>;

function summaryOf(account: Pick<Account, 'seats'>, x: Scan, w: WindowTotals, features: string[]): UsageSummary {
  const activeUsers = x.usersSince(w.from);
  return {
    activeUsers,
    seats: account.seats ?? Math.max(activeUsers, 1),
    featuresUsed: x.featuresSince(w.from, features),
    featuresAvailable: features,
    userDays: w.userDays,
    lastActiveDay: w.lastActiveDay,
    activeInLast7Days: w.activeInLast7Days,
  };
}

function activityOf(x: Scan, premiumFeatures: string[]): ActivityFacts {
  return {
    activeInLast7Days: x.activeLast7,
    userDaysLast7: x.userDaysLast7,
    userDaysPrior7: x.userDaysPrior7,
    weeklyActiveUsers: x.usersSince(x.weekFrom),
    premiumFeaturesUsed: x.featuresSince(x.activityFrom, premiumFeatures).length,
    departmentsActive: x.departments.size,
  };
}

function signalsOf(account: Account, x: Scan, u: UsageSummary, features: string[], now: Date, windows: UsageWindows, trainingCourses: string[]): SignalValues {
  const { usageDays, frequencyDays: frequencyWindow } = windows;
  const ageDays = Math.max(1, Math.floor((now.getTime() - new Date(account.startDate).getTime()) / DAY_MS));
  const windowDays = Math.min(usageDays, ageDays);
  const lastActive = u.lastActiveDay ?? dayOf(new Date(account.startDate));
  const recentUsers = x.usersSince(x.recentFrom);
  const frequencyDays = Math.min(frequencyWindow, ageDays);
  const weeklyUsers = x.usersSince(x.weekFrom);
  let longestTotal = 0;
  for (const v of x.longest.values()) longestTotal += v;
  return {
    loginDaysPerWeek: recentUsers === 0 ? 0 : x.recentUserDays / recentUsers / (frequencyDays / 7),
    featureAdoption: features.length === 0 ? undefined : u.featuresUsed.length / features.length,
    activeSeatRatio: account.seats ? u.activeUsers / account.seats : undefined,
    usageDepth: u.userDays === 0 ? undefined : x.userFeatureDays / u.userDays,
    daysSinceLastActivity: Math.max(0, Math.floor((now.getTime() - new Date(lastActive).getTime()) / DAY_MS)),
    usageGrowth: ageDays >= 2 * usageDays && x.priorUserDays > 0 ? u.userDays / x.priorUserDays : undefined,
    weeklyActiveSeatRatio: account.seats ? weeklyUsers / account.seats : undefined,
    // Only products that send session ids have this signal; the rest leave it missing.
    sessionsPerUserWeek: x.sessionDays === 0 || u.activeUsers === 0 ? undefined : x.sessions / u.activeUsers / (windowDays / 7),
    minutesPerUserWeek: x.longest.size === 0 || u.activeUsers === 0 ? undefined : longestTotal / 60 / u.activeUsers / (windowDays / 7),
    apiUsageTrend: x.apiBefore > 0 && ageDays >= 2 * usageDays ? x.apiNow / x.apiBefore : undefined,
    trainingCompletion: trainingCourses.length
      ? new Set((account.trainingsCompleted ?? []).map((t) => t.slice(t.indexOf('|') + 1)).filter((c) => trainingCourses.includes(c))).size /
        trainingCourses.length
      : undefined,
    emailEngagement: x.sent < MIN_EMAILS_SENT ? undefined : x.engagedSent / x.sent,
    daysToRenewal: account.renewalDate ? Math.floor((new Date(account.renewalDate).getTime() - now.getTime()) / DAY_MS) : undefined,
    arr: account.arr,
    paymentStatus: account.paymentStatus,
    strategicImportance: account.strategicImportance,
  };
}

export interface DeriveOptions {
  windows?: UsageWindows;
  trainingCourses?: string[];
  premiumFeatures?: string[];
}

/**
 * What scoring takes from usage, from one pass over the days: the raw signal values for the
 * model, the activity facts for the flags, and the 30-day summary (first value, emails).
 */
export function deriveUsage(account: Account, days: UsageDay[], features: string[], now: Date, options: DeriveOptions = {}) {
  const windows = options.windows ?? DEFAULT_WINDOWS;
  const x = scan(days, now, windows.usageDays, windows.frequencyDays);
  const u = summaryOf(account, x, x.usage, features);
  return {
    signals: signalsOf(account, x, u, features, now, windows, options.trainingCourses ?? []),
    activity: activityOf(x, options.premiumFeatures ?? []),
    summary: x.month === x.usage ? u : summaryOf(account, x, x.month, features),
  };
}

export function summariseUsage(account: Pick<Account, 'seats'>, days: UsageDay[], features: string[], now: Date, usageDays = WINDOW_DAYS): UsageSummary {
  const x = scan(days, now, usageDays, FREQUENCY_DAYS);
  return summaryOf(account, x, x.usage, features);
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
  return deriveUsage(account, days, features, now, { windows, trainingCourses }).signals;
}

/** Recent activity, for the flags: the last 7 days against the 7 before, and the last 30 days' reach. */
export function activityFacts(days: UsageDay[], now: Date, premiumFeatures: string[] = []): ActivityFacts {
  return activityOf(scan(days, now, WINDOW_DAYS, FREQUENCY_DAYS), premiumFeatures);
}
