/**
 * The items the portfolio reviews read, for benches that seed accounts and score items directly:
 * the book index (one entry per live account) and the daily run's score states of the given days,
 * written through the same repositories the upkeep and the scoring run use.
 */
import { paginateQuery, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { addInto, aggregateSk, renewalCounters, type Counters } from '../functions/core/metrics/contribution.ts';
import { batchWrite } from '../functions/data/batch.ts';
import type { RenewalEntry } from '../functions/core/metrics/renewal-index.ts';
import { stateOf, type ScoreState } from '../functions/core/metrics/score-states.ts';
import type { Account, StoredScore } from '../functions/core/types.ts';
import { ACCOUNT_SHARDS, keys, shardOf } from '../functions/data/keys.ts';
import { renewalIndex } from '../functions/data/renewal-index.ts';
import { scoreStates } from '../functions/data/score-states.ts';

export interface SeededAccount {
  account: Account & { owner?: string };
  stored?: StoredScore;
}

/** Seeds the items; returns the bytes of one day's states (their write units: 1 a KB) and of the book index. */
export async function seedReviewItems(db: DynamoDBDocumentClient, table: string, accounts: SeededAccount[], days: string[]) {
  const entries: RenewalEntry[] = accounts
    .filter(({ account }) => account.status !== 'churned')
    .map(({ account, stored }) => ({
      accountId: account.id,
      ...(account.renewalDate ? { renewalDate: account.renewalDate } : {}),
      segment: account.segment,
      arr: account.status === 'trial' ? 0 : (account.arr ?? 0),
      band: stored?.band ?? 'unscored',
      name: account.name,
      ...(account.owner ? { owner: account.owner } : {}),
    }));
  await renewalIndex(db, table).replaceAll(entries);
  // The renewal day items the upkeep keeps beside the entries (contribution.ts): summed as rebuild sums them.
  const renewalDays = new Map<string, Counters>();
  for (const e of entries) if (e.renewalDate) addInto(renewalDays, new Map([[aggregateSk.renewalDay(e.renewalDate.slice(0, 10)), renewalCounters(e)]]));
  await batchWrite(
    db,
    table,
    [...renewalDays].map(([sk, counters]) => ({ PutRequest: { Item: { ...counters, ...keys.metricAggregate('whole', sk) } } })),
  );
  const repo = scoreStates(db, table);
  let stateBytes = 0;
  for (const day of days) {
    // The daily run of that day: each account's score item as it stood then (its daily score of that day).
    const byShard = Array.from({ length: ACCOUNT_SHARDS }, () => [] as ScoreState[]);
    for (const { account, stored } of accounts) {
      if (!stored) continue;
      const recent = stored.recent.filter((d) => d.day <= day);
      const score = recent.at(-1)?.score ?? stored.score;
      byShard[shardOf(stored.accountId)]!.push(stateOf({ ...stored, computedAt: `${day}T06:00:00.000Z`, score, recent }, account));
    }
    await Promise.all(byShard.map((states, shard) => repo.put(day, shard, states, [])));
    stateBytes = 0;
    for await (const page of paginateQuery(
      { client: db },
      { TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': keys.scoreStatePartition(day) } },
    ))
      for (const item of page.Items ?? []) stateBytes += String(item.d).length;
  }
  return { stateBytes, indexBytes: entries.reduce((t, e) => t + JSON.stringify(e).length + 20, 0) };
}
