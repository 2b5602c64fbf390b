/*
 * The composition root: the one place the Lambdas' repositories and clients are built, one small
 * module per dependency under ./deps/ (with ./deps-base.ts: the table, `lazy`, and what the API's
 * authentication uses), all re-exported here for tests and tools. Each dependency is a function
 * that builds it on the first call and hands back the same one after, so two handlers' pieces (a
 * play step's email delivery and its scoring) share one repository. Each reads the environment
 * variable it needs when first called, and a missing one fails naming it.
 *
 * Handlers import the modules of ./deps/ they use, never this file: esbuild splits a bundle by
 * file, so a module shared by a cold start and a lazily loaded part (an API route module, a play
 * step's email delivery) takes everything it imports into both. One dependency a module, and
 * functions/package.json declaring the project's modules free of import side effects, make a
 * cold start or a route's first request parse only the repositories and clients it uses
 * (tests/unit/bundle-deps.test.ts checks both).
 */

export { apiKeys, envVar, lazy, rate, segmentSecrets, table } from './deps-base.ts';
export { accounts } from './deps/accounts.ts';
export { alerts } from './deps/alerts.ts';
export { cap } from './deps/cap.ts';
export { catalog } from './deps/catalog.ts';
export { churnModels } from './deps/churn-models.ts';
export { claims } from './deps/claims.ts';
export { confirmations } from './deps/confirmations.ts';
export { contacts } from './deps/contacts.ts';
export { digest } from './deps/digest.ts';
export { dirty } from './deps/dirty.ts';
export { engagement } from './deps/engagement.ts';
export { eventBus } from './deps/event-bus.ts';
export { events } from './deps/events.ts';
export { feedback } from './deps/feedback.ts';
export { healthDays } from './deps/health-days.ts';
export { held } from './deps/held.ts';
export { holdouts } from './deps/holdouts.ts';
export { ledger } from './deps/ledger.ts';
export { links } from './deps/links.ts';
export { listEntries } from './deps/list-entries.ts';
export { listIndex } from './deps/list-index.ts';
export { mailer } from './deps/mailer.ts';
export { metricAggregateRepo } from './deps/metric-aggregate-repo.ts';
export { metricSourceReader } from './deps/metric-source-reader.ts';
export { metricUpkeep } from './deps/metric-upkeep.ts';
export { metricsLogger } from './deps/metrics-logger.ts';
export { notes } from './deps/notes.ts';
export { outcomeFigures } from './deps/outcome-figures.ts';
export { owners } from './deps/owners.ts';
export { preferences } from './deps/preferences.ts';
export { refreshManyMetrics, refreshMetrics } from './deps/refresh-metrics.ts';
export { renewalIndexReader } from './deps/renewal-index-reader.ts';
export { recipient } from './deps/recipient.ts';
export { reputation } from './deps/reputation.ts';
export { revenue } from './deps/revenue.ts';
export { runner } from './deps/runner.ts';
export { runs } from './deps/runs.ts';
export { scoreFacts } from './deps/score-facts.ts';
export { scoredToday } from './deps/scored-today.ts';
export { scoreModels } from './deps/score-models.ts';
export { scoreStateRepo } from './deps/score-state-repo.ts';
export { scores } from './deps/scores.ts';
export { scoringInputs } from './deps/scoring-inputs.ts';
export { scoringRunWrites } from './deps/scoring-run-writes.ts';
export { sendOutcomes } from './deps/send-outcomes.ts';
export { stepItems } from './deps/step-items.ts';
export { suppressions } from './deps/suppressions.ts';
export { tasks } from './deps/tasks.ts';
export { timeline } from './deps/timeline.ts';
export { usage } from './deps/usage.ts';
export { variantEmailCounts } from './deps/variant-email-counts.ts';
