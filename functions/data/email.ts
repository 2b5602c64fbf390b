import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CapSlotsRead, EngagementRepo, FrequencyCap, PreferenceRepo, RecipientReads, ReputationRepo, SuppressionList } from '../core/ports.ts';
import type { SendingOverride } from '../core/email/reputation.ts';
import { dayOf } from '../core/clock.ts';
import { DAY_MS } from '../core/clock.ts';
import { putIfAbsent, ttlIn, writeIf } from './items.ts';
import { keys } from './keys.ts';
import { emailEntry } from '../core/timeline.ts';
import { putAll, timelineItemOf } from './timeline.ts';
import { batchGetItems } from './batch.ts';

/** Tend's own suppression list: one item per address, written once (the first reason stands). */
export function suppressionList(db: DynamoDBDocumentClient, table: string): SuppressionList {
  return {
    async get(email) {
      const out = await db.send(new GetCommand({ TableName: table, Key: keys.suppression(email) }));
      return out.Item ? { reason: String(out.Item.reason), at: String(out.Item.at), source: String(out.Item.source) } : undefined;
    },
    async suppress(email, entry, at) {
      await putIfAbsent(db, table, { ...keys.suppression(email), email: email.toLowerCase(), ...entry, at: at.toISOString() });
    },
  };
}

/** Opt-outs as a string set on one item per contact: ADD makes a replayed unsubscribe a no-op. */
export function preferenceRepo(db: DynamoDBDocumentClient, table: string): PreferenceRepo {
  return {
    async optedOut(accountId, email) {
      const out = await db.send(new GetCommand({ TableName: table, Key: keys.preferences(accountId, email), ProjectionExpression: 'optedOut' }));
      return out.Item?.optedOut ? [...(out.Item.optedOut as Set<string>)] : [];
    },
    async optOut(accountId, email, categories, at) {
      await db.send(
        new UpdateCommand({
          TableName: table,
          Key: keys.preferences(accountId, email),
          UpdateExpression: 'ADD optedOut :c SET email = :e, updatedAt = :t',
          ExpressionAttributeValues: { ':c': new Set(categories), ':e': email.toLowerCase(), ':t': at.toISOString() },
        }),
      );
    },
  };
}

/**
 * The frequency cap as slots `CAP#<email> / SLOT#<n>`, each holding the send that took it and
 * when it frees. Taking one is a conditional put (free, or freed by time), so concurrent sends
 * cannot share a slot; the items expire by TTL once free.
 */
export function frequencyCap(db: DynamoDBDocumentClient, table: string): FrequencyCap {
  const slotsOf = (email: string) => capSlotItems(db, table, email);
  return {
    async take(email, sendKey, slots, now, windowDays, read) {
      const held = read ?? new Map((await slotsOf(email)).map((i) => [slotNumber(i.sk), { sendKey: String(i.sendKey), freesAt: String(i.freesAt) }]));
      const freesAt = new Date(now.getTime() + windowDays * DAY_MS);
      for (let n = 0; n < slots; n++) {
        const key = keys.capSlot(email, n);
        const current = held.get(n);
        if (current && current.freesAt > now.toISOString()) continue;
        const taken = await writeIf(
          db,
          new PutCommand({
            TableName: table,
            Item: { ...key, sendKey, takenAt: now.toISOString(), freesAt: freesAt.toISOString(), expiresAt: ttlIn(freesAt, 1) },
            ConditionExpression: 'attribute_not_exists(pk) OR freesAt <= :now',
            ExpressionAttributeValues: { ':now': now.toISOString() },
          }),
        );
        if (taken) return true;
        // Another send took it between the read and the write: try the next one.
      }
      return false;
    },
    async release(email, sendKey) {
      for (const item of await slotsOf(email)) {
        if (item.sendKey !== sendKey) continue;
        // Taken over by another send meanwhile: refused, that slot is theirs now.
        await writeIf(
          db,
          new DeleteCommand({
            TableName: table,
            Key: { pk: item.pk, sk: item.sk },
            ConditionExpression: 'sendKey = :k',
            ExpressionAttributeValues: { ':k': sendKey },
          }),
        );
      }
    },
  };
}

/** Every slot item of an address's cap, strongly consistent (a slot just taken counts): one Query, 1 RRU a 4 KB of slots. */
async function capSlotItems(db: DynamoDBDocumentClient, table: string, email: string) {
  const out = await db.send(
    new QueryCommand({
      TableName: table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.capSlots(email) },
      ConsistentRead: true,
    }),
  );
  return out.Items ?? [];
}

/** A slot item's number, from its sort key (`SLOT#<n>`). */
const slotNumber = (sk: unknown) => Number(String(sk).slice(String(sk).lastIndexOf('#') + 1));

/**
 * A recipient's suppression and opt-outs (when asked) in one eventually consistent BatchGetItem, and
 * the frequency cap's slots in one strongly consistent Query of their partition, side by side.
 * Not all in one consistent BatchGetItem: DynamoDB charges each of its keys 1 RRU, absent ones too
 * (5 RRU at a cap of 3, 52 at 50), where the Query reads every slot for 1 RRU a 4 KB and the two
 * eventually consistent keys cost 0.5 each (about 2 RRU in all, whatever the cap). The slots must be
 * read consistently (a slot just taken counts); a suppression or opt-out a second old may be missed,
 * as the GetItems before missed it. What the batch leaves unprocessed (throttling) is asked again.
 */
