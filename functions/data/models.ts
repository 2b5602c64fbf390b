import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ChurnModel } from '../core/churn/fit.ts';
import { keys } from './keys.ts';
import { stripKeys } from './items.ts';

/**
 * How long a container keeps the churn model it read, in real time: a newly fitted model
 * (`tend model fit`, run by hand) applies to scores within a minute. Every scoring invocation read
 * it before, even an hourly rescoring with nothing to score (a third of the demo's scoring reads).
 */
export const CHURN_MODEL_CACHE_MS = 60_000;

/** The churn model fitted by `tend model fit`, stored in the table so every scorer reads the same one. */
export function churnModelRepo(db: DynamoDBDocumentClient, table: string, options: { cacheMs?: number; now?: () => number } = {}) {
  const cacheMs = options.cacheMs ?? CHURN_MODEL_CACHE_MS;
  const now = options.now ?? Date.now;
  // The read itself is kept, so invocations at once share one request; a failed read is not kept.
  let cached: { at: number; model: Promise<ChurnModel | undefined> } | undefined;
  return {
    get(): Promise<ChurnModel | undefined> {
      if (cached && now() - cached.at < cacheMs) return cached.model;
      const model = db
        .send(new GetCommand({ TableName: table, Key: keys.churnModel }))
        .then((out) => (out.Item ? (stripKeys(out.Item) as unknown as ChurnModel) : undefined));
      const entry = { at: now(), model };
      cached = entry;
      model.catch(() => {
        if (cached === entry) cached = undefined;
      });
      return model;
    },
    async put(model: ChurnModel): Promise<void> {
      await db.send(new PutCommand({ TableName: table, Item: { ...keys.churnModel, ...model } }));
      cached = undefined;
    },
  };
}
