import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { Mailer } from '../core/ports.ts';

/** SES v2 SendEmail with Simple content (so custom headers ride along), the configuration set and message tags. */
export function sesMailer(configurationSet: string): Mailer {
  // Adaptive retry: backs off on SES's send-rate throttling (TooManyRequests) and paces the next calls
  // instead of failing the step; what is still throttled after that goes back to the state machine's Retry.
  // Made here, not at module scope, so a bundle that imports this module without calling it drops the client.
  const ses = new SESv2Client({ retryMode: 'adaptive', maxAttempts: 6 });
  return {
    async send(email) {
      const out = await ses.send(
        new SendEmailCommand({
          FromEmailAddress: email.from,
          ReplyToAddresses: email.replyTo?.length ? email.replyTo : undefined,
          Destination: { ToAddresses: [email.to] },
          ConfigurationSetName: configurationSet,
          EmailTags: Object.entries(email.tags).map(([Name, Value]) => ({ Name, Value: Value.replace(/[^A-Za-z0-9_-]/g, '_') })),
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
