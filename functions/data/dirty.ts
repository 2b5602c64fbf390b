import { BatchWriteCommand, DeleteCommand, paginateQuery, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DirtyAccounts } from '../core/ports.ts';
import { keys, shardOf } from './keys.ts';
import { ttlIn, writeIf } from './items.ts';

/** Marks expire after a week: an account nobody rescored by then is rescored by the daily run anyway. */
const DIRTY_TTL_DAYS = 7;
/** BatchWriteItem's limit. */
const BATCH = 25;

/**
 * Marks as small items under their shard's partition (`DIRTY#<shard>` / account id): no index,
 * so a mark is one write unit, not two; written 25 to a request. One item, `DIRTY` / `SHARDS`,
 * names the shards that have marks, so the rescoring queries only those (none in a quiet hour).
 */
export function dirtyAccounts(db: DynamoDBDocumentClient, table: string): DirtyAccounts {
  const addShards = (shards: number[]) =>
    db.send(
      new UpdateCommand({ TableName: table, Key: keys.dirtyShards, UpdateExpression: 'ADD shards :s', ExpressionAttributeValues: { ':s': new Set(shards) } }),
    );
  return {
    async mark(accountIds, at) {
      const unique = [...new Set(accountIds)];
      if (unique.length === 0) return;
      const items = unique.map((id) => ({ ...keys.dirty(id), markedAt: at.toISOString(), expiresAt: ttlIn(at, DIRTY_TTL_DAYS) }));
      for (let i = 0; i < items.length; i += BATCH) {
        let request: Record<string, { PutRequest: { Item: Record<string, unknown> } }[]> | undefined = {
          [table]: items.slice(i, i + BATCH).map((Item) => ({ PutRequest: { Item } })),
        };
        // Unprocessed marks are retried until written: a mark is never lost on a throttle.
        for (let attempt = 0; request && Object.keys(request).length; attempt++) {
          if (attempt) await new Promise((r) => setTimeout(r, Math.min(1000, 25 * 2 ** attempt)));
          const out = await db.send(new BatchWriteCommand({ RequestItems: request }));
          request = out.UnprocessedItems as typeof request;
        }
      }
      // After the marks: a rescoring that sees the shard finds them.
      await addShards([...new Set(unique.map(shardOf))]);
    },
    async claimShards(shards) {
      if (shards.length === 0) return [];
      const out = await db.send(
        new UpdateCommand({
          TableName: table,
          Key: keys.dirtyShards,
          UpdateExpression: 'DELETE shards :s',
          ExpressionAttributeValues: { ':s': new Set(shards) },
          ReturnValues: 'UPDATED_OLD',
        }),
      );
      const had = (out.Attributes?.shards as Set<number> | undefined) ?? new Set<number>();
      return shards.filter((s) => had.has(s));
    },
    async remarkShards(shards) {
      if (shards.length) await addShards(shards);
    },
    async list(shard) {
      const out: { accountId: string; markedAt: string }[] = [];
      const query = { TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': keys.dirtyShard(shard) } };
      for await (const page of paginateQuery({ client: db }, query)) {
        for (const i of page.Items ?? []) out.push({ accountId: String(i.sk), markedAt: String(i.markedAt) });
      }
      return out;
    },
    async clear(accountId, markedAt) {
      // Refused when the account was marked again meanwhile: that newer mark stays for the next run.
      await writeIf(
        db,
        new DeleteCommand({
          TableName: table,
          Key: keys.dirty(accountId),
          ConditionExpression: 'markedAt = :m',
          ExpressionAttributeValues: { ':m': markedAt },
        }),
      );
    },
  };
}
