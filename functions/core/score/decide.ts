import { DAY_MS, dayOf } from '../clock.ts';
import { bandOf, computeScore, tierRank } from './compute.ts';
import { DEFAULT_WINDOWS, deriveUsage, type UsageSummary, type UsageWindows } from './derive.ts';
import { recordCleared } from '../flags/cleared.ts';
import { DEFAULT_FLAG_THRESHOLDS, evaluateFlags, FLAG_RULES, type FlagThresholds } from '../flags/rules.ts';
import type { ScoreModel, SignalValue, SignalValues } from './model.ts';
import { recordDaily, trendOf } from './trend.ts';
import { churnRisk } from '../churn/fit.ts';
import type { LogisticModel } from '../churn/logistic.ts';
import type { TendEvent } from '../ports.ts';
import { relationshipFacts } from './relationship.ts';
import { feedbackFacts } from './feedback.ts';
import type { Account, StoredScore } from '../types.ts';
import { firstValueDue, type FirstValueCriteria } from '../first-value.ts';
import type { ScoringInput } from './input.ts';

/**
 * The onboarding grace: a red score inside an account's first 30 days is onboarding's (no usage
 * yet), not save's. A first score in red announces entering red only past it, and an account red
 * throughout its grace announces it on its first score past it (docs/plays.md, "Accounts that start red").
 */
export const FIRST_SCORE_GRACE_DAYS = 30;

/** Signals whose week-earlier value needs usage older than the scorer reads (their windows reach back 2 x usageDays). */
const NOT_COMPARED_WEEKLY = ['usageGrowth', 'apiUsageTrend'];

/** How Tend scores: the configuration the pure step needs. */
export interface ScoringPolicy {
  /** The model for an account's segment (one model for all, or per segment). */
  modelFor: (segment: string) => ScoreModel;
  features: string[];
  premiumFeatures?: string[];
  trainingCourses?: string[];
  fallingFastPoints: number;
  windows?: UsageWindows;
  flagThresholds?: FlagThresholds;
  /** The onboarding milestone "first value": recorded by scoring the first time it holds. */
  firstValue?: FirstValueCriteria;
  /** The fitted churn model, when one has been fitted: scores then carry a churn probability. */
  churnModel?: LogisticModel;
}

export type ScoringDecision =
  /** No account, or a churned one: nothing to score. */
  | { kind: 'none' }
  /** Scored today already (the once-a-day run after a rescoring): nothing read twice, nothing written. */
  | { kind: 'scored-today'; tier: string | null; band: StoredScore['band']; score: number | null }
  | {
      kind: 'score';
      stored: StoredScore;
      /** Tier and flag changes: published only once the score is stored. */
      events: TendEvent[];
      /** The first score of a day (history), or one that changed; otherwise nothing is written. */
      write: boolean;
      /** When first value holds and is not recorded yet, the usage it was judged on: the orchestrator records it (first-value.ts). */
      firstValue?: UsageSummary;
    };

/** The oldest usage day the scorer reads: growth compares the usage window with the one before. */
export function oldestUsageDay(policy: Pick<ScoringPolicy, 'windows'>, now: Date): string {
  return dayOf(now.getTime() - 2 * (policy.windows ?? DEFAULT_WINDOWS).usageDays * DAY_MS);
}

/**
 * Scores one account from what was loaded for it. Pure: the same input, policy and time always
 * give the same decision. `oncePerDay` (the daily run) leaves an account scored today as it is.
 */
