import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import * as z from '../core/zod.ts';
import { systemClock } from '../core/clock.ts';
import { AlertDeliveryError, notifyEvent, sendDigests, type NotifyDeps } from '../core/alerts/notify.ts';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { TendEvent } from '../core/ports.ts';
import { config } from '../shared/config.ts';
import { accounts } from '../shared/deps/accounts.ts';
import { mailer } from '../shared/deps/mailer.ts';
import { alerts } from '../shared/deps/alerts.ts';
import { digest } from '../shared/deps/digest.ts';
import { parseEnv } from '../shared/env.ts';
import { observability } from '../shared/observability.ts';
import { slackPoster } from './slack.ts';
import { slackToken } from './token.ts';

const { logger, metrics, middlewares, correlated } = observability('tend-notifier');
const optional = z.optional(z.string().check(z.minLength(1)));
const env = parseEnv({
  PUBLIC_API_URL: z.string().check(z.minLength(1)),
  SLACK_TOKEN_SECRET_NAME: optional,
  SLACK_BOT_TOKEN: optional,
  SLACK_API_URL: optional,
  /** A request's timeout (default 5 s); the local runtime, where every function shares one thread, waits longer. */
  SLACK_TIMEOUT_MS: z.optional(z.coerce.number().check(z.int(), z.positive())),
  CONFIGURATION_SET: optional,
});

const base = config.alerts.appBaseUrl?.replace(/\/$/, '');
const deps: NotifyDeps = {
  clock: systemClock,
  alerts: config.alerts,
  csms: config.csms,
  accounts: accounts(),
  claims: alerts(),
  digest: digest(),
  slack: config.alerts.slack ? slackPoster(slackToken(env), { slackApiUrl: env.SLACK_API_URL, timeoutMs: env.SLACK_TIMEOUT_MS }) : undefined,
  mailer: config.alerts.digest.email && env.CONFIGURATION_SET ? mailer() : undefined,
  sender: config.sender,
  // The app's account page when configured; else the account's card on the API.
  accountUrl: (id) =>
    base ? `${base}/accounts/${encodeURIComponent(id)}` : `${env.PUBLIC_API_URL.replace(/\/$/, '')}/v1/accounts/${encodeURIComponent(id)}/card?format=text`,
};

/** One of Tend's events from its bus, or the daily digest's schedule (`{ "digest": true }`). */
// Built on first use (`z.lazy`), not at cold start (functions/core/schemas.ts says why).
const input = /* @__PURE__ */ z.lazy(() =>
  z.union([
    z.object({ digest: z.literal(true) }),
    z.looseObject({
      source: z.literal('tend'),
      'detail-type': z.enum(['task.created', 'tier.changed', 'flag.started', 'flag.stopped']),
      detail: z.looseObject({ accountId: z.string().check(z.minLength(1)), at: z.string().check(z.minLength(1)) }),
    }),
  ]),
);

/**
 * Alerts where CSMs work (docs/alerts.md): Tend's events become Slack messages, each claimed once
 * per destination before it is posted; the schedule sends the daily digests. A failed post fails
 * the invocation after the others went out: Lambda retries it (the posted ones are skipped), then
 * its dead-letter queue keeps it.
 */
export const handler = middy<unknown, unknown>()
  .use(middlewares)
  .handler((event, context: Context) =>
    correlated(undefined, context.awsRequestId, () =>
      apply(event).catch((err: unknown) => {
        // What the `alerts-failed` alarm watches (docs/operations.md): posts that failed after the SDK's retries.
        if (err instanceof AlertDeliveryError) metrics.addMetric('AlertsFailed', MetricUnit.Count, err.failed.length);
        throw err;
      }),
    ),
  );

async function apply(event: unknown) {
  const parsed = input.safeParse(event);
  if (!parsed.success) {
    // Not an event the notifier handles: retrying cannot fix it, so it is logged and dropped.
    logger.warn('ignored event', { issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) });
    return { ignored: true };
  }
  if ('digest' in parsed.data) {
    const result = await sendDigests(deps);
    logger.info('digests', { digests: result.digests, posted: result.posted, duplicate: result.duplicate });
    return result;
  }
  const { detail, 'detail-type': type } = parsed.data;
  const tendEvent: TendEvent = { type, accountId: detail.accountId, at: detail.at, detail };
  const result = await notifyEvent(deps, tendEvent);
  if (result.posted) logger.info('alerts posted', { type, accountId: detail.accountId, posted: result.posted, duplicate: result.duplicate });
  return result;
}
