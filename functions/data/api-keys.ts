import { GetCommand, paginateQuery, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ApiKeyRecord } from '../core/api-keys.ts';
import type { ApiKeyRepo } from '../core/ports.ts';
import { indexPartition, stripKeys, writeIf } from './items.ts';
import { apiKeys } from './keys.ts';

/** One item per key, by its id; in gsi1 under one partition so `tend keys list` is one Query. */
export function apiKeyRepo(db: DynamoDBDocumentClient, table: string): ApiKeyRepo {
  return {
    async get(id) {
      const { pk, sk } = apiKeys.apiKey(id);
      const out = await db.send(new GetCommand({ TableName: table, Key: { pk, sk } }));
      return out.Item ? (stripKeys(out.Item) as unknown as ApiKeyRecord) : undefined;
    },
    async put(record) {
      await db.send(new PutCommand({ TableName: table, Item: { ...apiKeys.apiKey(record.id), ...record }, ConditionExpression: 'attribute_not_exists(pk)' }));
    },
    async list() {
      const out: ApiKeyRecord[] = [];
      for await (const page of paginateQuery({ client: db }, indexPartition(table, apiKeys.apiKeysPartition))) {
        for (const i of page.Items ?? []) out.push(stripKeys(i) as unknown as ApiKeyRecord);
      }
      return out;
    },
    async revoke(id, at) {
      const { pk, sk } = apiKeys.apiKey(id);
      // Only a key that exists is revoked; revoking it again keeps the first date.
      return writeIf(
        db,
        new UpdateCommand({
          TableName: table,
          Key: { pk, sk },
          UpdateExpression: 'SET revokedAt = if_not_exists(revokedAt, :t)',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':t': at.toISOString() },
        }),
      );
    },
  };
}
