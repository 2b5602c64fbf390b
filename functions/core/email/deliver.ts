import { dayOf, type Clock } from '../clock.ts';
import type { TendConfig } from '../config.ts';
import { fnv1a } from '../hash.ts';
import type { ContactRepo, EngagementRepo, FrequencyCap, Mailer, PreferenceRepo, SendLedger, SuppressionList } from '../ports.ts';
import type { TemplateLibrary } from '../templates/render.ts';
import { isTimeZone } from '../timezone.ts';
import type { Account } from '../types.ts';
import { emailUsage, templateContext, type LoadedUsage } from './context.ts';
import { unsubscribeHeaders, type UnsubscribeLinks } from './links.ts';
import { CATEGORY_PRIORITY, capSlots, encodeTag, OPTIONAL_CATEGORIES, type EmailCategory, type EmailPriority } from './policy.ts';
import { nextSendTime } from './window.ts';

export type { EmailCategory, EmailPriority } from './policy.ts';

/**
 * What delivery needs. On Lambda, `emailDeps()` of functions/email/deps.ts builds all of it in
 * one line; tests use in-memory ports (tests/support/email.ts).
 */
export interface DeliveryDeps {
  clock: Clock;
  config: TendConfig;
  /** The templates it may send: precompiled in a Lambda, compiled from source in the CLI and tests. */
  templates: TemplateLibrary;
  ledger: SendLedger;
  mailer: Mailer;
  /** The account's other contacts (roles, time zones, who left). */
  contacts: Pick<ContactRepo, 'list'>;
  suppressions: SuppressionList;
  preferences: Pick<PreferenceRepo, 'optedOut'>;
  cap: FrequencyCap;
  engagement: EngagementRepo;
  unsubscribe: UnsubscribeLinks;
}

/**
 * What the caller already loaded for this step, so delivery reads neither again: the account
 * (read when the step began) and its usage window (at least the days the template quotes).
 */
export interface LoadedAccount {
  account: Account;
  usage: LoadedUsage;
}

/** Who at the customer an email is for; the primary contact when nobody holds the role. */
export type ContactRole = 'primary' | 'champion' | 'executive-sponsor' | 'admin';

/** One email a play step asks for. The play engine decides when; delivery decides whether and how. */
export interface DeliveryRequest {
  accountId: string;
  /** The run's execution name: with the step and the contact, the send's idempotency key. */
  runKey: string;
  play: string;
  step: string;
  /** Days from the play's anchor (negative before a renewal date). */
  day: number;
  /** A built-in template or one of tend.config.ts `templates`. */
  template: string;
  category: EmailCategory;
  /** Order under the frequency cap; from the category when absent (save outreach passes `critical`). */
  priority?: EmailPriority;
  contactRole?: ContactRole;
}

export type DeliveryResult =
  | { outcome: 'sent'; messageId: string; to: string; detail?: string }
  /** Claimed by an earlier attempt: `sent` when it confirmed, `unknown` when it never did. */
  | { outcome: 'duplicate'; previous: 'sent' | 'unknown'; messageId: string | null }
  | { outcome: 'skipped'; reason: string; detail?: string }
  /** Not now (outside the contact's send window, or SES's send rate reached): the play waits until `until` and asks again. */
  | { outcome: 'deferred'; until: string; reason: string; detail?: string };

const THROTTLED = ['TooManyRequestsException', 'LimitExceededException', 'ThrottlingException'];

/**
 * How long a send SES throttled waits before it asks again: 1 to 5 minutes, spread by the send
 * and the moment, so a thousand steps that fell due at once (a bulk import's welcome) drain at
 * the account's send rate instead of retrying together and failing their runs.
 */
export function throttleBackoffMs(sendKey: string, now: Date, dailyQuota = false): number {
  const spread = fnv1a(`${sendKey}@${now.toISOString()}`);
  // The 24-hour quota frees up over hours, not seconds: ask again in 1 to 2 hours.
  if (dailyQuota) return 3_600_000 + (spread % 3600) * 1000;
  return 60_000 + (spread % 240) * 1000;
}

/**
 * Whether SES clearly refused an email (it was not sent): only then may a claim be given back.
 * Anything else (a timeout, a 5xx, a reset connection) may have sent it, and keeps the claim.
 */
