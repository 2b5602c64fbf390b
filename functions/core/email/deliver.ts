import { dayOf, type Clock } from '../clock.ts';
import type { TendConfig } from '../config.ts';
import { fnv1a } from '../hash.ts';
import type {
  ContactRepo,
  EngagementRepo,
  FrequencyCap,
  Mailer,
  PreferenceRepo,
  RecipientReads,
  SendConfirmations,
  SendLedger,
  SuppressionList,
} from '../ports.ts';
import type { TemplateLibrary } from '../templates/render.ts';
import { isTimeZone } from '../timezone.ts';
import type { Account, Contact } from '../types.ts';
import { emailUsage, templateContext, type LoadedUsage } from './context.ts';
import { unsubscribeHeaders, type UnsubscribeLinks } from './links.ts';
import { CATEGORY_PRIORITY, capSlots, encodeTag, OPTIONAL_CATEGORIES, type EmailCategory, type EmailPriority } from './policy.ts';
import { nextSendTime } from './window.ts';
import { classifySesError, type NotSentReason } from './ses-outcome.ts';
import { reconcileDecision, RECONCILE_WINDOW_MS, sendIdOf } from './reconcile.ts';
import { PAUSE_RECHECK_MS, type SendingPause } from './reputation.ts';
import { HeldOutLeakError } from '../plays/held-out.ts';
import { outcomeGroupsOf } from '../metrics/outcome-cuts.ts';

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
  /** SES's events by send id: what settles a send whose SES answer was unclear. */
  confirmations: Pick<SendConfirmations, 'get'>;
  /** The automatic pause before SES's review thresholds. */
  pause: SendingPause;
  mailer: Mailer;
  /** The account's other contacts (roles, time zones, who left). */
  contacts: Pick<ContactRepo, 'list'>;
  suppressions: SuppressionList;
  preferences: Pick<PreferenceRepo, 'optedOut'>;
  cap: FrequencyCap;
  /** Suppression, opt-outs and the cap's slots in one read; absent: each read on its own (`suppressions`, `preferences`, `cap`). */
  recipient?: RecipientReads;
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
  /** The account's people, when the step read them with its usage: delivery does not list them again. */
  people?: Contact[];
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
  /** An email step with variants (docs/holdouts.md): `<play>/<step>`, recorded on the send so its outcomes count per variant. */
  variantOf?: string;
  /** A held-out run's request: refused here, whatever called (docs/holdouts.md, "Nothing leaks"). */
  heldOut?: boolean;
}

export type DeliveryResult =
  | { outcome: 'sent'; messageId: string; to: string; detail?: string }
  /** Sent by an earlier attempt (SES answered it, or SES's events confirmed it). Never `unknown` any more: an unclear send is deferred until reconciled. */
  | { outcome: 'duplicate'; previous: 'sent' | 'unknown'; messageId: string | null }
  | { outcome: 'skipped'; reason: string; detail?: string }
  /** Not now (outside the contact's send window, or SES's send rate reached): the play waits until `until` and asks again. */
  | { outcome: 'deferred'; until: string; reason: string; detail?: string };

/**
 * How long a send SES refused for now waits before it asks again: 1 to 5 minutes, spread by the
 * send and the moment, so a thousand steps that fell due at once (a bulk import's welcome) drain
 * at the account's send rate instead of retrying together and failing their runs.
 */
export function throttleBackoffMs(sendKey: string, now: Date, dailyQuota = false): number {
  const spread = fnv1a(`${sendKey}@${now.toISOString()}`);
  // The 24-hour quota (and a paused account) frees up over hours, not seconds: ask again in 1 to 2 hours.
  if (dailyQuota) return 3_600_000 + (spread % 3600) * 1000;
  return 60_000 + (spread % 240) * 1000;
}

const NOT_SENT_WAIT: Record<Exclude<NotSentReason, 'recipient' | 'refused'>, { hours: boolean; what: string }> = {
  throttled: { hours: false, what: 'SES send rate reached' },
  'daily-quota': { hours: true, what: 'SES daily sending quota reached' },
  paused: { hours: true, what: 'SES sending is paused for the account' },
  unreachable: { hours: false, what: 'SES could not be reached (nothing was sent)' },
};

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
 * A send an earlier attempt claimed: done (sent, skipped, failed), still unclear (wait for SES's
 * events), or to be tried again (the attempt it moves to). See reconcile.ts and docs/email.md.
 */
