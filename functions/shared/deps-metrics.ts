import { Logger } from '@aws-lambda-powertools/logger';
import { systemClock } from '../core/clock.ts';
import { withBookNotes } from '../core/metrics/score-states.ts';
import { refreshAccountMetrics } from '../core/metrics/upkeep.ts';
import { accountListIndex } from '../data/account-list-index.ts';
import { listEntryWriter } from '../data/account-list-entries.ts';
import { documentClient } from '../data/client.ts';
import { healthDays as healthDayRepo } from '../data/health-days.ts';
import { metricAggregates } from '../data/metric-aggregates.ts';
import { metricSources } from '../data/metric-sources.ts';
import { outcomeFiguresReader } from '../data/outcome-figures.ts';
import { renewalIndex } from '../data/renewal-index.ts';
import { scoreStates } from '../data/score-states.ts';
import { lazy, table } from './deps-base.ts';

// The composition root's metrics part (functions/shared/deps.ts): the aggregates, and the upkeep hooked on the writes of their sources (docs/metrics.md).

export const metricAggregateRepo = /* @__PURE__ */ lazy(() => metricAggregates(documentClient, table()));
export const metricSourceReader = /* @__PURE__ */ lazy(() => metricSources(documentClient, table()));
/** The renewal index the upkeep keeps (renewals report, renewals entering the window). */
export const renewalIndexReader = /* @__PURE__ */ lazy(() => renewalIndex(documentClient, table()));
/** The score states the scoring runs keep for the weekly review. */
export const scoreStateRepo = /* @__PURE__ */ lazy(() => scoreStates(documentClient, table()));
/** The daily run's per-day health tallies (health over time, docs/metrics.md). */
export const healthDays = /* @__PURE__ */ lazy(() => healthDayRepo(documentClient, table()));
// Book changes noted for the weekly review, which reads the book from the score states (docs/metrics.md).
export const metricUpkeep = /* @__PURE__ */ lazy(() => ({
  sources: metricSourceReader(),
  aggregates: withBookNotes(metricAggregateRepo(), scoreStateRepo(), systemClock, (error) =>
    metricsLogger().error('noting a book change for the weekly review failed (its next score state carries it)', { error: error as Error }),
  ),
}));
export const metricsLogger = /* @__PURE__ */ lazy(() => new Logger({ serviceName: 'tend-metrics' }));
// A source write stands whatever its upkeep does: a failure is logged, and the account's next change or `tend metrics rebuild` heals it.
export const refreshMetrics = (accountId: string) =>
  refreshAccountMetrics(metricUpkeep(), accountId).catch((err: unknown) =>
    metricsLogger().error('metrics upkeep failed (tend metrics rebuild heals it)', { accountId, error: err as Error }),
  );
/** The account list's sorted entries (issue 16): kept by the account and score writes, read by GET /v1/accounts. */
export const listEntries = /* @__PURE__ */ lazy(() => listEntryWriter(documentClient, table()));
export const listIndex = /* @__PURE__ */ lazy(() => accountListIndex(documentClient, table()));
/** The outcome figures of a period, from the month counters (GET /v1/metrics/outcomes). */
export const outcomeFigures = /* @__PURE__ */ lazy(() => outcomeFiguresReader(documentClient, table()));
