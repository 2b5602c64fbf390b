import { GetCommand, paginateQuery, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { UsageRepo } from '../core/ports.ts';
import type { Contact, UsageDay, UsageEvent } from '../core/types.ts';
import { keys } from './keys.ts';
import { isItemTooLarge } from './errors.ts';
import { UsageDayFullError } from '../core/errors.ts';
import { stripKeys, ttlIn, writeIf } from './items.ts';
import { chunksOf, claimAndRecord, DAY_CLAIMS, distinctIds, eventHash, rollupUpdate, unclaimed } from './usage-claims.ts';
import { claimOverflow } from './usage-overflow.ts';
import { isTraining, rollupOf } from './usage-rollup.ts';

/** Usage rollups live 400 days: long enough for a year-over-year look at renewal. */
const USAGE_TTL_DAYS = 400;

/** The claims-and-usage write; a day over DynamoDB's item limit is told apart for ingest to reject alone. */
async function writeDay(db: DynamoDBDocumentClient, command: UpdateCommand, accountId: string, day: string): Promise<boolean> {
  try {
    return await writeIf(db, command);
  } catch (err) {
    if (isItemTooLarge(err)) throw new UsageDayFullError(accountId, day);
    throw err;
  }
}

/**
 * Days this container saw closed, with their frozen claims: a busy day's next events skip the write
 * the closed item would refuse. Only a hint: the overflow's rollup write checks `closed` again.
 * Bounded; a closed day's claims never change, so an entry is never stale while its table stands.
 */
const closedDays = new Map<string, ReadonlySet<string>>();
function rememberClosed(key: string, ids: ReadonlySet<string>) {
  if (closedDays.size >= 1_000) closedDays.delete(closedDays.keys().next().value!);
  closedDays.set(key, ids);
}

/**
 * One item per account and day: string sets (users, features...) and the claims of the event ids
 * it counted (usage-claims.ts). An event's id and its rollup are added in one conditional write,
 * so a replayed id adds nothing, whatever body it carries, and racing deliveries of one id
 * resolve to exactly one that counts. No transaction, nothing to repair after a crash. Past
 * DAY_CLAIMS ids the day is closed and further claims go to shard items (usage-overflow.ts).
 */
export function usageRepo(db: DynamoDBDocumentClient, table: string): UsageRepo {
  /** An account's items from its usage day `fromDay` up to the sort key `to`. */
  const fromDayQuery = (accountId: string, fromDay: string, to: string) => ({
    TableName: table,
    KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
    ExpressionAttributeValues: { ':pk': keys.usageDay(accountId, fromDay).pk, ':from': keys.usageDay(accountId, fromDay).sk, ':to': to },
  });
  return {
    async record(accountId, day, events) {
      const key = keys.usageDay(accountId, day);
      const cacheKey = `${table}\u0000${key.pk}\u0000${day}`;
      const expiresAt = ttlIn(new Date(`${day}T00:00:00Z`), USAGE_TTL_DAYS);
      const firstSeen: UsageEvent[] = [];
      const trainings = new Set<string>();
      const overflow: UsageEvent[] = [];
      // One chunk after the other: they write the same item.
      for (const chunk of chunksOf(distinctIds(events), DAY_CLAIMS)) {
        if (closedDays.has(cacheKey)) {
          overflow.push(...chunk);
          continue;
        }
        let pending = chunk;
        for (let attempt = 0; pending.length > 0; attempt++) {
          if (attempt > chunk.length + 3) throw new Error(`usage of ${accountId} on ${day}: claims kept being refused`);
          if (await writeDay(db, claimAndRecord(table, key, day, expiresAt, pending, rollupOf(pending)), accountId, day)) {
            firstSeen.push(...pending);
            break;
          }
          // Refused: some ids are claimed (by an earlier delivery or a racing one), or the day is full. Drop the claimed, retry the rest.
          const stored = await claimsOf(db, table, accountId, day, expiresAt);
          const replays = pending.filter((e) => stored.ids.has(eventHash(e.id)));
          pending = unclaimed(pending, stored.ids);
          // A replayed training may follow a crash before its account write: the day's stored trainings (first bodies only) go again.
          if (replays.some(isTraining)) stored.trainings.forEach((t) => trainings.add(t));
          if (pending.length > 0 && (stored.closed || stored.ids.size + pending.length > DAY_CLAIMS)) {
            rememberClosed(cacheKey, stored.closed ? stored.ids : await closeDay(db, table, accountId, day, expiresAt));
            overflow.push(...pending);
            break;
          }
        }
      }
      if (overflow.length) {
        // A replayed training among the frozen claims may follow a crash before its account write, as above.
        const frozen = closedDays.get(cacheKey);
        if (overflow.some((e) => isTraining(e) && frozen?.has(eventHash(e.id))))
          (await claimsOf(db, table, accountId, day, expiresAt)).trainings.forEach((t) => trainings.add(t));
        const busy = await recordOverflow(db, table, { accountId, day, key, expiresAt, cacheKey }, overflow);
        firstSeen.push(...busy.counted);
        busy.sameBody.filter(isTraining).forEach((e) => rollupOf([e]).trainings.forEach((t) => trainings.add(t)));
      }
      rollupOf(firstSeen).trainings.forEach((t) => trainings.add(t));
      // Training lasts longer than the usage window: completions are kept on the account itself.
      if (trainings.size) {
        await db.send(
          new UpdateCommand({
            TableName: table,
            Key: keys.account(accountId),
            UpdateExpression: 'ADD trainingsCompleted :t',
            ExpressionAttributeValues: { ':t': trainings },
          }),
        );
      }
      return firstSeen.map((e) => e.id);
    },
    async days(accountId, fromDay, toDay) {
      const out: UsageDay[] = [];
      const query = fromDayQuery(accountId, fromDay, keys.usageDay(accountId, toDay).sk);
      for await (const page of paginateQuery({ client: db }, query)) for (const i of page.Items ?? []) out.push(usageDayOf(i));
      return out;
    },
    async daysWithPeople(accountId, fromDay, toDay) {
      // People sort after the usage days under `S#` (`S#DAY#...` < `S#PERSON#...`): one range reads both.
      const days: UsageDay[] = [];
      const people: Contact[] = [];
      const to = keys.usageDay(accountId, toDay).sk;
      const query = fromDayQuery(accountId, fromDay, keys.contact(accountId, '\uffff').sk);
      for await (const page of paginateQuery({ client: db }, query))
        for (const i of page.Items ?? []) {
          const sk = String(i.sk);
          if (sk.startsWith(keys.usageDayPrefix) && sk <= to) days.push(usageDayOf(i));
          else if (sk.startsWith(keys.contactPrefix)) people.push(stripKeys(i) as unknown as Contact);
        }
      return { days, people };
    },
  };
}

/**
 * The claimed id hashes of an account-day, the trainings it recorded, and whether it is closed;
 * strongly consistent, to see a racing write. A closed day's claims are moved to their own item
 * (closeDay); found still on the day, a crash interrupted the move, which is finished here.
 */
async function claimsOf(db: DynamoDBDocumentClient, table: string, accountId: string, day: string, expiresAt: number) {
  const key = keys.usageDay(accountId, day);
  const out = await db.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true, ProjectionExpression: 'ids, trainings, closed' }));
  const closed = out.Item?.closed === true;
  let ids = (out.Item?.ids as Set<string> | undefined) ?? new Set<string>();
  if (closed && ids.size > 0) await moveFrozenClaims(db, table, accountId, day, expiresAt, ids);
  else if (closed) ids = await frozenClaims(db, table, accountId, day);
  return { ids, closed, trainings: (out.Item?.trainings as Set<string> | undefined) ?? new Set<string>() };
}

