import { modelResolver } from '../core/score/presets/index.ts';
import { documentClient } from '../data/client.ts';
import { scoreFactsReader, scoreRepo } from '../data/scores.ts';
import { scoringInputs as scoringInputsRepo } from '../data/scoring-inputs.ts';
import { scoringWrites } from '../data/scoring-writes.ts';
import { config } from './config.ts';
import { lazy, table } from './deps-base.ts';
import { eventBus } from './deps-events.ts';
import { listEntries, metricUpkeep } from './deps-metrics.ts';

// The composition root's scores part (functions/shared/deps.ts).

/** Scores, read back with their reasons rebuilt under the configured model. */
const scoreModels = /* @__PURE__ */ lazy(() => modelResolver(config.scoreModel));
export const scores = /* @__PURE__ */ lazy(() => scoreRepo(documentClient, table(), scoreModels(), { listEntries: listEntries() }));
/** Many accounts' stored scores at once, for the portfolio reports. */
export const scoreFacts = /* @__PURE__ */ lazy(() => scoreFactsReader(documentClient, table()));
/** Everything scoring reads for an account, in one Query. */
export const scoringInputs = /* @__PURE__ */ lazy(() => scoringInputsRepo(documentClient, table()));
/** One scoring run's writes, buffered (score, its timeline entries, band moves, health tallies): made per invocation. */
export const scoringRunWrites = () =>
  scoringWrites(documentClient, table(), { modelFor: scoreModels(), publisher: eventBus(), upkeep: metricUpkeep(), listEntries: listEntries() });