export function refusedBySes(err: unknown): boolean {
  const name = (err as { name?: string } | undefined)?.name ?? '';
  return [
    'MessageRejected',
    'BadRequestException',
    'MailFromDomainNotVerifiedException',
    ...THROTTLED,
    'SendingPausedException',
    'AccountSuspendedException',
  ].includes(name);
}

/** A refusal about this recipient, which no retry will change: the address is suppressed and the send recorded as failed. */
export function permanentForRecipient(err: unknown): boolean {
  const e = err as { name?: string; message?: string } | undefined;
  if (e?.name === 'MessageRejected') return true;
  return e?.name === 'BadRequestException' && /address|recipient|destination/i.test(e.message ?? '');
}

/** The contact's time zone: theirs, else the account's, else the configured default; a bad stored one is reported. */
function timeZoneOf(candidates: [string, string | undefined][], fallback: string): { tz: string; detail?: string } {
  for (const [whose, tz] of candidates) {
    if (tz === undefined || tz === '') continue;
    if (isTimeZone(tz)) return { tz };
    return { tz: fallback, detail: `the ${whose} time zone "${tz}" is not a valid IANA time zone; used the default ${fallback}` };
  }
  return { tz: fallback };
}

/**
 * Sends one step's email at most once, to a contact who may receive it, when they may receive it.
 * In order: a suppressed address or an opted-out category is skipped; outside the contact's send
 * window the step is deferred (nothing claimed); the template is rendered (an error fails the
 * step visibly, nothing claimed); the ledger entry is claimed with a conditional put, so a retried
 * task or a redriven run finds it and sends nothing; the frequency cap takes a slot; SES is called.
 * A crash (or an unclear SES error) between the claim and SES's answer loses that one email
 * rather than risk sending it twice; the step is then reported as `unknown`, not as sent.
 * The account and its usage are the step's (`loaded`): delivery reads neither itself.
 */
