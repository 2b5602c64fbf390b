import { DeleteCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AlertClaims, DigestStore } from '../core/alerts/notify.ts';
import { keys, TABLE_KEYS } from './keys.ts';
import { ttlIn, writeIf } from './items.ts';
import { batchGetItems } from './batch.ts';

/** Long after any retry (Lambda's async retries and the rule's stop at 6 hours, a redrive within the DLQ's 14 days). */
const CLAIM_TTL_DAYS = 30;
/** The digest reads the day before and the day: a week is margin. */
const DIGEST_TTL_DAYS = 8;

/**
 * Alert claims: one item per (alert, destination). A claim is put only if none exists, deleted
 * when its post failed (only while still `posting`), marked `posted` after: a retry finds it and
 * posts nothing. A crash between the post and the mark leaves it `posting`: never posted again (one
 * alert lost rather than one sent twice, like the email ledger).
 */
export function alertClaims(db: DynamoDBDocumentClient, table: string): AlertClaims {
  return {
    claim: (alertKey, destination, at) =>
      writeIf(
        db,
        new PutCommand({
          TableName: table,
          Item: { ...keys.alertClaim(alertKey, destination), state: 'posting', claimedAt: at.toISOString(), expiresAt: ttlIn(at, CLAIM_TTL_DAYS) },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    async posted(alertKey, destination, ref) {
      await db.send(
        new UpdateCommand({
          TableName: table,
          Key: keys.alertClaim(alertKey, destination),
          UpdateExpression: 'SET #state = :posted, #ref = :ref',
          ExpressionAttributeNames: { '#state': 'state', '#ref': 'ref' },
          ExpressionAttributeValues: { ':posted': 'posted', ':ref': ref },
        }),
      );
    },
    async release(alertKey, destination) {
      await writeIf(
        db,
        new DeleteCommand({
          TableName: table,
          Key: keys.alertClaim(alertKey, destination),
          ConditionExpression: '#state = :posting',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':posting': 'posting' },
        }),
      );
    },
  };
}

/** The digest's reads: a CSM's open tasks from gsi1 (`TASKS#<owner>`, by due date), and the day items of changes noted by the notifier. */
export function digestStore(db: DynamoDBDocumentClient, table: string): DigestStore {
  const changesOf = async (csmIds: string[], days: string[]) => {
    // Every CSM's day items, in BatchGetItems of up to 100 keys.
    const wanted = csmIds.flatMap((csm) => days.map((d) => ({ csm, key: keys.digestDay(csm, d) })));
    const items = new Map<string, Record<string, unknown>>();
    for (const item of await batchGetItems(
      db,
      table,
      wanted.map((w) => w.key),
    ))
      items.set(`${String(item.pk)}|${String(item.sk)}`, item);
    const byCsm = new Map<string, Map<string, string[]>>(csmIds.map((csm) => [csm, new Map()]));
    // Each CSM's lines, the earlier day first.
    for (const { csm, key } of wanted) {
      const byAccount = byCsm.get(csm)!;
      for (const line of (items.get(`${key.pk}|${key.sk}`)?.lines as Set<string> | undefined) ?? []) {
        const [accountId = '', what = ''] = line.split('\t');
        byAccount.set(accountId, [...(byAccount.get(accountId) ?? []), what]);
      }
    }
    return byCsm;
  };
  return {
    async openTasks(csm, before) {
      // Tasks are indexed under the owner the play gave them: a CSM id, or the email an account upsert named.
      const owners = [...new Set([csm.id, csm.email])];
      const pages = await Promise.all(
        owners.map((owner) =>
          db.send(
            new QueryCommand({
              TableName: table,
              IndexName: TABLE_KEYS.gsi1.name,
              KeyConditionExpression: '#pk = :pk AND #sk < :before',
              FilterExpression: '#status = :open',
              ExpressionAttributeNames: { '#pk': TABLE_KEYS.gsi1.partitionKey, '#sk': TABLE_KEYS.gsi1.sortKey, '#status': 'status' },
              ExpressionAttributeValues: { ':pk': keys.taskIndex(owner, '', '').gsi1pk, ':before': before, ':open': 'open' },
            }),
          ),
        ),
      );
      return pages
        .flatMap((p) => p.Items ?? [])
        .map((i) => ({ id: String(i.id), accountId: String(i.accountId), title: String(i.title), priority: String(i.priority), dueAt: String(i.dueAt) }))
        .sort((a, b) => a.dueAt.localeCompare(b.dueAt));
    },
    async noteChange(csmId, day, accountId, what) {
      // A set: the same change noted twice (a retried event) is one line.
      await db.send(
        new UpdateCommand({
          TableName: table,
          Key: keys.digestDay(csmId, day),
          UpdateExpression: 'ADD #lines :line SET expiresAt = if_not_exists(expiresAt, :exp)',
          ExpressionAttributeNames: { '#lines': 'lines' },
          ExpressionAttributeValues: { ':line': new Set([`${accountId}\t${what}`]), ':exp': ttlIn(new Date(`${day}T00:00:00Z`), DIGEST_TTL_DAYS) },
        }),
      );
    },
    changes: async (csmId, days) => (await changesOf([csmId], days)).get(csmId) ?? new Map<string, string[]>(),
    changesOf,
  };
}
