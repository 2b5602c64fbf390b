import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RateCounter } from '../core/ports.ts';
import { ttlIn } from './items.ts';
import { apiKeys } from './keys.ts';

/** A fixed-window counter per key: one atomic ADD per request; the window's item expires a day later. */
export function rateCounter(db: DynamoDBDocumentClient, table: string): RateCounter {
  return {
    async hit(keyId, windowStart, windowSeconds) {
      const out = await db.send(
        new UpdateCommand({
          TableName: table,
          Key: apiKeys.rateWindow(keyId, windowStart.toISOString()),
          UpdateExpression: 'ADD #n :one SET expiresAt = :exp',
          ExpressionAttributeNames: { '#n': 'count' },
          ExpressionAttributeValues: { ':one': 1, ':exp': ttlIn(windowStart, 1) + windowSeconds },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return Number(out.Attributes?.count ?? 1);
    },
  };
}
