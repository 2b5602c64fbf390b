import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import * as z from '../core/zod.ts';
import { systemClock } from '../core/clock.ts';
import { onEvent, sweepShards } from '../core/plays/triggers.ts';
import { ACCOUNT_SHARDS } from '../data/keys.ts';
import { config } from '../shared/config.ts';
import { accounts } from '../shared/deps/accounts.ts';
import { runner } from '../shared/deps/runner.ts';
import { runs } from '../shared/deps/runs.ts';
import { observability } from '../shared/observability.ts';

const { logger, counters, middlewares, correlated } = observability('tend-plays');
const deps = {
  clock: systemClock,
  counters,
  plays: config.plays,
  accounts: accounts(),
  runs: runs(),
  runner: runner(),
};

/**
 * An EventBridge event from Tend's bus (its detail carries the account), or the daily sweep. Built
 * on first use (`z.lazy`), not at cold start (functions/core/schemas.ts says why).
 */
const busEvent = /* @__PURE__ */ z.lazy(() =>
  z.looseObject({ 'detail-type': z.string(), time: z.string(), detail: z.looseObject({ accountId: z.string(), at: z.optional(z.string()) }) }),
);
const sweep = /* @__PURE__ */ z.lazy(() => z.object({ sweep: z.literal(true), shards: z.optional(z.array(z.int().check(z.gte(0), z.lt(ACCOUNT_SHARDS)))) }));

/**
 * Starts plays: from events (account created, tier changed, flag started), and the daily sweep for
 * date-anchored plays. An event's `detail.correlationId` (the request that caused it) becomes the
 * correlation id of the runs it starts.
 */
export const handler = middy<unknown, unknown>()
  .use(middlewares)
  .handler((event, context: Context) =>
    correlated((event as { detail?: { correlationId?: unknown } } | null)?.detail?.correlationId, context.awsRequestId, () => start(event)),
  );

async function start(event: unknown) {
  const asSweep = sweep.safeParse(event);
  if (asSweep.success) {
    const shards = asSweep.data.shards ?? Array.from({ length: ACCOUNT_SHARDS }, (_, i) => i);
    const counts = await sweepShards(deps, shards);
    logger.info('swept', { counts });
    return counts;
  }
  const e = busEvent.parse(event);
  const { accountId, at, ...detail } = e.detail;
  const started = await onEvent(deps, { type: e['detail-type'] as never, accountId, at: at ?? e.time, detail });
  if (started.length) logger.info('event', { type: e['detail-type'], accountId, started });
  return started;
}
