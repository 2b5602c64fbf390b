import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import { UnauthorizedError } from '../core/errors.ts';
import { rolesOf, type Role } from '../core/roles.ts';

/** Where access tokens come from: the user pool on AWS, the embedded issuer of `tend dev` (local/oidc-issuer.ts). */
export interface TokenIssuer {
  issuer: string;
  jwksUrl: string;
  clientId: string;
}

export interface SignedInPerson {
  subject: string;
  email?: string;
  name?: string;
  roles: Role[];
}

// Module scope: the key set is fetched once per container and refetched only for an unknown key id (jose's cooldown).
let keySet: { url: string; get: ReturnType<typeof createRemoteJWKSet> } | undefined;

// jose checks the RSA signature on every call (milliseconds of CPU each), and the web app sends the
// same token with each of a page's requests (13 for the Overview): a token this container has
// verified for the same issuer and client is taken again, unchanged, until it expires (at most 5
// minutes on), without checking its signature anew. Any other string (another token, a tampered
// one) is verified in full; jose has no such cache of its own.
const verified = new Map<string, { person: SignedInPerson; until: number }>();
const REVERIFY_MS = 300_000;
const MAX_VERIFIED = 1000;

/**
 * Verifies a Cognito-shaped access token: RS256 signature by a key of the issuer's JWKS, `iss`,
 * `exp`, `token_use` "access" and the web app's `client_id` (Cognito access tokens carry no `aud`).
 * Loaded by functions/api/auth.ts only when a request brings a JWT, so API-key traffic never loads jose.
 */
export async function verifyAccessToken(token: string, issuer: TokenIssuer): Promise<SignedInPerson> {
  const key = `${issuer.jwksUrl} ${issuer.issuer} ${issuer.clientId} ${token}`;
  const known = verified.get(key);
  if (known && Date.now() < known.until) return known.person;
  verified.delete(key);
  const person = await verifyInFull(token, issuer);
  if (verified.size >= MAX_VERIFIED) verified.delete(verified.keys().next().value!);
  verified.set(key, { person: person.person, until: Math.min(person.expiresAt, Date.now() + REVERIFY_MS) });
  return person.person;
}

async function verifyInFull(token: string, issuer: TokenIssuer): Promise<{ person: SignedInPerson; expiresAt: number }> {
  if (keySet?.url !== issuer.jwksUrl) keySet = { url: issuer.jwksUrl, get: createRemoteJWKSet(new URL(issuer.jwksUrl)) };
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, keySet.get, { issuer: issuer.issuer, algorithms: ['RS256'], clockTolerance: 5 }));
  } catch (err) {
    // The issuer's key set out of reach is the server's fault (a 500, alarmed), not the caller's: only jose's verdicts on the token are 401s.
    const code = (err as { code?: unknown }).code;
    if (typeof code !== 'string' || !code.startsWith('ERR_') || code === 'ERR_JWKS_TIMEOUT') throw err;
    throw new UnauthorizedError(`the access token was refused: ${(err as Error).message}`);
  }
  if (payload.token_use !== 'access') throw new UnauthorizedError('the token is not an access token (token_use is not "access")');
  if (payload.client_id !== issuer.clientId) throw new UnauthorizedError("the access token was not issued to Tend's web app (client_id)");
  if (!payload.sub) throw new UnauthorizedError('the access token names no subject (sub)');
  const text = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
  // Cognito's access token has no email of its own: the pre-token-generation trigger adds it (lib/constructs/sign-in.ts).
  const email = text(payload.email) ?? (text(payload.username)?.includes('@') ? text(payload.username) : undefined);
  const name = text(payload.name);
  return {
    person: { subject: payload.sub, ...(email ? { email } : {}), ...(name ? { name } : {}), roles: rolesOf(payload['cognito:groups']) },
    // Kept no longer than the token holds (jose refused it if expired); one without `exp` is not kept.
    expiresAt: typeof payload.exp === 'number' ? payload.exp * 1000 : 0,
  };
}