/**
 * Closes an account-day to further claims and returns the claims it froze with (read in the same
 * write). They then move to their own item: a busy day's later single events write the day's
 * rollup without carrying 1.5 KB of claims each time, and the scorer does not read them.
 */
async function closeDay(db: DynamoDBDocumentClient, table: string, accountId: string, day: string, expiresAt: number): Promise<ReadonlySet<string>> {
  const out = await db.send(
    new UpdateCommand({
      TableName: table,
      Key: keys.usageDay(accountId, day),
      UpdateExpression: 'SET #closed = :yes, #day = :day, expiresAt = :exp',
      ExpressionAttributeNames: { '#closed': 'closed', '#day': 'day' },
      ExpressionAttributeValues: { ':yes': true, ':day': day, ':exp': expiresAt },
      ReturnValues: 'ALL_NEW',
    }),
  );
  const ids = (out.Attributes?.ids as Set<string> | undefined) ?? new Set<string>();
  if (ids.size > 0) await moveFrozenClaims(db, table, accountId, day, expiresAt, ids);
  return ids;
}

/** Copy first, then remove: whoever finds them still on the closed day repeats both (the same set). */
async function moveFrozenClaims(db: DynamoDBDocumentClient, table: string, accountId: string, day: string, expiresAt: number, ids: Set<string>) {
  await db.send(new PutCommand({ TableName: table, Item: { ...keys.usageFrozenClaims(accountId, day), ids, expiresAt } }));
  await writeIf(
    db,
    new UpdateCommand({
      TableName: table,
      Key: keys.usageDay(accountId, day),
      UpdateExpression: 'REMOVE #ids',
      ConditionExpression: 'attribute_exists(#closed)',
      ExpressionAttributeNames: { '#ids': 'ids', '#closed': 'closed' },
    }),
  );
}

