import { createHash } from 'node:crypto';
import type { EmailPriority } from './policy.ts';

/**
 * Reconciling a send whose outcome is unclear (docs/email.md, "Exactly once"). A claimed send that
 * has no SES answer (SES answered 5xx, the connection dropped after the request went out, a
 * timeout, or the process died) may or may not have been stored by SES. SES's own events (Send,
 * Delivery, Bounce... from the configuration set) carry the message's `send` tag: one of them
 * confirms it was sent. None within the window after the attempt means SES never accepted it.
 */

/** How long after an attempt SES's events are awaited before the attempt is taken as not sent. */
export const RECONCILE_WINDOW_MS = 15 * 60_000;

/** How many attempts a send gets when SES's answers stay unclear: tips are given up after one (a lost tip beats a duplicate). */
export function maxAttempts(priority: EmailPriority): number {
  return priority === 'low' ? 1 : 2;
}

/** The message tag that ties SES's events to the ledger: 128 bits of the account and send key, in SES's tag alphabet. */
export function sendIdOf(accountId: string, sendKey: string): string {
  return createHash('sha256').update(`${accountId}\n${sendKey}`).digest('base64url').slice(0, 22);
}

/** What SES's event stream said about a send id (the first event recorded wins). */
export interface SendConfirmation {
  sendId: string;
  messageId: string;
  /** SES's eventType: Send, Delivery, Bounce, Complaint, Reject, RenderingFailure, DeliveryDelay... */
  event: string;
  at: string;
}

/** The events that prove SES did not send after all. */
const NOT_SENT_EVENTS = ['Reject', 'RenderingFailure', 'Rendering Failure'];

export interface UnclearSend {
  status: 'claimed';
  /** The attempt under way or last made (1 for records claimed before attempts were counted). */
  attempt?: number;
  /** When that attempt was claimed (`claimedAt` for the first). */
  attemptedAt?: string;
  claimedAt: string;
}

export type ReconcileDecision =
  | { action: 'confirmed'; messageId: string; event: string }
  | { action: 'rejected'; reason: string }
  | { action: 'wait'; until: string; reason: string }
  | { action: 'retry'; attempt: number; reason: string }
  | { action: 'give-up'; reason: string };

/** Decides what to do with a claimed send, from its record, SES's events and the time. Pure. */
export function reconcileDecision(
  record: UnclearSend,
  confirmation: SendConfirmation | undefined,
  priority: EmailPriority,
  now: Date,
  windowMs = RECONCILE_WINDOW_MS,
): ReconcileDecision {
  if (confirmation) {
    if (NOT_SENT_EVENTS.includes(confirmation.event))
      return { action: 'rejected', reason: `SES reported ${confirmation.event} for message ${confirmation.messageId}` };
    return { action: 'confirmed', messageId: confirmation.messageId, event: confirmation.event };
  }
  const attempt = record.attempt ?? 1;
  const attemptedAt = new Date(record.attemptedAt ?? record.claimedAt);
  const windowEnds = new Date(attemptedAt.getTime() + windowMs);
  if (now.getTime() < windowEnds.getTime()) {
    return {
      action: 'wait',
      until: windowEnds.toISOString(),
      reason: `attempt ${attempt} has no clear answer from SES yet: waiting for SES's events until ${windowEnds.toISOString()}`,
    };
  }
  const minutes = Math.round(windowMs / 60_000);
  if (attempt < maxAttempts(priority)) {
    return { action: 'retry', attempt: attempt + 1, reason: `no SES event within ${minutes} min of attempt ${attempt}: not sent, trying again` };
  }
  return {
    action: 'give-up',
    reason: `given up: no SES event within ${minutes} min of attempt ${attempt} of ${maxAttempts(priority)} (${priority} priority), so it was not sent`,
  };
}

/**
 * The same decision for a held send whose run is gone (stopped, cancelled, failed): no step will
 * come back for it, so nothing may send it again. Confirmed by SES's events means sent; inside the
 * window it waits; after the window without an event it is given up whatever its priority (the
 * retry a live run would have made is not made: a lost email beats one sent outside its run).
 */
export function orphanDecision(
  record: UnclearSend,
  confirmation: SendConfirmation | undefined,
  runGone: string,
  now: Date,
  windowMs = RECONCILE_WINDOW_MS,
): Exclude<ReconcileDecision, { action: 'retry' }> {
  // `low` allows one attempt: past the window the live decision is give-up, never retry.
  const decision = reconcileDecision(record, confirmation, 'low', now, windowMs);
  if (decision.action !== 'give-up' && decision.action !== 'retry') return decision;
  const attempt = record.attempt ?? 1;
  return {
    action: 'give-up',
    reason: `given up: no SES event within ${Math.round(windowMs / 60_000)} min of attempt ${attempt}, so it was not sent, and ${runGone}: not sent again`,
  };
}
