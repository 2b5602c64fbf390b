import { createHash } from 'node:crypto';
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { UsageEvent } from '../core/types.ts';
import { keys } from './keys.ts';
import { writeIf } from './items.ts';
import { chunksOf, eventHash } from './usage-claims.ts';

/**
 * A busy account-day's claims past DAY_CLAIMS (docs/data-model.md). The day item is closed, its
 * claims frozen, and each further id is claimed in one of OVERFLOW_SHARDS small items picked by
 * its hash: a single event then writes a shard of about 1/32 of the day's claims and the rollup,
 * instead of a day item holding every claim (25 WRU at 2,000 events a day).
 *
 * Claim and rollup are two writes here, claim first. Each claim stores a print of the body it
 * counted, so a replay of the same body re-adds its rollup members (set members: adding them twice
 * changes nothing) and a crash between the two writes loses nothing; a replay with another body
 * adds nothing.
 */
export const OVERFLOW_SHARDS = 32;

export const overflowShard = (hash: string) => Buffer.from(hash, 'base64url')[0]! % OVERFLOW_SHARDS;

/** 3 bytes of SHA-256 over what the rollup reads of an event: tells the same body from another (1 in 16 million alike). */
export function bodyPrint(e: UsageEvent): string {
  const properties = Object.entries(e.properties ?? {}).sort(([a], [b]) => (a < b ? -1 : 1));
  return createHash('sha256')
    .update(JSON.stringify([e.userId, e.name, e.timestamp, properties]))
    .digest()
    .subarray(0, 3)
    .toString('base64url');
}

/** The claim attribute of an id hash: one top-level attribute per claim (`c<hash>` = body print). */
const claimName = (hash: string) => `c${hash}`;

/** Claims the events' ids in their shard, refused when any is claimed there already. */
export function claimInShard(table: string, key: Record<string, string>, events: UsageEvent[], expiresAt: number): UpdateCommand {
  const hashes = events.map((e) => eventHash(e.id));
  return new UpdateCommand({
    TableName: table,
    Key: key,
    UpdateExpression: `SET ${hashes.map((_, i) => `#c${i} = :p${i}`).join(', ')}, expiresAt = :exp`,
    ConditionExpression: hashes.map((_, i) => `attribute_not_exists(#c${i})`).join(' AND '),
    ExpressionAttributeNames: Object.fromEntries(hashes.map((h, i) => [`#c${i}`, claimName(h)])),
    ExpressionAttributeValues: { ...Object.fromEntries(events.map((e, i) => [`:p${i}`, bodyPrint(e)])), ':exp': expiresAt },
  });
}

/** The body prints a shard holds for these events' ids (strongly consistent, to see a racing claim). */
async function printsOf(db: DynamoDBDocumentClient, table: string, key: Record<string, string>, events: UsageEvent[]): Promise<Map<string, string>> {
  const hashes = events.map((e) => eventHash(e.id));
  const out = await db.send(
    new GetCommand({
      TableName: table,
      Key: key,
      ConsistentRead: true,
      ProjectionExpression: hashes.map((_, i) => `#c${i}`).join(', '),
      ExpressionAttributeNames: Object.fromEntries(hashes.map((h, i) => [`#c${i}`, claimName(h)])),
    }),
  );
  return new Map(hashes.filter((h) => out.Item?.[claimName(h)] !== undefined).map((h) => [h, String(out.Item![claimName(h)])]));
}

export interface OverflowClaims {
  /** Ids this call claimed: their rollup is added now. */
  claimed: UsageEvent[];
  /** Ids claimed before with the same body: their rollup is added again (a no-op unless a crash came between). */
  sameBody: UsageEvent[];
}

/** Claims each event's id in its shard, each shard's events in chunks, the shards concurrently. */
export async function claimOverflow(
  db: DynamoDBDocumentClient,
  table: string,
  accountId: string,
  day: string,
  expiresAt: number,
  events: UsageEvent[],
): Promise<OverflowClaims> {
  const out: OverflowClaims = { claimed: [], sameBody: [] };
  const byShard = new Map<number, UsageEvent[]>();
  for (const e of events) {
    const shard = overflowShard(eventHash(e.id));
    byShard.set(shard, [...(byShard.get(shard) ?? []), e]);
  }
  await Promise.all(
    [...byShard].map(async ([shard, shardEvents]) => {
      const key = keys.usageClaims(accountId, day, shard);
      for (const chunk of chunksOf(shardEvents)) {
        let pending = chunk;
        for (let attempt = 0; pending.length > 0; attempt++) {
          if (attempt > chunk.length + 3) throw new Error(`claims of ${accountId} on ${day} (shard ${shard}) kept being refused`);
          if (await writeIf(db, claimInShard(table, key, pending, expiresAt))) {
            out.claimed.push(...pending);
            break;
          }
          const prints = await printsOf(db, table, key, pending);
          for (const e of pending) if (prints.get(eventHash(e.id)) === bodyPrint(e)) out.sameBody.push(e);
          pending = pending.filter((e) => !prints.has(eventHash(e.id)));
        }
      }
    }),
  );
  return out;
}