export function decideScore(policy: ScoringPolicy, input: ScoringInput, now: Date, options: { oncePerDay?: boolean } = {}): ScoringDecision {
  const { account, days, previous } = input;
  if (!account || account.status === 'churned') return { kind: 'none' };
  const today = dayOf(now);
  if (options.oncePerDay && previous && dayOf(new Date(previous.computedAt)) === today)
    return { kind: 'scored-today', tier: previous.tier, band: previous.band, score: previous.score };
  const said = feedbackFacts(input.surveys, input.tickets, now);
  const people = relationshipFacts(account, input.contacts, now);
  const usage = deriveUsage(account, days, policy.features, now, {
    windows: policy.windows,
    trainingCourses: policy.trainingCourses,
    premiumFeatures: policy.premiumFeatures,
  });
  const signals: SignalValues = { ...usage.signals, ...said.signals, ...people.signals };
  const model = policy.modelFor(account.segment);
  // No reason text: the score item stores none, reasons are rebuilt on read (score/explain.ts).
  const result = computeScore(model, signals, weekBefore(policy, input, now), { explain: false });
  const daily = { day: today, score: result.score ?? 0 };
  const recent = result.score === null ? (previous?.recent ?? []) : recordDaily(previous?.recent, daily);
  const trend = result.score === null ? { change7d: null, change30d: null, fallingFast: false } : trendOf(recent, daily, policy.fallingFastPoints);
  const earlierRanks = recent.filter((d) => d.day < today).map((d) => tierRank(model, d.score)!);
  const flags = evaluateFlags(
    {
      now,
      startDate: account.startDate,
      renewalDate: account.renewalDate,
      seats: account.seats,
      paymentStatus: account.paymentStatus,
      activeSeatRatio: typeof signals.activeSeatRatio === 'number' ? signals.activeSeatRatio : undefined,
      featureAdoption: typeof signals.featureAdoption === 'number' ? signals.featureAdoption : undefined,
      ...usage.activity,
      tierRank: tierRank(model, result.score),
      bestRecentTierRank: earlierRanks.length ? Math.min(...earlierRanks) : null,
      fallingFast: trend.fallingFast,
      change30d: trend.change30d,
      latestNps: said.latestNps,
      ticketsLast7Days: said.ticketsLast7Days,
      openComplaints: said.openComplaints,
      championLeft: people.championLeft,
      sponsorLeft: people.sponsorLeft,
    },
    previous?.flags,
    policy.flagThresholds ?? DEFAULT_FLAG_THRESHOLDS,
  );
  const accountId = account.id;
  const band = bandOf(model, result.score);
  const events: TendEvent[] = flags.changes.map((c) => ({
    type: c.change === 'started' ? 'flag.started' : 'flag.stopped',
    accountId,
    at: c.at,
    detail: { flag: c.flag, kind: c.kind, description: FLAG_RULES[c.flag]!.describe, score: result.score, tier: result.tier },
  }));
  if (previous?.tier && result.tier && previous.tier !== result.tier) {
    events.push({
      type: 'tier.changed',
      accountId,
      at: now.toISOString(),
      detail: { from: previous.tier, to: result.tier, fromBand: previous.band ?? null, band, score: result.score },
    });
  } else if (band === 'red' && entersRedAfterGrace(account.startDate, previous, now)) {
    // Red from its first score: an existing customer just imported, or a new account that stayed red
    // through its onboarding grace, enters red now as far as the plays (save) and alerts know.
    events.push({
      type: 'tier.changed',
      accountId,
      at: now.toISOString(),
      detail: { from: null, to: result.tier, fromBand: null, band: 'red', score: result.score },
    });
  }
  const stored: StoredScore = {
    ...result,
    band,
    accountId,
    computedAt: now.toISOString(),
    segment: account.segment,
    churnRisk: policy.churnModel ? Math.round(churnRisk(policy.churnModel, signals) * 1000) / 1000 : null,
    trend,
    recent,
    flags: flags.active,
    clearedFlags: recordCleared(previous?.clearedFlags, previous?.flags, flags.changes, now),
    signals: Object.fromEntries(Object.entries(signals).filter((e): e is [string, number | string] => e[1] !== undefined)),
  };
  // Write only what changed: the first score of a day (the day's history entry), or a score that
  // moved since. A rescoring that finds nothing new costs its one read only.
  const firstToday = !previous || dayOf(new Date(previous.computedAt)) !== today;
  const changed =
    !previous ||
    events.some((e) => e.type === 'tier.changed') ||
    previous.score !== stored.score ||
    previous.tier !== stored.tier ||
    previous.coverage !== stored.coverage ||
    Object.keys(previous.flags ?? {})
      .sort()
      .join() !== Object.keys(stored.flags).sort().join();
  const firstValue = policy.firstValue && firstValueDue(account, usage.summary, policy.firstValue) ? usage.summary : undefined;
  return { kind: 'score', stored, events, write: firstToday || changed, firstValue };
}

/**
 * The signals of an account at a time, from what was loaded for it (backtests and the churn fit
 * re-derive past signals this way: the score item keeps scores, not signals, for its history).
 */
export function signalsAt(
  policy: Pick<ScoringPolicy, 'features' | 'windows' | 'trainingCourses'>,
  input: ScoringInput & { account: Account },
  at: Date,
): SignalValues {
  const usage = deriveUsage(input.account, input.days, policy.features, at, { windows: policy.windows, trainingCourses: policy.trainingCourses });
  return { ...usage.signals, ...feedbackFacts(input.surveys, input.tickets, at).signals, ...relationshipFacts(input.account, input.contacts, at).signals };
}

/**
 * The signals as they were a week earlier, for reasons such as "(84% a week ago)": derived from
 * the same usage days and feedback at that date. Account fields and people are taken as they are
 * now (no history is kept of them), so they never read as moved.
 */
function weekBefore(policy: ScoringPolicy, input: ScoringInput, now: Date): SignalValues {
  const then = new Date(now.getTime() - 7 * DAY_MS);
  const usage: Record<string, SignalValue | undefined> = {
    ...deriveUsage(input.account!, input.days, policy.features, then, { windows: policy.windows, trainingCourses: policy.trainingCourses }).signals,
  };
  for (const s of NOT_COMPARED_WEEKLY) delete usage[s];
  return { ...usage, ...feedbackFacts(input.surveys, input.tickets, then).signals };
}

/**
 * Whether a red score with no tier change behind it enters red for the plays: the account's first
 * score, past the onboarding grace (an import); or the first score past the grace of an account
 * whose previous score, inside the grace, was red too (it never left red while onboarding).
 */
export function entersRedAfterGrace(startDate: string, previous: Pick<StoredScore, 'tier' | 'band' | 'computedAt'> | undefined, now: Date): boolean {
  const graceEnds = new Date(startDate).getTime() + FIRST_SCORE_GRACE_DAYS * DAY_MS;
  if (now.getTime() <= graceEnds) return false;
  if (!previous?.tier) return true;
  return previous.band === 'red' && new Date(previous.computedAt).getTime() <= graceEnds;
}
