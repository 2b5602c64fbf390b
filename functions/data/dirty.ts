import { randomUUID } from 'node:crypto';
import { BatchGetCommand, BatchWriteCommand, DeleteCommand, paginateQuery, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DirtyAccounts } from '../core/ports.ts';
import { keys, shardOf } from './keys.ts';
import { ttlIn, writeIf } from './items.ts';

/** Marks expire after a week: an account nobody rescored by then is rescored by the daily run anyway. */
const DIRTY_TTL_DAYS = 7;
/** BatchWriteItem's limit. */
const BATCH = 25;

type Key = Record<string, unknown>;
type Item = Record<string, unknown>;

/**
 * Marks as small items under their shard's partition (`DIRTY#<shard>` / account id): no index,
 * so a mark is one write unit, not two; written 25 to a request. A flag item per shard
 * (`DIRTYFLAG#<shard>`) says the shard has marks, so the rescoring reads the 16 flags in one
 * request and queries only the flagged shards (none in a quiet hour). One flag per shard, not one
 * item for all: every ingest call writes its shards' flags, and one key takes 1,000 writes a second.
 */
export function dirtyAccounts(db: DynamoDBDocumentClient, table: string): DirtyAccounts {
  const putAll = async (items: Item[]) => {
    for (let i = 0; i < items.length; i += BATCH) {
      let request: Record<string, { PutRequest: { Item: Item } }[]> | undefined = {
        [table]: items.slice(i, i + BATCH).map((Item) => ({ PutRequest: { Item } })),
      };
      // Unprocessed items are retried until written: a mark or a flag is never lost on a throttle.
      for (let attempt = 0; request && Object.keys(request).length; attempt++) {
        if (attempt) await backoff(attempt);
        const out = await db.send(new BatchWriteCommand({ RequestItems: request }));
        request = out.UnprocessedItems as typeof request;
      }
    }
  };
  // Each flag carries an id: the rescoring removes the flag it read, never a newer one.
  const flag = (shards: number[], at: Date) =>
    putAll([...new Set(shards)].map((s) => ({ ...keys.dirtyFlag(s), flagId: randomUUID(), flaggedAt: at.toISOString(), shard: s })));
  return {
    async mark(accountIds, at) {
      const unique = [...new Set(accountIds)];
      if (unique.length === 0) return;
      await putAll(unique.map((id) => ({ ...keys.dirty(id), markedAt: at.toISOString(), expiresAt: ttlIn(at, DIRTY_TTL_DAYS) })));
      // After the marks: a rescoring that sees the flag finds them.
      await flag(unique.map(shardOf), at);
    },
    async claimShards(shards) {
      if (shards.length === 0) return [];
      const flags = await getAll(db, table, shards.map(keys.dirtyFlag));
      await Promise.all(
        flags.map((f) =>
          writeIf(
            db,
            new DeleteCommand({
              TableName: table,
              Key: keys.dirtyFlag(Number(f.shard)),
              ConditionExpression: 'flagId = :t',
              ExpressionAttributeValues: { ':t': f.flagId },
            }),
          ),
        ),
      );
      const flagged = new Set(flags.map((f) => Number(f.shard)));
      return shards.filter((s) => flagged.has(s));
    },
    async remarkShards(shards) {
      if (shards.length) await flag(shards, new Date());
    },
    async list(shard) {
      const out: { accountId: string; markedAt: string }[] = [];
      const query = { TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': keys.dirtyShard(shard) } };
      for await (const page of paginateQuery({ client: db }, query)) {
        for (const i of page.Items ?? []) out.push({ accountId: String(i.sk), markedAt: String(i.markedAt) });
      }
      return out;
    },
    async clear(accountId, markedAt) {
      // Refused when the account was marked again meanwhile: that newer mark stays for the next run.
      await writeIf(
        db,
        new DeleteCommand({
          TableName: table,
          Key: keys.dirty(accountId),
          ConditionExpression: 'markedAt = :m',
          ExpressionAttributeValues: { ':m': markedAt },
        }),
      );
    },
  };
}

const backoff = (attempt: number) => new Promise((r) => setTimeout(r, Math.min(1000, 25 * 2 ** attempt)));

/** The items of these keys that exist (consistent reads, 100 keys a request; unprocessed keys asked again). */
async function getAll(db: DynamoDBDocumentClient, table: string, wanted: Key[]): Promise<Item[]> {
  const found: Item[] = [];
  for (let i = 0; i < wanted.length; i += 100) {
    let request: Record<string, { Keys: Key[]; ConsistentRead: boolean }> | undefined = { [table]: { Keys: wanted.slice(i, i + 100), ConsistentRead: true } };
    for (let attempt = 0; request && Object.keys(request).length; attempt++) {
      if (attempt) await backoff(attempt);
      const out = await db.send(new BatchGetCommand({ RequestItems: request }));
      found.push(...(out.Responses?.[table] ?? []));
      request = out.UnprocessedKeys as typeof request;
    }
  }
  return found;
}
