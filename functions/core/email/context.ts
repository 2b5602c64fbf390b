import { DAY_MS, dayOf } from '../clock.ts';
import type { TendConfig } from '../config.ts';
import { summariseUsage, type UsageSummary } from '../score/derive.ts';
import type { TemplateContext } from '../templates/render.ts';
import type { Account, UsageDay } from '../types.ts';

/** Days of usage an email reads: 60 for the month-on-month trend, 365 for the renewal emails' year. */
export const CONTEXT_DAYS = 60;
export const YEAR_DAYS = 365;

/** Usage days loaded once for a step: every stored day from `from` to today, passed down to whatever needs them. */
export interface LoadedUsage {
  from: string;
  days: UsageDay[];
}

/** The first day of usage an email quotes: 60 days back, a year back for a template that quotes the year. */
export const emailUsageFrom = (now: Date, withYear: boolean) => dayOf(now.getTime() - ((withYear ? YEAR_DAYS : CONTEXT_DAYS) - 1) * DAY_MS);

/** The days an email quotes, cut from a larger loaded window (exactly what it would have read itself). */
export function emailUsage(usage: LoadedUsage, now: Date, withYear: boolean): UsageDay[] {
  const from = emailUsageFrom(now, withYear);
  if (usage.from > from) throw new Error(`the email needs usage from ${from}; the step loaded it from ${usage.from}`);
  return usage.days.filter((d) => d.day >= from);
}

/** A feature the account has not used yet, to suggest; the first feature when it used them all. */
export function suggestFeature(usage: UsageSummary): string {
  return usage.featuresAvailable.find((f) => !usage.featuresUsed.includes(f)) ?? usage.featuresAvailable[0] ?? 'the dashboard';
}

// Made on first use: a process's first Intl.DateTimeFormat loads ICU data (~12 ms), which the
// Plays Steps bundle paid at every cold start, email or not, when these were built at module load.
let formats: { longDate: Intl.DateTimeFormat; monthName: Intl.DateTimeFormat } | undefined;
const dateFormats = () =>
  (formats ??= {
    longDate: new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }),
    monthName: new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' }),
  });

/** `a, b and c`. */
export function listOf(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

const userDaysBetween = (days: UsageDay[], from: string, to: string) => days.filter((d) => d.day >= from && d.day < to).reduce((s, d) => s + d.users.length, 0);

/** Month-on-month use in words; never empty, so a template can always quote it. */
export function trendOf(days: UsageDay[], now: Date): string {
  const end = dayOf(now.getTime() + DAY_MS);
  const mid = dayOf(now.getTime() - 29 * DAY_MS);
  const start = dayOf(now.getTime() - 59 * DAY_MS);
  const current = userDaysBetween(days, mid, end);
  const prior = userDaysBetween(days, start, mid);
  if (prior === 0) return current === 0 ? 'flat' : 'up from nothing';
  const change = Math.round((current / prior - 1) * 100);
  if (Math.abs(change) < 5) return 'steady';
  return change > 0 ? `up ${change}%` : `down ${-change}%`;
}

function yearFigures(days: UsageDay[], now: Date, features: string[]) {
  const from = dayOf(now.getTime() - (YEAR_DAYS - 1) * DAY_MS);
  const year = days.filter((d) => d.day >= from);
  const byMonth = new Map<string, number>();
  for (const d of year) byMonth.set(d.day.slice(0, 7), (byMonth.get(d.day.slice(0, 7)) ?? 0) + d.users.length);
  const busiest = [...byMonth].filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0];
  const used = new Set(year.flatMap((d) => d.features));
  return {
    activeUsers: new Set(year.flatMap((d) => d.users)).size,
    userDays: year.reduce((s, d) => s + d.users.length, 0),
    featuresUsed: features.filter((f) => used.has(f)).length,
    busiestMonth: busiest ? dateFormats().monthName.format(new Date(`${busiest[0]}-01T00:00:00Z`)) : 'not reached yet',
  };
}

/** What `Hi {{contact.firstName}},` greets a contact without a name with (never the address's local part: "Hi ops,"). */
export const GREETING_FALLBACK = 'there';
export const firstNameOf = (name: string | undefined) => name?.trim().split(/\s+/)[0] || GREETING_FALLBACK;

export interface ContextInput {
  config: TendConfig;
  account: Account;
  contact: { name?: string; email: string };
  /** Usage days covering at least CONTEXT_DAYS (YEAR_DAYS when `withYear`). */
  days: UsageDay[];
  now: Date;
  step: { id: string; day: number };
  senderName: string;
  unsubscribeUrl: string;
  withYear?: boolean;
}

/** Everything a template may quote, from the account's own figures. Shared by delivery and `tend preview`. */
export function templateContext(input: ContextInput): TemplateContext {
  const { config, account, now } = input;
  const features = config.product.features;
  const usage = summariseUsage(account, input.days, features, now);
  const unused = usage.featuresAvailable.filter((f) => !usage.featuresUsed.includes(f));
  const context: TemplateContext = {
    product: { name: config.product.name, url: config.product.url },
    sender: { name: input.senderName },
    account: { id: account.id, name: account.name },
    contact: { firstName: firstNameOf(input.contact.name), email: input.contact.email },
    step: input.step,
    usage: {
      seats: usage.seats,
      activeUsers: usage.activeUsers,
      featuresUsed: usage.featuresUsed.length,
      featuresAvailable: usage.featuresAvailable.length,
      suggestedFeature: suggestFeature(usage),
      adoptionPercent: features.length ? Math.round((usage.featuresUsed.length / features.length) * 100) : 0,
      seatUsePercent: Math.round((usage.activeUsers / Math.max(1, usage.seats)) * 100),
      unusedFeatures: unused.length ? listOf(unused) : 'none, your team uses them all',
      trend: trendOf(input.days, now),
      lastActive: usage.lastActiveDay ? dateFormats().longDate.format(new Date(`${usage.lastActiveDay}T00:00:00Z`)) : 'not yet',
    },
    unsubscribeUrl: input.unsubscribeUrl,
  };
  if (input.withYear) context.year = yearFigures(input.days, now, features);
  if (account.renewalDate) {
    const renewal = new Date(account.renewalDate);
    context.renewal = { date: dateFormats().longDate.format(renewal), daysLeft: Math.max(0, Math.ceil((renewal.getTime() - now.getTime()) / DAY_MS)) };
  }
  return context;
}
