import { BatchGetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { UserLinks } from '../core/ports.ts';
import { apiKeys } from './keys.ts';

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
      for (let i = 0; i < ids.length; i += 100) {
        let request: Record<string, { Keys: Record<string, unknown>[] }> | undefined = { [table]: { Keys: ids.slice(i, i + 100).map(apiKeys.userLink) } };
        while (request && Object.keys(request).length) {
          const out = await db.send(new BatchGetCommand({ RequestItems: request }));
          for (const item of out.Responses?.[table] ?? []) found.set(String(item.pk).slice('USER#'.length), String(item.accountId));
          request = out.UnprocessedKeys as typeof request;
        }
      }
      return found;
    },
  };
}
