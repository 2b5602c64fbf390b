import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { EventClaims } from '../core/ports.ts';
import { isConditionalCheckFailed } from './errors.ts';
import { ttlIn } from './items.ts';
import { apiKeys } from './keys.ts';

/** Senders retry within minutes or hours (Segment for up to 4 hours); a week is ample. */
const CLAIM_TTL_DAYS = 7;
const PARALLEL = 25;

/**
 * One conditional put per event id: exactly one of any number of racing deliveries wins. The
 * claims only tell accepted from duplicate; the rollup itself is a set union and needs none.
 */
export function eventClaims(db: DynamoDBDocumentClient, table: string): EventClaims {
  return {
    async claim(accountId, eventIds, now) {
      const out = new Map<string, boolean>();
      const ids = [...new Set(eventIds)];
      for (let i = 0; i < ids.length; i += PARALLEL) {
        await Promise.all(
          ids.slice(i, i + PARALLEL).map(async (id) => {
            try {
              await db.send(new PutCommand({ TableName: table, Item: { ...apiKeys.eventClaim(accountId, id), at: now.toISOString(), expiresAt: ttlIn(now, CLAIM_TTL_DAYS) }, ConditionExpression: 'attribute_not_exists(pk)' }));
              out.set(id, true);
            } catch (err) {
              if (!isConditionalCheckFailed(err)) throw err;
              out.set(id, false);
            }
          }),
        );
      }
      return out;
    },
    async claimed(accountId, eventId) {
      const out = await db.send(new GetCommand({ TableName: table, Key: apiKeys.eventClaim(accountId, eventId), ConsistentRead: true, ProjectionExpression: 'pk' }));
      return out.Item !== undefined;
    },
  };
}
