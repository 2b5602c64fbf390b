import { GetCommand, paginateQuery, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AccountRepo } from '../core/ports.ts';
import type { AccountWrite } from '../core/account-diff.ts';
import type { RevenuePoint } from '../core/revenue-history.ts';
import { keys, TABLE_KEYS } from './keys.ts';
import { indexPartition, writeIf } from './items.ts';
import { ACCOUNT_REVISION as REV, accountFromItem, LAST_POINT, milestoneAttribute } from './account-item.ts';
import { batchGetItems } from './batch.ts';

/** The account item holds the account and its primary contact, so one write is the whole account. */
export function accountRepo(db: DynamoDBDocumentClient, table: string): AccountRepo {
  // Strongly consistent (1 RCU, not 0.5): an account created a moment ago (a Segment group call
  // earlier in the same batch, an upsert just announced) must be found by the next read.
  const read: AccountRepo['read'] = async (accountId) => {
    const out = await db.send(new GetCommand({ TableName: table, Key: keys.account(accountId), ConsistentRead: true }));
    if (!out.Item) return undefined;
    const lastPoint = out.Item[LAST_POINT] as RevenuePoint | undefined;
    return { account: accountFromItem(out.Item), rev: Number(out.Item[REV] ?? 0), ...(lastPoint ? { lastPoint } : {}) };
  };
  /** These attributes of the accounts that exist, 100 to a BatchGetItem, strongly consistent like `read`. */
  const batchRead = async (accountIds: string[], attributes: string[]) => {
    const names = Object.fromEntries(attributes.map((a, i) => [`#a${i}`, a]));
    return batchGetItems(
      db,
      table,
      accountIds.map((id) => keys.account(id)),
      { projection: Object.keys(names).join(', '), names, consistent: true },
    );
  };
  return {
    read,
    async write(accountId, write: AccountWrite, rev, point) {
      const names: Record<string, string> = { '#rev': REV };
      const values: Record<string, unknown> = { ':next': (rev ?? 0) + 1 };
      const sets = ['#rev = :next'];
      const set = { ...write.set, ...keys.accountIndex(accountId), ...(point ? { [LAST_POINT]: point } : {}) };
      for (const [i, [name, value]] of Object.entries(set).entries()) {
        names[`#a${i}`] = name;
        values[`:a${i}`] = value;
        sets.push(`#a${i} = :a${i}`);
      }
      const removes = write.remove.map((name, i) => {
        names[`#r${i}`] = name;
        return `#r${i}`;
      });
      // The revision read is the condition: an upsert that landed since then refuses this one.
      let condition = 'attribute_not_exists(pk)';
      if (rev !== undefined) {
        condition = rev === 0 ? 'attribute_exists(pk) AND attribute_not_exists(#rev)' : '#rev = :rev';
        if (rev !== 0) values[':rev'] = rev;
      }
      return writeIf(
        db,
        new UpdateCommand({
          TableName: table,
          Key: keys.account(accountId),
          UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
          ConditionExpression: condition,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
    },
    async get(accountId) {
      return (await read(accountId))?.account;
    },
    async existing(accountIds) {
      return new Set((await batchRead(accountIds, ['id'])).map((item) => String(item.id)));
    },
    async names(accountIds) {
      return new Map((await batchRead(accountIds, ['id', 'name'])).map((item) => [String(item.id), String(item.name ?? item.id)]));
    },
    async setLastRenewal(accountId, lastRenewal) {
      await writeIf(
        db,
        new UpdateCommand({
          TableName: table,
          Key: keys.account(accountId),
          UpdateExpression: 'SET lastRenewal = :r',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':r': lastRenewal },
        }),
      );
    },
    async markAnnounced(accountId, now) {
      await db.send(
        new UpdateCommand({
          TableName: table,
          Key: keys.account(accountId),
          UpdateExpression: 'SET announcedAt = if_not_exists(announcedAt, :now)',
          ExpressionAttributeValues: { ':now': now.toISOString() },
        }),
      );
    },
    async setStage(accountId, stage, now) {
      // Same stage again keeps its original date: a replayed step is refused and changes nothing.
      // The revision moves too: an upsert that read the account before this write is refused and
      // decides again, so the list entries it writes carry this stage, not the one it read.
      await writeIf(
        db,
        new UpdateCommand({
          TableName: table,
          Key: keys.account(accountId),
          UpdateExpression: 'SET stage = :s, stageSince = :now, #rev = if_not_exists(#rev, :zero) + :one',
          ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(stage) OR stage <> :s)',
          ExpressionAttributeNames: { '#rev': REV },
          ExpressionAttributeValues: { ':s': stage, ':now': now.toISOString(), ':zero': 0, ':one': 1 },
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
