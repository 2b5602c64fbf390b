import { GetCommand, paginateQuery, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { UsageRepo } from '../core/ports.ts';
import type { UsageDay, UsageEvent } from '../core/types.ts';
import { keys } from './keys.ts';
import { isItemTooLarge } from './errors.ts';
import { UsageDayFullError } from '../core/errors.ts';
import { ttlIn, writeIf } from './items.ts';
import { chunksOf, claimAndRecord, distinctIds, eventHash, unclaimed } from './usage-claims.ts';
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
 * One item per account and day: string sets (users, features...) and the claims of the event ids
 * it counted (usage-claims.ts). An event's id and its rollup are added in one conditional write,
 * so a replayed id adds nothing, whatever body it carries, and racing deliveries of one id
 * resolve to exactly one that counts. No transaction, nothing to repair after a crash.
 */
export function usageRepo(db: DynamoDBDocumentClient, table: string): UsageRepo {
  return {
    async record(accountId, day, events) {
      const key = keys.usageDay(accountId, day);
      const expiresAt = ttlIn(new Date(`${day}T00:00:00Z`), USAGE_TTL_DAYS);
      const firstSeen: UsageEvent[] = [];
      const trainings = new Set<string>();
      // One chunk after the other: they write the same item.
      for (const chunk of chunksOf(distinctIds(events))) {
        let pending = chunk;
        for (let attempt = 0; pending.length > 0; attempt++) {
          if (attempt > chunk.length + 3) throw new Error(`usage of ${accountId} on ${day}: claims kept being refused`);
          if (await writeDay(db, claimAndRecord(table, key, day, expiresAt, pending, rollupOf(pending)), accountId, day)) {
            firstSeen.push(...pending);
            break;
          }
          // Refused: some ids are claimed (by an earlier delivery or a racing one). Drop those, retry the rest.
          const stored = await claimsOf(db, table, key);
          const replays = pending.filter((e) => stored.ids.has(eventHash(e.id)));
          pending = unclaimed(pending, stored.ids);
          // A replayed training may follow a crash before its account write: the day's stored trainings (first bodies only) go again.
          if (replays.some(isTraining)) stored.trainings.forEach((t) => trainings.add(t));
        }
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
      const query = {
        TableName: table,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':pk': keys.usageDay(accountId, fromDay).pk,
          ':from': keys.usageDay(accountId, fromDay).sk,
          ':to': keys.usageDay(accountId, toDay).sk,
        },
      };
      for await (const page of paginateQuery({ client: db }, query)) {
        for (const i of page.Items ?? []) {
          out.push({
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
          });
        }
      }
      return out;
    },
  };
}

/** The claimed id hashes of an account-day, and the trainings it recorded; strongly consistent, to see a racing write. */
async function claimsOf(db: DynamoDBDocumentClient, table: string, key: Record<string, string>) {
  const out = await db.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true, ProjectionExpression: 'ids, trainings' }));
  return {
    ids: (out.Item?.ids as Set<string> | undefined) ?? new Set<string>(),
    trainings: (out.Item?.trainings as Set<string> | undefined) ?? new Set<string>(),
  };
}
