import { DeleteCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DirtyAccounts } from '../core/ports.ts';
import { keys, TABLE_KEYS } from './keys.ts';
import { ttlIn } from './items.ts';
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
      let start: Record<string, unknown> | undefined;
      do {
        const page = await db.send(
          new QueryCommand({
            TableName: table,
            IndexName: TABLE_KEYS.gsi1.name,
            KeyConditionExpression: '#pk = :pk',
            ExpressionAttributeNames: { '#pk': TABLE_KEYS.gsi1.partitionKey },
            ExpressionAttributeValues: { ':pk': keys.dirtyShard(shard) },
            ExclusiveStartKey: start,
          }),
        );
        for (const i of page.Items ?? []) out.push({ accountId: String(i[TABLE_KEYS.gsi1.sortKey]), markedAt: String(i.markedAt) });
        start = page.LastEvaluatedKey;
      } while (start);
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
