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
  /** `from`'s rank among the boundaries (see `boundaries`). */
  fromRank: number;
  userDays: number;
  lastActiveDay?: string;
  /** Active on a day of the last 7 that is also in this window. */
  activeInLast7Days: boolean;
}

/** The first day of each window (and tomorrow, where they all end) for a time and windows. */
function boundaries(t: number, usageDays: number, frequencyDays: number) {
  const at = (back: number) => dayOf(t - back * DAY_MS);
  const b = {
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
  // The windows whose distinct users are counted, their first days newest first (deduplicated).
  const starts = [...new Set([b.usageFrom, b.monthFrom, b.recentFrom, b.weekFrom])].sort().reverse();
  const distinctFrom = [b.usageFrom, b.monthFrom, b.recentFrom, b.weekFrom, b.activityFrom].reduce((x, y) => (x < y ? x : y));
  // Every boundary, newest first. A day's rank is how many of them come after it: `day >= x` is
  // `rank <= rankOf(x)`, so the scan compares one day string per boundary it crosses, not ~15 a day.
  const ranked = [...new Set([...Object.values(b), distinctFrom])].sort().reverse();
  const rankOf = (day: string) => ranked.indexOf(day);
  const rank = {
    end: rankOf(b.end),
    usageFrom: rankOf(b.usageFrom),
    monthFrom: rankOf(b.monthFrom),
    priorFrom: rankOf(b.priorFrom),
    recentFrom: rankOf(b.recentFrom),
    weekFrom: rankOf(b.weekFrom),
    priorWeekFrom: rankOf(b.priorWeekFrom),
    activityFrom: rankOf(b.activityFrom),
    apiNowFrom: rankOf(b.apiNowFrom),
    apiBeforeFrom: rankOf(b.apiBeforeFrom),
    distinctFrom: rankOf(distinctFrom),
    starts: starts.map(rankOf),
  };
  return { ...b, starts, distinctFrom, ranked, rank };
}

// A batch scores every account on the same day (and a week before it): the day strings are
// worked out once per day, not per account. Boundaries depend on the day only, not the hour.
// The few recent ones are searched by their numbers: no key string is built per account.
type Boundaries = ReturnType<typeof boundaries>;
const recentBoundaries: { dayNumber: number; usageDays: number; frequencyDays: number; found: Boundaries }[] = [];
function boundariesOf(now: Date, usageDays: number, frequencyDays: number): Boundaries {
  const t = now.getTime();
  const dayNumber = Math.floor(t / DAY_MS);
  for (const r of recentBoundaries) if (r.dayNumber === dayNumber && r.usageDays === usageDays && r.frequencyDays === frequencyDays) return r.found;
  if (recentBoundaries.length >= 8) recentBoundaries.length = 0;
  const found = boundaries(t, usageDays, frequencyDays);
  recentBoundaries.push({ dayNumber, usageDays, frequencyDays, found });
  return found;
}

/**
 * The days newest first, without copying when they arrive sorted. Rollups arrive oldest first
 * (sort key order): those are read backwards. Days of the same date may then come in another
 * order than a stable sort gives; nothing the scan computes depends on that order (counts, sets,
 * latest days). Any other order is sorted, as a copy.
 */
function newestFirst(days: UsageDay[]): { list: UsageDay[]; backwards: boolean } {
  let ascending = true;
  for (let i = 1; i < days.length && ascending; i++) ascending = days[i - 1]!.day <= days[i]!.day;
  if (ascending) return { list: days, backwards: true };
  return { list: [...days].sort((a, b) => (a.day < b.day ? 1 : a.day > b.day ? -1 : 0)), backwards: false };
}

/** Adds ids to a set, made when the first id comes. */
function addAll(set: Set<string> | undefined, ids: string[] | undefined): Set<string> | undefined {
  if (!ids || ids.length === 0) return set;
  set ??= new Set<string>();
  for (let i = 0; i < ids.length; i++) set.add(ids[i]!);
  return set;
}

/**
 * Everything the usage signals need, from ONE pass over the days, newest first. Every window ends
 * today, so the distinct users of a window are those seen by the time the pass leaves it: one
 * growing set, its size noted at each window's first day, replaces a set per window. A feature
 * is in a window when the latest day it was seen is.
 *
 * This runs for every account twice a scoring (today and a week back): it is written as plain
 * loops over indices and counters, with no per-day arrays or closures (see bench/run.ts).
 */
function scan(days: UsageDay[], now: Date, usageDays: number, frequencyDays: number) {
  const b = boundariesOf(now, usageDays, frequencyDays);
  const { end, usageFrom, starts, ranked, rank } = b;
  const usage: WindowTotals = { from: usageFrom, fromRank: rank.usageFrom, userDays: 0, activeInLast7Days: false };
  const month: WindowTotals = usageFrom === b.monthFrom ? usage : { from: b.monthFrom, fromRank: rank.monthFrom, userDays: 0, activeInLast7Days: false };
  const seen = new Set<string>();
  // The distinct users seen from each of `starts` on (same index).
  const usersFrom: number[] = [];
  const featureSeen = new Map<string, string>();
  let timedDays = false;
  // Most accounts send no departments nor emails: their sets are made on first use.
  let departments: Set<string> | undefined;
  let sent: Set<string> | undefined;
  let engaged: Set<string> | undefined;
  let userFeatureDays = 0;
  let priorUserDays = 0;
  let recentUserDays = 0;
  let sessionDays = 0;
  let sessions = 0;
  let userDaysLast7 = 0;
  let userDaysPrior7 = 0;
  let activeLast7 = false;
  let apiNow = 0;
  let apiBefore = 0;
  const { list, backwards } = newestFirst(days);
  const n = list.length;
  // The day's rank (see `boundaries`): newest first, it only grows.
  let r = 0;
  for (let k = 0; k < n; k++) {
    const d = list[backwards ? n - 1 - k : k]!;
    const day = d.day;
    while (r < ranked.length && day < ranked[r]!) r++;
    if (r <= rank.end) continue;
    while (usersFrom.length < starts.length && r > rank.starts[usersFrom.length]!) usersFrom.push(seen.size);
    const users = d.users;
    const active = users.length;
    // Distinct users and features are only counted in windows that end today: older days (the
    // prior window of growth) need sums only, and skipping them halves the hashing.
    if (r <= rank.distinctFrom) {
      for (let i = 0; i < active; i++) seen.add(users[i]!);
      // Newest first: the first day a feature is met is the latest it was used.
      const features = d.features;
      for (let i = 0; i < features.length; i++) if (!featureSeen.has(features[i]!)) featureSeen.set(features[i]!, day);
    }
    const api = (d.apiUsers?.length ?? 0) > 0;
    if (r <= rank.priorFrom && r > rank.usageFrom) priorUserDays += active;
    if (api && r <= rank.apiBeforeFrom && r > rank.apiNowFrom) apiBefore++;
    if (api && r <= rank.apiNowFrom) apiNow++;
    if (r <= rank.recentFrom) recentUserDays += active;
    if (r <= rank.weekFrom) {
      userDaysLast7 += active;
      if (active > 0) activeLast7 = true;
    } else if (r <= rank.priorWeekFrom) userDaysPrior7 += active;
    if (r <= rank.activityFrom) departments = addAll(departments, d.departments);
    addTo(usage, day, r, active, rank.weekFrom);
    if (month !== usage) addTo(month, day, r, active, rank.weekFrom);
    if (r > rank.usageFrom) continue;
    userFeatureDays += d.userFeatures.length;
    if (d.sessions !== undefined) {
      sessionDays++;
      sessions += d.sessions.length;
    }
    if (d.sessionSeconds) timedDays = true;
    sent = addAll(sent, d.emailsSent);
    engaged = addAll(engaged, d.emailsOpened);
    engaged = addAll(engaged, d.emailsClicked);
    engaged = addAll(engaged, d.emailsReplied);
  }
  while (usersFrom.length < starts.length) usersFrom.push(seen.size);
  let engagedSent = 0;
  if (engaged && sent) for (const id of engaged) if (sent.has(id)) engagedSent++;
  return {
    userFeatureDays,
    priorUserDays,
    recentUserDays,
    sessionDays,
    sessions,
    userDaysLast7,
    userDaysPrior7,
    activeLast7,
    apiNow,
    apiBefore,
    usage,
    month,
    longest: timedDays ? longestSessions(days, usageFrom, end) : undefined,
    departments: departments?.size ?? 0,
    sent: sent?.size ?? 0,
    engagedSent,
    usersSince: (from: string) => usersFrom[starts.indexOf(from)]!,
    featuresSince: (from: string, among: string[]) => among.filter((f) => (featureSeen.get(f) ?? '') >= from),
    recentFrom: b.recentFrom,
    weekFrom: b.weekFrom,
    activityFrom: b.activityFrom,
  };
}

/** Adds a day (of rank `r`) to a window's totals when it falls in the window. Newest first: the first active day is the latest. */
function addTo(w: WindowTotals, day: string, r: number, active: number, weekRank: number) {
  if (r > w.fromRank) return;
  w.userDays += active;
  if (active > 0 && w.lastActiveDay === undefined) w.lastActiveDay = day;
  if (active > 0 && r <= weekRank) w.activeInLast7Days = true;
}

/**
 * The longest length seen of each session, in the days' own order, so their sum adds up in the
 * same order as it always did (durations need not be whole seconds). Only products that send
 * session ids have any.
 */
function longestSessions(days: UsageDay[], from: string, end: string) {
  const longest = new Map<string, number>();
  for (const d of days) {
    if (!d.sessionSeconds || d.day < from || d.day >= end) continue;
    for (const entry of d.sessionSeconds) {
      const cut = entry.lastIndexOf('|');
      const session = entry.slice(0, cut);
      const seconds = Number(entry.slice(cut + 1));
      const before = longest.get(session);
      // Math.max semantics, NaN included: a malformed entry poisons its session as it always did.
      longest.set(session, before === undefined ? Math.max(0, seconds) : Math.max(before, seconds));
    }
  }
  return longest;
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
    departmentsActive: x.departments,
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
  if (x.longest) for (const v of x.longest.values()) longestTotal += v;
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
    minutesPerUserWeek: !x.longest || x.longest.size === 0 || u.activeUsers === 0 ? undefined : longestTotal / 60 / u.activeUsers / (windowDays / 7),
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
