import type { UsageSummary } from '../score/derive.ts';

/** A feature the account has not used yet, to suggest; the first feature when it used them all. */
export function suggestFeature(usage: UsageSummary): string {
  return usage.featuresAvailable.find((f) => !usage.featuresUsed.includes(f)) ?? usage.featuresAvailable[0] ?? 'the dashboard';
}
