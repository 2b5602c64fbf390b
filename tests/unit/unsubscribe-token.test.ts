import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { signToken, verifyToken } from '../../functions/core/email/token.ts';
import { decodeTag, encodeTag } from '../../functions/core/email/policy.ts';
import { unsubscribeHeaders } from '../../functions/core/email/links.ts';

const KEY = 'k'.repeat(40);
const now = new Date('2026-02-01T00:00:00Z');
const claims = { contact: 'ana@acme.example', accountId: 'acme', category: 'tips', expires: Math.floor(now.getTime() / 1000) + 3600 };

describe('unsubscribe tokens', () => {
  it('round-trips its claims', () => {
    expect(verifyToken(KEY, signToken(KEY, claims), now)).toEqual(claims);
  });

  it('refuses a token signed with another key (forged): 403', () => {
    expect(() => verifyToken(KEY, signToken('another-key-of-some-length', claims), now)).toThrow(expect.objectContaining({ status: 403 }));
  });

  it('refuses a tampered payload (another contact, same signature): 403', () => {
    const [, sig] = signToken(KEY, claims).split('.');
    const payload = Buffer.from(JSON.stringify({ c: 'boss@acme.example', a: 'acme', k: 'tips', e: claims.expires })).toString('base64url');
    expect(() => verifyToken(KEY, `${payload}.${sig}`, now)).toThrow(expect.objectContaining({ status: 403 }));
  });

  it('refuses an expired token with a clear message: 410', () => {
    const old = signToken(KEY, { ...claims, expires: Math.floor(now.getTime() / 1000) - 1 });
    expect(() => verifyToken(KEY, old, now)).toThrow(/expired/);
    expect(() => verifyToken(KEY, old, now)).toThrow(expect.objectContaining({ status: 410 }));
  });

  it('refuses a missing or truncated token: 400', () => {
    for (const t of [undefined, '', 'abc', 'a.b.c']) expect(() => verifyToken(KEY, t, now), String(t)).toThrow(expect.objectContaining({ status: 400 }));
  });

  it('property: any single-character change to a token is refused', () => {
    const token = signToken(KEY, claims);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: token.length - 1 }), fc.constantFrom(...'ABCxyz019-_.'), (i, c) => {
        if (token[i] === c) return;
        const changed = token.slice(0, i) + c + token.slice(i + 1);
        expect(() => verifyToken(KEY, changed, now)).toThrow();
      }),
    );
  });
});

describe('List-Unsubscribe headers', () => {
  it('lists the https link first, the mailto second, then the one-click header', () => {
    expect(unsubscribeHeaders({ url: 'https://x.example/v1/unsubscribe?token=t', mailto: 'mailto:u@x.example?subject=unsubscribe' })).toEqual([
      { name: 'List-Unsubscribe', value: '<https://x.example/v1/unsubscribe?token=t>, <mailto:u@x.example?subject=unsubscribe>' },
      { name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' },
    ]);
  });
});

describe('SES tag values', () => {
  it('property: any id survives the round trip and uses only the characters SES allows', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (id) => {
        const tag = encodeTag(id);
        expect(tag).toMatch(/^[A-Za-z0-9_-]*$/);
        if (tag.length < 256) expect(decodeTag(tag)).toBe(id);
      }),
    );
  });
});
