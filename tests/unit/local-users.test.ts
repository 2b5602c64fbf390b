import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalUsers } from '../../local/local-users.ts';

describe("tend dev's local users (local/local-users.ts)", () => {
  const csms = [{ email: 'alex@acme.example', name: 'Alex Martin' }];

  it('seeds the CSMs and the built-in admin and viewer once, each with their own password, and keeps only hashes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tend-users-'));
    const users = new LocalUsers(dir);
    const made = users.seed(csms);
    expect(made.map((u) => [u.email, u.role])).toEqual([
      ['admin@tend.local', 'admin'],
      ['viewer@tend.local', 'viewer'],
      ['alex@acme.example', 'csm'],
    ]);
    expect(new Set(made.map((u) => u.password)).size).toBe(3);
    // A restart makes nobody again (the passwords were shown once).
    expect(new LocalUsers(dir).seed(csms)).toEqual([]);
    const stored = readFileSync(join(dir, 'users.json'), 'utf8');
    for (const u of made) expect(stored).not.toContain(u.password);
    for (const u of made) expect(new LocalUsers(dir).verify(u.email.toUpperCase(), u.password)?.email).toBe(u.email);
  });

  it.each([
    ['the right password', 'alex@acme.example', 'right', true],
    ['another case of the email', 'ALEX@acme.example', 'right', true],
    ['a wrong password', 'alex@acme.example', 'wrong', false],
    ['an empty password', 'alex@acme.example', '', false],
    ['an unknown email', 'nobody@acme.example', 'right', false],
  ])('verifies %s: %s', (_what, email, password, ok) => {
    const users = new LocalUsers();
    users.add({ email: 'alex@acme.example', role: 'csm', password: 'right' });
    expect(Boolean(users.verify(email, password))).toBe(ok);
  });

  it('sets a new password (the old one stops working) and refuses a duplicate, a bad role or a non-email', () => {
    const users = new LocalUsers();
    users.add({ email: 'sam@acme.example', role: 'viewer', password: 'old' });
    const fresh = users.setPassword('sam@acme.example');
    expect(users.verify('sam@acme.example', 'old')).toBeUndefined();
    expect(users.verify('sam@acme.example', fresh)?.role).toBe('viewer');
    expect(() => users.add({ email: 'SAM@acme.example', role: 'csm' })).toThrow(/already/);
    expect(() => users.add({ email: 'pat@acme.example', role: 'owner' as 'csm' })).toThrow(/role/);
    expect(() => users.add({ email: 'pat', role: 'csm' })).toThrow(/email/);
    expect(() => users.setPassword('nobody@acme.example')).toThrow(/no local user/);
  });
});