async function settleEarlierClaim(
  deps: DeliveryDeps,
  c: { accountId: string; sendKey: string; sendId: string; address: string; priority: EmailPriority; now: Date },
): Promise<DeliveryResult | { attempt: number; previousAttemptAt: string; reason: string }> {
  const previous = await deps.ledger.get(c.accountId, c.sendKey);
  if (previous?.status === 'skipped' || previous?.status === 'failed') return { outcome: 'skipped', reason: previous.error ?? previous.status };
  if (previous?.status === 'sent') return { outcome: 'duplicate', previous: 'sent', messageId: previous.messageId ?? null };
  // Given back between our claim and our read (a not-sent answer elsewhere): ask again shortly.
  if (!previous)
    return {
      outcome: 'deferred',
      until: new Date(c.now.getTime() + throttleBackoffMs(c.sendKey, c.now)).toISOString(),
      reason: 'the send was given back meanwhile',
    };
  const decision = reconcileDecision({ ...previous, status: 'claimed' }, await deps.confirmations.get(previous.sendId ?? c.sendId), c.priority, c.now);
  switch (decision.action) {
    case 'confirmed':
      await deps.ledger.markSent(c.accountId, c.sendKey, decision.messageId, c.now);
      await deps.engagement.record(c.accountId, dayOf(new Date(previous.attemptedAt ?? previous.claimedAt)), 'sent', decision.messageId);
      return { outcome: 'duplicate', previous: 'sent', messageId: decision.messageId };
    case 'wait':
      // Held (an attempt that died before SES answered, most often): the sweep must look at it if its run goes.
      await deps.ledger.noteHeld?.(new Date(decision.until));
      return { outcome: 'deferred', until: decision.until, reason: previous.unclear ? `${previous.unclear}; ${decision.reason}` : decision.reason };
    case 'rejected':
    case 'give-up':
      if (deps.ledger.close) await deps.ledger.close(c.accountId, c.sendKey, 'failed', decision.reason, c.now);
      await deps.cap.release(c.address, c.sendKey);
      return { outcome: 'skipped', reason: decision.reason };
    case 'retry':
      // Two retries of the step race here: one moves the attempt on, the other waits for its events.
      if (!(await deps.ledger.reattempt(c.accountId, c.sendKey, decision.attempt, c.now)))
        return {
          outcome: 'deferred',
          until: new Date(c.now.getTime() + RECONCILE_WINDOW_MS).toISOString(),
          reason: 'another attempt of this send is under way',
        };
      return { attempt: decision.attempt, previousAttemptAt: previous.attemptedAt ?? previous.claimedAt, reason: decision.reason };
  }
}

/**
 * Sends one step's email at most once, to a contact who may receive it, when they may receive it.
 * In order: a suppressed address or an opted-out category is skipped; outside the contact's send
 * window the step is deferred (nothing claimed); the template is rendered (an error fails the
 * step visibly, nothing claimed); the ledger entry is claimed with a conditional put, so a retried
 * task or a redriven run finds it and sends nothing; the frequency cap takes a slot; SES is called.
 * What SES surely did not send (throttling, quota, unreachable) gives the claim back and defers.
 * An unclear answer (5xx, a dropped connection, a timeout, or a crash before the answer) keeps the
 * claim and defers until SES's events settle it: a later run of the step confirms it as sent, or
 * after the window retries once or gives up per category (reconcile.ts, docs/email.md).
 * The account and its usage are the step's (`loaded`): delivery reads neither itself.
 */
