import { addDays } from '../clock.ts';
import { fnv1a } from '../hash.ts';
import type { OnboardingStep } from '../config.ts';
import type { UsageSummary } from '../score/derive.ts';

export const ONBOARDING = 'onboarding';

/**
 * Absolute send times from the account's start date. The state machine waits until these
 * timestamps (not for durations), so a late start or a redrive keeps the account's calendar.
 */
export function planOnboarding(startDate: string, steps: OnboardingStep[]): Record<string, string> {
  const start = new Date(startDate);
  return Object.fromEntries(steps.map((s) => [scheduleKey(s.id), addDays(start, s.day).toISOString()]));
}

/** A step id as a JSONPath-safe key of the schedule (`day-7` -> `day_7`). */
export const scheduleKey = (stepId: string) => stepId.replace(/-/g, '_');

export type AccountState = 'active' | 'inactive';

/** The state a step branches on: active when anyone used the product in the last 7 days. */
export function assessForStep(usage: UsageSummary): { state: AccountState; activeUsers: number; seats: number } {
  return { state: usage.activeInLast7Days ? 'active' : 'inactive', activeUsers: usage.activeUsers, seats: usage.seats };
}

/** A feature the account has not used yet, to suggest; the first feature when it used them all. */
export function suggestFeature(usage: UsageSummary): string {
  return usage.featuresAvailable.find((f) => !usage.featuresUsed.includes(f)) ?? usage.featuresAvailable[0] ?? 'the dashboard';
}

/** Deterministic execution name per account and play: a second start is a no-op, never a second run. */
export function executionName(play: string, accountId: string): string {
  const safe = accountId.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 40);
  return `${play}-${safe}-${fnv1a(accountId).toString(36)}`;
}
