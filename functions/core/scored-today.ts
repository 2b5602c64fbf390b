import type { ScoreState } from './metrics/score-states.ts';

/**
 * What a rescoring kept of an account it scored, for the daily run of the same day: the score
 * item's state as written (without the account's book fields, which the daily run takes from the
 * account it lists) and the account's known and active people, which only the scoring's read of
 * usage and contacts knows. With it the daily run tallies the account without reading it again.
 */
export interface ScoredToday {
  state: Omit<ScoreState, 'book'>;
  activation: { known: number; active: number };
}

/**
 * The rescorings' record of the accounts they scored, per day and shard (functions/data/scored-today.ts).
 * The daily run reads its shard's once and reads again only the accounts not in it.
 */
export interface ScoredTodayRepo {
  /** One rescoring batch's accounts, under the day each was computed: one request for the batch (more only past 25 shards' items). */
  record(scored: ScoredToday[]): Promise<void>;
  /** The newest record of each account of a shard on a day, but of accounts marked for rescoring (their data may be newer than the record). */
  read(day: string, shard: number): Promise<Map<string, ScoredToday>>;
}
