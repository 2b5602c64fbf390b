import { QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { outcomeField, type SendOutcomes } from '../core/metrics/email-outcomes.ts';
import { keys, TABLE_KEYS } from './keys.ts';
import { updateIfReturning, writeIf } from './items.ts';
import { countSendOutcome } from './outcome-counters.ts';

/**
 * A send's outcomes (opened, clicked, replied, bounced, complained, unsubscribed) on its ledger
 * item, each as `<outcome>At`, set once by a conditional write; the write that sets it counts it
 * towards its template's month. The send is found by its SES message id (gsi1, `MESSAGE#`), so an
 * event about a send not yet marked sent (its SES answer was unclear) finds nothing and counts
 * nothing, in the counters as in a rebuild (docs/metrics.md).
 */
export function sendOutcomes(db: DynamoDBDocumentClient, table: string): SendOutcomes {
  return {
    async record(messageId, outcome, at) {
      const k = keys.sentMessage(messageId);
      const found = await db.send(
        new QueryCommand({
          TableName: table,
          IndexName: TABLE_KEYS.gsi1.name,
          KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk = :sk',
          ExpressionAttributeValues: { ':pk': k.gsi1pk, ':sk': k.gsi1sk },
          ProjectionExpression: 'pk, sk, accountId, template, sentAt, variantOf, #groups',
          ExpressionAttributeNames: { '#groups': 'groups' },
          Limit: 1,
        }),
      );
      const send = found.Items?.[0];
      if (!send?.template || !send.sentAt) return false;
      const recorded = await writeIf(
        db,
        new UpdateCommand({
          TableName: table,
          Key: { pk: send.pk, sk: send.sk },
          UpdateExpression: 'SET #at = :t',
          ConditionExpression: 'attribute_exists(sentAt) AND attribute_not_exists(#at)',
          ExpressionAttributeNames: { '#at': outcomeField(outcome) },
          ExpressionAttributeValues: { ':t': at.toISOString() },
        }),
      );
      if (recorded)
        await countSendOutcome(
          db,
          table,
          {
            accountId: String(send.accountId),
            template: String(send.template),
            sentAt: String(send.sentAt),
            variantOf: send.variantOf as string | undefined,
            groups: send.groups,
          },
          outcome,
        );
      return recorded;
    },
    async recordOnSend(accountId, sendKey, outcome, at) {
      const send = await updateIfReturning(
        db,
        new UpdateCommand({
          TableName: table,
          Key: keys.send(accountId, sendKey),
          UpdateExpression: 'SET #at = :t',
          ConditionExpression: 'attribute_exists(sentAt) AND attribute_not_exists(#at)',
          ExpressionAttributeNames: { '#at': outcomeField(outcome) },
          ExpressionAttributeValues: { ':t': at.toISOString() },
          ReturnValues: 'ALL_NEW',
        }),
      );
      if (send?.template)
        await countSendOutcome(
          db,
          table,
          {
            accountId,
            template: String(send.template),
            sentAt: String(send.sentAt),
            variantOf: send.variantOf as string | undefined,
            groups: send.groups,
          },
          outcome,
        );
      return !!send;
    },
  };
}
