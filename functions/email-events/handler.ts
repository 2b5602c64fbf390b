import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import * as z from '../core/zod.ts';
import { systemClock } from '../core/clock.ts';
import { applySesEvent, sesEventDetailSchema } from '../core/email/feedback.ts';
import { pausePolicy, sendingPause } from '../core/email/reputation.ts';
import { config } from '../shared/config.ts';
import { confirmations } from '../shared/deps/confirmations.ts';
import { engagement } from '../shared/deps/engagement.ts';
import { reputation } from '../shared/deps/reputation.ts';
import { sendOutcomes } from '../shared/deps/send-outcomes.ts';
import { suppressions } from '../shared/deps/suppressions.ts';
import { observability } from '../shared/observability.ts';

const { logger, metrics, middlewares, correlated } = observability('tend-email-events');
const deps = {
  suppressions: suppressions(),
  engagement: engagement(),
  confirmations: confirmations(),
  reputation: reputation(),
  outcomes: sendOutcomes(),
};
// Read fresh after each bounce or complaint: no cache, the gauge must follow the counters.
const pause = sendingPause(reputation(), pausePolicy(config.email), 0);

// Built on first use (`z.lazy`), not at cold start (functions/core/schemas.ts says why).
const event = /* @__PURE__ */ z.lazy(() => z.looseObject({ source: z.literal('aws.ses'), 'detail-type': z.string(), detail: sesEventDetailSchema }));

/**
 * SES sending events from the configuration set, through EventBridge: suppress, count, and settle
 * unclear sends. `Tend / EmailSendingPaused` (1 while tech-touch sending is paused) is what the
 * pause alarm watches (docs/email.md).
 */
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
  const now = systemClock.now();
  const result = await applySesEvent(deps, parsed.data.detail, now);
  if (result.suppressed.length) logger.info('suppressed', { addresses: result.suppressed.length, type: parsed.data['detail-type'] });
  if (result.counted === 'bounced' || result.counted === 'complained') {
    // The reputation moved towards SES's review thresholds: publish where it stands.
    const state = await pause.state(now);
    metrics.addMetric('EmailSendingPaused', MetricUnit.Count, state.paused ? 1 : 0);
    metrics.addMetric('EmailBounceRate', MetricUnit.Percent, state.bounceRate * 100);
    metrics.addMetric('EmailComplaintRate', MetricUnit.Percent, state.complaintRate * 100);
    if (state.paused) logger.warn('tech-touch sending paused', { reason: state.reason });
  }
  return result;
}
