import { Logger } from '@aws-lambda-powertools/logger';
import { notAReply, recordReply, sesReceiptEventSchema } from '../core/email/replies.ts';
import * as root from '../shared/deps.ts';

const logger = new Logger({ serviceName: 'tend-email-replies' });
const deps = { ledger: root.ledger(), engagement: root.engagement() };

/** Mail SES received at `email.replies.address` (a receipt rule's Lambda action): replies count as engagement. */
export const handler = async (input: unknown) => {
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
};
