import { documentClient } from '../../data/client.ts';
import { scoringWrites } from '../../data/scoring-writes.ts';
import { table } from '../deps-base.ts';
import { eventBus } from './event-bus.ts';
import { listEntries } from './list-entries.ts';
import { metricUpkeep } from './metric-upkeep.ts';
import { scoreModels } from './score-models.ts';

/** One scoring run's writes, buffered (score, its timeline entries, band moves, health tallies): made per invocation. */
export const scoringRunWrites = () =>
  scoringWrites(documentClient, table(), { modelFor: scoreModels(), publisher: eventBus(), upkeep: metricUpkeep(), listEntries: listEntries() });
