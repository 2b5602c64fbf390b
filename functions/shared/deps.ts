import { Logger } from '@aws-lambda-powertools/logger';
import { eventBridgePublisher } from '../adapters/eventbridge-publisher.ts';
import { sesMailer } from '../adapters/ses-mailer.ts';
import { stepFunctionsRunner } from '../adapters/sfn-runner.ts';
import { accountCatalog } from '../data/account-catalog.ts';
import { accountListIndex } from '../data/account-list-index.ts';
import { accountsWithListEntries, listEntryWriter } from '../data/account-list-entries.ts';
import { accountRepo } from '../data/accounts.ts';
import { revenueRepo } from '../data/revenue.ts';
import { metricAggregates } from '../data/metric-aggregates.ts';
import { accountsWithMetrics, feedbackWithMetrics, revenueWithMetrics } from '../data/metric-hooks.ts';
import { metricSources } from '../data/metric-sources.ts';
import { renewalIndex } from '../data/renewal-index.ts';
import { scoreStates } from '../data/score-states.ts';
import { healthDays as healthDayRepo } from '../data/health-days.ts';
import { refreshAccountMetrics, refreshAccountsMetrics } from '../core/metrics/upkeep.ts';
import { withBookNotes } from '../core/metrics/score-states.ts';
import { systemClock } from '../core/clock.ts';
import { scoringWrites } from '../data/scoring-writes.ts';
import { documentClient } from '../data/client.ts';
import { envVar, lazy, table } from './deps-base.ts';
import { contactRepo } from '../data/contacts.ts';
import { dirtyAccounts } from '../data/dirty.ts';
import { engagementRepo, frequencyCap, preferenceRepo, reputationRepo, suppressionList } from '../data/email.ts';
import { eventClaims } from '../data/event-claims.ts';
import { feedbackRepo } from '../data/feedback.ts';
import { churnModelRepo } from '../data/models.ts';
import { scoredTodayRepo } from '../data/scored-today.ts';
import { stepItems as stepItemsReader } from '../data/step-items.ts';
import { runRepo } from '../data/runs.ts';
import { holdoutRepo } from '../data/holdouts.ts';
import { variantCounts } from '../data/variant-counts.ts';
import { scoreFactsReader, scoreRepo } from '../data/scores.ts';
import { scoringInputs as scoringInputsRepo } from '../data/scoring-inputs.ts';
import { modelResolver } from '../core/score/presets/index.ts';
import { config } from './config.ts';
import { heldSends, sendConfirmations, sendLedger } from '../data/sends.ts';
import { taskRepo } from '../data/tasks.ts';
import { sendOutcomes as sendOutcomesRepo } from '../data/outcome-sends.ts';
import { outcomeFiguresReader } from '../data/outcome-figures.ts';
import { ownerRepo } from '../data/owners.ts';
import { noteRepo } from '../data/notes.ts';
import { usageRepo } from '../data/usage.ts';
import { userLinks } from '../data/user-links.ts';
import { timelineRepo } from '../data/timeline.ts';
import { alertClaims, digestStore } from '../data/alerts.ts';
import { recordingTimeline } from '../core/timeline.ts';

/*
 * The composition root: the one place the Lambdas' repositories and clients are built. Each is a
 * function that builds its dependency on the first call and hands back the same one after, so
 * two handlers' pieces (a play step's email delivery and its scoring) share one repository. Plain
 * functions, not one object: esbuild keeps in a bundle only the ones its handler calls, so a
 * handler's bundle and cold start carry nothing it does not use. Each reads the environment
 * variable it needs when first called, and a missing one fails naming it (at cold start, since
 * handlers call these at module scope).
 */

export { apiKeys, lazy, rate, segmentSecrets } from './deps-base.ts';

// Metrics (docs/metrics.md): the aggregates, and the upkeep hooked on the writes of their sources (data/metric-hooks.ts).
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
const metricsLogger = /* @__PURE__ */ lazy(() => new Logger({ serviceName: 'tend-metrics' }));
// A source write stands whatever its upkeep does: a failure is logged, and the account's next change or `tend metrics rebuild` heals it.
const refreshMetrics = (accountId: string) =>
  refreshAccountMetrics(metricUpkeep(), accountId).catch((err: unknown) =>
    metricsLogger().error('metrics upkeep failed (tend metrics rebuild heals it)', { accountId, error: err as Error }),
  );
// A batch write's accounts counted together: one update per aggregate item the batch moves.
const refreshManyMetrics = (accountIds: string[]) =>
  refreshAccountsMetrics(metricUpkeep(), accountIds, (accountId, err) =>
    metricsLogger().error('metrics upkeep failed (tend metrics rebuild heals it)', { accountId, error: err as Error }),
  ).catch((err: unknown) => metricsLogger().error('metrics upkeep failed (tend metrics rebuild heals it)', { accountIds, error: err as Error }));
/** One scoring run's writes, buffered (score, its timeline entries, band moves, health tallies): made per invocation. */
export const scoringRunWrites = () =>
  scoringWrites(documentClient, table(), { modelFor: scoreModels(), publisher: eventBus(), upkeep: metricUpkeep(), listEntries: listEntries() });