export async function deliver(deps: DeliveryDeps, req: DeliveryRequest, loaded: LoadedAccount): Promise<DeliveryResult> {
  const { account } = loaded;
  if (account.id !== req.accountId) throw new Error(`delivery for "${req.accountId}" was given the account "${account.id}"`);
  if (account.status === 'churned') return { outcome: 'skipped', reason: 'account churned' };
  const now = deps.clock.now();
  const email = deps.config.email;

  const people = await deps.contacts.list(account.id);
  const byRole = req.contactRole && req.contactRole !== 'primary' ? people.find((c) => c.role === req.contactRole && !c.leftAt) : undefined;
  const contact = byRole ?? account.primaryContact;
  const address = contact.email.toLowerCase();
  const record = people.find((c) => c.email.toLowerCase() === address);
  if (record?.leftAt) return { outcome: 'skipped', reason: `${address} left ${account.name}` };

  const suppressed = await deps.suppressions.get(address);
  if (suppressed) return { outcome: 'skipped', reason: 'suppressed', detail: `${address}: ${suppressed.reason} (${suppressed.source}, ${suppressed.at})` };
  if ((OPTIONAL_CATEGORIES as readonly string[]).includes(req.category) && (await deps.preferences.optedOut(account.id, address)).includes(req.category)) {
    return { outcome: 'skipped', reason: `unsubscribed from ${req.category}` };
  }

  const zone = timeZoneOf(
    [
      ['contact', record?.timezone ?? contact.timezone],
      ['account', account.timezone],
    ],
    email.sendWindow.timeZone,
  );
  const opens = nextSendTime(now, zone.tz, email.sendWindow);
  if (opens.getTime() > now.getTime()) {
    return {
      outcome: 'deferred',
      until: opens.toISOString(),
      reason: `outside ${address}'s send window (${email.sendWindow.startHour}:00-${email.sendWindow.endHour}:00 ${email.sendWindow.days.join(',')}, ${zone.tz})`,
      ...(zone.detail ? { detail: zone.detail } : {}),
    };
  }

  // A named CSM signs high-touch email (from our verified address, replies to the CSM).
  const csm = account.segment === 'high-touch' ? account.csm : undefined;
  const template = deps.templates.get(req.template);
  // The config refuses a play naming an unknown template; this guards hand-made calls.
  if (!template) throw new Error(`unknown template "${req.template}"`);
  const withYear = template.needs.includes('year');
  const days = emailUsage(loaded.usage, now, withYear);
  const links = await deps.unsubscribe.linksFor({ contact: address, accountId: account.id, category: req.category }, now);
  // Rendered before the claim: a template error fails the step visibly and claims nothing.
  const rendered = template.render(
    templateContext({
      config: deps.config,
      account,
      contact,
      days,
      now,
      step: { id: req.step, day: req.day },
      senderName: csm?.name ?? deps.config.sender.name,
      unsubscribeUrl: links.url,
      withYear,
    }),
  );

  const sendKey = `${req.runKey}#${req.step}#${address}`;
  const at = now.toISOString();
  const claimed = await deps.ledger.claim({
    accountId: account.id,
    sendKey,
    contact: address,
    template: req.template,
    play: req.play,
    step: req.step,
    status: 'claimed',
    claimedAt: at,
  });
  if (!claimed) {
    const previous = await deps.ledger.get(account.id, sendKey);
    if (previous?.status === 'skipped' || previous?.status === 'failed') return { outcome: 'skipped', reason: previous.error ?? previous.status };
    return previous?.status === 'sent'
      ? { outcome: 'duplicate', previous: 'sent', messageId: previous.messageId ?? null }
      : { outcome: 'duplicate', previous: 'unknown', messageId: null };
  }

  const priority = req.priority ?? CATEGORY_PRIORITY[req.category];
  const cap = email.frequencyCap;
  let detail: string | undefined = zone.detail;
  if (!(await deps.cap.take(address, sendKey, capSlots(priority, cap.max), now, cap.days))) {
    if (priority !== 'critical') {
      const reason = `frequency cap: ${address} already had ${capSlots(priority, cap.max)} emails in ${cap.days} days that ${priority} email may use`;
      if (deps.ledger.close) await deps.ledger.close(account.id, sendKey, 'skipped', reason, now);
      else await deps.ledger.release(account.id, sendKey);
      return { outcome: 'skipped', reason, ...(detail ? { detail } : {}) };
    }
    detail = [
      detail,
      `over the frequency cap (${cap.max} in ${cap.days} days): sent because it is ${req.category === 'renewal' ? 'a renewal notice' : 'critical'}`,
    ]
      .filter(Boolean)
      .join('; ');
  }

  let messageId: string;
  try {
    ({ messageId } = await deps.mailer.send({
      from: `${csm?.name ?? deps.config.sender.name} <${deps.config.sender.from}>`,
      replyTo: [csm?.email ?? deps.config.sender.replyTo, deps.config.email.replies?.address].filter((a): a is string => !!a),
      to: address,
      ...rendered,
      headers: unsubscribeHeaders(links),
      tags: { play: encodeTag(req.play), step: encodeTag(req.step), account: encodeTag(account.id), category: req.category },
    }));
  } catch (err) {
    if (permanentForRecipient(err)) {
      const reason = `rejected by SES: ${(err as Error).message}`;
      await deps.suppressions.suppress(address, { reason, source: 'ses-send' }, now);
      if (deps.ledger.close) await deps.ledger.close(account.id, sendKey, 'failed', reason, now);
      await deps.cap.release(address, sendKey);
      return { outcome: 'skipped', reason, detail: `${address} is now suppressed` };
    }
    // Only a clear refusal gives the claim (and the cap slot) back, so a later attempt can send.
    if (refusedBySes(err)) await Promise.all([deps.ledger.release(account.id, sendKey), deps.cap.release(address, sendKey)]);
    // Throttled even after the client's adaptive retries: wait like a closed send window, never fail the run.
    if (THROTTLED.includes((err as { name?: string }).name ?? '')) {
      const daily = /daily/i.test((err as Error).message ?? '');
      const until = new Date(now.getTime() + throttleBackoffMs(sendKey, now, daily));
      return {
        outcome: 'deferred',
        until: until.toISOString(),
        reason: `SES ${daily ? 'daily sending quota' : 'send rate'} reached (${(err as Error).message}): trying again at ${until.toISOString()}`,
      };
    }
    throw err;
  }
  await deps.ledger.markSent(account.id, sendKey, messageId, now);
  // What the engagement signal divides by; after markSent, so a failure here never resends.
  await deps.engagement.record(account.id, dayOf(now), 'sent', messageId);
  return { outcome: 'sent', messageId, to: address, ...(detail ? { detail } : {}) };
}
