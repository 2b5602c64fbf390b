import { mockClient } from 'aws-sdk-client-mock';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { afterEach, describe, expect, it } from 'vitest';
import { sesMailer } from '../../functions/adapters/ses-mailer.ts';
import { withCorrelationId } from '../../functions/shared/correlation.ts';

const ses = mockClient(SESv2Client);
afterEach(() => ses.reset());

describe('sesMailer', () => {
  it('sends SES v2 Simple content with the headers in order, the configuration set and the tags', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'm-1' });
    const out = await sesMailer('tend-set').send({
      from: 'Acme <success@acme.example>',
      replyTo: ['help@acme.example'],
      to: 'ana@globex.example',
      subject: 'Hi',
      html: '<p>Hi</p>',
      text: 'Hi',
      headers: [
        { name: 'List-Unsubscribe', value: '<https://x.example/v1/unsubscribe?token=t>' },
        { name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' },
      ],
      tags: { play: 'onboarding', account: 'acme_2ecom' },
    });
    expect(out).toEqual({ messageId: 'm-1' });
    expect(ses.commandCalls(SendEmailCommand)[0]!.args[0].input).toEqual({
      FromEmailAddress: 'Acme <success@acme.example>',
      ReplyToAddresses: ['help@acme.example'],
      Destination: { ToAddresses: ['ana@globex.example'] },
      ConfigurationSetName: 'tend-set',
      EmailTags: [
        { Name: 'play', Value: 'onboarding' },
        { Name: 'account', Value: 'acme_2ecom' },
        // Outside a correlated invocation there is none to carry.
        { Name: 'correlation', Value: 'none' },
      ],
      Content: {
        Simple: {
          Subject: { Data: 'Hi', Charset: 'UTF-8' },
          Body: { Html: { Data: '<p>Hi</p>', Charset: 'UTF-8' }, Text: { Data: 'Hi', Charset: 'UTF-8' } },
          Headers: [
            { Name: 'List-Unsubscribe', Value: '<https://x.example/v1/unsubscribe?token=t>' },
            { Name: 'List-Unsubscribe-Post', Value: 'List-Unsubscribe=One-Click' },
          ],
        },
      },
    });
  });

  it("tags a send with the correlation id of the invocation it runs in (what SES's events then carry)", async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'm-2' });
    const email = { from: 'a@x.example', to: 'b@y.example', subject: 's', html: 'h', text: 't', headers: [], tags: { play: 'save' } };
    await withCorrelationId('req-42.a', 'fallback', () => sesMailer('set').send(email));
    expect(ses.commandCalls(SendEmailCommand)[0]!.args[0].input.EmailTags).toContainEqual({ Name: 'correlation', Value: 'req-42_a' });
  });
});
