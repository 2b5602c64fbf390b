import { BatchGetCommand, GetCommand, paginateQuery, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AccountRepo } from '../core/ports.ts';
import type { Account, AccountUpsert } from '../core/types.ts';
import { keys, TABLE_KEYS } from './keys.ts';
import { indexPartition, writeIf } from './items.ts';
import { accountFromItem, milestoneAttribute } from './account-item.ts';

/** The account item holds the account and its primary contact, so one write is the whole account. */
export function accountRepo(db: DynamoDBDocumentClient, table: string, segmentOf: (arr: number | undefined) => Account['segment']): AccountRepo {
  return {
    async upsert(input: AccountUpsert, now: Date, storedArr?: number) {
      const { segment: segmentInput, ...rest } = input;
      const startDate = input.startDate ? new Date(input.startDate).toISOString() : undefined;
      const fields: Record<string, unknown> = {
        ...rest,
        startDate,
        renewalDate: input.renewalDate ? new Date(input.renewalDate).toISOString() : undefined,
        updatedAt: now.toISOString(),
        ...keys.accountIndex(input.id),
      };
      const names: Record<string, string> = {};
      const values: Record<string, unknown> = { ':now': now.toISOString() };
      const sets: string[] = ['#createdAt = if_not_exists(#createdAt, :now)', '#startDate = if_not_exists(#startDate, :now)'];
      names['#createdAt'] = 'createdAt';
      names['#startDate'] = 'startDate';
      for (const [k, v] of Object.entries(fields)) {
        if (v === undefined) continue;
        if (k === 'startDate') {
          sets[1] = '#startDate = :startDate';
          values[':startDate'] = v;
          continue;
        }
        names[`#${k}`] = k;
        values[`:${k}`] = v;
        sets.push(`#${k} = :${k}`);
      }
      // The segment in one expression, so no read races the write: a pinned one wins over ARR.
      const removes: string[] = [];
      names['#segment'] = 'segment';
      if (segmentInput && segmentInput !== 'auto') {
        names['#segmentSet'] = 'segmentSet';
        values[':segment'] = segmentInput;
        sets.push('#segment = :segment', '#segmentSet = :segment');
      } else if (segmentInput === 'auto') {
        // Without an ARR in the request, the segment of the stored one (upsertAccount reads it; it
        // is not written back, so a newer ARR landing meanwhile is kept and sets the segment again).
        names['#segmentSet'] = 'segmentSet';
        values[':segment'] = segmentOf(input.arr ?? storedArr);
        sets.push('#segment = :segment');
        removes.push('#segmentSet');
      } else if (input.arr !== undefined) {
        names['#segmentSet'] = 'segmentSet';
        values[':segment'] = segmentOf(input.arr);
        sets.push('#segment = if_not_exists(#segmentSet, :segment)');
      } else {
        // Without an ARR in this request the stored segment stands (a new account starts tech-touch).
        values[':segment'] = segmentOf(undefined);
        sets.push('#segment = if_not_exists(#segment, :segment)');
      }
      if (input.status === 'churned') {
        names['#churnedAt'] = 'churnedAt';
        sets.push('#churnedAt = if_not_exists(#churnedAt, :now)');
      }
      if (input.status === undefined) {
        names['#status'] = 'status';
        values[':defaultStatus'] = 'active';
        sets.push('#status = if_not_exists(#status, :defaultStatus)');
      }
      const out = await db.send(
        new UpdateCommand({
          TableName: table,
          Key: keys.account(input.id),
          UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      const after = accountFromItem(out.Attributes ?? {});
      // ALL_NEW cannot tell a create from an update; createdAt equal to this write's time can.
      const before = after.createdAt === now.toISOString() ? undefined : after;
      return { before, after };
    },
    // Strongly consistent (1 RCU, not 0.5): an account created a moment ago (a Segment group call
    // earlier in the same batch, an upsert just announced) must be found by the next read.
    async get(accountId) {
      const out = await db.send(new GetCommand({ TableName: table, Key: keys.account(accountId), ConsistentRead: true }));
      return out.Item ? accountFromItem(out.Item) : undefined;
    },
    async existing(accountIds) {
      const found = new Set<string>();
      for (let i = 0; i < accountIds.length; i += 100) {
        let request: Record<string, { Keys: Record<string, unknown>[]; ProjectionExpression: string; ExpressionAttributeNames: Record<string, string>; ConsistentRead?: boolean }> | undefined = {
          [table]: { Keys: accountIds.slice(i, i + 100).map((id) => keys.account(id)), ProjectionExpression: '#id', ExpressionAttributeNames: { '#id': 'id' }, ConsistentRead: true },
        };
        while (request && Object.keys(request).length > 0) {
          const out = await db.send(new BatchGetCommand({ RequestItems: request }));
          for (const item of out.Responses?.[table] ?? []) found.add(String(item.id));
          request = out.UnprocessedKeys as typeof request;
        }
      }
      return found;
    },
    async markAnnounced(accountId, now) {
      await db.send(new UpdateCommand({ TableName: table, Key: keys.account(accountId), UpdateExpression: 'SET announcedAt = if_not_exists(announcedAt, :now)', ExpressionAttributeValues: { ':now': now.toISOString() } }));
    },
    async setStage(accountId, stage, now) {
      // Same stage again keeps its original date: a replayed step is refused and changes nothing.
      await writeIf(
        db,
        new UpdateCommand({
          TableName: table,
          Key: keys.account(accountId),
          UpdateExpression: 'SET stage = :s, stageSince = :now',
          ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(stage) OR stage <> :s)',
          ExpressionAttributeValues: { ':s': stage, ':now': now.toISOString() },
        }),
      );
    },
    // One write: a top-level attribute per milestone (see account-item.ts), so no map to create
    // first and one copy of the item into gsi1. The first date stands; an item from before the
    // change may hold it in its `milestones` map, which the condition checks too.
    reachMilestone: (accountId, milestone, at) =>
      writeIf(
        db,
        new UpdateCommand({
          TableName: table,
          Key: keys.account(accountId),
          UpdateExpression: 'SET #m = :at',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#m) AND attribute_not_exists(#legacy.#name)',
          ExpressionAttributeNames: { '#m': milestoneAttribute(milestone), '#legacy': 'milestones', '#name': milestone },
          ExpressionAttributeValues: { ':at': at.toISOString() },
        }),
      ),
    async *list(shard) {
      for await (const page of paginateQuery({ client: db }, indexPartition(table, keys.accountShard(shard)))) {
        const accounts = (page.Items ?? []).map(accountFromItem);
        if (accounts.length) yield accounts;
      }
    },
    async *listIds(shard) {
      for await (const page of paginateQuery({ client: db }, indexPartition(table, keys.accountShard(shard)))) {
        const ids = (page.Items ?? []).map((i) => String(i[TABLE_KEYS.gsi1.sortKey]));
        if (ids.length) yield ids;
      }
    },
  };
}
