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
      const users = new Set(events.map((e) => e.userId));
      const features = new Set<string>();
      const userFeatures = new Set<string>();
      const sessions = new Set<string>();
      const departments = new Set<string>();
      for (const e of events) {
        if (typeof e.properties?.department === 'string') departments.add(e.properties.department);
        if (typeof e.properties?.sessionId === 'string') sessions.add(`${e.userId}|${e.properties.sessionId}`);
        const feature = typeof e.properties?.feature === 'string' ? e.properties.feature : undefined;
        if (feature) {
          features.add(feature);
          userFeatures.add(`${e.userId}|${feature}`);
        }
      }
      const adds = ['#users :users'];
      const values: Record<string, unknown> = { ':users': users, ':day': day, ':exp': ttlIn(new Date(`${day}T00:00:00Z`), USAGE_TTL_DAYS) };
      const names: Record<string, string> = { '#users': 'users' };
      if (features.size) {
        adds.push('#features :features', '#userFeatures :userFeatures');
        Object.assign(values, { ':features': features, ':userFeatures': userFeatures });
        Object.assign(names, { '#features': 'features', '#userFeatures': 'userFeatures' });
      }
      if (departments.size) {
        adds.push('#departments :departments');
        values[':departments'] = departments;
        names['#departments'] = 'departments';
      }
      if (sessions.size) {
        adds.push('#sessions :sessions');
        values[':sessions'] = sessions;
        names['#sessions'] = 'sessions';
      }
      await db.send(
        new UpdateCommand({
          TableName: table,
          Key: keys.usageDay(accountId, day),
          UpdateExpression: `ADD ${adds.join(', ')} SET #day = :day, expiresAt = :exp`,
          ExpressionAttributeNames: { ...names, '#day': 'day' },
          ExpressionAttributeValues: values,
        }),
      );
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
          });
        }
      }
      return out;
    },
  };
}
