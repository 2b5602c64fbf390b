import { paginateQuery, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { dayOf } from '../core/clock.ts';
import type { ScoreState } from '../core/metrics/score-states.ts';
import type { ScoredToday, ScoredTodayRepo } from '../core/scored-today.ts';
import { batchWrite } from './batch.ts';
import { ttlIn } from './items.ts';
import { keys, shardOf, TABLE_KEYS } from './keys.ts';
import { accountOfMark } from './dirty.ts';
import { stateOfTuple, tupleOf, type Tuple } from './score-states.ts';

/** Days a record is kept: only the day's own daily run reads it. */
const KEEP_DAYS = 2;
/** Characters of records per item: well under DynamoDB's 400 KB item. */
const CHUNK_CHARS = 300_000;

/** A record as a short JSON row: the state's tuple (as the score states store it), then the known and active people. */
type Row = [Tuple, number, number];

/**
 * The scored-today records (docs/data-model.md): under the shard's rescoring marks (`DIRTY#<shard>`),
 * one item per rescoring batch and shard (`!SCOREDTODAY#<day>#<newest time>#<id>`, more past
 * 300,000 characters), written together in one BatchWriteItem; they expire after 2 days. `read`
 * gives the day's records of the accounts not marked since, from one Query of the day's records
 * and the shard's marks (the records sort before the marks).
 */
export function scoredTodayRepo(db: DynamoDBDocumentClient, table: string): ScoredTodayRepo {
  return {
    async record(scored) {
      const groups = new Map<string, { day: string; shard: number; rows: string[]; size: number; last: string }[]>();
      for (const s of scored) {
        const day = dayOf(new Date(s.state.computedAt));
        const shard = shardOf(s.state.accountId);
        const chunks = groups.get(`${day}#${shard}`) ?? [];
        groups.set(`${day}#${shard}`, chunks);
        // The book fields are left out: the daily run takes them from the account it lists.
        const { book: _book, ...state } = s.state as ScoreState;
        const row = JSON.stringify([tupleOf(state), s.activation.known, s.activation.active] satisfies Row);
        let chunk = chunks.at(-1);
        if (!chunk || chunk.size + row.length > CHUNK_CHARS) chunks.push((chunk = { day, shard, rows: [], size: 0, last: '' }));
        chunk.rows.push(row);
        chunk.size += row.length + 1;
        if (s.state.computedAt > chunk.last) chunk.last = s.state.computedAt;
      }
      const items = [...groups.values()].flat().map((c) => ({
        PutRequest: {
          Item: {
            ...keys.scoredToday(c.day, c.shard, c.last, randomUUID()),
            d: `[${c.rows.join(',')}]`,
            [TABLE_KEYS.ttl]: ttlIn(new Date(`${c.day}T00:00:00Z`), KEEP_DAYS),
          },
        },
      }));
      if (items.length) await batchWrite(db, table, items);
    },
    async read(day, shard) {
      const out = new Map<string, ScoredToday>();
      const marked = new Set<string>();
      const seen = new Map<string, string>();
      const prefix = keys.scoredTodayFrom(day);
      for await (const page of paginateQuery(
        { client: db },
        // The day's records and every mark of the shard, in one Query. Strongly consistent: a record
        // written moments before the daily run is not missed for an older one, nor a mark written since.
        {
          TableName: table,
          KeyConditionExpression: 'pk = :pk AND sk >= :from',
          ExpressionAttributeValues: { ':pk': keys.dirtyShard(shard), ':from': prefix },
          ConsistentRead: true,
        },
      ))
        for (const item of page.Items ?? []) {
          const sk = String(item.sk);
          if (sk >= keys.dirtyMarksFrom) marked.add(accountOfMark(sk));
          else if (sk.startsWith(prefix))
            for (const [tuple, known, active] of JSON.parse(String(item.d)) as Row[]) {
              const state = stateOfTuple(tuple, seen);
              const kept = out.get(state.accountId);
              if (!kept || kept.state.computedAt < state.computedAt) out.set(state.accountId, { state, activation: { known, active } });
            }
        }
      // A marked account has data newer than its record may hold (a later rescoring failed, or its record was not written): it is read.
      for (const id of marked) out.delete(id);
      return out;
    },
  };
}
