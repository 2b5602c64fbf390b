import type { AccountRepo, FeedbackRepo, RevenueRepo } from '../core/ports.ts';

/** Brings one account's metric aggregates up to date (core/metrics/upkeep.ts `refreshAccountMetrics`). */
export type RefreshMetrics = (accountId: string) => Promise<unknown>;

/** Brings many accounts' metric aggregates up to date after one batch write (core/metrics/upkeep.ts `refreshAccountsMetrics`). */
export type RefreshManyMetrics = (accountIds: string[]) => Promise<unknown>;

/** Account fields the metrics group or count by, or the renewal index shows; a write that sets or removes one moves the account's contribution. */
const METRIC_FIELDS = ['segment', 'plan', 'owner', 'status', 'arr', 'startDate', 'renewalDate', 'name'];

/*
 * The upkeep hooks: each source write the metrics read is followed, once it has landed, by the
 * account's refresh. Wrapping the repositories at the composition root (functions/shared/deps.ts)
 * puts the hook on every path that writes (API, Segment, import, renewals, scoring's first value)
 * without each caller knowing. A write refused on its condition (a replay, a lost race) refreshes
 * nothing. Score bands are hooked in core/scoring.ts, where the previous band is known.
 */

/** Accounts: a write of a grouping or counted field (its revenue point is hooked on `record`), and first value. */
export function accountsWithMetrics(repo: AccountRepo, refresh: RefreshMetrics): AccountRepo {
  return {
    ...repo,
    async write(accountId, write, rev, point) {
      const written = await repo.write(accountId, write, rev, point);
      // A change with a revenue point is refreshed once the point's item is written (below), so the history read is whole.
      if (written && !point && METRIC_FIELDS.some((f) => f in write.set || write.remove.includes(f))) await refresh(accountId);
      return written;
    },
    async reachMilestone(accountId, milestone, at) {
      const reached = await repo.reachMilestone(accountId, milestone, at);
      if (reached && milestone === 'firstValue') await refresh(accountId);
      return reached;
    },
  };
}

/** Revenue points: once written, their accounts' retention flows are refreshed (a replayed point finds no difference). */
export function revenueWithMetrics(repo: RevenueRepo, refresh: RefreshManyMetrics): RevenueRepo {
  return {
    ...repo,
    async record(points) {
      await repo.record(points);
      await refresh(points.map((p) => p.accountId));
    },
  };
}

/** Survey answers: their accounts' NPS and CSAT counts, the batch's accounts counted together. */
export function feedbackWithMetrics(repo: FeedbackRepo, refresh: RefreshManyMetrics): FeedbackRepo {
  return {
    ...repo,
    async putSurveys(surveys) {
      await repo.putSurveys(surveys);
      await refresh(surveys.map((s) => s.accountId));
    },
  };
}
