import { DAY_MS, dayOf, type Clock } from '../clock.ts';
import type { TendConfig } from '../config.ts';
import { NotFoundError } from '../errors.ts';
import type { AccountRepo, Mailer, RunRepo, SendLedger, UsageRepo } from '../ports.ts';
import { summariseUsage, WINDOW_DAYS } from '../score/derive.ts';
import { render } from '../templates/render.ts';
import type { TemplateId } from '../templates/catalogue.ts';
import type { RunStep } from '../types.ts';
import { assessForStep, ONBOARDING, planOnboarding, suggestFeature } from './onboarding.ts';

export interface JourneyDeps {
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

/**
 * Whether SES clearly refused an email (it was not sent): only then may a claim be given back.
 * Anything else (a timeout, a 5xx, a reset connection) may have sent it, and keeps the claim.
 */
export function refusedBySes(err: unknown): boolean {
  const name = (err as { name?: string } | undefined)?.name ?? '';
  return ['MessageRejected', 'BadRequestException', 'MailFromDomainNotVerifiedException', 'TooManyRequestsException', 'LimitExceededException', 'SendingPausedException', 'AccountSuspendedException', 'ThrottlingException'].includes(name);
}

/**
 * Sends one step's email exactly once: the ledger entry is claimed with a conditional put
 * before SES is called, so a retried task or a redriven run finds the claim and sends nothing.
 * A crash (or an unclear SES error) between the claim and SES's answer loses that one email
 * rather than risk sending it twice; the step is then recorded as `unknown`, not as sent.
 */
export async function sendStep(deps: JourneyDeps, input: { accountId: string; executionName: string; step: string; template: TemplateId }) {
  const { account, usage } = await usageOf(deps, input.accountId);
  const stepConfig = deps.config.journeys.onboarding.steps.find((s) => s.id === input.step);
  if (!stepConfig) throw new NotFoundError(`onboarding step "${input.step}" is not in the configuration`);
  const now = deps.clock.now();
  const at = now.toISOString();
  const record = (step: Omit<RunStep, 'at' | 'template'>) => deps.runs.stepDone(account.id, ONBOARDING, { id: input.step, template: input.template, at, ...step });
  if (account.status === 'churned') {
    await record({ outcome: 'skipped', detail: 'account churned' });
    return { outcome: 'skipped' as const, messageId: null };
  }
  const contact = account.primaryContact;
  // Rendered before the claim: a template error fails the step visibly and claims nothing.
  const email = render(input.template, {
    product: { name: deps.config.product.name, url: deps.config.product.url },
    sender: { name: deps.config.sender.name },
    account: { id: account.id, name: account.name },
    contact: { firstName: (contact.name ?? contact.email).split(/[\s@]/)[0]!, email: contact.email },
    step: { id: input.step, day: stepConfig.day },
    usage: {
      seats: usage.seats,
      activeUsers: usage.activeUsers,
      featuresUsed: usage.featuresUsed.length,
      featuresAvailable: usage.featuresAvailable.length,
      suggestedFeature: suggestFeature(usage),
    },
  });
  const sendKey = `${input.executionName}#${input.step}#${contact.email}`;
  const claimed = await deps.ledger.claim({ accountId: account.id, sendKey, contact: contact.email, template: input.template, play: ONBOARDING, step: input.step, status: 'claimed', claimedAt: at });
  if (!claimed) {
    // A retry or redrive: record what the first attempt did, send nothing.
    const previous = await deps.ledger.get(account.id, sendKey);
    const sent = previous?.status === 'sent';
    await record(sent ? { outcome: 'sent', messageId: previous.messageId } : { outcome: 'unknown', detail: 'an earlier attempt claimed this send and did not confirm it' });
    return { outcome: 'duplicate' as const, messageId: previous?.messageId ?? null };
  }
  let messageId: string;
  try {
    ({ messageId } = await deps.mailer.send({
      from: `${deps.config.sender.name} <${deps.config.sender.from}>`,
      replyTo: deps.config.sender.replyTo,
      to: contact.email,
      ...email,
      headers: [],
      tags: { play: ONBOARDING, step: input.step, account: account.id },
    }));
  } catch (err) {
    // Only a clear refusal gives the claim back, so the state machine's retry can send.
    if (refusedBySes(err)) await deps.ledger.release(account.id, sendKey);
    throw err;
  }
  await deps.ledger.markSent(account.id, sendKey, messageId, now);
  await record({ outcome: 'sent', messageId });
  return { outcome: 'sent' as const, messageId };
}

export async function finish(deps: JourneyDeps, input: { accountId: string; failed?: boolean }) {
  await deps.runs.finish(input.accountId, ONBOARDING, input.failed ? 'failed' : 'completed', deps.clock.now());
  return { status: input.failed ? 'failed' : 'completed' };
}
