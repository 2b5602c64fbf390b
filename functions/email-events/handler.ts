import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import * as z from '../core/zod.ts';
import { systemClock } from '../core/clock.ts';
import { applySesEvent, sesEventDetailSchema } from '../core/email/feedback.ts';
import * as root from '../shared/deps.ts';
import { observability } from '../shared/observability.ts';

const { logger, middlewares, correlated } = observability('tend-email-events');
const deps = { suppressions: root.suppressions(), engagement: root.engagement() };

const event = z.looseObject({ source: z.literal('aws.ses'), 'detail-type': z.string(), detail: sesEventDetailSchema });

/** SES bounces, complaints, opens and clicks from the configuration set, through EventBridge. */
export const handler = middy<unknown, unknown>()
  .use(middlewares)
  .handler((input, context: Context) => correlated(undefined, context.awsRequestId, () => apply(input)));

async function apply(input: unknown) {
  const parsed = event.safeParse(input);
  if (!parsed.success) {
    // Not an SES event we understand: retrying cannot fix it, so it is logged and dropped.
    logger.warn('ignored event', { issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) });
    return { ignored: true };
  }
  const result = await applySesEvent(deps, parsed.data.detail, systemClock.now());
  if (result.suppressed.length) logger.info('suppressed', { addresses: result.suppressed.length, type: parsed.data['detail-type'] });
  return result;
}
