import { paginateQuery, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { MetricSources } from '../core/metrics/contribution.ts';
import type { Band } from '../core/metrics/health.ts';
import { portfolioAccountOf, type MetricSourceReader } from '../core/metrics/sources.ts';
import { arrHistoryOf, revenueHistory, type RevenuePoint } from '../core/revenue-history.ts';
import type { Survey } from '../core/types.ts';
import { accountFromItem, LAST_POINT } from './account-item.ts';
import { stripKeys } from './items.ts';
import { ACCOUNT_SHARDS, keys } from './keys.ts';
import { accountRepo } from './accounts.ts';

/** The items of one account between two sort keys, strongly consistent (upkeep runs right after the write it reflects). */
async function between(db: DynamoDBDocumentClient, table: string, pk: string, from: string, to: string) {
  const out: Record<string, unknown>[] = [];
  const query = {
    TableName: table,
    KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
    ExpressionAttributeValues: { ':pk': pk, ':from': from, ':to': to },
    ConsistentRead: true,
  };
  for await (const page of paginateQuery({ client: db }, query)) out.push(...(page.Items ?? []));
  return out;
}

/**
 * An account's metric sources in two Queries at once: the account item (with its last revenue
 * point), its score's band and its surveys, which sort next to each other (`keys.metricSourcesRange`),
 * then its revenue points. Four reads before (the account, then the points, the surveys and the
 * score): the upkeep follows every account write, survey batch and revenue point.
 */
export function metricSources(db: DynamoDBDocumentClient, table: string): MetricSourceReader {
  async function load(accountId: string): Promise<MetricSources | undefined> {
    const range = keys.metricSourcesRange(accountId);
    const arr = keys.arrPoint(accountId, '', 0);
    const [items, stored] = await Promise.all([
      between(db, table, range.pk, range.from, range.to),
      between(db, table, arr.pk, keys.arrPrefix, `${keys.arrPrefix}\uffff`),
    ]);
    const accountSk = keys.account(accountId).sk;
    const scoreSk = keys.score(accountId).sk;
    const accountItem = items.find((i) => i.sk === accountSk);
    if (!accountItem) return undefined;
    const account = accountFromItem(accountItem);
    const band = items.find((i) => i.sk === scoreSk)?.band;
    const surveys = items.filter((i) => String(i.sk).startsWith(keys.surveyPrefix)).map(stripKeys);
    const history = revenueHistory(account, stored.map(stripKeys) as unknown as RevenuePoint[], accountItem[LAST_POINT] as RevenuePoint | undefined);
    return {
      account: portfolioAccountOf(account, band as Band | null | undefined),
      history: arrHistoryOf(account.id, history),
      surveys: surveys as unknown as Survey[],
      profile: { name: account.name, ...(account.renewalDate ? { renewalDate: account.renewalDate } : {}) },
    };
  }
  return {
    load,
    async *all() {
      const accounts = accountRepo(db, table);
      for (let shard = 0; shard < ACCOUNT_SHARDS; shard++)
        for await (const ids of accounts.listIds(shard)) {
          // A few accounts at a time: two Queries each.
          for (let i = 0; i < ids.length; i += 16) {
            const loaded = await Promise.all(ids.slice(i, i + 16).map((id) => this.load(id)));
            yield loaded.filter((s): s is MetricSources => s !== undefined);
          }
        }
    },
  };
}
