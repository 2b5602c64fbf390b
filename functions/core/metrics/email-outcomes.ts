import { ratio, within, type Period } from './period.ts';

/** What can happen to a sent email, each at most once per send (a second open is still one opened send). */
export const EMAIL_OUTCOMES = ['opened', 'clicked', 'replied', 'unsubscribed', 'bounced', 'complained'] as const;
export type EmailOutcome = (typeof EMAIL_OUTCOMES)[number];

/** The send item's field that records an outcome (`openedAt`...): set once, by a conditional write. */
export const outcomeField = (o: EmailOutcome) => `${o}At` as const;

export type EmailCounts = { sent: number } & Record<EmailOutcome, number>;
export const noEmailCounts = (): EmailCounts => ({ sent: 0, opened: 0, clicked: 0, replied: 0, unsubscribed: 0, bounced: 0, complained: 0 });

/** The send fields the counts read (a send item as stored). */
export type SendFacts = { template: string; sentAt?: string } & Partial<Record<`${EmailOutcome}At`, string>>;

/**
 * The definition, computed from the send items: the sends of the period (by `sentAt`, the day
 * Tend recorded SES's acceptance) per template, and how many of them were opened, clicked...
 * whenever that happened. A send never accepted by SES (skipped, failed) is not sent.
 */
export function countSends(sends: SendFacts[], period: Period): Record<string, EmailCounts> {
  const out: Record<string, EmailCounts> = {};
  for (const s of sends) {
    // A ledger item always names its template; anything else under SEND# is not an email Tend sent.
    if (!s.template || !s.sentAt || !within(s.sentAt, period)) continue;
    const c = (out[s.template] ??= noEmailCounts());
    c.sent++;
    for (const o of EMAIL_OUTCOMES) if (s[outcomeField(o)]) c[o]++;
  }
  return out;
}

export function addEmailCounts(a: EmailCounts, b: EmailCounts): EmailCounts {
  const out = { ...a };
  for (const k of ['sent', ...EMAIL_OUTCOMES] as const) out[k] += b[k];
  return out;
}

export type EmailFigures = EmailCounts & { template: string; rates: Record<EmailOutcome, number | null> };

/** A template's counts with each outcome's rate over the emails sent (null when none was sent). */
export function emailFigures(template: string, c: EmailCounts): EmailFigures {
  return { template, ...c, rates: Object.fromEntries(EMAIL_OUTCOMES.map((o) => [o, ratio(c[o], c.sent)])) as Record<EmailOutcome, number | null> };
}

/** Where a send's outcome is recorded (functions/data/outcome-sends.ts): true when this call recorded it, false when it was already known or the send is not Tend's. */
export interface SendOutcomes {
  record(messageId: string, outcome: EmailOutcome, at: Date): Promise<boolean>;
  /** The same, for a send known by its ledger key (an unsubscribe link names it). */
  recordOnSend(accountId: string, sendKey: string, outcome: EmailOutcome, at: Date): Promise<boolean>;
}
