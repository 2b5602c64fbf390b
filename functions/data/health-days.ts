import { paginateQuery, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Counters } from '../core/metrics/contribution.ts';
import { monthsOf, type HealthDayRepo } from '../core/metrics/health-days.ts';
import { keys } from './keys.ts';

/** A shard's tally of a day as stored: its counters under the day's key. */
export const healthDayItem = (day: string, shard: number, tally: Counters): Record<string, unknown> => ({ ...tally, ...keys.healthDay(day, shard) });

/** The daily health tallies: `HEALTHDAY#<yyyy-mm>` / `<day>#<shard>`, set (never added) by the daily scoring run. */
export function healthDays(db: DynamoDBDocumentClient, table: string): HealthDayRepo {
  return {
    async put(day, shard, tally) {
      await db.send(new PutCommand({ TableName: table, Item: healthDayItem(day, shard, tally) }));
    },
    async read(period) {
      const months = await Promise.all(
        monthsOf(period).map(async (month) => {
          const out: [string, Counters][] = [];
          for await (const page of paginateQuery(
            { client: db },
            { TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': keys.healthDayPartition(month) } },
          ))
            for (const { pk: _pk, sk, ...counters } of page.Items ?? []) out.push([String(sk), counters as Counters]);
          return out;
        }),
      );
      return months.flat();
    },
  };
}
