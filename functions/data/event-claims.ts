import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { EventClaims } from '../core/ports.ts';
import { putIfAbsent, ttlIn } from './items.ts';
import { apiKeys } from './keys.ts';

/** Senders retry within minutes or hours (Segment for up to 4 hours); a week is ample. */
const CLAIM_TTL_DAYS = 7;
const PARALLEL = 25;

/**
 * One conditional put per message id, for Segment `group` and `identify` calls: exactly one of
 * any number of racing deliveries wins, and a late retry cannot re-apply old traits. Usage events
 * are claimed in their account-day's rollup instead (usage-claims.ts).
 */
export function eventClaims(db: DynamoDBDocumentClient, table: string): EventClaims {
  return {
    async claim(accountId, eventIds, now) {
      const out = new Map<string, boolean>();
      const ids = [...new Set(eventIds)];
      for (let i = 0; i < ids.length; i += PARALLEL) {
        await Promise.all(
          ids
            .slice(i, i + PARALLEL)
            .map(async (id) =>
              out.set(id, await putIfAbsent(db, table, { ...apiKeys.eventClaim(accountId, id), at: now.toISOString(), expiresAt: ttlIn(now, CLAIM_TTL_DAYS) })),
            ),
        );
      }
      return out;
    },
    async claimed(accountId, eventId) {
      const out = await db.send(
        new GetCommand({ TableName: table, Key: apiKeys.eventClaim(accountId, eventId), ConsistentRead: true, ProjectionExpression: 'pk' }),
      );
      return out.Item !== undefined;
    },
  };
}
