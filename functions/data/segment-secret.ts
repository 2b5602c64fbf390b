import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { apiKeys } from './keys.ts';

/**
 * The shared secret of a Segment webhook destination. It signs bodies (HMAC), so unlike an API
 * key it must be kept as is; the table is encrypted at rest and only Tend's functions read it.
 */
export function segmentSecretStore(db: DynamoDBDocumentClient, table: string) {
  return {
    async get(): Promise<string | undefined> {
      const out = await db.send(new GetCommand({ TableName: table, Key: apiKeys.segmentSecret }));
      return out.Item?.secret as string | undefined;
    },
    async put(secret: string, at: Date): Promise<void> {
      await db.send(new PutCommand({ TableName: table, Item: { ...apiKeys.segmentSecret, secret, updatedAt: at.toISOString() } }));
    },
  };
}
