import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchesAccountFields, sortedAccountList, type ListDeps } from '../../functions/core/account-list-view.ts';
import type { Account } from '../../functions/core/types.ts';

const account = (id: string, over: Partial<Account> = {}): Account =>
  ({ id, name: `${id} Inc`, segment: 'tech-touch', status: 'active', primaryContact: { email: `cs@${id}.example` }, ...over }) as Account;

/** A catalog of `shards` shards (an account's shard: its index modulo), scores by id, no runs. */
function fakeDeps(accounts: Account[], scores: Record<string, { score: number; band: string; flags?: Record<string, unknown> }>, shards: number) {
  const sorted = [...accounts].sort((a, b) => a.id.localeCompare(b.id));
  const shardOf = (a: Account) => accounts.indexOf(a) % shards;
  const reads = { pages: 0, cards: 0, facts: 0 };
  const deps: ListDeps = {
    catalog: {
      async page(shard, afterId, limit) {
        reads.pages++;
        const mine = sorted.filter((a) => shardOf(a) === shard && (!afterId || a.id > afterId));
        return { accounts: mine.slice(0, limit), more: mine.length > limit };
      },
    },
    scores: {
      get: async (id: string) => {
        reads.cards++;
        return scores[id] ? ({ ...scores[id], flags: scores[id].flags ?? {} } as any) : undefined;
      },
    } as any,
    runs: { forAccount: async () => [] } as any,
    scoreFacts: {
      many: async (ids) => {
        reads.facts += ids.length;
        return new Map(ids.filter((id) => scores[id]).map((id) => [id, { ...scores[id], flags: scores[id]!.flags ?? {} } as any]));
      },
    },
  };
  return { deps, reads };
}
const context = { now: new Date('2026-03-01T00:00:00Z'), thresholds: { newAccountDays: 30, renewalWithinDays: 90 }, onboardingPlay: 'onboarding' };

describe('account list view', () => {
  it.each([
    [{ owner: 'alex' }, account('a', { owner: 'alex' }), true],
    [{ owner: 'alex' }, account('a', { owner: 'sam' }), false],
    [{ owner: 'unassigned' }, account('a'), true],
    [{ owner: 'unassigned' }, account('a', { owner: 'sam' }), false],
    [{ q: 'ACME' }, account('x1', { name: 'The Acme Co' }), true],
    [{ q: 'x1' }, account('x1-eu', { name: 'Other' }), true],
    [{ q: 'eu' }, account('x1-eu', { name: 'Other' }), false],
    [{ segment: 'high-touch' }, account('a', { segment: 'high-touch' }), true],
    [{ segment: 'high-touch', q: 'zzz' }, account('a', { segment: 'high-touch' }), false],
  ])('field filters %j on %j: %s', (filters, a, expected) => {
    expect(matchesAccountFields(a, filters)).toBe(expected);
  });

  it.each([
    ['-arr', ['c', 'a', 'b', 'none']],
    ['arr', ['b', 'a', 'c', 'none']],
    ['name', ['a', 'b', 'c', 'none']],
    ['-score', ['b', 'c', 'a', 'none']],
    ['renewalDate', ['c', 'a', 'b', 'none']],
  ] as const)('sorts by %s, accounts without the value last', async (sort, ids) => {
    const accounts = [
      account('a', { arr: 200, renewalDate: '2026-05-01' }),
      account('b', { arr: 100, renewalDate: '2026-06-01' }),
      account('c', { arr: 300, renewalDate: '2026-04-01' }),
      account('none', { name: 'zzz' }),
    ];
    const { deps } = fakeDeps(accounts, { a: { score: 10, band: 'red' }, b: { score: 90, band: 'green' }, c: { score: 50, band: 'yellow' } }, 3);
    const { accounts: out } = await sortedAccountList(deps, { sort, limit: 10 }, context, 3);
    expect(out.map((x) => x.customer.id)).toEqual(ids);
  });

  it('filters on the health band and flags from the score facts; builds cards for the page only', async () => {
    const accounts = Array.from({ length: 30 }, (_, i) => account(`a${String(i).padStart(2, '0')}`, { arr: i * 10 }));
    const scores = Object.fromEntries(accounts.map((a, i) => [a.id, { score: i, band: i % 2 ? 'red' : 'green', flags: i % 3 ? {} : { 'no-login-7d': {} } }]));
    const { deps, reads } = fakeDeps(accounts, scores, 4);
    const red = await sortedAccountList(deps, { sort: '-arr', band: 'red', limit: 5 }, context, 4);
    expect(red.accounts.map((a) => a.customer.id)).toEqual(['a29', 'a27', 'a25', 'a23', 'a21']);
    expect(reads.cards).toBe(5);
    const flagged = await sortedAccountList(deps, { sort: 'arr', flag: 'no-login-7d', limit: 100 }, context, 4);
    expect(flagged.accounts.map((a) => a.customer.id)).toEqual(accounts.filter((_, i) => i % 3 === 0).map((a) => a.id));
    expect(flagged.cursor).toBeNull();
  });

  it('pages hold the order: every account once, in order, whatever the page size', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 0, maxLength: 40 }), fc.integer({ min: 1, max: 7 }), async (arrs, limit) => {
        const accounts = arrs.map((arr, i) => account(`p${String(i).padStart(2, '0')}`, { arr }));
        const { deps } = fakeDeps(accounts, {}, 5);
        const seen: string[] = [];
        let cursor: string | undefined;
        do {
          const page = await sortedAccountList(deps, { sort: '-arr', limit, cursor }, context, 5);
          seen.push(...page.accounts.map((a) => a.customer.id));
          cursor = page.cursor ?? undefined;
        } while (cursor);
        const expected = [...accounts].sort((a, b) => b.arr! - a.arr! || a.id.localeCompare(b.id)).map((a) => a.id);
        expect(seen).toEqual(expected);
      }),
      { numRuns: 50 },
    );
  });

  it('refuses a cursor it did not return', async () => {
    const { deps } = fakeDeps([account('a')], {}, 1);
    await expect(sortedAccountList(deps, { sort: 'name', limit: 5, cursor: Buffer.from('3:acme').toString('base64url') }, context, 1)).rejects.toThrow(
      /cursor/,
    );
  });
});