export async function deliver(deps: DeliveryDeps, req: DeliveryRequest, loaded: LoadedAccount): Promise<DeliveryResult> {
  const { account } = loaded;
  // The side-effect boundary of holdouts: a held-out run's email is never sent, whichever path asks.
  if (req.heldOut) throw new HeldOutLeakError(`a held-out ${req.play} run asked to send "${req.template}" to ${req.accountId}`);
  if (account.id !== req.accountId) throw new Error(`delivery for "${req.accountId}" was given the account "${account.id}"`);
  if (account.status === 'churned') return { outcome: 'skipped', reason: 'account churned' };
  const now = deps.clock.now();
  const email = deps.config.email;

  const people = loaded.people ?? (await deps.contacts.list(account.id));
  const byRole = req.contactRole && req.contactRole !== 'primary' ? people.find((c) => c.role === req.contactRole && !c.leftAt) : undefined;
  const contact = byRole ?? account.primaryContact;
  const address = contact.email.toLowerCase();
  const record = people.find((c) => c.email.toLowerCase() === address);
  if (record?.leftAt) return { outcome: 'skipped', reason: `${address} left ${account.name}` };

  const priority = req.priority ?? CATEGORY_PRIORITY[req.category];
  const optional = (OPTIONAL_CATEGORIES as readonly string[]).includes(req.category);
  // One read for the three when the recipient reader is there; the cap's slots read now serve the claim's cap below.
  const recipient = await deps.recipient?.read(account.id, address, { optedOut: optional, capSlots: capSlots(priority, email.frequencyCap.max) });
  const suppressed = recipient ? recipient.suppressed : await deps.suppressions.get(address);
  if (suppressed) return { outcome: 'skipped', reason: 'suppressed', detail: `${address}: ${suppressed.reason} (${suppressed.source}, ${suppressed.at})` };
  if (optional && (recipient ? recipient.optedOut : await deps.preferences.optedOut(account.id, address)).includes(req.category)) {
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
  const template = await deps.templates.load(req.template);
  // The config refuses a play naming an unknown template; this guards hand-made calls.
  if (!template) throw new Error(`unknown template "${req.template}"`);
  const withYear = template.needs.includes('year');
  const days = emailUsage(loaded.usage, now, withYear);
  const sendKey = `${req.runKey}#${req.step}#${address}`;
  // The link names its send, so an unsubscribe through it counts towards the template (docs/metrics.md).
  const links = await deps.unsubscribe.linksFor({ contact: address, accountId: account.id, category: req.category, sendKey }, now);
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

  const sendId = sendIdOf(account.id, sendKey);
  const at = now.toISOString();

  const paused = await deps.pause.state(now);
  if (paused.paused) return { outcome: 'deferred', until: new Date(now.getTime() + PAUSE_RECHECK_MS).toISOString(), reason: paused.reason };

  const claimed = await deps.ledger.claim({
    accountId: account.id,
    sendKey,
    sendId,
    contact: address,
    template: req.template,
    play: req.play,
    step: req.step,
    ...(req.variantOf ? { variantOf: req.variantOf } : {}),
    status: 'claimed',
    claimedAt: at,
    attempt: 1,
    attemptedAt: at,
    // Its outcomes count under the account's segment, plan and owner at the claim (docs/metrics.md).
    groups: outcomeGroupsOf(account),
  });
  let attempt = 1;
  /** When the attempt before this one was made: a retry that SES surely did not take goes back to it. */
  let previousAttemptAt: string | undefined;
  let detail: string | undefined = zone.detail;
  if (!claimed) {
    const settled = await settleEarlierClaim(deps, { accountId: account.id, sendKey, sendId, address, priority, now });
    if ('outcome' in settled) return settled;
    ({ attempt, previousAttemptAt } = settled);
    detail = [detail, settled.reason].filter(Boolean).join('; ');
  }

  const cap = email.frequencyCap;
  // A retried attempt keeps the slot its first attempt took.
  if (attempt === 1 && !(await deps.cap.take(address, sendKey, capSlots(priority, cap.max), now, cap.days, recipient?.capSlots))) {
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
      tags: { play: encodeTag(req.play), step: encodeTag(req.step), account: encodeTag(account.id), category: req.category, send: sendId },
    }));
  } catch (err) {
    const outcome = classifySesError(err);
    if (outcome.kind === 'maybe-sent') {
      // SES may have stored it: keep the claim (and the cap slot); its events decide after the window.
      const reason = `SES's answer to attempt ${attempt} was unclear (${outcome.reason}: ${outcome.message})`;
      await deps.ledger.noteUnclear(account.id, sendKey, reason);
      const until = new Date(now.getTime() + RECONCILE_WINDOW_MS).toISOString();
      await deps.ledger.noteHeld?.(new Date(until));
      return { outcome: 'deferred', until, reason: `${reason}: waiting for SES's events until ${until}` };
    }
    if (outcome.reason === 'recipient') {
      const reason = `rejected by SES: ${outcome.message}`;
      await deps.suppressions.suppress(address, { reason, source: 'ses-send' }, now);
      if (deps.ledger.close) await deps.ledger.close(account.id, sendKey, 'failed', reason, now);
      await deps.cap.release(address, sendKey);
      return { outcome: 'skipped', reason, detail: `${address} is now suppressed` };
    }
    // Surely not sent: the claim (and the cap slot) are given back, so a later attempt can send. A
    // retry goes back to the attempt before it instead, so only attempts that may have reached SES count.
    if (attempt > 1 && previousAttemptAt) await deps.ledger.rewind(account.id, sendKey, attempt, previousAttemptAt);
    else await Promise.all([deps.ledger.release(account.id, sendKey), deps.cap.release(address, sendKey)]);
    // Any other 4xx: the same request would be refused again; the state machine's Retry, then its Catch, make it visible.
    if (outcome.reason === 'refused') throw err;
    const wait = NOT_SENT_WAIT[outcome.reason];
    const until = new Date(now.getTime() + throttleBackoffMs(sendKey, now, wait.hours));
    return { outcome: 'deferred', until: until.toISOString(), reason: `${wait.what} (${outcome.message}): trying again at ${until.toISOString()}` };
  }
  await deps.ledger.markSent(account.id, sendKey, messageId, now);
  // What the engagement signal divides by; after markSent, so a failure here never resends.
  await deps.engagement.record(account.id, dayOf(now), 'sent', messageId);
  return { outcome: 'sent', messageId, to: address, ...(detail ? { detail } : {}) };
}
