import { DAY_MS, dayOf, type Clock } from '../clock.ts';
import { NotFoundError } from '../errors.ts';
import type { AccountRepo, ScoreRepo, UsageRepo } from '../ports.ts';
import { bandOf } from '../score/compute.ts';
import { summariseUsage, WINDOW_DAYS, type UsageSummary } from '../score/derive.ts';
import type { ScoreModel } from '../score/model.ts';
import type { AccountSnapshot } from './conditions.ts';

export interface FirstValueCriteria {
  /** Distinct active users in the last 30 days. */
  activeUsers: number;
  /** Distinct product features used in the last 30 days. */
  features: number;
}

export interface SnapshotDeps {
  clock: Clock;
  accounts: AccountRepo;
  usage: UsageRepo;
  scores: ScoreRepo;
  features: string[];
  modelFor: (segment: string) => ScoreModel;
  firstValue: FirstValueCriteria;
}

/** First value: enough of the team active on enough features (seats cap the users asked for). */
export function firstValueReached(usage: UsageSummary, criteria: FirstValueCriteria): boolean {
  return usage.activeUsers >= Math.min(criteria.activeUsers, usage.seats) && usage.featuresUsed.length >= criteria.features;
}

/**
 * The account as a step sees it when it is due: read then, never when the run started. Reaching
 * first value is recorded here too (the first time it is seen), so time to first value is known.
 */
export async function loadSnapshot(deps: SnapshotDeps, accountId: string, cycle: string): Promise<AccountSnapshot & { firstValueNow: boolean }> {
  const now = deps.clock.now();
  const [account, score, days] = await Promise.all([
    deps.accounts.get(accountId),
    deps.scores.get(accountId),
    deps.usage.days(accountId, dayOf(now.getTime() - WINDOW_DAYS * DAY_MS), dayOf(now)),
  ]);
  if (!account) throw new NotFoundError(`account "${accountId}" not found`);
  const usage = summariseUsage(account, days, deps.features, now);
  const model = deps.modelFor(account.segment);
  const reached = firstValueReached(usage, deps.firstValue);
  let firstValueNow = false;
  if (reached && !account.milestones?.firstValue) firstValueNow = await deps.accounts.reachMilestone(account.id, 'firstValue', now);
  return {
    account,
    now,
    band: score ? (score.band ?? bandOf(model, score.score)) : null,
    recentBands: (score?.recent ?? []).map((d) => ({ day: d.day, band: bandOf(model, d.score) })),
    flags: Object.keys(score?.flags ?? {}),
    usage,
    activated: reached || !!account.milestones?.firstValue,
    cycle,
    firstValueNow,
  };
}
