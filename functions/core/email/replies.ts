import * as z from '../zod.ts';
import { dayOf } from '../clock.ts';
import type { EngagementRepo, SendLedger } from '../ports.ts';
import type { SendOutcomes } from '../metrics/email-outcomes.ts';

/**
 * What SES hands a Lambda receipt action (https://docs.aws.amazon.com/ses/latest/dg/receiving-email-notifications-contents.html):
 * per record, the mail's envelope and headers; the body stays out of it (Tend needs none).
 */
export const sesReceiptEventSchema = z.looseObject({
  Records: z.array(
    z.looseObject({
      ses: z.looseObject({
        mail: z.looseObject({
          messageId: z.string(),
          timestamp: z.optional(z.string()),
          source: z.optional(z.string()),
          headers: z._default(z.array(z.looseObject({ name: z.string(), value: z.string() })), []),
        }),
        receipt: z.optional(
          z.looseObject({ spamVerdict: z.optional(z.looseObject({ status: z.string() })), virusVerdict: z.optional(z.looseObject({ status: z.string() })) }),
        ),
      }),
    }),
  ),
});
export type SesReceiptEvent = z.output<typeof sesReceiptEventSchema>;

/**
 * SES message ids a reply points at. SES sends with `Message-ID: <id@email.amazonses.com>` (or
 * `<id@<region>.amazonses.com>`), and a mail client answers with that id in In-Reply-To and
 * References. Other ids in the thread (the customer's own mails) are not SES's and are left out.
 */
export function repliedMessageIds(headers: readonly { name: string; value: string }[]): string[] {
  const values = headers.filter((h) => /^(in-reply-to|references)$/i.test(h.name)).map((h) => h.value);
  const ids = values.flatMap((v) => [...v.matchAll(/<([^<>@\s]{1,200})@(?:[a-z0-9-]+\.)?amazonses\.com>/gi)].map((m) => m[1]!));
  return [...new Set(ids)];
}

type Header = { name: string; value: string };
const header = (headers: readonly Header[], name: string) =>
  headers
    .find((h) => h.name.toLowerCase() === name)
    ?.value.trim()
    .toLowerCase();

/**
 * Why a mail is not a person's reply: an out-of-office or other auto-responder (RFC 3834's
 * Auto-Submitted, and the X-Autoreply / Precedence headers older responders set), or mail SES
 * judged spam or a virus. Auto-replies come mostly from the least engaged contacts; counting them
 * would turn silence into engagement.
 */
export function notAReply(headers: readonly Header[], verdicts: { spam?: string; virus?: string } = {}): string | undefined {
  const auto = header(headers, 'auto-submitted');
  if (auto && auto !== 'no') return `auto-submitted: ${auto}`;
  if (header(headers, 'x-autoreply') !== undefined || header(headers, 'x-autorespond') !== undefined) return 'an auto-responder';
  const precedence = header(headers, 'precedence');
  if (precedence && ['bulk', 'junk', 'list', 'auto_reply'].includes(precedence)) return `precedence: ${precedence}`;
  if (verdicts.spam === 'FAIL') return 'spam';
  if (verdicts.virus === 'FAIL') return 'a virus';
  return undefined;
}

/**
 * A reply to one of Tend's emails counts as engagement of its account, on the day the email was
 * sent (as opens and clicks do), by message id: the same reply delivered twice counts once.
 * A mail that answers nothing Tend sent is ignored.
 */
export async function recordReply(
  deps: { ledger: Pick<SendLedger, 'byMessageId'>; engagement: EngagementRepo; outcomes?: SendOutcomes; now?: () => Date },
  headers: readonly Header[],
  verdicts?: { spam?: string; virus?: string },
): Promise<{ accountId: string; messageId: string } | undefined> {
  if (notAReply(headers, verdicts)) return undefined;
  for (const messageId of repliedMessageIds(headers)) {
    const send = await deps.ledger.byMessageId!(messageId);
    if (!send) continue;
    // The reply's own Date keys its timeline entry, so the same reply delivered twice is one entry.
    const date = Date.parse(headers.find((h) => h.name.toLowerCase() === 'date')?.value ?? '');
    await deps.engagement.record(
      send.accountId,
      dayOf(new Date(send.sentAt ?? send.claimedAt)),
      'replied',
      messageId,
      Number.isNaN(date) ? undefined : new Date(date),
    );
    // Recorded once on the send, for its template's reply count.
    await deps.outcomes?.record(messageId, 'replied', deps.now?.() ?? new Date());
    return { accountId: send.accountId, messageId };
  }
  return undefined;
}
