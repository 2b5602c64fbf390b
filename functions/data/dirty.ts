import { paginateQuery, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ClosedMarks, DirtyAccounts } from '../core/ports.ts';
import { keys, shardOf, TABLE_KEYS } from './keys.ts';
import { batchGetItems, batchWrite } from './batch.ts';
import { ttlIn } from './items.ts';

/** Marks and flags expire after a week: an account nobody rescored by then is rescored by the daily run anyway. */
const DIRTY_TTL_DAYS = 7;
const HOUR_MS = 3_600_000;
/**
 * How long after its `at` a mark may still land: the marking function's longest life (the API's
 * 30 s timeout, its SDK retries included) and clock skew between hosts, with room to spare. A mark
 * goes to the bucket of `at + DIRTY_MARGIN_MS`, so a bucket's last write lands before the hour
 * it is named after ends, and a rescoring reads only buckets of hours that have ended.
 */
export const DIRTY_MARGIN_MS = 5 * 60_000;
/**
 * Closed buckets whose flags a rescoring reads: the last one, and the one before for a run that
 * failed whole (16 shards x 2 = 32 keys, one BatchGetItem, 16 RRU as the 16 strongly consistent
 * flags before). Older marks are read with their shard's next flag; the daily run covers them meanwhile.
 */
const FLAG_BUCKETS = 2;

/** The bucket a mark written at `at` belongs to: the hour (`YYYY-MM-DDTHH`) of `at` plus the margin. */
export const markBucket = (at: Date) => new Date(at.getTime() + DIRTY_MARGIN_MS).toISOString().slice(0, 13);
/** The bucket of the hour `now` is in: every bucket before it is closed. */
const hourOf = (ms: number) => new Date(ms).toISOString().slice(0, 13);
/** The account of a mark's sort key; a mark of the former layout (one per account, no bucket) is the account id alone. */
export const accountOfMark = (sk: string) => (/^\d{4}-\d\d-\d\dT\d\d#/.test(sk) ? sk.slice(14) : sk);

/**
 * Marks as small items under their shard's partition (`DIRTY#<shard>` / `<bucket>#<account>`): no
 * index, so a mark is one write unit, not two; written 25 to a request. Posts for an account within
 * one bucket overwrite one item, as one item per account did. A flag item per shard and bucket
 * (`DIRTYFLAG#<shard>` / `<bucket>`) says the shard has marks there, so the rescoring reads the
 * closed buckets' flags in one request and queries only the flagged shards (none in a quiet hour).
 *
 * Why a rescoring may delete what it read without a condition (docs/data-model.md, "Rescoring
 * marks in hour buckets"): it reads only buckets of hours that have ended, and no mark or flag is written to a
 * bucket after its hour ends (`DIRTY_MARGIN_MS`), so nothing it deletes was written after it read
 * it. A newer post for the account goes to a later bucket and stays for the next run.
 */
export function dirtyAccounts(db: DynamoDBDocumentClient, table: string): DirtyAccounts {
  const putAll = (items: Record<string, unknown>[]) =>
    batchWrite(
      db,
      table,
      items.map((Item) => ({ PutRequest: { Item } })),
    );
  const flags = (shards: number[], bucket: string, at: Date) =>
    [...new Set(shards)].map((s) => ({ ...keys.dirtyFlag(s, bucket), [TABLE_KEYS.ttl]: ttlIn(at, DIRTY_TTL_DAYS) }));
  return {
    async mark(accountIds, at) {
      const unique = [...new Set(accountIds)];
      if (unique.length === 0) return;
      const bucket = markBucket(at);
      await putAll(unique.map((id) => ({ ...keys.dirty(id, bucket), [TABLE_KEYS.ttl]: ttlIn(at, DIRTY_TTL_DAYS) })));
      // After the marks: a rescoring that sees the flag finds them.
      await putAll(flags(unique.map(shardOf), bucket, at));
    },
    async closed(shards, now) {
      if (shards.length === 0) return [];
      const hour = hourOf(now.getTime());
      const buckets = Array.from({ length: FLAG_BUCKETS }, (_, i) => hourOf(now.getTime() - (i + 1) * HOUR_MS));
      // Eventually consistent: a flag of a closed bucket was written minutes ago at least.
      const found = await getAll(
        db,
        table,
        shards.flatMap((s) => buckets.map((b) => keys.dirtyFlag(s, b))),
      );
      const shardOfFlag = new Map(shards.map((s) => [keys.dirtyFlag(s, hour).pk, s]));
      const flagged = new Map<number, string[]>();
      for (const f of found) {
        const shard = shardOfFlag.get(String(f.pk))!;
        flagged.set(shard, [...(flagged.get(shard) ?? []), String(f.sk)]);
      }
      const out: ClosedMarks[] = [];
      for (const shard of shards) {
        const buckets = flagged.get(shard);
        if (!buckets) continue;
        const marks: { accountId: string; sk: string }[] = [];
        const query = {
          TableName: table,
          // From the marks' first key (the day's records sort before them) to the current hour's bucket, excluded.
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :hour',
          ExpressionAttributeValues: { ':pk': keys.dirtyShard(shard), ':from': keys.dirtyMarksFrom, ':hour': hour },
        };
        for await (const page of paginateQuery({ client: db }, query))
          for (const i of page.Items ?? []) marks.push({ accountId: accountOfMark(String(i.sk)), sk: String(i.sk) });
        out.push({ shard, accountIds: [...new Set(marks.map((m) => m.accountId))], marks, flags: buckets });
      }
      return out;
    },
    async clear(read, kept, now) {
      const requests: Record<string, unknown>[] = [];
      for (const { shard, marks, flags: buckets } of read) {
        for (const m of marks) if (!kept.has(m.accountId)) requests.push({ DeleteRequest: { Key: { pk: keys.dirtyShard(shard), sk: m.sk } } });
        // A shard with marks left keeps one flag, in the last closed bucket: the next run reads it again.
        const again = marks.some((m) => kept.has(m.accountId)) ? hourOf(now.getTime() - HOUR_MS) : undefined;
        for (const b of buckets) if (b !== again) requests.push({ DeleteRequest: { Key: keys.dirtyFlag(shard, b) } });
        if (again) requests.push(...flags([shard], again, now).map((Item) => ({ PutRequest: { Item } })));
      }
      if (requests.length) await batchWrite(db, table, requests);
    },
    async list(shard) {
      const out = new Set<string>();
      // Strongly consistent: what is marked now. (The daily run reads the marks with the day's records: data/scored-today.ts.)
      const query = {
        TableName: table,
        KeyConditionExpression: 'pk = :pk AND sk >= :from',
        ExpressionAttributeValues: { ':pk': keys.dirtyShard(shard), ':from': keys.dirtyMarksFrom },
        ConsistentRead: true,
      };
      for await (const page of paginateQuery({ client: db }, query)) for (const i of page.Items ?? []) out.add(accountOfMark(String(i.sk)));
      return [...out];
    },
  };
}

type Key = Record<string, unknown>;

/** The items of these keys that exist. */
const getAll = (db: DynamoDBDocumentClient, table: string, wanted: Key[]): Promise<Key[]> => batchGetItems(db, table, wanted);
