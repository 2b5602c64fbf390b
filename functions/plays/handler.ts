import middy from '@middy/core';
import * as z from '../core/zod.ts';
import { systemClock } from '../core/clock.ts';
import { beginRun, completeRun, failRun, runStep } from '../core/plays/engine.ts';
import { modelResolver } from '../core/score/presets/index.ts';
import { config } from '../shared/config.ts';
import * as root from '../shared/deps.ts';
import { emailDeps } from '../email/deps.ts';
import { observability } from '../shared/observability.ts';

const { counters, middlewares, correlated } = observability('tend-play-steps');

const deps = {
  ...emailDeps(systemClock),
  plays: config.plays,
  features: config.product.features,
  firstValue: config.milestones.firstValue,
  modelFor: modelResolver(config.scoreModel),
  scores: root.scores(),
  runs: root.runs(),
  stepItems: root.stepItems(),
  holdouts: root.holdouts(),
  tasks: root.tasks(),
  events: root.events(),
  counters,
};

// `correlationId` is optional: executions started before the machine passed it on still run.
// Built on first use (`z.lazy`), not at cold start (functions/core/schemas.ts says why).
const task = /* @__PURE__ */ z.lazy(() => {
  const run = { play: z.string(), accountId: z.string(), cycle: z.string(), executionName: z.string(), correlationId: z.optional(z.string()) };
  return z.discriminatedUnion('action', [
    z.object({
      action: z.literal('begin'),
      ...run,
      anchor: z.string(),
      trigger: z.object({ on: z.string(), at: z.string(), detail: z.optional(z.record(z.string(), z.unknown())) }),
    }),
    z.object({ action: z.literal('step'), ...run, step: z.string() }),
    z.object({ action: z.literal('complete'), ...run }),
    z.object({ action: z.literal('fail'), ...run, error: z.optional(z.object({ Error: z.optional(z.string()), Cause: z.optional(z.string()) })) }),
  ]);
});

/**
 * The tasks of every play's state machine: the machine decides when, this decides what, one step
 * at a time. A task's `correlationId` (the machine settles it before the first task: the execution
 * input's, its trigger's, or the execution name) names the request that started the run. A task of
 * an execution started before that (no `correlationId`) falls back to the trigger's, then the name.
 */
export const handler = middy<unknown, unknown>()
  .use(middlewares)
  .handler((event) => {
    const input = task.parse(event);
    const trigger = event as { trigger?: { detail?: { correlationId?: unknown } } };
    return correlated(input.correlationId ?? trigger.trigger?.detail?.correlationId, input.executionName, () => perform(input));
  });

async function perform(input: z.output<typeof task>) {
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
}
