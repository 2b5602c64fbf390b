import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Counters } from '../core/metrics/contribution.ts';
import type { ScoreState } from '../core/metrics/score-states.ts';
import { bandChangeBatch } from '../core/metrics/band-upkeep.ts';
import type { MetricUpkeepDeps } from '../core/metrics/upkeep.ts';
import type { EventPublisher } from '../core/ports.ts';
import type { ScoreModel } from '../core/score/model.ts';
import { recordingTimeline } from '../core/timeline.ts';
import { healthDayItem } from './health-days.ts';
import { scoreRepo } from './scores.ts';
import type { ListEntryWriter } from './account-list-entries.ts';
import { bufferedTimeline } from './timeline.ts';
import { scoreStateRunItems, scoreStates } from './score-states.ts';

/**
 * The writes of one scoring run (an invocation of the scoring Lambda), buffered so that what is
 * not the score itself rides on requests made anyway (core/scoring.ts `flush`):
 * - timeline entries (score moves, and those of the events it publishes) go out 25 a BatchWriteItem,
 *   the rest at the end of the run;
 * - band changes are counted in the metric aggregates 100 at a time (core/metrics/band-upkeep.ts):
 *   one update per aggregate item a batch instead of five a change;
 * - the daily run's health tallies and score states of its shards go out with the timeline entries
 *   at the end of the run: one BatchWriteItem for a batch's two shards, not two a shard. The daily
 *   run fails when that flush fails (core/scoring.ts), so its retry writes them.
 * Made per run: what a run buffered is written by that run.
 */
export function scoringWrites(
  db: DynamoDBDocumentClient,
  table: string,
  options: {
    modelFor: (segment: string) => ScoreModel;
    publisher: EventPublisher;
    upkeep: MetricUpkeepDeps;
    /** The account list's entries that change with a score are written with it (account-list-entries.ts). */
    listEntries?: ListEntryWriter;
  },
) {
  const timeline = bufferedTimeline(db, table);
  const bands = bandChangeBatch(options.upkeep);
  const states = scoreStates(db, table);
  let runItems: Record<string, unknown>[] = [];
  return {
    scores: scoreRepo(db, table, options.modelFor, { timeline, listEntries: options.listEntries }),
    events: recordingTimeline(options.publisher, timeline),
    bandChanged: bands.changed,
    healthDays: { put: async (day: string, shard: number, tally: Counters) => void runItems.push(healthDayItem(day, shard, tally)) },
    scoreStates: {
      put: async (day: string, shard: number, shardStates: ScoreState[], failed: string[]) =>
        void runItems.push(...scoreStateRunItems(day, shard, shardStates, failed)),
      log: states.log,
    },
    flush: async () => {
      const items = runItems;
      runItems = [];
      await bands.flush();
      await timeline.flush(items);
    },
  };
}
