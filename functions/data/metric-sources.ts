import { GetCommand, paginateQuery, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { MetricSources } from '../core/metrics/contribution.ts';
import type { Band } from '../core/metrics/health.ts';
import { portfolioAccountOf, type MetricSourceReader } from '../core/metrics/sources.ts';
import { arrHistoryOf, revenueHistory, type RevenuePoint } from '../core/revenue-history.ts';
import type { Survey } from '../core/types.ts';
import { accountFromItem, LAST_POINT } from './account-item.ts';
import { stripKeys } from './items.ts';
import { ACCOUNT_SHARDS, keys } from './keys.ts';
import { accountRepo } from './accounts.ts';

/** The items of one account under a sort-key prefix, strongly consistent (upkeep runs right after the write it reflects). */
async function withPrefix(db: DynamoDBDocumentClient, table: string, accountId: string, prefix: string) {
  const out: Record<string, unknown>[] = [];
  const query = {
    TableName: table,
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
    ExpressionAttributeValues: { ':pk': keys.account(accountId).pk, ':p': prefix },
    ConsistentRead: true,
  };
  for await (const page of paginateQuery({ client: db }, query)) out.push(...(page.Items ?? []).map(stripKeys));
  return out;
}

/**
 * An account's metric sources in four reads: the account item (with its last revenue point), its
 * revenue points, its surveys and its score's band. Upkeep reads them only when a source changed.
 */
export function metricSources(db: DynamoDBDocumentClient, table: string): MetricSourceReader {
  async function sourcesOf(accountItem: Record<string, unknown>): Promise<MetricSources> {
    const account = accountFromItem(accountItem);
    const [stored, surveys, score] = await Promise.all([
      withPrefix(db, table, account.id, keys.arrPrefix),
      withPrefix(db, table, account.id, keys.surveyPrefix),
      db.send(new GetCommand({ TableName: table, Key: keys.score(account.id), ProjectionExpression: 'band', ConsistentRead: true })),
    ]);
    const history = revenueHistory(account, stored as unknown as RevenuePoint[], accountItem[LAST_POINT] as RevenuePoint | undefined);
    return {
      account: portfolioAccountOf(account, score.Item?.band as Band | null | undefined),
      history: arrHistoryOf(account.id, history),
      surveys: surveys as unknown as Survey[],
      profile: { name: account.name, ...(account.renewalDate ? { renewalDate: account.renewalDate } : {}) },
    };
  }
  return {
    async load(accountId) {
      const out = await db.send(new GetCommand({ TableName: table, Key: keys.account(accountId), ConsistentRead: true }));
      return out.Item ? sourcesOf(out.Item) : undefined;
    },
    async *all() {
      const accounts = accountRepo(db, table);
      for (let shard = 0; shard < ACCOUNT_SHARDS; shard++)
        for await (const ids of accounts.listIds(shard)) {
          // A few accounts at a time: four reads each.
          for (let i = 0; i < ids.length; i += 16) {
            const loaded = await Promise.all(ids.slice(i, i + 16).map((id) => this.load(id)));
            yield loaded.filter((s): s is MetricSources => s !== undefined);
          }
        }
    },
  };
}
