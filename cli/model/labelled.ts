import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { LabelledAccount } from '../../functions/core/churn/fit.ts';
import { DAY_MS, dayOf } from '../../functions/core/clock.ts';
import { parseConfig } from '../../functions/core/config.ts';
import { signalsAt, type ScoringPolicy } from '../../functions/core/score/decide.ts';
import { keys } from '../../functions/data/keys.ts';
import { scoringInputs } from '../../functions/data/scoring-inputs.ts';
import userConfig from '../../tend.config.ts';

/** How far before its outcome an account's signals are taken: the model learns to warn a month ahead. */
export const HORIZON_DAYS = 30;

type SignalPolicy = Pick<ScoringPolicy, 'features' | 'windows' | 'trainingCourses'>;

function configuredPolicy(): SignalPolicy {
  const config = parseConfig(userConfig);
  return { features: config.product.features, trainingCourses: config.product.trainingCourses, windows: config.scoring.windows };
}

/**
 * Accounts whose outcome is known, from the table: churned (status churned, on the day it was
 * marked) or renewed (active past its renewal date, or its last recorded renewal outcome renewed). Each brings its signals as of HORIZON_DAYS
 * before that outcome (or its start, if it is younger), re-derived from the usage rollups (kept
 * 400 days) and feedback with the same code as scoring: one scan for the accounts, then one
 * Query per labelled account. Accounts with no usage at all by then are left out.
 */
export async function labelledAccounts(
  client: DynamoDBClient,
  table: string,
  now: Date,
  policy: SignalPolicy = configuredPolicy(),
): Promise<{ labelled: LabelledAccount[]; accounts: number }> {
  const db = DynamoDBDocumentClient.from(client);
  const accounts: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new ScanCommand({ TableName: table, FilterExpression: 'sk = :a', ExpressionAttributeValues: { ':a': keys.account('').sk }, ExclusiveStartKey: start }),
    );
    accounts.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);

  const inputs = scoringInputs(db, table);
  const usageDays = policy.windows?.usageDays ?? 30;
  const labelled: LabelledAccount[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < accounts.length) {
        const a = accounts[next++]!;
        const renewal = typeof a.renewalDate === 'string' ? Date.parse(a.renewalDate) : NaN;
        // A renewal recorded with POST /v1/accounts/{id}/renewals moves the renewal date on: its outcome says it renewed.
        const last = a.lastRenewal as { outcome?: string; renewalDate?: string } | undefined;
        const outcome =
          a.status === 'churned'
            ? // A churn recorded as a renewal's outcome dates from that renewal, as a renewal recorded renewed does.
              {
                churned: true,
                at: last?.outcome === 'churned' && last.renewalDate ? Date.parse(last.renewalDate) : Date.parse(String(a.churnedAt ?? a.updatedAt)),
              }
            : a.status === 'active' && renewal < now.getTime()
              ? { churned: false, at: renewal }
              : a.status === 'active' && last?.outcome === 'renewed' && last.renewalDate
                ? { churned: false, at: Date.parse(last.renewalDate), renewalDate: last.renewalDate }
                : undefined;
        if (!outcome) continue;
        const at = Math.max(outcome.at - HORIZON_DAYS * DAY_MS, Date.parse(String(a.startDate)));
        if (!(at <= outcome.at)) continue;
        const input = await inputs.load(String(a.id), dayOf(at - 2 * usageDays * DAY_MS));
        const days = input.days.filter((d) => d.day <= dayOf(at));
        if (!input.account || days.length === 0) continue;
        labelled.push({
          accountId: String(a.id),
          churned: outcome.churned,
          // Its renewal date as it was before the renewal moved it on (else the days to renewal would give the outcome away).
          signals: signalsAt(
            policy,
            { ...input, account: 'renewalDate' in outcome ? { ...input.account, renewalDate: outcome.renewalDate } : input.account, days },
            new Date(at),
          ),
        });
      }
    }),
  );
  return { labelled: labelled.sort((x, y) => x.accountId.localeCompare(y.accountId)), accounts: accounts.length };
}
