import { paginateQuery, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { UsageRepo } from '../core/ports.ts';
import type { UsageDay } from '../core/types.ts';
import { keys } from './keys.ts';
import { ttlIn } from './items.ts';

/** Usage rollups live 400 days: long enough for a year-over-year look at renewal. */
const USAGE_TTL_DAYS = 400;

/**
 * One item per account and day. Every update is a set union (ADD on string sets), which is
 * idempotent and atomic: a replayed or concurrent event changes nothing and needs no transaction.
 */
export function usageRepo(db: DynamoDBDocumentClient, table: string): UsageRepo {
  return {
    async record(accountId, day, events) {
      const sets: Record<string, Set<string>> = { users: new Set(), features: new Set(), userFeatures: new Set(), sessions: new Set(), sessionSeconds: new Set(), departments: new Set(), apiUsers: new Set() };
      const trainings = new Set<string>();
      for (const e of events) {
        const p = e.properties ?? {};
        sets.users!.add(e.userId);
        if (p.department) sets.departments!.add(p.department);
        if (p.sessionId) sets.sessions!.add(`${e.userId}|${p.sessionId}`);
        // Durations as set entries, the longest per session counting: replays and heartbeats add nothing.
        if (p.sessionId && p.durationSeconds !== undefined) sets.sessionSeconds!.add(`${e.userId}|${p.sessionId}|${p.durationSeconds}`);
        if (e.name.startsWith('api.') || p.source === 'api') sets.apiUsers!.add(e.userId);
        if (e.name === 'training.completed' && p.course) trainings.add(`${e.userId}|${p.course}`);
        if (p.feature) {
          sets.features!.add(p.feature);
          sets.userFeatures!.add(`${e.userId}|${p.feature}`);
        }
      }
      const present = Object.entries(sets).filter(([, v]) => v.size > 0);
      await db.send(
        new UpdateCommand({
          TableName: table,
          Key: keys.usageDay(accountId, day),
          UpdateExpression: `ADD ${present.map(([k]) => `#${k} :${k}`).join(', ')} SET #day = :day, expiresAt = :exp`,
          ExpressionAttributeNames: { ...Object.fromEntries(present.map(([k]) => [`#${k}`, k])), '#day': 'day' },
          ExpressionAttributeValues: { ...Object.fromEntries(present.map(([k, v]) => [`:${k}`, v])), ':day': day, ':exp': ttlIn(new Date(`${day}T00:00:00Z`), USAGE_TTL_DAYS) },
        }),
      );
      // Training lasts longer than the usage window: completions are kept on the account itself.
      if (trainings.size) {
        await db.send(new UpdateCommand({ TableName: table, Key: keys.account(accountId), UpdateExpression: 'ADD trainingsCompleted :t', ExpressionAttributeValues: { ':t': trainings } }));
      }
    },
    async days(accountId, fromDay, toDay) {
      const out: UsageDay[] = [];
      const query = {
        TableName: table,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': keys.usageDay(accountId, fromDay).pk, ':from': keys.usageDay(accountId, fromDay).sk, ':to': keys.usageDay(accountId, toDay).sk },
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
