import * as z from '../core/zod.ts';
import { systemClock } from '../core/clock.ts';
import { beginRun, completeRun, failRun, runStep } from '../core/plays/engine.ts';
import { modelResolver } from '../core/score/presets/index.ts';
import { eventBridgePublisher } from '../adapters/eventbridge-publisher.ts';
import { documentClient } from '../data/client.ts';
import { runRepo } from '../data/runs.ts';
import { scoreRepo } from '../data/scores.ts';
import { taskRepo } from '../data/tasks.ts';
import { config } from '../shared/config.ts';
import { parseEnv } from '../shared/env.ts';
import { emailDeps, emailEnvShape } from '../email/deps.ts';

const env = parseEnv({ ...emailEnvShape, EVENT_BUS_NAME: z.string().check(z.minLength(1)) });
const deps = {
  ...emailDeps(systemClock, env),
  plays: config.plays,
  features: config.product.features,
  firstValue: config.milestones.firstValue,
  modelFor: modelResolver(config.scoreModel),
  scores: scoreRepo(documentClient, env.TABLE_NAME, modelResolver(config.scoreModel)),
  runs: runRepo(documentClient, env.TABLE_NAME),
  tasks: taskRepo(documentClient, env.TABLE_NAME),
  events: eventBridgePublisher(env.EVENT_BUS_NAME),
};

const run = { play: z.string(), accountId: z.string(), cycle: z.string(), executionName: z.string() };
const task = z.discriminatedUnion('action', [
  z.object({ action: z.literal('begin'), ...run, anchor: z.string(), trigger: z.object({ on: z.string(), at: z.string(), detail: z.optional(z.record(z.string(), z.unknown())) }) }),
  z.object({ action: z.literal('step'), ...run, step: z.string() }),
  z.object({ action: z.literal('complete'), ...run }),
  z.object({ action: z.literal('fail'), ...run, error: z.optional(z.object({ Error: z.optional(z.string()), Cause: z.optional(z.string()) })) }),
]);

/** The tasks of every play's state machine: the machine decides when, this decides what, one step at a time. */
export const handler = async (event: unknown) => {
  const input = task.parse(event);
  switch (input.action) {
    case 'begin':
      return { reason: null, ...(await beginRun(deps, input)) };
    case 'step':
      // Every field the machine's ResultSelector reads is present, null when unused.
      return { until: null, reason: null, ...(await runStep(deps, input)) };
    case 'complete':
      return completeRun(deps, input);
    case 'fail':
      return failRun(deps, input);
  }
};
