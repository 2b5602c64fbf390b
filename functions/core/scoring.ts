import { DAY_MS, dayOf, type Clock } from './clock.ts';
import { bandOf, computeScore, tierRank } from './score/compute.ts';
import { activityFacts, DEFAULT_WINDOWS, deriveSignals, type UsageWindows } from './score/derive.ts';
import { DEFAULT_FLAG_THRESHOLDS, evaluateFlags, FLAG_RULES, type FlagThresholds } from './flags/rules.ts';
import type { ScoreModel, SignalValues } from './score/model.ts';
import { recordDaily, trendOf } from './score/trend.ts';
import { churnRisk } from './churn/fit.ts';
import type { LogisticModel } from './churn/logistic.ts';
import type { AccountRepo, ContactRepo, DirtyAccounts, EventPublisher, FeedbackRepo, ScoreRepo, TendEvent, UsageRepo } from './ports.ts';
import { relationshipFacts } from './score/relationship.ts';
import { FEEDBACK_DAYS, feedbackFacts } from './score/feedback.ts';
import type { StoredScore } from './types.ts';
import { firstValueReached, type FirstValueCriteria } from './plays/snapshot.ts';
import { summariseUsage } from './score/derive.ts';

/** A first score in red announces a tier change only for accounts older than this. */
const FIRST_SCORE_GRACE_DAYS = 30;

export interface ScoringDeps {
  clock: Clock;
  /** The model for an account's segment (one model for all, or per segment). */
  modelFor: (segment: string) => ScoreModel;
  features: string[];
  premiumFeatures?: string[];
  trainingCourses?: string[];
  fallingFastPoints: number;
  windows?: UsageWindows;
  flagThresholds?: FlagThresholds;
  accounts: AccountRepo;
  usage: UsageRepo;
  feedback: FeedbackRepo;
  contacts: ContactRepo;
  scores: ScoreRepo;
  events: EventPublisher;
  onError?: (accountId: string, err: unknown) => void;
  /** The onboarding milestone "first value": recorded by scoring the first time it holds. */
  firstValue?: FirstValueCriteria;
  /** The fitted churn model, when one has been fitted: scores then carry a churn probability. */
  churnModel?: LogisticModel;
}


