import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { LabelledAccount } from '../../functions/core/churn/fit.ts';
import { DAY_MS, dayOf } from '../../functions/core/clock.ts';

/** How far before its outcome an account's signals are taken: the model learns to warn a month ahead. */
export const HORIZON_DAYS = 30;

/**
 * Accounts whose outcome is known, from the table: churned (status churned, on the day it was
 * marked) or renewed (active past its renewal date). Each brings its stored signals from
 * HORIZON_DAYS before that outcome, or the earliest it has if it is younger.
 */
export async function labelledAccounts(client: DynamoDBClient, table: string, now: Date): Promise<{ labelled: LabelledAccount[]; accounts: number }> {
  const db = DynamoDBDocumentClient.from(client);
  const accounts = new Map<string, Record<string, unknown>>();
  const history = new Map<string, { day: string; signals: LabelledAccount['signals'] }[]>();
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new ScanCommand({ TableName: table, FilterExpression: 'sk = :a OR begins_with(sk, :h)', ExpressionAttributeValues: { ':a': 'ACCOUNT', ':h': 'SCORE#' }, ExclusiveStartKey: start }),
    );
    for (const i of page.Items ?? []) {
      if (i.sk === 'ACCOUNT') accounts.set(String(i.id), i);
      else history.set(String(i.accountId), [...(history.get(String(i.accountId)) ?? []), { day: String(i.day ?? String(i.sk).slice(6)), signals: (i.signals ?? {}) as LabelledAccount['signals'] }]);
    }
    start = page.LastEvaluatedKey;
  } while (start);

  const labelled: LabelledAccount[] = [];
  for (const [id, a] of accounts) {
    const renewal = typeof a.renewalDate === 'string' ? Date.parse(a.renewalDate) : NaN;
    const outcome = a.status === 'churned' ? { churned: true, at: Date.parse(String(a.churnedAt ?? a.updatedAt)) } : a.status === 'active' && renewal < now.getTime() ? { churned: false, at: renewal } : undefined;
    const days = (history.get(id) ?? []).sort((x, y) => x.day.localeCompare(y.day));
    if (!outcome || days.length === 0) continue;
    const horizon = dayOf(outcome.at - HORIZON_DAYS * DAY_MS);
    const before = days.filter((d) => d.day <= horizon);
    const pick = before[before.length - 1] ?? days[0]!;
    if (pick.day > dayOf(outcome.at)) continue;
    labelled.push({ accountId: id, churned: outcome.churned, signals: pick.signals });
  }
  return { labelled, accounts: accounts.size };
}
