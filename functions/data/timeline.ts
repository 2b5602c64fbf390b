import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TimelineEntry } from '../core/timeline.ts';
import type { TimelineItem, TimelineRepo } from '../core/timeline-query.ts';
import { keys } from './keys.ts';
import { ttlIn } from './items.ts';
import { batchWrite } from './batch.ts';

/** Two years of history: the last renewal cycle and the one before it. */
export const TIMELINE_TTL_DAYS = 730;

/**
 * The stored item of a timeline entry: its key, its few attributes, its expiry (~200-400 bytes:
 * 1 write unit). Repositories put it in the same BatchWriteItem as the item it describes when they
 * write one (surveys, tickets, ARR points), so most entries cost no request of their own.
 */
export function timelineItemOf(entry: TimelineEntry): Record<string, unknown> {
  return {
    ...keys.timelineEntry(entry.accountId, entry.at, entry.kind, entry.ref),
    kind: entry.kind,
    at: entry.at,
    ref: entry.ref,
    summary: entry.summary,
    ...(entry.detail ? { detail: entry.detail } : {}),
    expiresAt: ttlIn(new Date(entry.at), TIMELINE_TTL_DAYS),
  };
}

/** Puts items 25 a request (functions/data/batch.ts); a key twice in one batch is written once (BatchWriteItem refuses duplicates). */
export async function putAll(db: DynamoDBDocumentClient, table: string, items: Record<string, unknown>[]): Promise<void> {
  const unique = [...new Map(items.map((i) => [`${String(i.pk)}\u0000${String(i.sk)}`, i])).values()];
  await batchWrite(
    db,
    table,
    unique.map((Item) => ({ PutRequest: { Item } })),
  );
}

/** Items a BatchWriteItem takes. */
const BATCH = 25;

/**
 * Timeline entries buffered for a run (the scoring Lambda's): written 25 a request as they fill a
 * batch, the rest by `flush`, with any other items the run writes at that point unconditionally
 * (the shard's health tally), so a scoring's entries cost no request of their own. A run that dies
 * before flushing loses what it buffered: the entries are a view of changes kept elsewhere (the
 * score item's history and flags), and at most 24 of them.
 */
export function bufferedTimeline(db: DynamoDBDocumentClient, table: string) {
  let pending: Record<string, unknown>[] = [];
  return {
    async record(entries: TimelineEntry[]) {
      pending.push(...entries.map(timelineItemOf));
      if (pending.length < BATCH) return;
      const full = pending.splice(0, pending.length - (pending.length % BATCH));
      await putAll(db, table, full);
    },
    async flush(items: Record<string, unknown>[] = []) {
      const all = [...pending, ...items];
      pending = [];
      if (all.length) await putAll(db, table, all);
    },
  };
}

export function timelineRepo(db: DynamoDBDocumentClient, table: string): TimelineRepo {
  return {
    record: (entries) => putAll(db, table, entries.map(timelineItemOf)),
    async page(accountId, { limit, before, kinds }) {
      const pk = keys.account(accountId).pk;
      const out = await db.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ScanIndexForward: false,
          Limit: limit,
          ...(before ? { ExclusiveStartKey: { pk, sk: before } } : {}),
          ...(kinds?.length
            ? { FilterExpression: `#kind IN (${kinds.map((_, i) => `:k${i}`).join(', ')})`, ExpressionAttributeNames: { '#kind': 'kind' } }
            : {}),
          ExpressionAttributeValues: {
            ':pk': pk,
            ':from': keys.timelinePrefix,
            ':to': keys.timelineEnd,
            ...Object.fromEntries((kinds ?? []).map((k, i) => [`:k${i}`, k])),
          },
        }),
      );
      const items = (out.Items ?? []).map((i): TimelineItem => ({
        at: String(i.at),
        kind: i.kind as TimelineItem['kind'],
        ref: String(i.ref),
        summary: String(i.summary),
        ...(i.detail ? { detail: i.detail as TimelineItem['detail'] } : {}),
      }));
      return { items, ...(out.LastEvaluatedKey ? { last: String(out.LastEvaluatedKey.sk) } : {}) };
    },
  };
}