export function recipientReads(db: DynamoDBDocumentClient, table: string): RecipientReads {
  const slotsOf = async (email: string, wanted: number): Promise<CapSlotsRead> => {
    const capSlots: CapSlotsRead = new Map();
    if (wanted <= 0) return capSlots;
    for (const slot of await capSlotItems(db, table, email)) {
      const n = slotNumber(slot.sk);
      if (n < wanted) capSlots.set(n, { sendKey: String(slot.sendKey), freesAt: String(slot.freesAt) });
    }
    return capSlots;
  };
  return {
    async read(accountId, email, wanted) {
      const suppression = keys.suppression(email);
      const preferences = keys.preferences(accountId, email);
      const [items, capSlots] = await Promise.all([
        batchGetItems(db, table, [suppression, ...(wanted.optedOut ? [preferences] : [])]),
        slotsOf(email, wanted.capSlots),
      ]);
      const at = (key: { pk: string; sk: string }) => items.find((item) => item.pk === key.pk && item.sk === key.sk);
      const suppressed = at(suppression);
      const optedOut = at(preferences)?.optedOut as Set<string> | undefined;
      return {
        ...(suppressed ? { suppressed: { reason: String(suppressed.reason), at: String(suppressed.at), source: String(suppressed.source) } } : {}),
        optedOut: optedOut ? [...optedOut] : [],
        capSlots,
      };
    },
  };
}

const ENGAGEMENT_FIELD = { sent: 'emailsSent', opened: 'emailsOpened', clicked: 'emailsClicked', replied: 'emailsReplied', bounced: undefined } as const;

/** Engagement on the account's usage-day item, as sets of message ids: a replayed SES event adds nothing. */
export function engagementRepo(db: DynamoDBDocumentClient, table: string): EngagementRepo {
  return {
    async record(accountId, day, kind, messageId, at) {
      // Opens, clicks, replies and bounces are on the timeline (a sent email's entry is written by markSent, with its template).
      const entry =
        kind === 'sent'
          ? undefined
          : putAll(db, table, [timelineItemOf(emailEntry(`email.${kind}`, { accountId, at: (at ?? new Date()).toISOString(), ref: messageId }))]);
      if (kind === 'bounced') return entry;
      await entry;
      await db.send(
        new UpdateCommand({
          TableName: table,
          Key: keys.usageDay(accountId, day),
          UpdateExpression: 'ADD #f :m SET #day = :day, expiresAt = if_not_exists(expiresAt, :exp)',
          ExpressionAttributeNames: { '#f': ENGAGEMENT_FIELD[kind]!, '#day': 'day' },
          ExpressionAttributeValues: { ':m': new Set([messageId]), ':day': day, ':exp': ttlIn(new Date(`${day}T00:00:00Z`), 400) },
        }),
      );
    },
  };
}

const reputationDayOf = (i: Record<string, unknown>) => ({
  day: String(i.day),
  sent: Number(i.sent ?? 0),
  bounced: Number(i.bounced ?? 0),
  complained: Number(i.complained ?? 0),
});
const overrideOf = (i: Record<string, unknown>): SendingOverride => ({ until: String(i.until), by: String(i.by), at: String(i.at) });

/**
 * The sending reputation: one counter item per day under one partition (`EMAILREP / DAY#...`),
 * updated once per SES Send, hard Bounce or Complaint event. A marker item per (message, event
 * type) makes a replayed event count once. The day items take one write per event: far below a
 * partition's 1,000 writes a second at SES's send rates (docs/email.md).
 */
export function reputationRepo(db: DynamoDBDocumentClient, table: string): ReputationRepo {
  return {
    async count(messageId, kind, at) {
      const first = await putIfAbsent(db, table, { ...keys.reputationEvent(messageId, kind), expiresAt: ttlIn(at, 40) });
      if (!first) return false;
      const day = dayOf(at);
      await db.send(
        new UpdateCommand({
          TableName: table,
          Key: keys.reputationDay(day),
          UpdateExpression: 'ADD #k :one SET #day = :day, expiresAt = if_not_exists(expiresAt, :exp)',
          ExpressionAttributeNames: { '#k': kind, '#day': 'day' },
          ExpressionAttributeValues: { ':one': 1, ':day': day, ':exp': ttlIn(new Date(`${day}T00:00:00Z`), 40) },
        }),
      );
      return true;
    },
    async days(days) {
      if (!days.length) return [];
      return (
        await batchGetItems(
          db,
          table,
          days.map((d) => keys.reputationDay(d)),
        )
      ).map(reputationDayOf);
    },
    async override() {
      const out = await db.send(new GetCommand({ TableName: table, Key: keys.sendingOverride() }));
      return out.Item ? overrideOf(out.Item) : undefined;
    },
    async window(days) {
      // The days' counters and the override share the `EMAILREP` partition: one BatchGetItem (at most 8 keys for the pause's week).
      const items = await batchGetItems(db, table, [...days.map((d) => keys.reputationDay(d)), keys.sendingOverride()]);
      const override = items.find((i) => i.sk === keys.sendingOverride().sk);
      return { days: items.filter((i) => i !== override).map(reputationDayOf), override: override ? overrideOf(override) : undefined };
    },
    async setOverride(override: SendingOverride | undefined) {
      if (!override) await db.send(new DeleteCommand({ TableName: table, Key: keys.sendingOverride() }));
      else await db.send(new PutCommand({ TableName: table, Item: { ...keys.sendingOverride(), ...override } }));
    },
  };
}
