import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { UserLinks } from '../core/ports.ts';
import { apiKeys } from './keys.ts';
import { batchGetItems } from './batch.ts';

/** user -> account, from Segment `group` calls; a later call wins, an older replay does not. */
export function userLinks(db: DynamoDBDocumentClient, table: string): UserLinks {
  return {
    async link(userId, accountId, at) {
      await db
        .send(
          new UpdateCommand({
            TableName: table,
            Key: apiKeys.userLink(userId),
            UpdateExpression: 'SET accountId = :a, linkedAt = :t',
            ConditionExpression: 'attribute_not_exists(linkedAt) OR linkedAt <= :t',
            ExpressionAttributeValues: { ':a': accountId, ':t': at },
          }),
        )
        .catch((err: unknown) => {
          if ((err as { name?: string }).name !== 'ConditionalCheckFailedException') throw err;
        });
    },
    async accountsOf(userIds) {
      const found = new Map<string, string>();
      const ids = [...new Set(userIds)];
      for (const item of await batchGetItems(db, table, ids.map(apiKeys.userLink))) found.set(String(item.pk).slice('USER#'.length), String(item.accountId));
      return found;
    },
  };
}
