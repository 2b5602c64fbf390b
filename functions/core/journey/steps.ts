import { DAY_MS, dayOf, type Clock } from '../clock.ts';
import type { TendConfig } from '../config.ts';
import { NotFoundError } from '../errors.ts';
import type { AccountRepo, Mailer, RunRepo, SendLedger, UsageRepo } from '../ports.ts';
import { deliver, type DeliveryDeps } from '../email/deliver.ts';
import { summariseUsage, WINDOW_DAYS } from '../score/derive.ts';
import type { TemplateId } from '../templates/catalogue.ts';
import type { RunStep } from '../types.ts';
import { assessForStep, ONBOARDING, planOnboarding } from './onboarding.ts';

export interface JourneyDeps extends DeliveryDeps {
  clock: Clock;
  config: TendConfig;
  accounts: AccountRepo;
  usage: UsageRepo;
  runs: RunRepo;
  ledger: SendLedger;
  mailer: Mailer;
}

async function usageOf(deps: JourneyDeps, accountId: string) {
  const account = await deps.accounts.get(accountId);
  if (!account) throw new NotFoundError(`account "${accountId}" not found`);
  const now = deps.clock.now();
  const days = await deps.usage.days(accountId, dayOf(now.getTime() - WINDOW_DAYS * DAY_MS), dayOf(now));
  return { account, usage: summariseUsage(account, days, deps.config.product.features, now) };
}

/** First task of a run: the absolute time of every step, recorded on the run. */
export async function plan(deps: JourneyDeps, input: { accountId: string; startDate: string; executionName: string }) {
  if (!(await deps.accounts.get(input.accountId))) throw new NotFoundError(`account "${input.accountId}" not found`);
  const schedule = planOnboarding(input.startDate, deps.config.journeys.onboarding.steps);
  await deps.runs.start({ accountId: input.accountId, play: ONBOARDING, executionName: input.executionName, schedule, startedAt: deps.clock.now().toISOString() });
  return { schedule };
}

/** What a step branches on, read when the step is due (not when the run started). */
export async function assess(deps: JourneyDeps, input: { accountId: string }) {
  const { account, usage } = await usageOf(deps, input.accountId);
  return { ...assessForStep(usage), churned: account.status === 'churned' };
}

/** One onboarding step's email, through the delivery path (exactly once, see deliver). */
export async function sendStep(deps: JourneyDeps, input: { accountId: string; executionName: string; step: string; template: TemplateId }) {
  const stepConfig = deps.config.journeys.onboarding.steps.find((s) => s.id === input.step);
  if (!stepConfig) throw new NotFoundError(`onboarding step "${input.step}" is not in the configuration`);
  const at = deps.clock.now().toISOString();
  const record = (step: Omit<RunStep, 'at' | 'template'>) => deps.runs.stepDone(input.accountId, ONBOARDING, { id: input.step, template: input.template, at, ...step });
  const result = await deliver(deps, { accountId: input.accountId, runKey: input.executionName, play: ONBOARDING, step: input.step, day: stepConfig.day, template: input.template, category: 'onboarding' });
  switch (result.outcome) {
    case 'sent':
      await record({ outcome: 'sent', messageId: result.messageId });
      return { outcome: 'sent' as const, messageId: result.messageId };
    case 'duplicate':
      await record(result.previous === 'sent' ? { outcome: 'sent', messageId: result.messageId ?? undefined } : { outcome: 'unknown', detail: 'an earlier attempt claimed this send and did not confirm it' });
      return { outcome: 'duplicate' as const, messageId: result.messageId };
    case 'deferred':
      // Outside the contact's send window: the state machine waits until `until` and sends again.
      return { outcome: 'deferred' as const, messageId: null, until: result.until };
    default:
      await record({ outcome: 'skipped', detail: result.reason });
      return { outcome: 'skipped' as const, messageId: null };
  }
}

export async function finish(deps: JourneyDeps, input: { accountId: string; failed?: boolean }) {
  await deps.runs.finish(input.accountId, ONBOARDING, input.failed ? 'failed' : 'completed', deps.clock.now());
  return { status: input.failed ? 'failed' : 'completed' };
}
