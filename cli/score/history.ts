import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { DAY_MS, dayOf } from '../../functions/core/clock.ts';
import { parseConfig } from '../../functions/core/config.ts';
import type { HistoricScore } from '../../functions/core/score/backtest.ts';
import { tierOf } from '../../functions/core/score/compute.ts';
import { signalsAt, type ScoringPolicy } from '../../functions/core/score/decide.ts';
import type { ScoreModel } from '../../functions/core/score/model.ts';
import { modelResolver } from '../../functions/core/score/presets/index.ts';
import { keys } from '../../functions/data/keys.ts';
import { scoringInputs } from '../../functions/data/scoring-inputs.ts';
import { isScored, scoreFactsOf } from '../../functions/data/scores.ts';
import userConfig from '../../tend.config.ts';

type HistoryPolicy = Pick<ScoringPolicy, 'features' | 'windows' | 'trainingCourses'> & { modelFor: (segment: string) => ScoreModel };

function configuredPolicy(): HistoryPolicy {
  const config = parseConfig(userConfig);
  return {
    features: config.product.features,
    trainingCourses: config.product.trainingCourses,
    windows: config.scoring.windows,
    modelFor: modelResolver(config.scoreModel),
  };
}

/**
 * Every stored daily score (the history array of each score item, up to 35 days), with the
 * signals of that day re-derived from the usage rollups: the score item keeps scores, not signals,
 * to stay one write unit. A scan for the score items, then one Query per scored account; read once
 * for an offline analysis. The stored tier of a past day is its score's tier under the current model.
 */
export async function readHistory(
  client: DynamoDBClient,
  table: string,
  onProgress?: (items: number) => void,
  policy: HistoryPolicy = configuredPolicy(),
): Promise<HistoricScore[]> {
  const db = DynamoDBDocumentClient.from(client);
  const scored: { accountId: string; item: Record<string, unknown> }[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new ScanCommand({ TableName: table, FilterExpression: 'sk = :s', ExpressionAttributeValues: { ':s': keys.score('').sk }, ExclusiveStartKey: start }),
    );
    for (const item of (page.Items ?? []).filter(isScored)) scored.push({ accountId: String(item.pk).slice(String(item.pk).indexOf('#') + 1), item });
    start = page.LastEvaluatedKey;
  } while (start);
  const inputs = scoringInputs(db, table);
  const usageDays = policy.windows?.usageDays ?? 30;
  const out: HistoricScore[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < scored.length) {
        const { accountId, item } = scored[next++]!;
        const facts = scoreFactsOf(item, accountId);
        if (facts.recent.length === 0) continue;
        const timeOfDay = new Date(facts.computedAt).getTime() % DAY_MS;
        const input = await inputs.load(accountId, dayOf(Date.parse(`${facts.recent[0]!.day}T00:00:00Z`) - 2 * usageDays * DAY_MS));
        if (!input.account) continue;
        const model = policy.modelFor(facts.segment);
        for (const { day, score } of facts.recent) {
          const at = new Date(Date.parse(`${day}T00:00:00Z`) + timeOfDay);
          out.push({
            accountId,
            day,
            segment: facts.segment,
            signals: signalsAt(policy, { ...input, account: input.account }, at),
            score,
            tier: tierOf(model, score).name,
          });
        }
        onProgress?.(out.length);
      }
    }),
  );
  return out.sort((a, b) => a.accountId.localeCompare(b.accountId) || a.day.localeCompare(b.day));
}
