import { DAY_MS, dayOf, type Clock } from '../clock.ts';
import type { TendConfig } from '../config.ts';
import { NotFoundError } from '../errors.ts';
import type { AccountRepo, Mailer, SendLedger, UsageRepo } from '../ports.ts';
import { summariseUsage, WINDOW_DAYS } from '../score/derive.ts';
import { render } from '../templates/render.ts';
import type { TemplateId } from '../templates/catalogue.ts';
import { suggestFeature } from '../journey/onboarding.ts';

export interface DeliveryDeps {
  clock: Clock;
  config: TendConfig;
  accounts: AccountRepo;
  usage: UsageRepo;
  ledger: SendLedger;
  mailer: Mailer;
}

/** Consent categories a contact can opt out of; `renewal` notices are transactional. */
export type EmailCategory = 'onboarding' | 'tips' | 'renewal' | 'success';

/** One email a play step asks for. The play engine decides when; delivery decides whether and how. */
export interface DeliveryRequest {
  accountId: string;
  /** The run's execution name: with the step and the contact, the send's idempotency key. */
  runKey: string;
  play: string;
  step: string;
  /** Days from the play's anchor (negative before a renewal date). */
  day: number;
  template: TemplateId;
  category: EmailCategory;
}

export type DeliveryResult =
  | { outcome: 'sent'; messageId: string; to: string }
  /** Claimed by an earlier attempt: `sent` when it confirmed, `unknown` when it never did. */
  | { outcome: 'duplicate'; previous: 'sent' | 'unknown'; messageId: string | null }
  | { outcome: 'skipped'; reason: string }
  /** Not now (outside the contact's send window): the play waits until `until` and asks again. */
  | { outcome: 'deferred'; until: string; reason: string };

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
 * rather than risk sending it twice; the step is then reported as `unknown`, not as sent.
 */
export async function deliver(deps: DeliveryDeps, req: DeliveryRequest): Promise<DeliveryResult> {
  const account = await deps.accounts.get(req.accountId);
  if (!account) throw new NotFoundError(`account "${req.accountId}" not found`);
  if (account.status === 'churned') return { outcome: 'skipped', reason: 'account churned' };
  const now = deps.clock.now();
  const days = await deps.usage.days(account.id, dayOf(now.getTime() - WINDOW_DAYS * DAY_MS), dayOf(now));
  const usage = summariseUsage(account, days, deps.config.product.features, now);
  const contact = account.primaryContact;
  // Rendered before the claim: a template error fails the step visibly and claims nothing.
  const email = render(req.template, {
    product: { name: deps.config.product.name, url: deps.config.product.url },
    sender: { name: deps.config.sender.name },
    account: { id: account.id, name: account.name },
    contact: { firstName: (contact.name ?? contact.email).split(/[\s@]/)[0]!, email: contact.email },
    step: { id: req.step, day: req.day },
    usage: {
      seats: usage.seats,
      activeUsers: usage.activeUsers,
      featuresUsed: usage.featuresUsed.length,
      featuresAvailable: usage.featuresAvailable.length,
      suggestedFeature: suggestFeature(usage),
    },
  });
  const sendKey = `${req.runKey}#${req.step}#${contact.email}`;
  const at = now.toISOString();
  const claimed = await deps.ledger.claim({ accountId: account.id, sendKey, contact: contact.email, template: req.template, play: req.play, step: req.step, status: 'claimed', claimedAt: at });
  if (!claimed) {
    const previous = await deps.ledger.get(account.id, sendKey);
    return previous?.status === 'sent'
      ? { outcome: 'duplicate', previous: 'sent', messageId: previous.messageId ?? null }
      : { outcome: 'duplicate', previous: 'unknown', messageId: null };
  }
  let messageId: string;
  try {
    ({ messageId } = await deps.mailer.send({
      from: `${deps.config.sender.name} <${deps.config.sender.from}>`,
      replyTo: deps.config.sender.replyTo,
      to: contact.email,
      ...email,
      headers: [],
      tags: { play: req.play, step: req.step, account: account.id },
    }));
  } catch (err) {
    // Only a clear refusal gives the claim back, so the state machine's retry can send.
    if (refusedBySes(err)) await deps.ledger.release(account.id, sendKey);
    throw err;
  }
  await deps.ledger.markSent(account.id, sendKey, messageId, now);
  return { outcome: 'sent', messageId, to: contact.email };
}
