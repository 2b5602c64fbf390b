import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import * as z from '../core/zod.ts';
import { systemClock } from '../core/clock.ts';
import { scoringPolicy } from '../core/score/policy.ts';
import { rescoreDirty, scoreShards } from '../core/scoring.ts';
import { ACCOUNT_SHARDS } from '../data/keys.ts';
import { config } from '../shared/config.ts';
import { accounts } from '../shared/deps/accounts.ts';
import { churnModels } from '../shared/deps/churn-models.ts';
import { dirty } from '../shared/deps/dirty.ts';
import { scoreStateRepo } from '../shared/deps/score-state-repo.ts';
import { scoredToday } from '../shared/deps/scored-today.ts';
import { scoringInputs } from '../shared/deps/scoring-inputs.ts';
import { scoringRunWrites } from '../shared/deps/scoring-run-writes.ts';
import { observability } from '../shared/observability.ts';

const { logger, counters, middlewares, correlated } = observability('tend-score');
const deps = {
  clock: systemClock,
  ...scoringPolicy(config),
  accounts: accounts(),
  inputs: scoringInputs(),
  dirty: dirty(),
  scoreStates: scoreStateRepo(),
  scoredToday: scoredToday(),
  onError: (accountId: string, err: unknown) => logger.error('scoring an account failed', { accountId, error: err as Error }),
};

// Built on first use (`z.lazy`), not at cold start (functions/core/schemas.ts says why).
const shard = () => z.int().check(z.gte(0), z.lte(ACCOUNT_SHARDS - 1));
/** A batch from the daily run's Distributed Map (`Items`), named shards, or nothing for every shard. */
/** `dirty: true` rescores only the accounts with new data (the frequent schedule). */
const input = /* @__PURE__ */ z.lazy(() =>
  z.looseObject({ Items: z.optional(z.array(shard())), shards: z.optional(z.array(shard())), dirty: z.optional(z.boolean()) }),
);
const allShards = Array.from({ length: ACCOUNT_SHARDS }, (_, i) => i);
const fittedModels = churnModels();

export const handler = middy<unknown, unknown>()
  .use(middlewares)
  .handler((event, context: Context) =>
    correlated(undefined, context.awsRequestId, async () => {
      const { Items, shards, dirty } = input.parse(event ?? {});
      const chosen = Items ?? shards ?? allShards;
      // The fitted model is kept a minute per container (data/models.ts): a new fit applies within a minute. The writes are
      // buffered per invocation (score, timeline entries, band moves, tallies: data/scoring-writes.ts).
      const batchDeps = { ...deps, ...scoringRunWrites(), churnModel: await fittedModels.get() };
      const result = dirty ? await rescoreDirty(batchDeps, chosen) : await scoreShards(batchDeps, chosen);
      counters.count('ScoresWritten', 'written' in result ? result.written : result.scored);
      logger.info('scored', result);
      return result;
    }),
  );
