import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { newApiKey, type Scope } from '../functions/core/api-keys.ts';
import { apiKeyRepo } from '../functions/data/api-keys.ts';

/** Creates an API key in a table (local or deployed) and returns the key: it is shown once, stored hashed. */
export async function createApiKey(client: DynamoDBClient, table: string, options: { scopes: Scope[]; name: string; now?: Date; rateLimit?: number }) {
  const { key, record } = newApiKey(options.name, options.scopes, options.now ?? new Date(), options.rateLimit);
  await apiKeyRepo(DynamoDBDocumentClient.from(client), table).put(record);
  return { key, record };
}