export const accounts = /* @__PURE__ */ lazy(() =>
  accountsWithMetrics(
    accountsWithListEntries(accountRepo(documentClient, table()), listEntries(), (accountId, err) =>
      metricsLogger().error('account list entries not updated (tend metrics rebuild puts them right)', { accountId, error: err as Error }),
    ),
    refreshMetrics,
  ),
);
/** Revenue history points and renewal outcomes. */
export const revenue = /* @__PURE__ */ lazy(() => revenueWithMetrics(revenueRepo(documentClient, table()), refreshManyMetrics));
export const usage = /* @__PURE__ */ lazy(() => usageRepo(documentClient, table()));
/** Scores, read back with their reasons rebuilt under the configured model. */
const scoreModels = /* @__PURE__ */ lazy(() => modelResolver(config.scoreModel));
export const scores = /* @__PURE__ */ lazy(() => scoreRepo(documentClient, table(), scoreModels(), { listEntries: listEntries() }));
/** Many accounts' stored scores at once, for the portfolio reports. */
export const scoreFacts = /* @__PURE__ */ lazy(() => scoreFactsReader(documentClient, table()));
/** Everything scoring reads for an account, in one Query. */
export const scoringInputs = /* @__PURE__ */ lazy(() => scoringInputsRepo(documentClient, table()));
export const runs = /* @__PURE__ */ lazy(() => runRepo(documentClient, table()));
/** Holdout ends (issue 17, docs/holdouts.md). */
export const holdouts = /* @__PURE__ */ lazy(() => holdoutRepo(documentClient, table()));
export const variantEmailCounts = /* @__PURE__ */ lazy(() => variantCounts(documentClient, table()));
export const tasks = /* @__PURE__ */ lazy(() => taskRepo(documentClient, table()));
/** CSMs' books, account counts and assignment counters (issue 14). */
export const owners = /* @__PURE__ */ lazy(() => ownerRepo(documentClient, table()));
export const notes = /* @__PURE__ */ lazy(() => noteRepo(documentClient, table()));
export const dirty = /* @__PURE__ */ lazy(() => dirtyAccounts(documentClient, table()));
export const feedback = /* @__PURE__ */ lazy(() => feedbackWithMetrics(feedbackRepo(documentClient, table()), refreshManyMetrics));
export const contacts = /* @__PURE__ */ lazy(() => contactRepo(documentClient, table()));
export const claims = /* @__PURE__ */ lazy(() => eventClaims(documentClient, table()));
export const links = /* @__PURE__ */ lazy(() => userLinks(documentClient, table()));
export const catalog = /* @__PURE__ */ lazy(() => accountCatalog(documentClient, table()));
/** The account list's sorted entries (issue 16): kept by the account and score writes above, read by GET /v1/accounts. */
export const listEntries = /* @__PURE__ */ lazy(() => listEntryWriter(documentClient, table()));
export const listIndex = /* @__PURE__ */ lazy(() => accountListIndex(documentClient, table()));
export const churnModels = /* @__PURE__ */ lazy(() => churnModelRepo(documentClient, table()));
/** A play step's run, account and score in one read. */
export const stepItems = /* @__PURE__ */ lazy(() => stepItemsReader(documentClient, table()));
/** What the rescorings scored today, per shard: the daily run's record (functions/data/scored-today.ts). */
export const scoredToday = /* @__PURE__ */ lazy(() => scoredTodayRepo(documentClient, table()));
export const ledger = /* @__PURE__ */ lazy(() => sendLedger(documentClient, table()));
export const suppressions = /* @__PURE__ */ lazy(() => suppressionList(documentClient, table()));
export const preferences = /* @__PURE__ */ lazy(() => preferenceRepo(documentClient, table()));
export const cap = /* @__PURE__ */ lazy(() => frequencyCap(documentClient, table()));
export const engagement = /* @__PURE__ */ lazy(() => engagementRepo(documentClient, table()));
export const confirmations = /* @__PURE__ */ lazy(() => sendConfirmations(documentClient, table()));
/** Sends' outcomes (opened, replied...) recorded once on the ledger and counted per template (issue 13). */
export const sendOutcomes = /* @__PURE__ */ lazy(() => sendOutcomesRepo(documentClient, table()));
/** The outcome figures of a period, from the month counters (GET /v1/metrics/outcomes). */
export const outcomeFigures = /* @__PURE__ */ lazy(() => outcomeFiguresReader(documentClient, table()));
export const held = /* @__PURE__ */ lazy(() => heldSends(documentClient, table()));
export const reputation = /* @__PURE__ */ lazy(() => reputationRepo(documentClient, table()));
/** Accounts' timelines (entries written by the repositories and the publisher below). */
export const timeline = /* @__PURE__ */ lazy(() => timelineRepo(documentClient, table()));
/** Alerts: claims (one post per alert and destination) and the digest's reads. */
export const alerts = /* @__PURE__ */ lazy(() => alertClaims(documentClient, table()));
export const digest = /* @__PURE__ */ lazy(() => digestStore(documentClient, table()));

/** Tend's events, on the bus in EVENT_BUS_NAME. */
const eventBus = /* @__PURE__ */ lazy(() => eventBridgePublisher(envVar('EVENT_BUS_NAME')));
export const events = /* @__PURE__ */ lazy(() => recordingTimeline(eventBus(), timeline()));
/** Play runs, on the state machines in PLAY_STATE_MACHINES (a JSON map of play id to ARN). */
export const runner = /* @__PURE__ */ lazy(() => stepFunctionsRunner(JSON.parse(envVar('PLAY_STATE_MACHINES')) as Record<string, string>));
/** SES, through the configuration set in CONFIGURATION_SET. */
export const mailer = /* @__PURE__ */ lazy(() => sesMailer(envVar('CONFIGURATION_SET')));
