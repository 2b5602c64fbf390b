import { describe, expect, it } from 'vitest';
import { assignOwner, pickFromPool, resolveOwner, ruleFor, type AssignmentRule, type Csm } from '../../functions/core/owners.ts';
import type { OwnerRepo } from '../../functions/core/ports.ts';
import { parseConfig } from '../../functions/core/config.ts';
import tendConfig from '../../tend.config.ts';

const csms: Csm[] = [
  { id: 'alex', name: 'Alex', email: 'alex@acme.example' },
  { id: 'sam', name: 'Sam', email: 'Sam@acme.example', capacity: 2 },
  { id: 'kim', name: 'Kim', email: 'kim@acme.example' },
];
const rr: AssignmentRule = { pool: ['alex', 'sam', 'kim'], strategy: 'round-robin' };
const fewest: AssignmentRule = { pool: ['alex', 'sam', 'kim'], strategy: 'fewest-accounts' };

describe('owners', () => {
  it.each([
    ['an id', 'sam', 'sam'],
    ['an email, any case', 'SAM@ACME.EXAMPLE', 'sam'],
  ])('resolves %s to the CSM id', (_, value, id) => expect(resolveOwner(csms, value)).toBe(id));

  it('refuses an unknown owner, naming the field', () => {
    expect(() => resolveOwner(csms, 'nobody', 'traits.owner')).toThrow(/^traits\.owner: "nobody" is not a CSM of tend.config.ts; csms: alex, sam, kim$/);
  });

  it.each([
    ['round-robin, turn 1', rr, {}, 1, 'alex'],
    ['round-robin, turn 2', rr, {}, 2, 'sam'],
    ['round-robin, turn 4 comes round again', rr, {}, 4, 'alex'],
    ['round-robin passes over a CSM at capacity', rr, { sam: 2 }, 2, 'kim'],
    ['fewest-accounts', fewest, { alex: 3, sam: 1, kim: 1 }, 1, 'sam'],
    ['fewest-accounts passes over a CSM at capacity', fewest, { alex: 3, sam: 2, kim: 2 }, 1, 'kim'],
    ['fewest-accounts, ties in pool order', fewest, {}, 1, 'alex'],
    ['everyone at capacity: nobody', { pool: ['sam'], strategy: 'fewest-accounts' } as AssignmentRule, { sam: 2 }, 1, undefined],
  ])('picks: %s', (_, rule, counts, turn, expected) => {
    expect(pickFromPool(rule, csms, counts as Record<string, number>, turn)).toBe(expected);
  });

  it('takes the first rule that covers the segment', () => {
    const rules: AssignmentRule[] = [{ ...rr, segments: ['high-touch'] }, fewest];
    expect(ruleFor(rules, 'high-touch')).toBe(rules[0]);
    expect(ruleFor(rules, 'tech-touch')).toBe(rules[1]);
    expect(ruleFor([{ ...rr, segments: ['high-touch'] }], 'tech-touch')).toBeUndefined();
  });

  it('a replayed create reads the claimed owner; a create that loses the claim gives its slot back', async () => {
    const calls: string[] = [];
    let claimed: string | undefined;
    const repo: OwnerRepo = {
      claimed: async () => claimed,
      claim: async (_, owner) => {
        calls.push(`claim ${owner}`);
        claimed ??= 'kim'; // another request claimed first
        return false;
      },
      counts: async () => ({}),
      reserve: async (csm) => (calls.push(`reserve ${csm}`), true),
      release: async (csm) => void calls.push(`release ${csm}`),
      nextTurn: async () => 1,
      addToBook: async () => undefined,
      removeFromBook: async () => undefined,
      book: async () => ({ accounts: [] }),
    };
    expect(await assignOwner({ owners: repo, csms, assignment: [rr] }, 'acme', 'tech-touch', '2026-01-01T00:00:00Z')).toEqual({
      owner: 'kim',
      reserved: false,
    });
    expect(calls).toEqual(['reserve alex', 'claim alex', 'release alex']);
    expect(await assignOwner({ owners: repo, csms, assignment: [rr] }, 'acme', 'tech-touch', '2026-01-01T00:00:00Z')).toEqual({
      owner: 'kim',
      reserved: false,
    });
    expect(calls).toHaveLength(3);
  });

  it('the config refuses a pool naming an unknown CSM and a duplicate CSM id', () => {
    const base = tendConfig as Record<string, unknown>;
    expect(() => parseConfig({ ...base, csms, assignment: [{ pool: ['alex', 'lee'] }] })).toThrow(/assignment\[0\]\.pool\[1\]: unknown CSM "lee"/);
    expect(() => parseConfig({ ...base, csms: [...csms, csms[0]] })).toThrow(/csms\[3\]\.id: duplicate CSM id "alex"/);
    expect(() => parseConfig({ ...base, csms: [{ ...csms[0], slackUserId: 'nope' }] })).toThrow(/csms\[0\]\.slackUserId/);
    expect(parseConfig({ ...base, csms: undefined }).csms).toEqual([]);
  });
});
