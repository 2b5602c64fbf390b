import { GetCommand, paginateQuery, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RevenueRepo } from '../core/ports.ts';
import type { RenewalOutcome } from '../core/renewals.ts';
import type { RevenuePoint } from '../core/revenue-history.ts';
import { keys } from './keys.ts';
import { stripKeys, writeIf } from './items.ts';
import { arrEntry, renewalEntry } from '../core/timeline.ts';
import { putAll, timelineItemOf } from './timeline.ts';

/** Every item of one account whose sort key starts with `prefix`, strongly consistent (a point written a moment ago is read back). */
async function itemsWithPrefix(db: DynamoDBDocumentClient, table: string, accountId: string, prefix: string): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  const pk = keys.account(accountId).pk;
  for await (const page of paginateQuery(
    { client: db },
    {
      TableName: table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': pk, ':prefix': prefix },
      ConsistentRead: true,
    },
  ))
    out.push(...(page.Items ?? []).map(stripKeys));
  return out;
}

/** Revenue points (`ARR#day#rev`) and renewal outcomes (`RENEWAL#day`) under their account. */
export function revenueRepo(db: DynamoDBDocumentClient, table: string): RevenueRepo {
  return {
    async record(points) {
      // A point's key is its effective day and revision, and its content is decided once: writing it
      // again writes the same item. Each point's timeline entry goes in the same batch.
      await putAll(
        db,
        table,
        points.flatMap((p) => [{ ...keys.arrPoint(p.accountId, p.day, p.rev), ...p }, timelineItemOf(arrEntry(p))]),
      );
    },
    points: async (accountId) => (await itemsWithPrefix(db, table, accountId, keys.arrPrefix)) as unknown as RevenuePoint[],
    async outcome(accountId, renewalDay) {
      const out = await db.send(new GetCommand({ TableName: table, Key: keys.renewalOutcome(accountId, renewalDay), ConsistentRead: true }));
      return out.Item ? (stripKeys(out.Item) as unknown as RenewalOutcome) : undefined;
    },
    async recordOutcome(outcome) {
      const recorded = await writeIf(
        db,
        new PutCommand({
          TableName: table,
          Item: { ...keys.renewalOutcome(outcome.accountId, outcome.renewalDay), ...outcome },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      if (recorded) await putAll(db, table, [timelineItemOf(renewalEntry(outcome))]);
      return recorded;
    },
    async markApplied(accountId, renewalDay, at) {
      // The first application's date stands.
      await db.send(
        new UpdateCommand({
          TableName: table,
          Key: keys.renewalOutcome(accountId, renewalDay),
          UpdateExpression: 'SET appliedAt = if_not_exists(appliedAt, :at)',
          ExpressionAttributeValues: { ':at': at },
        }),
      );
    },
    outcomes: async (accountId) => (await itemsWithPrefix(db, table, accountId, keys.renewalPrefix)) as unknown as RenewalOutcome[],
  };
}
