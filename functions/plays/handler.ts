import middy from '@middy/core';
import * as z from '../core/zod.ts';
import { systemClock } from '../core/clock.ts';
import { beginRun, completeRun, failRun, runStep } from '../core/plays/engine.ts';
import { modelResolver } from '../core/score/presets/index.ts';
import { precompiledLibrary } from '../core/templates/precompiled.ts';
import type { EmailDelivery } from '../core/plays/actions.ts';
import { config } from '../shared/config.ts';
import { accounts } from '../shared/deps/accounts.ts';
import { usage } from '../shared/deps/usage.ts';
import { events } from '../shared/deps/events.ts';
import { holdouts } from '../shared/deps/holdouts.ts';
import { runs } from '../shared/deps/runs.ts';
import { tasks } from '../shared/deps/tasks.ts';
import { scores } from '../shared/deps/scores.ts';
import { stepItems } from '../shared/deps/step-items.ts';
import { observability } from '../shared/observability.ts';
import { envVar } from '../shared/deps-base.ts';

const { counters, middlewares, correlated } = observability('tend-play-steps');

// The sending environment is checked at cold start, though delivery is built at the first email:
// a deploy missing it fails every step at once, naming the variable, not a run at its first email.
for (const name of ['CONFIGURATION_SET', 'PUBLIC_API_URL']) envVar(name);

const templates = precompiledLibrary();
let emailDelivery: Promise<EmailDelivery> | undefined;

const deps = {
  clock: systemClock,
  templates,
  // Built by the first email a step sends (functions/plays/email-delivery.ts says why); a failed build is tried again.
  emailDelivery: () =>
    (emailDelivery ??= import('./email-delivery.ts')
      .then(({ playEmailDelivery }) => playEmailDelivery(systemClock, templates))
      .catch((err: unknown) => {
        emailDelivery = undefined;
        throw err;
      })),
  accounts: accounts(),
  usage: usage(),
  plays: config.plays,
  features: config.product.features,
  firstValue: config.milestones.firstValue,
  modelFor: modelResolver(config.scoreModel),
  scores: scores(),
  runs: runs(),
  stepItems: stepItems(),
  holdouts: holdouts(),
  tasks: tasks(),
  events: events(),
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
