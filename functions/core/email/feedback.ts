import * as z from '../zod.ts';
import { dayOf } from '../clock.ts';
import type { EngagementRepo, ReputationRepo, SendConfirmations, SuppressionList } from '../ports.ts';
import { decodeTag } from './policy.ts';
import type { EmailOutcome, SendOutcomes } from '../metrics/email-outcomes.ts';

/**
 * SES sending events as EventBridge delivers them from the configuration set's event destination
 * (`source: aws.ses`); `detail` is SES's event record (eventType, mail, bounce / complaint / ...).
 */
export const SES_DETAIL_TYPES = [
  'Email Sent',
  'Email Delivered',
  'Email Delivery Delayed',
  'Email Rejected',
  'Email Rendering Failed',
  'Email Bounced',
  'Email Complaint Received',
  'Email Opened',
  'Email Clicked',
] as const;

const recipients = (key: string) => z.optional(z.looseObject({ [key]: z.optional(z.array(z.looseObject({ emailAddress: z.string() }))) }));
// Built on first use (`z.lazy`), not at cold start (functions/core/schemas.ts says why).
export const sesEventDetailSchema = /* @__PURE__ */ z.lazy(() =>
  z.looseObject({
    eventType: z.string(),
    mail: z.looseObject({
      messageId: z.string(),
      timestamp: z.optional(z.string()),
      destination: z.optional(z.array(z.string())),
      tags: z.optional(z.record(z.string(), z.array(z.string()))),
    }),
    bounce: z.optional(
      z.looseObject({
        bounceType: z.string(),
        bounceSubType: z.optional(z.string()),
        bouncedRecipients: z.optional(z.array(z.looseObject({ emailAddress: z.string(), diagnosticCode: z.optional(z.string()) }))),
      }),
    ),
    complaint: recipients('complainedRecipients'),
    open: z.optional(z.looseObject({ timestamp: z.optional(z.string()) })),
    click: z.optional(z.looseObject({ timestamp: z.optional(z.string()) })),
  }),
);
export type SesEventDetail = z.output<typeof sesEventDetailSchema>;

export interface FeedbackDeps {
  suppressions: SuppressionList;
  engagement: EngagementRepo;
  confirmations: Pick<SendConfirmations, 'record'>;
  reputation: Pick<ReputationRepo, 'count'>;
  /** Where the send's outcome is recorded for the per-template figures (docs/metrics.md). */
  outcomes?: SendOutcomes;
}

export interface FeedbackResult {
  suppressed: string[];
  engagement?: 'opened' | 'clicked';
  /** The send id this event settled (any SES event about a Tend message says whether SES took it). */
  confirmed?: string;
  /** What it added to the sending reputation's counters (not when a replay was counted before). */
  counted?: 'sent' | 'bounced' | 'complained';
}

/** A bare address from `Name <a@b>` or `a@b`. */
const bare = (address: string) => (address.match(/<([^>]+)>/)?.[1] ?? address).trim().toLowerCase();

/**
 * What an SES event changes: a hard bounce or a complaint suppresses the address at once (a soft
 * bounce does not: the mailbox may be full today); opens and clicks count towards the account's
 * email engagement, on the day the email was sent, by message id (a replay counts once).
 */
export async function applySesEvent(deps: FeedbackDeps, detail: SesEventDetail, at: Date): Promise<FeedbackResult> {
  const suppressed: string[] = [];
  const result: FeedbackResult = { suppressed };
  // The send tag ties the event to Tend's ledger: it settles a send whose SES answer was lost.
  const sendId = detail.mail.tags?.send?.[0];
  if (sendId) {
    await deps.confirmations.record({ sendId, messageId: detail.mail.messageId, event: detail.eventType, at: detail.mail.timestamp ?? at.toISOString() });
    result.confirmed = sendId;
  }
  const kindOfCount =
    detail.eventType === 'Send'
      ? 'sent'
      : detail.eventType === 'Bounce' && detail.bounce?.bounceType === 'Permanent'
        ? 'bounced'
        : detail.eventType === 'Complaint'
          ? 'complained'
          : undefined;
  // Counted on the day SES sent it, as SES's reputation dashboard does.
  if (kindOfCount && (await deps.reputation.count(detail.mail.messageId, kindOfCount, new Date(detail.mail.timestamp ?? at)))) result.counted = kindOfCount;
  const account = detail.mail.tags?.account?.[0];
  if (detail.eventType === 'Bounce' && detail.bounce?.bounceType === 'Permanent') {
    if (account) await deps.engagement.record(decodeTag(account), dayOf(at), 'bounced', detail.mail.messageId, at);
    for (const r of detail.bounce.bouncedRecipients ?? []) {
      await deps.suppressions.suppress(
        bare(r.emailAddress),
        { reason: `hard bounce${r.diagnosticCode ? `: ${r.diagnosticCode}` : ''}`, source: 'ses-bounce' },
        at,
      );
      suppressed.push(bare(r.emailAddress));
    }
  }
  if (detail.eventType === 'Complaint') {
    const list =
      (detail.complaint?.complainedRecipients as { emailAddress: string }[] | undefined) ??
      (detail.mail.destination ?? []).map((emailAddress) => ({ emailAddress }));
    for (const r of list) {
      await deps.suppressions.suppress(bare(r.emailAddress), { reason: 'complaint (marked as spam)', source: 'ses-complaint' }, at);
      suppressed.push(bare(r.emailAddress));
    }
  }
  const outcome: EmailOutcome | undefined =
    detail.eventType === 'Open'
      ? 'opened'
      : detail.eventType === 'Click'
        ? 'clicked'
        : kindOfCount === 'bounced' || kindOfCount === 'complained'
          ? kindOfCount
          : undefined;
  // The ledger item of the message records it once, and that write counts it (a message Tend did not send finds none).
  if (outcome && deps.outcomes) await deps.outcomes.record(detail.mail.messageId, outcome, at);
  const kind = detail.eventType === 'Open' ? 'opened' : detail.eventType === 'Click' ? 'clicked' : undefined;
  if (kind && account) {
    await deps.engagement.record(decodeTag(account), dayOf(new Date(detail.mail.timestamp ?? at)), kind, detail.mail.messageId, at);
    result.engagement = kind;
  }
  return result;
}
