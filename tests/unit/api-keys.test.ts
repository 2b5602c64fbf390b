import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { allows, hashKey, keyIdOf, keyMatches, newApiKey } from '../../functions/core/api-keys.ts';

describe('API keys', () => {
  it('makes tend_<id>_<secret> keys whose id is found again and whose hash alone is stored', () => {
    const { key, record } = newApiKey('ci', ['ingest'], new Date('2026-01-01T00:00:00Z'));
    expect(key).toMatch(/^tend_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
    expect(keyIdOf(key)).toBe(record.id);
    expect(record.hash).toBe(hashKey(key));
    // The secret is everything after the id: it may itself hold `_` (base64url), so not split('_').
    const secret = key.slice('tend_'.length + 12 + 1);
    expect(secret).toHaveLength(43);
    expect(JSON.stringify(record)).not.toContain(secret);
    expect(keyMatches(key, record)).toBe(true);
    expect(keyMatches(key, { ...record, revokedAt: '2026-01-02T00:00:00Z' })).toBe(false);
  });

  it('matches no other key with the same id', () => {
    const { key, record } = newApiKey('ci', ['read'], new Date());
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9_-]{43}$/), (secret) => {
        const other = `tend_${record.id}_${secret}`;
        return other === key || !keyMatches(other, record);
      }),
    );
  });

  it('refuses malformed keys before any lookup', () => {
    for (const k of ['', 'tend_', 'tend_abc_def', 'Bearer x', `tend_${'A'.repeat(12)}_${'x'.repeat(43)}`]) expect(keyIdOf(k)).toBeUndefined();
  });

  it('lets admin do everything and other scopes only their own', () => {
    const rec = (scopes: ('ingest' | 'read' | 'admin')[]) => newApiKey('x', scopes, new Date()).record;
    expect(allows(rec(['admin']), 'ingest')).toBe(true);
    expect(allows(rec(['read']), 'ingest')).toBe(false);
    expect(allows(rec(['read', 'ingest']), 'ingest')).toBe(true);
  });
});
