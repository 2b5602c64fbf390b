import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { notAReply, recordReply, sesReceiptEventSchema } from '../core/email/replies.ts';
import { systemClock } from '../core/clock.ts';
import { engagement } from '../shared/deps/engagement.ts';
import { ledger } from '../shared/deps/ledger.ts';
import { sendOutcomes } from '../shared/deps/send-outcomes.ts';
import { observability } from '../shared/observability.ts';

const { logger, middlewares, correlated } = observability('tend-email-replies');
const deps = { ledger: ledger(), engagement: engagement(), outcomes: sendOutcomes(), now: () => systemClock.now() };

/** Mail SES received at `email.replies.address` (a receipt rule's Lambda action): replies count as engagement. */
export const handler = middy<unknown, unknown>()
  .use(middlewares)
  .handler((input, context: Context) => correlated(undefined, context.awsRequestId, () => record(input)));

async function record(input: unknown) {
  const parsed = sesReceiptEventSchema.safeParse(input);
  if (!parsed.success) {
    // Not a receipt event: nothing to retry, so it is logged and dropped.
    logger.warn('ignored event', { issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) });
    return { ignored: true };
  }
  const matched = [];
  for (const record of parsed.data.Records) {
    const verdicts = { spam: record.ses.receipt?.spamVerdict?.status, virus: record.ses.receipt?.virusVerdict?.status };
    const why = notAReply(record.ses.mail.headers, verdicts);
    const reply = why ? undefined : await recordReply(deps, record.ses.mail.headers, verdicts);
    if (reply) matched.push(reply);
    else logger.info(why ? `not counted: ${why}` : 'mail answers nothing Tend sent', { sesMessageId: record.ses.mail.messageId });
  }
  return { replies: matched.length };
}
