import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AccountCatalog } from '../core/ports.ts';
import { accountFromItem } from './account-item.ts';
import { indexPartition } from './items.ts';
import { ValidationError } from '../core/errors.ts';
import { keys, shardOf } from './keys.ts';

/** Reads gsi1's ACCOUNTS#<shard> partitions (the index projects whole account items). */
export function accountCatalog(db: DynamoDBDocumentClient, table: string): AccountCatalog {
  return {
    async page(shard, afterId, limit) {
      // A page starts after an account of this shard: another one (an edited cursor) is a key DynamoDB refuses.
      if (afterId && shardOf(afterId) !== shard)
        throw new ValidationError('cursor: not a cursor this API returned', [{ field: 'cursor', message: 'not a cursor this API returned' }]);
      const out = await db.send(
        new QueryCommand({
          ...indexPartition(table, keys.accountShard(shard)),
          Limit: limit,
          ...(afterId ? { ExclusiveStartKey: { ...keys.account(afterId), ...keys.accountIndex(afterId) } } : {}),
        }),
      );
      return { accounts: (out.Items ?? []).map(accountFromItem), more: out.LastEvaluatedKey !== undefined };
    },
  };
}
