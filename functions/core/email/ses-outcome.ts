/**
 * What an SES SendEmail failure says about the email, which decides what Tend may do next:
 *
 * - `not-sent`: SES certainly did not accept the email (it refused it with a 4xx, or the request
 *   never reached it). The claim is given back and the send tried again later (`retry`), or the
 *   recipient is given up (`recipient`), or the state machine's Retry handles it (`refused`).
 * - `maybe-sent`: the request went out and no clear answer came back (a 5xx, a connection reset
 *   after the request was written, a timeout). SES may have stored the email: it is never sent
 *   again blindly; SES's own events decide (reconcile.ts).
 */
export type SesOutcome =
  | { kind: 'not-sent'; reason: NotSentReason; message: string }
  | { kind: 'maybe-sent'; reason: 'server-error' | 'connection-lost' | 'timeout' | 'unrecognised'; message: string };

export type NotSentReason =
  /** The account's send rate (429 TooManyRequests): ask again in minutes. */
  | 'throttled'
  /** The 24-hour sending quota is used up: ask again in hours. */
  | 'daily-quota'
  /** Sending is paused for the account or configuration set, or the account is suspended: ask again in an hour. */
  | 'paused'
  /** SES could not be reached (connection refused, DNS, no connection established): ask again in minutes. */
  | 'unreachable'
  /** Refused for this recipient for good: the address is suppressed. */
  | 'recipient'
  /** Any other 4xx: a retry of the same request will be refused again; the state machine's Retry then fails the step visibly. */
  | 'refused';

interface ErrorLike {
  name?: string;
  message?: string;
  code?: string;
  $fault?: 'client' | 'server';
  $metadata?: { httpStatusCode?: number };
}

const THROTTLED = ['TooManyRequestsException', 'ThrottlingException', 'Throttling'];
const PAUSED = ['SendingPausedException', 'AccountSuspendedException'];
/** Errors raised before a single byte of the request was written: nothing reached SES. */
const NEVER_CONNECTED = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL'];
/** Errors of a connection that was open when the request went out: SES may have stored the email. */
const CONNECTION_LOST = ['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ERR_STREAM_PREMATURE_CLOSE'];

/** Classifies one SendEmail failure (with the SES client's own retries off: see ses-mailer.ts). Pure. */
export function classifySesError(err: unknown): SesOutcome {
  const e = (err ?? {}) as ErrorLike;
  const name = e.name ?? '';
  const message = e.message ?? String(err);
  const status = e.$metadata?.httpStatusCode;
  const code = e.code ?? '';
  const notSent = (reason: NotSentReason): SesOutcome => ({ kind: 'not-sent', reason, message });

  // SES v1 answers the daily quota as Throttling "Daily message quota exceeded"; v2 as LimitExceeded or TooManyRequests with the same words.
  if (/daily (message|sending)? ?quota/i.test(message) && (THROTTLED.includes(name) || name === 'LimitExceededException' || status === 429 || status === 400))
    return notSent('daily-quota');
  if (THROTTLED.includes(name) || name === 'LimitExceededException' || status === 429) return notSent('throttled');
  if (PAUSED.includes(name)) return notSent('paused');
  if (name === 'MessageRejected') return notSent('recipient');
  if (name === 'BadRequestException' && /address|recipient|destination/i.test(message)) return notSent('recipient');
  if (NEVER_CONNECTED.includes(code) || NEVER_CONNECTED.some((c) => message.includes(c))) return notSent('unreachable');
  // node-http-handler's connectionTimeout: the socket never connected, so nothing was written.
  if (name === 'TimeoutError' && /did not establish a connection|without establishing a connection/i.test(message)) return notSent('unreachable');
  if (status !== undefined && status >= 400 && status < 500) return notSent('refused');
  if (e.$fault === 'client' && status === undefined && name !== 'TimeoutError' && !CONNECTION_LOST.includes(code)) return notSent('refused');

  if (status !== undefined && status >= 500) return { kind: 'maybe-sent', reason: 'server-error', message };
  // Before timeouts: the SDK names a reset connection TimeoutError too.
  if (CONNECTION_LOST.includes(code) || /socket hang up|ECONNRESET|EPIPE/i.test(message)) return { kind: 'maybe-sent', reason: 'connection-lost', message };
  if (name === 'TimeoutError' || code === 'ETIMEDOUT' || /timed? ?out/i.test(message)) return { kind: 'maybe-sent', reason: 'timeout', message };
  // Whatever else (a parse error of the answer, a bug): assume it may have gone out; the events decide.
  return { kind: 'maybe-sent', reason: 'unrecognised', message };
}
