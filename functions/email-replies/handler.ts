import { Logger } from '@aws-lambda-powertools/logger';
import * as z from '../core/zod.ts';
import { notAReply, recordReply, sesReceiptEventSchema } from '../core/email/replies.ts';
import { documentClient } from '../data/client.ts';
import { engagementRepo } from '../data/email.ts';
import { sendLedger } from '../data/sends.ts';
import { parseEnv } from '../shared/env.ts';

const env = parseEnv({ TABLE_NAME: z.string().check(z.minLength(1)) });
const logger = new Logger({ serviceName: 'tend-email-replies' });
const deps = { ledger: sendLedger(documentClient, env.TABLE_NAME), engagement: engagementRepo(documentClient, env.TABLE_NAME) };

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