async function frozenClaims(db: DynamoDBDocumentClient, table: string, accountId: string, day: string): Promise<Set<string>> {
  const out = await db.send(new GetCommand({ TableName: table, Key: keys.usageFrozenClaims(accountId, day), ConsistentRead: true }));
  return (out.Item?.ids as Set<string> | undefined) ?? new Set<string>();
}

/**
 * A closed day's events: those not in its frozen claims are claimed in shards, then their rollup
 * (and that of same-body replays) is added, on the condition that the day is closed. Refused, the
 * closed-day hint was wrong (the item was replaced): the day is closed now and ids found in its
 * claims are dropped as counted there.
 */
async function recordOverflow(
  db: DynamoDBDocumentClient,
  table: string,
  at: { accountId: string; day: string; key: Record<string, string>; expiresAt: number; cacheKey: string },
  events: UsageEvent[],
): Promise<{ counted: UsageEvent[]; sameBody: UsageEvent[] }> {
  let frozen = closedDays.get(at.cacheKey) ?? new Set<string>();
  const claims = await claimOverflow(db, table, at.accountId, at.day, at.expiresAt, unclaimed(events, frozen));
  const closed = { condition: 'attribute_exists(#closed)', names: { '#closed': 'closed' }, values: {} };
  for (let attempt = 0; ; attempt++) {
    const counted = unclaimed(claims.claimed, frozen);
    const sameBody = unclaimed(claims.sameBody, frozen);
    const sets = rollupOf([...counted, ...sameBody]);
    if (await writeDay(db, rollupUpdate(table, at.key, at.day, at.expiresAt, sets, closed), at.accountId, at.day)) return { counted, sameBody };
    if (attempt > 0) throw new Error(`usage of ${at.accountId} on ${at.day}: closed day refused its rollup`);
    frozen = await closeDay(db, table, at.accountId, at.day, at.expiresAt);
    rememberClosed(at.cacheKey, frozen);
  }
}

/** A usage day as the repository returns it, from its item. */
function usageDayOf(i: Record<string, unknown>): UsageDay {
  return {
    day: String(i.day),
    users: [...((i.users as Set<string>) ?? [])],
    features: [...((i.features as Set<string>) ?? [])],
    userFeatures: [...((i.userFeatures as Set<string>) ?? [])],
    sessions: i.sessions ? [...(i.sessions as Set<string>)] : undefined,
    departments: i.departments ? [...(i.departments as Set<string>)] : undefined,
    sessionSeconds: i.sessionSeconds ? [...(i.sessionSeconds as Set<string>)] : undefined,
    apiUsers: i.apiUsers ? [...(i.apiUsers as Set<string>)] : undefined,
    emailsSent: i.emailsSent ? [...(i.emailsSent as Set<string>)] : undefined,
    emailsOpened: i.emailsOpened ? [...(i.emailsOpened as Set<string>)] : undefined,
    emailsClicked: i.emailsClicked ? [...(i.emailsClicked as Set<string>)] : undefined,
  };
}
