import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { Mailer } from '../core/ports.ts';
import { correlationId } from '../shared/correlation.ts';
import { traced } from '../shared/tracer.ts';

/** SES v2 SendEmail with Simple content (so custom headers ride along), the configuration set and message tags. */
export function sesMailer(configurationSet: string): Mailer {
  // One attempt per call: the SDK's own retries re-send after a 5xx or a dropped connection, when
  // SES may already have stored the email (a duplicate). Tend retries itself, only what SES surely
  // did not send (classifySesError in core/email/ses-outcome.ts): throttling and quota as deferrals,
  // 5xx / reset / timeout through SES's events (core/email/reconcile.ts). A custom retry strategy
  // could retry the not-sent cases in-process, but would hold the Lambda while it backs off; the
  // state machine's Hold waits for free. `adaptive` stays: with one attempt its client-side rate
  // limiter still learns from 429s and paces this container's next sends.
  // Made here, not at module scope, so a bundle that imports this module without calling it drops the client.
  const ses = traced(
    new SESv2Client({
      retryMode: 'adaptive',
      maxAttempts: 1,
      // A connection not made in 3 s was never used (not sent); an answer not back in 20 s is unclear (maybe sent).
      // The local runtime waits longer to connect (SES_CONNECTION_TIMEOUT_MS): every function shares its one thread, and
      // a busy moment would otherwise time out a loopback connection already made, so a seeded demo would vary with the load.
      requestHandler: { connectionTimeout: Number(process.env.SES_CONNECTION_TIMEOUT_MS) || 3_000, requestTimeout: 20_000, throwOnRequestTimeout: true },
    }),
  );
  return {
    async send(email) {
      const out = await ses.send(
        new SendEmailCommand({
          FromEmailAddress: email.from,
          ReplyToAddresses: email.replyTo?.length ? email.replyTo : undefined,
          Destination: { ToAddresses: [email.to] },
          ConfigurationSetName: configurationSet,
          // The correlation id of the run rides along, so SES's events lead back to the request that started it.
          EmailTags: Object.entries({ ...email.tags, correlation: correlationId() ?? 'none' }).map(([Name, Value]) => ({
            Name,
            Value: Value.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 256),
          })),
          Content: {
            Simple: {
              Subject: { Data: email.subject, Charset: 'UTF-8' },
              Body: { Html: { Data: email.html, Charset: 'UTF-8' }, Text: { Data: email.text, Charset: 'UTF-8' } },
              Headers: email.headers.length ? email.headers.map((h) => ({ Name: h.name, Value: h.value })) : undefined,
            },
          },
        }),
      );
      return { messageId: out.MessageId ?? 'unknown' };
    },
  };
}
