import { DAY_MS } from './clock.ts';
import type { AccountRepo, EventPublisher } from './ports.ts';
import type { UsageSummary } from './score/derive.ts';
import type { Account } from './types.ts';

/**
 * The onboarding milestone "first value" (config `milestones.firstValue`): decided and recorded
 * here only. Scoring and the play steps both call `recordFirstValue` with the account and the
 * usage they loaded; whichever comes first records it, once.
 */
export interface FirstValueCriteria {
  /** Distinct active users in the last 30 days. */
  activeUsers: number;
  /** Distinct product features used in the last 30 days. */
  features: number;
}

/** Whether the usage meets the criteria: enough of the team active on enough features (seats cap the users asked for). */
export function firstValueReached(usage: UsageSummary, criteria: FirstValueCriteria): boolean {
  return usage.activeUsers >= Math.min(criteria.activeUsers, usage.seats) && usage.featuresUsed.length >= criteria.features;
}

/** Whether first value is to be recorded now: reached, and not recorded before. */
export function firstValueDue(account: Pick<Account, 'milestones'>, usage: UsageSummary, criteria: FirstValueCriteria): boolean {
  return !account.milestones?.firstValue && firstValueReached(usage, criteria);
}

export interface FirstValueDeps {
  accounts: Pick<AccountRepo, 'reachMilestone'>;
  events: EventPublisher;
  firstValue: FirstValueCriteria;
}

/**
 * Records first value the first time it holds and announces it (`milestone.reached`, with the
 * days from the start date, for time to first value). The write is conditional, so a racing
 * or replayed call records and announces nothing: true only for the call that recorded it.
 */
export async function recordFirstValue(deps: FirstValueDeps, account: Account, usage: UsageSummary, now: Date): Promise<boolean> {
  if (!firstValueDue(account, usage, deps.firstValue)) return false;
  if (!(await deps.accounts.reachMilestone(account.id, 'firstValue', now))) return false;
  const daysFromStart = Math.floor((now.getTime() - new Date(account.startDate).getTime()) / DAY_MS);
  await deps.events.publish([{ type: 'milestone.reached', accountId: account.id, at: now.toISOString(), detail: { milestone: 'firstValue', daysFromStart } }]);
  return true;
}
