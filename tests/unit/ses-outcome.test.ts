import { describe, expect, it } from 'vitest';
import { classifySesError } from '../../functions/core/email/ses-outcome.ts';

const sdk = (name: string, status: number, message = name, fault: 'client' | 'server' = status >= 500 ? 'server' : 'client') =>
  Object.assign(new Error(message), { name, $fault: fault, $metadata: { httpStatusCode: status } });
const net = (code: string, message = `${code} 127.0.0.1:443`) => Object.assign(new Error(message), { code, $metadata: {} });

describe('classifySesError: what an SES failure says about the email', () => {
  it.each([
    // Not sent for sure: SES refused it, or the request never reached SES.
    ['429 TooManyRequests', sdk('TooManyRequestsException', 429, 'Maximum sending rate exceeded.'), 'not-sent', 'throttled'],
    ['v1-style Throttling', sdk('Throttling', 400, 'Rate exceeded'), 'not-sent', 'throttled'],
    ['LimitExceeded', sdk('LimitExceededException', 400, 'too many requests'), 'not-sent', 'throttled'],
    ['daily quota (TooManyRequests)', sdk('TooManyRequestsException', 429, 'Daily message quota exceeded.'), 'not-sent', 'daily-quota'],
    ['daily quota (LimitExceeded)', sdk('LimitExceededException', 400, 'Daily sending quota exceeded'), 'not-sent', 'daily-quota'],
    ['sending paused', sdk('SendingPausedException', 400, 'Sending paused for this account'), 'not-sent', 'paused'],
    ['account suspended', sdk('AccountSuspendedException', 400), 'not-sent', 'paused'],
    ['message rejected', sdk('MessageRejected', 400, 'Email address is not verified'), 'not-sent', 'recipient'],
    ['bad recipient address', sdk('BadRequestException', 400, 'Illegal address'), 'not-sent', 'recipient'],
    ['other 4xx', sdk('NotFoundException', 404, 'Configuration set does not exist'), 'not-sent', 'refused'],
    ['other 400', sdk('BadRequestException', 400, 'Missing final @domain'.replace('@domain', 'part')), 'not-sent', 'refused'],
    ['connection refused', net('ECONNREFUSED'), 'not-sent', 'unreachable'],
    ['DNS failure', net('ENOTFOUND', 'getaddrinfo ENOTFOUND email.eu-west-1.amazonaws.com'), 'not-sent', 'unreachable'],
    ['DNS timeout', net('EAI_AGAIN'), 'not-sent', 'unreachable'],
    [
      'no connection within connectionTimeout',
      Object.assign(
        new Error('@smithy/node-http-handler - the request socket did not establish a connection with the server within the configured timeout of 3000 ms.'),
        {
          name: 'TimeoutError',
        },
      ),
      'not-sent',
      'unreachable',
    ],
    // Maybe sent: the request went out and no clear answer came back.
    ['500', sdk('InternalFailure', 500, 'Internal Failure'), 'maybe-sent', 'server-error'],
    ['503 unknown error type', sdk('Unknown', 503, 'Service Unavailable'), 'maybe-sent', 'server-error'],
    ['connection reset', net('ECONNRESET', 'read ECONNRESET'), 'maybe-sent', 'connection-lost'],
    ['socket hang up', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), 'maybe-sent', 'connection-lost'],
    ['broken pipe', net('EPIPE', 'write EPIPE'), 'maybe-sent', 'connection-lost'],
    [
      'a reset the SDK names TimeoutError',
      Object.assign(new Error('socket hang up'), { name: 'TimeoutError', code: 'ECONNRESET' }),
      'maybe-sent',
      'connection-lost',
    ],
    [
      'requestTimeout',
      Object.assign(new Error('@smithy/node-http-handler - [ERROR] a request has exceeded the configured 20000 ms requestTimeout.'), {
        name: 'TimeoutError',
        code: 'ETIMEDOUT',
      }),
      'maybe-sent',
      'timeout',
    ],
    ['socket timeout', Object.assign(new Error('the request socket timed out'), { name: 'TimeoutError' }), 'maybe-sent', 'timeout'],
    ['anything else', new Error('Unexpected token < in JSON'), 'maybe-sent', 'unrecognised'],
    ['not even an Error', 'boom', 'maybe-sent', 'unrecognised'],
  ])('%s', (_, error, kind, reason) => {
    expect(classifySesError(error)).toMatchObject({ kind, reason });
  });
});
