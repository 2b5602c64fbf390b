import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * What a key (or a signed-in person's role, functions/core/roles.ts) may do: `ingest` writes data,
 * `read` reads it, `work` works the CSM queue (tasks, notes, play runs), `admin` everything.
 */
export const SCOPES = ['ingest', 'read', 'work', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

export interface ApiKeyRecord {
  id: string;
  name: string;
  scopes: Scope[];
  /** SHA-256 of the whole key, hex: the key itself is never stored. */
  hash: string;
  createdAt: string;
  revokedAt?: string;
  /** Requests a minute for this key; the configured default when absent. */
  rateLimit?: number;
}

/** `tend_<id>_<secret>`: the id is a non-secret lookup handle, the secret 32 random bytes. */
const KEY_PATTERN = /^tend_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$/;

export const hashKey = (key: string) => createHash('sha256').update(key).digest('hex');

export function newApiKey(name: string, scopes: Scope[], now: Date, rateLimit?: number): { key: string; record: ApiKeyRecord } {
  const id = randomBytes(8).toString('hex').slice(0, 12);
  const key = `tend_${id}_${randomBytes(32).toString('base64url')}`;
  return { key, record: { id, name, scopes: [...new Set(scopes)], hash: hashKey(key), createdAt: now.toISOString(), ...(rateLimit ? { rateLimit } : {}) } };
}

/** The id of a well-formed key, or undefined: a malformed key never reaches the table. */
export function keyIdOf(key: string): string | undefined {
  return KEY_PATTERN.exec(key)?.[1];
}

/** Constant-time comparison of the presented key's hash with the stored one. */
export function keyMatches(key: string, record: ApiKeyRecord): boolean {
  const presented = Buffer.from(hashKey(key), 'hex');
  const stored = Buffer.from(record.hash, 'hex');
  return presented.length === stored.length && timingSafeEqual(presented, stored) && !record.revokedAt;
}

/** Whether scopes held grant the one a route needs: `admin` grants every scope. */
export function grants(held: readonly Scope[], needed: Scope): boolean {
  return held.includes('admin') || held.includes(needed);
}

export function allows(record: ApiKeyRecord, scope: Scope): boolean {
  return grants(record.scopes, scope);
}
