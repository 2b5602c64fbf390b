import { ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { portfolioAccountOf } from '../../functions/core/metrics/sources.ts';
import type { portfolio, PortfolioInput } from '../../functions/core/metrics/portfolio.ts';
import { arrHistoryOf, revenueHistory, type RevenuePoint } from '../../functions/core/revenue-history.ts';
import type { Account, Survey } from '../../functions/core/types.ts';
import { accountFromItem } from '../../functions/data/account-item.ts';

/** portfolio()'s figures without the account lists (the aggregates hold counts; drill-down lists the accounts). */
export function withoutLists(figures: ReturnType<typeof portfolio>['whole']) {
  const { accounts: _r, ...retention } = figures.retention;
  const { accounts: _n, ...nps } = figures.nps;
  const { accounts: _c, ...csat } = figures.csat;
  const { accounts: _t, ...timeToValue } = figures.timeToValue;
  const health = Object.fromEntries(Object.entries(figures.health).map(([b, { ids: _i, ...f }]) => [b, f]));
  return { accounts: figures.accounts, retention, nps, csat, timeToValue, health };
}

/** Every item of the table (one Scan): a brute force reads nothing else. */
export async function scanTable(db: DynamoDBDocumentClient, table: string) {
  const items: Record<string, any>[] = [];
  let after: Record<string, unknown> | undefined;
  do {
    const out = await db.send(new ScanCommand({ TableName: table, ExclusiveStartKey: after }));
    items.push(...(out.Items ?? []));
    after = out.LastEvaluatedKey;
  } while (after);
  return items;
}

/** portfolio()'s input read straight from the raw items: profiles, scores' bands, ARR points and surveys. */
export function portfolioInputOf(items: Record<string, any>[]): PortfolioInput {
  const under = (id: string, prefix: string) => items.filter((i) => i.pk === `ACCOUNT#${id}` && String(i.sk).startsWith(prefix));
  const input: PortfolioInput = { accounts: [], histories: [], surveys: [] };
  for (const item of items.filter((i) => i.sk === 'S#PROFILE')) {
    const account: Account = accountFromItem(item);
    const score = items.find((i) => i.pk === item.pk && i.sk === 'S#SCORE');
    input.accounts.push(portfolioAccountOf(account, score?.band));
    input.histories.push(arrHistoryOf(account.id, revenueHistory(account, under(account.id, 'ARR#') as RevenuePoint[], item.arrLast)));
    input.surveys.push(...(under(account.id, 'S#SURVEY#') as Survey[]));
  }
  return input;
}
