import { createHash } from 'node:crypto';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { UsageEvent } from '../core/types.ts';
import type { RollupSets } from './usage-rollup.ts';

/**
 * Event-id claims inside the account-day rollup item (docs/data-model.md): the item's string set
 * `ids` holds a short hash of every event id it counted. One UpdateItem adds the hashes and the
 * events' rollup together, on the condition that none of the hashes is there yet: claim and body
 * land in one atomic write, and a refused write adds nothing.
 */

/**
 * 8 bytes of SHA-256, base64url (11 characters). Two ids of one account-day collide with a
 * probability of about n²/2^65 (1 in 40 billion at 30,000 events a day); a collision would count
 * an event as a duplicate, whose rollup members are then almost surely there already.
 */
export const eventHash = (eventId: string) => createHash('sha256').update(eventId).digest().subarray(0, 8).toString('base64url');

/**
 * Ids claimed per write. DynamoDB allows 300 operators and 4 KB per expression: the condition has
 * 2 operators (`contains`, `OR`) and about 24 characters per id.
 */
export const CLAIMS_PER_WRITE = 100;

export function chunksOf<T>(items: T[], size = CLAIMS_PER_WRITE): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Each id once, its first occurrence: a second body under the same id is a duplicate's. */
export function distinctIds(events: UsageEvent[]): UsageEvent[] {
  const seen = new Set<string>();
  return events.filter((e) => !seen.has(e.id) && !!seen.add(e.id));
}

/** `NOT (contains(#ids, :h0) OR ...)`: true when none of `count` hashes is claimed (a missing set contains nothing). */
export function noneClaimed(count: number): string {
  return `NOT (${Array.from({ length: count }, (_, i) => `contains(#ids, :h${i})`).join(' OR ')})`;
}

/** The events not yet claimed in an item whose `ids` are `claimed`. */
export const unclaimed = (events: UsageEvent[], claimed: ReadonlySet<string>) => events.filter((e) => !claimed.has(eventHash(e.id)));

/**
 * Claims an account-day item holds itself; past them the day is closed (`closed`) and its further
 * claims go to shard items (usage-overflow.ts). About 1.5 KB of hashes: a quiet day stays one small
 * item written once per batch, and a busy day's single-event writes stay small.
 */
export const DAY_CLAIMS = 80;

/**
 * One atomic write: claims the events' ids and adds their rollup, refused (nothing written) when
 * any of the ids is already claimed, the day is closed, or the day's claims would pass
 * DAY_CLAIMS. At most CLAIMS_PER_WRITE events, each id once.
 */
export function claimAndRecord(
  table: string,
  key: Record<string, string>,
  day: string,
  expiresAt: number,
  events: UsageEvent[],
  rollup: RollupSets,
): UpdateCommand {
  const hashes = events.map((e) => eventHash(e.id));
  return rollupUpdate(
    table,
    key,
    day,
    expiresAt,
    { ids: new Set(hashes), ...rollup },
    {
      condition: `attribute_not_exists(#closed) AND (attribute_not_exists(#ids) OR size(#ids) <= :room) AND ${noneClaimed(hashes.length)}`,
      names: { '#closed': 'closed', '#ids': 'ids' },
      values: { ...Object.fromEntries(hashes.map((h, i) => [`:h${i}`, h])), ':room': DAY_CLAIMS - hashes.length },
    },
  );
}

/** ADD the non-empty sets to an account-day item (DynamoDB refuses an empty set), optionally on a condition. */
export function rollupUpdate(
  table: string,
  key: Record<string, string>,
  day: string,
  expiresAt: number,
  sets: Record<string, Set<string>>,
  when?: { condition: string; names: Record<string, string>; values: Record<string, unknown> },
): UpdateCommand {
  const added = Object.entries(sets).filter(([, v]) => v.size > 0);
  return new UpdateCommand({
    TableName: table,
    Key: key,
    UpdateExpression: `${added.length ? `ADD ${added.map(([k]) => `#${k} :${k}`).join(', ')} ` : ''}SET #day = :day, expiresAt = :exp`,
    ConditionExpression: when?.condition,
    ExpressionAttributeNames: { ...Object.fromEntries(added.map(([k]) => [`#${k}`, k])), '#day': 'day', ...when?.names },
    ExpressionAttributeValues: { ...Object.fromEntries(added.map(([k, v]) => [`:${k}`, v])), ':day': day, ':exp': expiresAt, ...when?.values },
  });
}