export async function scoreAccount(deps: ScoringDeps, accountId: string): Promise<(StoredScore & { written: boolean }) | undefined> {
  const now = deps.clock.now();
  const account = await deps.accounts.get(accountId);
  if (!account || account.status === 'churned') return undefined;
  const [days, previous, weekBefore, feedback, contacts] = await Promise.all([
    deps.usage.days(accountId, dayOf(now.getTime() - 2 * (deps.windows ?? DEFAULT_WINDOWS).usageDays * DAY_MS), dayOf(now)),
    deps.scores.get(accountId),
    deps.scores.signalsOn(accountId, dayOf(now.getTime() - 7 * DAY_MS)),
    deps.feedback.recent(accountId, dayOf(now.getTime() - FEEDBACK_DAYS * DAY_MS)),
    deps.contacts.list(accountId),
  ]);
  const said = feedbackFacts(feedback.surveys, feedback.tickets, now);
  const people = relationshipFacts(account, contacts, now);
  const signals: SignalValues = { ...deriveSignals(account, days, deps.features, now, deps.windows, deps.trainingCourses), ...said.signals, ...people.signals };
  const model = deps.modelFor(account.segment);
  const result = computeScore(model, signals, weekBefore);
  const today = { day: dayOf(now), score: result.score ?? 0 };
  const recent = result.score === null ? (previous?.recent ?? []) : recordDaily(previous?.recent, today);
  const trend = result.score === null ? { change7d: null, change30d: null, fallingFast: false } : trendOf(recent, today, deps.fallingFastPoints);
  const earlierRanks = recent.filter((d) => d.day < today.day).map((d) => tierRank(model, d.score)!);
  const flags = evaluateFlags(
    {
      now,
      startDate: account.startDate,
      renewalDate: account.renewalDate,
      seats: account.seats,
      paymentStatus: account.paymentStatus,
      activeSeatRatio: typeof signals.activeSeatRatio === 'number' ? signals.activeSeatRatio : undefined,
      featureAdoption: typeof signals.featureAdoption === 'number' ? signals.featureAdoption : undefined,
      ...activityFacts(days, now, deps.premiumFeatures),
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
    deps.flagThresholds ?? DEFAULT_FLAG_THRESHOLDS,
  );
  const events: TendEvent[] = flags.changes.map((c) => ({
    type: c.change === 'started' ? 'flag.started' : 'flag.stopped',
    accountId,
    at: c.at,
    detail: { flag: c.flag, kind: c.kind, description: FLAG_RULES[c.flag]!.describe, score: result.score, tier: result.tier },
  }));
  if (previous?.tier && result.tier && previous.tier !== result.tier) {
    events.push({ type: 'tier.changed', accountId, at: now.toISOString(), detail: { from: previous.tier, to: result.tier, fromBand: previous.band ?? null, band: bandOf(model, result.score), score: result.score } });
  } else if (!previous?.tier && bandOf(model, result.score) === 'red' && now.getTime() - new Date(account.startDate).getTime() > FIRST_SCORE_GRACE_DAYS * DAY_MS) {
    // An existing customer scored for the first time (just imported) and already red is entering
    // red as far as the plays know; a brand-new account with no usage yet is onboarding's, not save's.
    events.push({ type: 'tier.changed', accountId, at: now.toISOString(), detail: { from: null, to: result.tier, fromBand: null, band: 'red', score: result.score } });
  }
  const stored: StoredScore = {
    ...result,
    band: bandOf(model, result.score),
    accountId,
    computedAt: now.toISOString(),
    segment: account.segment,
    churnRisk: deps.churnModel ? Math.round(churnRisk(deps.churnModel, signals) * 1000) / 1000 : null,
    trend,
    recent,
    flags: flags.active,
    signals: Object.fromEntries(Object.entries(signals).filter((e): e is [string, number | string] => e[1] !== undefined)),
  };
  // Write only what changed: the first score of a day (also kept as history), or a score that
  // moved since. A rescoring that finds nothing new costs reads only.
  const firstToday = !previous || dayOf(new Date(previous.computedAt)) !== today.day;
  const changed = !previous || previous.score !== stored.score || previous.tier !== stored.tier || previous.coverage !== stored.coverage || Object.keys(previous.flags ?? {}).sort().join() !== Object.keys(stored.flags).sort().join();
  if (!firstToday && !changed) return { ...stored, written: false };
  // Events go out only after the score (with its flags) is stored: a crash in between re-raises
  // nothing on the next run, because the stored flags already hold the change.
  // A run that lost a race with another (a retried schedule) publishes nothing: the winner did.
  const won = await deps.scores.put(stored, { previousComputedAt: previous?.computedAt });
  if (won && deps.firstValue && !account.milestones?.firstValue && firstValueReached(summariseUsage(account, days, deps.features, now), deps.firstValue)) {
    // Recorded once (conditional write): time to first value is measured from the start date.
    if (await deps.accounts.reachMilestone(account.id, 'firstValue', now)) {
      events.push({ type: 'milestone.reached', accountId, at: now.toISOString(), detail: { milestone: 'firstValue', daysFromStart: Math.floor((now.getTime() - new Date(account.startDate).getTime()) / DAY_MS) } });
    }
  }
  if (won && events.length) await deps.events.publish(events);
  return { ...stored, written: won };
}

/**
 * Rescores the accounts marked with new data since their score, then clears each mark unless
 * more data arrived meanwhile: every account with news is rescored soon, once, not per event.
 */
export async function rescoreDirty(deps: ScoringDeps & { dirty: DirtyAccounts }, shards: number[], concurrency = 8): Promise<{ rescored: number; written: number }> {
  let rescored = 0;
  let written = 0;
  const marks = (await Promise.all(shards.map((s) => deps.dirty.list(s)))).flat();
  for (let i = 0; i < marks.length; i += concurrency) {
    await Promise.all(
      marks.slice(i, i + concurrency).map(async (m) => {
        const s = await scoreAccount(deps, m.accountId).catch((err: unknown) => deps.onError?.(m.accountId, err));
        rescored++;
        if (s?.written) written++;
        if (s) await deps.dirty.clear(m.accountId, m.markedAt);
      }),
    );
  }
  return { rescored, written };
}

/** Scores every account of the given shards, a few at a time: how many were scored, and per tier. */
export async function scoreShards(deps: ScoringDeps, shards: number[], concurrency = 8): Promise<{ scored: number; failed: number; tiers: Record<string, number> }> {
  const tiers: Record<string, number> = {};
  let scored = 0;
  let failed = 0;
  for (const shard of shards) {
    for await (const ids of deps.accounts.listIds(shard)) {
      for (let i = 0; i < ids.length; i += concurrency) {
        // One account's failure is logged and counted; the rest of the shard is still scored.
        const batch = await Promise.all(ids.slice(i, i + concurrency).map((id) => scoreAccount(deps, id).catch((err: unknown) => (failed++, deps.onError?.(id, err), undefined))));
        for (const s of batch) {
          if (!s) continue;
          scored++;
          tiers[s.tier ?? 'unscored'] = (tiers[s.tier ?? 'unscored'] ?? 0) + 1;
        }
      }
    }
  }
  if (failed > 0 && failed >= scored) throw new Error(`scoring failed for ${failed} of ${failed + scored} accounts`);
  return { scored, failed, tiers };
}
