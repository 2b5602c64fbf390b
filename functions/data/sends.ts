import { DeleteCommand, GetCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SendLedger } from '../core/ports.ts';
import type { SendRecord } from '../core/types.ts';
import { keys, TABLE_KEYS } from './keys.ts';
import { putIfAbsent, stripKeys, writeIf } from './items.ts';

/** The send ledger: one item per (run, step, contact), claimed before SES is called. */
export function sendLedger(db: DynamoDBDocumentClient, table: string): SendLedger {
  return {
    claim: (record) => putIfAbsent(db, table, { ...keys.send(record.accountId, record.sendKey), ...record }),
    async get(accountId, sendKey) {
      const out = await db.send(new GetCommand({ TableName: table, Key: keys.send(accountId, sendKey) }));
      return out.Item ? (stripKeys(out.Item) as unknown as SendRecord) : undefined;
    },
    async markSent(accountId, sendKey, messageId, at) {
      await db.send(
        new UpdateCommand({
          TableName: table,
          Key: keys.send(accountId, sendKey),
          UpdateExpression: 'SET #status = :sent, messageId = :m, sentAt = :t, gsi1pk = :gpk, gsi1sk = :gsk',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':sent': 'sent',
            ':m': messageId,
            ':t': at.toISOString(),
            ':gpk': keys.sentMessage(messageId).gsi1pk,
            ':gsk': keys.sentMessage(messageId).gsi1sk,
          },
        }),
      );
    },
    async byMessageId(messageId) {
      const k = keys.sentMessage(messageId);
      const out = await db.send(
        new QueryCommand({
          TableName: table,
          IndexName: TABLE_KEYS.gsi1.name,
          KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk = :sk',
          ExpressionAttributeValues: { ':pk': k.gsi1pk, ':sk': k.gsi1sk },
          Limit: 1,
        }),
      );
      return out.Items?.[0] ? (stripKeys(out.Items[0]) as unknown as SendRecord) : undefined;
    },
    async release(accountId, sendKey) {
      // Only a claim that never went further is given back: a sent or closed send is refused.
      await writeIf(
        db,
        new DeleteCommand({
          TableName: table,
          Key: keys.send(accountId, sendKey),
          ConditionExpression: '#status = :claimed',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':claimed': 'claimed' },
        }),
      );
    },
    async close(accountId, sendKey, status, reason, at) {
      await db.send(
        new UpdateCommand({
          TableName: table,
          Key: keys.send(accountId, sendKey),
          UpdateExpression: 'SET #status = :s, #error = :e, closedAt = :t',
          ExpressionAttributeNames: { '#status': 'status', '#error': 'error' },
          ExpressionAttributeValues: { ':s': status, ':e': reason, ':t': at.toISOString() },
        }),
      );
    },
  };
}
