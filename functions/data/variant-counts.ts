import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { EMAIL_OUTCOMES, noEmailCounts, type EmailCounts } from '../core/metrics/email-outcomes.ts';
import type { VariantEmailCounts } from '../core/ports.ts';
import { keys } from './keys.ts';

/** The variant counters of a play (functions/data/outcome-counters.ts), summed over months: one Query of each month's partition, the play's items only. */
export function variantCounts(db: DynamoDBDocumentClient, table: string): VariantEmailCounts {
  return {
    async read(play, months) {
      const out: Record<string, EmailCounts> = {};
      const prefix = `${keys.outcomeVariantPrefix}${play}#`;
      for (const month of months) {
        let ExclusiveStartKey: Record<string, unknown> | undefined;
        do {
          const page = await db.send(
            new QueryCommand({
              TableName: table,
              KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
              ExpressionAttributeValues: { ':pk': keys.outcomeMonth(month), ':p': prefix },
              ExclusiveStartKey,
            }),
          );
          for (const item of page.Items ?? []) {
            const [step, template] = String(item.sk).slice(prefix.length).split('#') as [string, string];
            const c = (out[`${step}/${template}`] ??= noEmailCounts());
            for (const f of ['sent', ...EMAIL_OUTCOMES] as const) c[f] += Number(item[f] ?? 0);
          }
          ExclusiveStartKey = page.LastEvaluatedKey;
        } while (ExclusiveStartKey);
      }
      return out;
    },
  };
}
