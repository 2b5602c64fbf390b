import { createHmac, timingSafeEqual } from 'node:crypto';
import { TendError } from '../errors.ts';

/**
 * Unsubscribe tokens: `<payload>.<signature>`, both base64url; the payload names the contact,
 * the account, the category and the expiry (epoch seconds), and the signature is HMAC-SHA256 of
 * the payload under the deployment's key. Nothing is stored per token: the key is the state.
 */
export interface UnsubscribeClaims {
  contact: string;
  accountId: string;
  /** An email category, or `all` (the link of a transactional email opts out of every optional category). */
  category: string;
  /** Epoch seconds after which the link no longer works. */
  expires: number;
  /** The send whose link it is (its ledger key), so the unsubscribe counts towards its template; absent on older links. */
  sendKey?: string;
}

/** A token that does not verify: the unsubscribe route answers with its status and message and changes nothing. */
export class TokenError extends TendError {
  constructor(message: string, status: 400 | 403 | 410) {
    super(message, 'TokenError', status);
  }
}

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');
const sign = (key: string, payload: string) => createHmac('sha256', key).update(payload).digest();

export function signToken(key: string, claims: UnsubscribeClaims): string {
  const payload = b64url(
    JSON.stringify({ c: claims.contact, a: claims.accountId, k: claims.category, e: claims.expires, ...(claims.sendKey ? { s: claims.sendKey } : {}) }),
  );
  return `${payload}.${b64url(sign(key, payload))}`;
}

/** The token's claims, or a TokenError: 400 malformed, 403 forged or tampered, 410 expired. */
export function verifyToken(key: string, token: string | undefined, now: Date): UnsubscribeClaims {
  const [payload, signature, ...rest] = (token ?? '').split('.');
  if (!payload || !signature || rest.length) throw new TokenError('the unsubscribe link is incomplete: copy the whole link from the email', 400);
  const expected = sign(key, payload);
  const given = Buffer.from(signature, 'base64url');
  // Constant-time compare, so the signature cannot be guessed byte by byte.
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    throw new TokenError('this unsubscribe link is not valid (it was changed or not issued by us)', 403);
  let raw: { c?: unknown; a?: unknown; k?: unknown; e?: unknown; s?: unknown };
  try {
    raw = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as typeof raw;
  } catch {
    throw new TokenError('the unsubscribe link is malformed', 400);
  }
  if (typeof raw.c !== 'string' || typeof raw.a !== 'string' || typeof raw.k !== 'string' || typeof raw.e !== 'number')
    throw new TokenError('the unsubscribe link is malformed', 400);
  if (raw.e * 1000 < now.getTime())
    throw new TokenError('this unsubscribe link has expired: use the link in a more recent email, or reply to it and we will unsubscribe you', 410);
  return { contact: raw.c, accountId: raw.a, category: raw.k, expires: raw.e, ...(typeof raw.s === 'string' ? { sendKey: raw.s } : {}) };
}
