import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testRuntime, type TestRuntime } from '../support/runtime.ts';
import { upsertAccount, type AccountDeps } from '../../functions/core/accounts.ts';
import type { AssignmentRule, Csm } from '../../functions/core/owners.ts';
import { accountRepo } from '../../functions/data/accounts.ts';
import { ownerRepo } from '../../functions/data/owners.ts';
import { revenueRepo } from '../../functions/data/revenue.ts';

const csms: Csm[] = [
  { id: 'ana', name: 'Ana', email: 'ana@acme.example' },
  { id: 'ben', name: 'Ben', email: 'ben@acme.example' },
  { id: 'cy', name: 'Cy', email: 'cy@acme.example', capacity: 3 },
];

/**
 * Assignment rules on the local runtime's DynamoDB stand-in (dynalite), through the core's account
 * upsert: creates racing each other, replays, and CSMs at capacity.
 */
describe('owner assignment on DynamoDB', () => {
  let rt: TestRuntime;
  const deps = (assignment: AssignmentRule[], prefix: string): AccountDeps => ({
    clock: { now: () => new Date(rt.clock.nowMs()) },
    accounts: accountRepo(rt.db, rt.tableName),
    revenue: revenueRepo(rt.db, rt.tableName),
    events: { publish: async () => undefined },
    segments: { highTouchArr: 50_000, mediumTouchArr: 10_000 },
    // Each test its own CSMs (the counts are per CSM id), so the tests do not share counts.
    owners: ownerRepo(rt.db, rt.tableName),
    csms: csms.map((c) => ({ ...c, id: `${prefix}${c.id}` })),
    assignment: assignment.map((r) => ({ ...r, pool: r.pool.map((id) => `${prefix}${id}`) })),
  });
  const create = (d: AccountDeps, id: string, arr = 20_000) => upsertAccount(d, { id, name: id, arr, primaryContact: { email: `x@${id}.example` } });
  const counts = async (prefix: string) =>
    Object.fromEntries(Object.entries(await ownerRepo(rt.db, rt.tableName).counts()).filter(([k]) => k.startsWith(prefix)));

  beforeAll(async () => {
    rt = await testRuntime({ start: new Date('2026-04-01T09:00:00Z'), paused: true });
  }, 60_000);
  afterAll(() => rt?.stop());

  it('fewest-accounts: twelve creates racing each other share the pool evenly, and never past a capacity', async () => {
    const d = deps([{ pool: ['ana', 'ben', 'cy'], strategy: 'fewest-accounts' }], 'f-');
    const created = await Promise.all(Array.from({ length: 12 }, (_, i) => create(d, `fa-${i}`)));
    const owners = created.map((c) => c.account.owner!);
    expect(owners.every((o) => o.startsWith('f-'))).toBe(true);
    // Cy stops at 3; Ana and Ben split the rest (the counter's conditional write refuses a slot read twice).
    const c = await counts('f-');
    expect(c['f-cy']).toBe(3);
    expect(c['f-ana']! + c['f-ben']!).toBe(9);
    expect(Math.abs(c['f-ana']! - c['f-ben']!)).toBe(1);
    const tally = owners.reduce<Record<string, number>>((t, o) => ({ ...t, [o]: (t[o] ?? 0) + 1 }), {});
    expect(tally).toEqual(await counts('f-'));
    // The books say the same.
    for (const [csm, n] of Object.entries(tally)) expect((await d.owners!.book(csm, { limit: 100 })).accounts).toHaveLength(n);
  });

  it('round-robin: in turn; a replayed create assigns the same owner and counts nothing', async () => {
    const d = deps([{ segments: ['medium-touch'], pool: ['ana', 'ben'], strategy: 'round-robin' }], 'r-');
    const owners: string[] = [];
    for (let i = 0; i < 4; i++) owners.push((await create(d, `rr-${i}`)).account.owner!);
    expect(owners).toEqual(['r-ana', 'r-ben', 'r-ana', 'r-ben']);
    const replay = await create(d, 'rr-1');
    expect(replay).toMatchObject({ outcome: 'unchanged', account: { owner: 'r-ben' } });
    expect(await counts('r-')).toEqual({ 'r-ana': 2, 'r-ben': 2 });
    // Another segment has no rule: no owner (the team's queue).
    expect((await create(d, 'rr-small', 2_000)).account.owner).toBeUndefined();
  });

  it('a create replayed in parallel with itself assigns one owner', async () => {
    const d = deps([{ pool: ['ana', 'ben', 'cy'], strategy: 'fewest-accounts' }], 'p-');
    const both = await Promise.all([create(d, 'twin'), create(d, 'twin'), create(d, 'twin')]);
    expect(new Set(both.map((b) => b.account.owner)).size).toBe(1);
    expect(Object.values(await counts('p-')).reduce((a, b) => a + b, 0)).toBe(1);
  });
});
