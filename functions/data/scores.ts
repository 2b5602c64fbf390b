import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ScoreRepo } from '../core/ports.ts';
import type { StoredScore } from '../core/types.ts';
import { dayOf } from '../core/clock.ts';
import { keys } from './keys.ts';
import { stripKeys, ttlIn } from './items.ts';
import { isConditionalCheckFailed } from './errors.ts';

const HISTORY_TTL_DAYS = 400;

/** The current score, plus one history item per day (kept 400 days) for trends and backtests. */
export function scoreRepo(db: DynamoDBDocumentClient, table: string): ScoreRepo {
  return {
    async get(accountId) {
      const out = await db.send(new GetCommand({ TableName: table, Key: keys.score(accountId) }));
      return out.Item ? (stripKeys(out.Item) as unknown as StoredScore) : undefined;
    },
    async signalsOn(accountId, day) {
      const out = await db.send(new GetCommand({ TableName: table, Key: keys.scoreHistory(accountId, day), ProjectionExpression: 'signals' }));
      return out.Item?.signals as Record<string, number | string> | undefined;
    },
    async put(score, { previousComputedAt }) {
      const at = new Date(score.computedAt);
      try {
        await db.send(
          new PutCommand({
            TableName: table,
            Item: { ...keys.score(score.accountId), ...score },
            ...(previousComputedAt
              ? { ConditionExpression: 'computedAt = :previous', ExpressionAttributeValues: { ':previous': previousComputedAt } }
              : { ConditionExpression: 'attribute_not_exists(pk)' }),
          }),
        );
      } catch (err) {
        if (isConditionalCheckFailed(err)) return false;
        throw err;
      }
      // History keeps what a backtest or a trend needs (the raw signals and the result), not the
      // explanation: about a fifth of the current item, so one write unit a day per account.
      const { accountId, computedAt, segment, modelId, modelVersion, score: value, tier, coverage, signals, flags } = score;
      await db.send(
        new PutCommand({
          TableName: table,
          Item: { ...keys.scoreHistory(accountId, dayOf(at)), accountId, computedAt, day: dayOf(at), segment, modelId, modelVersion, score: value, tier, coverage, signals, flags: Object.keys(flags), expiresAt: ttlIn(at, HISTORY_TTL_DAYS) },
        }),
      );
      return true;
    },
  };
}
