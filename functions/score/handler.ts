import { Logger } from '@aws-lambda-powertools/logger';
import * as z from '../core/zod.ts';
import { systemClock } from '../core/clock.ts';
import { modelResolver } from '../core/score/presets/index.ts';
import { scoreShards } from '../core/scoring.ts';
import { ACCOUNT_SHARDS } from '../data/keys.ts';
import { accountRepo } from '../data/accounts.ts';
import { documentClient } from '../data/client.ts';
import { scoreRepo } from '../data/scores.ts';
import { usageRepo } from '../data/usage.ts';
import { segmentOf } from '../core/accounts.ts';
import { eventBridgePublisher } from '../adapters/eventbridge-publisher.ts';
import { config } from '../shared/config.ts';
import { parseEnv } from '../shared/env.ts';

const env = parseEnv({ TABLE_NAME: z.string().check(z.minLength(1)), EVENT_BUS_NAME: z.string().check(z.minLength(1)) });
const logger = new Logger({ serviceName: 'tend-score' });
const deps = {
  clock: systemClock,
  modelFor: modelResolver(config.scoreModel),
  features: config.product.features,
  fallingFastPoints: config.scoring.fallingFastPoints,
  accounts: accountRepo(documentClient, env.TABLE_NAME, (arr) => segmentOf(arr, config.segments)),
  usage: usageRepo(documentClient, env.TABLE_NAME),
  scores: scoreRepo(documentClient, env.TABLE_NAME),
  events: eventBridgePublisher(env.EVENT_BUS_NAME),
};

const shard = z.int().check(z.gte(0), z.lte(ACCOUNT_SHARDS - 1));
/** A batch from the daily run's Distributed Map (`Items`), named shards, or nothing for every shard. */
const input = z.looseObject({ Items: z.optional(z.array(shard)), shards: z.optional(z.array(shard)) });

export const handler = async (event: unknown) => {
  const { Items, shards } = input.parse(event ?? {});
  const result = await scoreShards(deps, Items ?? shards ?? Array.from({ length: ACCOUNT_SHARDS }, (_, i) => i));
  logger.info('scored', result);
  return result;
};
