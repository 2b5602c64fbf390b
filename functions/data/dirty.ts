import { DeleteCommand, paginateQuery, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DirtyAccounts } from '../core/ports.ts';
import { keys, TABLE_KEYS } from './keys.ts';
import { indexPartition, ttlIn } from './items.ts';
import { isConditionalCheckFailed } from './errors.ts';

/** Marks expire after a week: an account nobody rescored by then is rescored by the daily run anyway. */
const DIRTY_TTL_DAYS = 7;

export function dirtyAccounts(db: DynamoDBDocumentClient, table: string): DirtyAccounts {
  return {
    async mark(accountIds, at) {
      await Promise.all(
        accountIds.map((id) => db.send(new PutCommand({ TableName: table, Item: { ...keys.dirty(id), markedAt: at.toISOString(), expiresAt: ttlIn(at, DIRTY_TTL_DAYS) } }))),
      );
    },
    async list(shard) {
      const out: { accountId: string; markedAt: string }[] = [];
      for await (const page of paginateQuery({ client: db }, indexPartition(table, keys.dirtyShard(shard)))) {
        for (const i of page.Items ?? []) out.push({ accountId: String(i[TABLE_KEYS.gsi1.sortKey]), markedAt: String(i.markedAt) });
      }
      return out;
    },
    async clear(accountId, markedAt) {
      try {
        const { pk, sk } = keys.dirty(accountId);
        await db.send(new DeleteCommand({ TableName: table, Key: { pk, sk }, ConditionExpression: 'markedAt = :m', ExpressionAttributeValues: { ':m': markedAt } }));
      } catch (err) {
        if (!isConditionalCheckFailed(err)) throw err;
      }
    },
  };
}
