import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SendConfirmations, SendLedger } from '../core/ports.ts';
import type { HeldSends } from '../core/email/held-sweep.ts';
import { sendIdOf, type SendConfirmation } from '../core/email/reconcile.ts';
import type { SendRecord } from '../core/types.ts';
import { HELD_SHARDS, keys, TABLE_KEYS } from './keys.ts';
import { putIfAbsent, stripKeys, ttlIn, writeIf } from './items.ts';
import { countSendOutcome } from './outcome-counters.ts';
import { emailEntry } from '../core/timeline.ts';
import { putAll, timelineItemOf } from './timeline.ts';

/**
 * The send ledger: one item per (run, step, contact), claimed before SES is called. A claim is in
 * gsi1 under `HELD#<shard>` until it is settled (markSent moves it to `MESSAGE#`, close removes it,
 * release deletes the item), so held sends are found without a scan (docs/data-model.md).
 */
export function sendLedger(db: DynamoDBDocumentClient, table: string): SendLedger & Required<Pick<SendLedger, 'close'>> {
  return {
    noteHeld: (due) => noteHeldSends(db, table, due),
    claim: (record) =>
      putIfAbsent(db, table, {
        ...keys.send(record.accountId, record.sendKey),
        ...keys.heldSend(record.accountId, record.claimedAt, record.sendId ?? sendIdOf(record.accountId, record.sendKey)),
        ...record,
      }),
    async get(accountId, sendKey) {
      const out = await db.send(new GetCommand({ TableName: table, Key: keys.send(accountId, sendKey) }));
      return out.Item ? (stripKeys(out.Item) as unknown as SendRecord) : undefined;
    },
    async markSent(accountId, sendKey, messageId, at) {
      // The old image tells the one call that moved the send to sent (a second confirmation of it sees `sent`):
      // that call counts it, in the month of the first `sentAt`, which a later confirmation keeps.
      const { Attributes: before } = await db.send(
        new UpdateCommand({
          TableName: table,
          Key: keys.send(accountId, sendKey),
          ReturnValues: 'ALL_OLD',
          UpdateExpression: 'SET #status = :sent, messageId = :m, sentAt = if_not_exists(sentAt, :t), gsi1pk = :gpk, gsi1sk = :gsk REMOVE unclear',
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
      if (before?.template && !before.sentAt)
        await countSendOutcome(
          db,
          table,
          { accountId, template: String(before.template), sentAt: at.toISOString(), variantOf: before.variantOf as string | undefined, groups: before.groups },
          'sent',
        );
      // Keyed by the first sentAt, so a second confirmation writes the same entry again.
      const sentAt = typeof before?.sentAt === 'string' ? before.sentAt : at.toISOString();
      await putAll(db, table, [
        timelineItemOf(emailEntry('email.sent', { accountId, at: sentAt, ref: messageId, template: before?.template, contact: before?.contact })),
      ]);
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
    async noteUnclear(accountId, sendKey, reason) {
      // Only on a claim: a send that SES's events confirmed meanwhile keeps its status.
      await writeIf(
        db,
        new UpdateCommand({
          TableName: table,
          Key: keys.send(accountId, sendKey),
          UpdateExpression: 'SET unclear = :u',
          ConditionExpression: '#status = :claimed',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':u': reason, ':claimed': 'claimed' },
        }),
      );
    },
    reattempt(accountId, sendKey, attempt, at) {
      // From the previous attempt only, so two retries of one step cannot both send.
      return writeIf(
        db,
        new UpdateCommand({
          TableName: table,
          Key: keys.send(accountId, sendKey),
          UpdateExpression: 'SET attempt = :next, attemptedAt = :t REMOVE unclear',
          ConditionExpression: '#status = :claimed AND (attempt = :previous OR (attribute_not_exists(attempt) AND :previous = :one))',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':next': attempt, ':previous': attempt - 1, ':one': 1, ':t': at.toISOString(), ':claimed': 'claimed' },
        }),
      );
    },
    async rewind(accountId, sendKey, attempt, previousAt) {
      await writeIf(
        db,
        new UpdateCommand({
          TableName: table,
          Key: keys.send(accountId, sendKey),
          UpdateExpression: 'SET attempt = :previous, attemptedAt = :t REMOVE unclear',
          ConditionExpression: '#status = :claimed AND attempt = :attempt',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':previous': attempt - 1, ':attempt': attempt, ':t': previousAt, ':claimed': 'claimed' },
        }),
      );
    },
    async close(accountId, sendKey, status, reason, at) {
      await db.send(
        new UpdateCommand({
          TableName: table,
          Key: keys.send(accountId, sendKey),
          // Out of the held index: a closed send is settled.
          UpdateExpression: 'SET #status = :s, #error = :e, closedAt = :t REMOVE gsi1pk, gsi1sk',
          ExpressionAttributeNames: { '#status': 'status', '#error': 'error' },
          ExpressionAttributeValues: { ':s': status, ':e': reason, ':t': at.toISOString() },
        }),
      );
    },
  };
}

/**
 * The notice of held sends (`HELDNOTICE`): the earliest due time noted since it was last cleared, and a
 * count of notes, so the sweep's clear is refused when a send was noted after its read. Written only
 * when a send stays held, never by a send that goes through.
 */
async function noteHeldSends(db: DynamoDBDocumentClient, table: string, due: Date) {
  await db.send(
    new UpdateCommand({
      TableName: table,
      Key: keys.heldNotice,
      UpdateExpression: 'SET #due = if_not_exists(#due, :due) ADD notes :one',
      ExpressionAttributeNames: { '#due': 'due' },
      ExpressionAttributeValues: { ':due': due.toISOString(), ':one': 1 },
    }),
  );
}

/** Held sends by shard from the sparse `HELD#` entries of gsi1, oldest claim first, a page at a time; and their notice. */
export function heldSends(db: DynamoDBDocumentClient, table: string): HeldSends {
  return {
    shards: HELD_SHARDS,
    async *claimed(shard) {
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const out = await db.send(
          new QueryCommand({
            TableName: table,
            IndexName: TABLE_KEYS.gsi1.name,
            KeyConditionExpression: 'gsi1pk = :pk',
            ExpressionAttributeValues: { ':pk': keys.heldShard(shard) },
            ExclusiveStartKey,
          }),
        );
        for (const item of out.Items ?? []) if (item.status === 'claimed') yield stripKeys(item) as unknown as SendRecord;
        ExclusiveStartKey = out.LastEvaluatedKey;
      } while (ExclusiveStartKey);
    },
    async state() {
      // The notice and the last full pass share a partition: one consistent Query (1 RRU, as the notice's GetItem alone was).
      const out = await db.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': keys.heldNotice.pk },
          ConsistentRead: true,
        }),
      );
      const at = (key: { sk: string }) => out.Items?.find((i) => i.sk === key.sk);
      const notice = at(keys.heldNotice);
      const fullPass = at(keys.heldFullPass);
      return {
        ...(notice ? { notice: { due: String(notice.due), notes: Number(notice.notes ?? 0) } } : {}),
        ...(fullPass ? { fullPassAt: String(fullPass.at) } : {}),
      };
    },
    async fullPassDone(at) {
      await writeIf(
        db,
        new PutCommand({
          TableName: table,
          Item: { ...keys.heldFullPass, at: at.toISOString() },
          ConditionExpression: 'attribute_not_exists(#at) OR #at < :at',
          ExpressionAttributeNames: { '#at': 'at' },
          ExpressionAttributeValues: { ':at': at.toISOString() },
        }),
      );
    },
    async clearNotice(notes) {
      await writeIf(
        db,
        new DeleteCommand({ TableName: table, Key: keys.heldNotice, ConditionExpression: 'notes = :n', ExpressionAttributeValues: { ':n': notes } }),
      );
    },
    note: (due) => noteHeldSends(db, table, due),
  };
}

/** SES's events by send id: the first one recorded stands (a replay or a later Delivery changes nothing). */
export function sendConfirmations(db: DynamoDBDocumentClient, table: string): SendConfirmations {
  return {
    async record(c) {
      await putIfAbsent(db, table, { ...keys.sendConfirmation(c.sendId), ...c, expiresAt: ttlIn(new Date(c.at), 30) });
    },
    async get(sendId) {
      const out = await db.send(new GetCommand({ TableName: table, Key: keys.sendConfirmation(sendId), ConsistentRead: true }));
      if (!out.Item) return undefined;
      const { sendId: id, messageId, event, at } = out.Item as SendConfirmation;
      return { sendId: id, messageId, event, at };
    },
  };
}
