import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { allows, hashKey, keyIdOf, keyMatches, newApiKey } from '../../functions/core/api-keys.ts';
import { upsertChangesNothing } from '../../functions/core/account-diff.ts';
import type { Account } from '../../functions/core/types.ts';

describe('API keys', () => {
  it('makes tend_<id>_<secret> keys whose id is found again and whose hash alone is stored', () => {
    const { key, record } = newApiKey('ci', ['ingest'], new Date('2026-01-01T00:00:00Z'));
    expect(key).toMatch(/^tend_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
    expect(keyIdOf(key)).toBe(record.id);
    expect(record.hash).toBe(hashKey(key));
    expect(JSON.stringify(record)).not.toContain(key.split('_')[2]);
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

describe('an account upsert that changes nothing', () => {
  const stored = { id: 'a', name: 'A', arr: 100, startDate: '2026-01-01T00:00:00.000Z', primaryContact: { email: 'x@a.example', name: 'X' }, segment: 'tech-touch' } as unknown as Account;
  it('is recognised across date formats and key order, and any difference is a change', () => {
    expect(upsertChangesNothing(stored, { id: 'a', name: 'A', startDate: '2026-01-01', primaryContact: { name: 'X', email: 'x@a.example' } } as never)).toBe(true);
    expect(upsertChangesNothing(stored, { id: 'a', name: 'A', arr: 101, primaryContact: { email: 'x@a.example', name: 'X' } } as never)).toBe(false);
    expect(upsertChangesNothing(stored, { id: 'a', name: 'A', primaryContact: { email: 'x@a.example' } } as never)).toBe(false);
  });
  it.each([
    ['the segment in force, not pinned', undefined, 'tech-touch', false],
    ['auto, not pinned', undefined, 'auto', true],
    ['the pin again', 'tech-touch', 'tech-touch', true],
    ['auto, pinned', 'tech-touch', 'auto', false],
    ['another pin', 'tech-touch', 'high-touch', false],
  ] as const)('compares a segment in the request with the pin: %s', (_, segmentSet, segment, same) => {
    const account = { ...stored, segmentSet } as Account;
    expect(upsertChangesNothing(account, { id: 'a', name: 'A', segment, primaryContact: { email: 'x@a.example', name: 'X' } } as never)).toBe(same);
  });
});
