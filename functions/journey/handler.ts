import * as z from '../core/zod.ts';
import { systemClock } from '../core/clock.ts';
import { assess, finish, plan, sendStep } from '../core/journey/steps.ts';
import { templateIds } from '../core/templates/catalogue.ts';
import { documentClient } from '../data/client.ts';
import { runRepo } from '../data/runs.ts';
import { parseEnv } from '../shared/env.ts';
import { emailDeps, emailEnvShape } from '../email/deps.ts';

const env = parseEnv(emailEnvShape);
const deps = { ...emailDeps(systemClock, env), runs: runRepo(documentClient, env.TABLE_NAME) };

const task = z.discriminatedUnion('action', [
  z.object({ action: z.literal('plan'), accountId: z.string(), startDate: z.string(), executionName: z.string() }),
  z.object({ action: z.literal('assess'), accountId: z.string() }),
  z.object({ action: z.literal('send'), accountId: z.string(), executionName: z.string(), step: z.string(), template: z.enum(templateIds) }),
  z.object({ action: z.literal('finish'), accountId: z.string(), failed: z.optional(z.boolean()) }),
]);

/** The onboarding state machine's tasks. The machine decides what and when; this does one step. */
export const handler = async (event: unknown) => {
  const input = task.parse(event);
  switch (input.action) {
    case 'plan':
      return plan(deps, input);
    case 'assess':
      return assess(deps, input);
    case 'send':
      return sendStep(deps, input);
    case 'finish':
      return finish(deps, input);
  }
};
