import { describe, expect, it } from 'vitest';
import { decideAccountWrite, upsertChangesNothing, type AccountOutcome } from '../../functions/core/account-diff.ts';
import { upsertAccount } from '../../functions/core/accounts.ts';
import type { AccountRepo, TendEvent } from '../../functions/core/ports.ts';
import type { Account, AccountUpsert } from '../../functions/core/types.ts';
import { fakeRevenue } from './support/revenue-fake.ts';

const SEGMENTS = { highTouchArr: 50_000, mediumTouchArr: 10_000 };
const NOW = new Date('2026-03-02T08:00:00.000Z');
const EARLIER = '2026-01-01T00:00:00.000Z';
const input = (extra: Partial<AccountUpsert> = {}): AccountUpsert =>
  ({ id: 'a', name: 'A', primaryContact: { email: 'x@a.example', name: 'X' }, ...extra }) as AccountUpsert;
const stored = (extra: Partial<Account> = {}): Account =>
  ({
    id: 'a',
    name: 'A',
    primaryContact: { email: 'x@a.example', name: 'X' },
    status: 'active',
    segment: 'tech-touch',
    startDate: EARLIER,
    createdAt: EARLIER,
    updatedAt: EARLIER,
    announcedAt: EARLIER,
    ...extra,
  }) as Account;

describe('an account upsert that changes nothing', () => {
  const current = stored({ arr: 100, startDate: '2026-01-01T00:00:00.000Z' });
  it('is recognised across date formats and key order, and any difference is a change', () => {
    expect(upsertChangesNothing(current, input({ startDate: '2026-01-01', primaryContact: { name: 'X', email: 'x@a.example' } } as never))).toBe(true);
    expect(upsertChangesNothing(current, input({ arr: 101 }))).toBe(false);
    expect(upsertChangesNothing(current, input({ primaryContact: { email: 'x@a.example' } } as never))).toBe(false);
  });
  it.each([
    ['the segment in force, not pinned', undefined, 'tech-touch', false],
    ['auto, not pinned', undefined, 'auto', true],
    ['the pin again', 'tech-touch', 'tech-touch', true],
    ['auto, pinned', 'tech-touch', 'auto', false],
    ['another pin', 'tech-touch', 'high-touch', false],
  ] as const)('compares a segment in the request with the pin: %s', (_, segmentSet, segment, same) => {
    expect(upsertChangesNothing({ ...current, arr: undefined, segmentSet } as Account, input({ segment }))).toBe(same);
  });
});

describe('deciding an account upsert', () => {
  type Row = [
    string,
    Account | undefined,
    AccountUpsert,
    { outcome: AccountOutcome; announce: boolean; churned: boolean; writes: boolean; account?: Partial<Account> },
  ];
  const rows: Row[] = [
    [
      'a new account',
      undefined,
      input({ arr: 20_000 }),
      {
        outcome: 'created',
        announce: true,
        churned: false,
        writes: true,
        account: { status: 'active', segment: 'medium-touch', startDate: NOW.toISOString(), createdAt: NOW.toISOString() },
      },
    ],
    [
      'a new account with its start date and no ARR',
      undefined,
      input({ startDate: '2025-12-01' }),
      { outcome: 'created', announce: true, churned: false, writes: true, account: { startDate: '2025-12-01T00:00:00.000Z', segment: 'tech-touch' } },
    ],
    [
      'a new account already churned (an import)',
      undefined,
      input({ status: 'churned' }),
      { outcome: 'created', announce: false, churned: true, writes: true, account: { status: 'churned', churnedAt: NOW.toISOString() } },
    ],
    ['the same account again', stored(), input(), { outcome: 'unchanged', announce: false, churned: false, writes: false, account: { updatedAt: EARLIER } }],
    [
      'the same account, never announced (a retry after a failed publish)',
      stored({ announcedAt: undefined }),
      input(),
      { outcome: 'unchanged', announce: true, churned: false, writes: false },
    ],
    [
      'more seats',
      stored(),
      input({ seats: 9 }),
      {
        outcome: 'changed',
        announce: false,
        churned: false,
        writes: true,
        account: { seats: 9, updatedAt: NOW.toISOString(), createdAt: EARLIER, startDate: EARLIER },
      },
    ],
    [
      'a churn',
      stored(),
      input({ status: 'churned' }),
      { outcome: 'churned', announce: false, churned: true, writes: true, account: { status: 'churned', churnedAt: NOW.toISOString() } },
    ],
    [
      'a churned account churned again',
      stored({ status: 'churned', churnedAt: EARLIER }),
      input({ status: 'churned', seats: 2 }),
      { outcome: 'changed', announce: false, churned: false, writes: true, account: { churnedAt: EARLIER } },
    ],
    [
      'a reactivation (the first churn date stays)',
      stored({ status: 'churned', churnedAt: EARLIER }),
      input({ status: 'active' }),
      { outcome: 'reactivated', announce: false, churned: false, writes: true, account: { status: 'active', churnedAt: EARLIER } },
    ],
    [
      'a churn after a reactivation (the first churn date stays)',
      stored({ status: 'active', churnedAt: EARLIER }),
      input({ status: 'churned' }),
      { outcome: 'churned', announce: false, churned: true, writes: true, account: { churnedAt: EARLIER } },
    ],
    [
      'a trial becoming active',
      stored({ status: 'trial' }),
      input({ status: 'active' }),
      { outcome: 'changed', announce: false, churned: false, writes: true, account: { status: 'active' } },
    ],
    [
      'a churned account never announced, updated',
      stored({ status: 'churned', announcedAt: undefined }),
      input({ seats: 3 }),
      { outcome: 'changed', announce: false, churned: false, writes: true },
    ],
  ];
  it.each(rows)('%s', (_, current, upsert, want) => {
    const decision = decideAccountWrite(current, upsert, NOW, SEGMENTS);
    expect({ outcome: decision.outcome, announce: decision.announce, churned: decision.churned, writes: decision.write !== undefined }).toEqual({
      outcome: want.outcome,
      announce: want.announce,
      churned: want.churned,
      writes: want.writes,
    });
    expect(decision.account).toMatchObject(want.account ?? {});
    // What is written is what the decided account holds.
    for (const [k, v] of Object.entries(decision.write?.set ?? {})) expect((decision.account as unknown as Record<string, unknown>)[k], k).toEqual(v);
  });

  type SegmentRow = [string, Partial<Account>, Partial<AccountUpsert>, Account['segment'], string | undefined, string[]];
  const segmentRows: SegmentRow[] = [
    ['ARR decides', {}, { arr: 60_000 }, 'high-touch', undefined, []],
    ['a pin wins over ARR', {}, { arr: 5_000, segment: 'high-touch' }, 'high-touch', 'high-touch', []],
    ['a pin stands through an ARR change', { segment: 'high-touch', segmentSet: 'high-touch', arr: 5_000 }, { arr: 20_000 }, 'high-touch', 'high-touch', []],
    [
      'auto without ARR goes back to the stored ARR',
      { segment: 'high-touch', segmentSet: 'high-touch', arr: 20_000 },
      { segment: 'auto' },
      'medium-touch',
      undefined,
      ['segmentSet'],
    ],
    [
      'auto with ARR uses the request ARR',
      { segment: 'tech-touch', segmentSet: 'tech-touch', arr: 20_000 },
      { segment: 'auto', arr: 90_000 },
      'high-touch',
      undefined,
      ['segmentSet'],
    ],
    ['no ARR keeps the segment in force', { segment: 'high-touch', arr: 80_000 }, { seats: 50 }, 'high-touch', undefined, []],
  ];
  it.each(segmentRows)('segment: %s', (_, current, upsert, segment, segmentSet, removed) => {
    const decision = decideAccountWrite(stored(current), input(upsert), NOW, SEGMENTS);
    expect(decision.account.segment).toBe(segment);
    expect(decision.account.segmentSet).toBe(segmentSet);
    expect(decision.write?.remove).toEqual(removed);
  });
});

/** An account table of one item with upserts' revisions, that can let another upsert land between a read and a write. */
function fakeAccounts(initial?: Account) {
  let item = initial ? { account: initial, rev: 1 } : undefined;
  const writes: number[] = [];
  let interfere: ((current: typeof item) => typeof item) | undefined;
  const repo: Pick<AccountRepo, 'read' | 'write' | 'markAnnounced'> = {
    read: async () => (item ? structuredClone(item) : undefined),
    async write(_id, write, rev) {
      if (interfere) {
        item = interfere(item);
        interfere = undefined;
      }
      writes.push(rev ?? -1);
      if ((item?.rev ?? undefined) !== rev) return false;
      const account = { ...item?.account, ...write.set } as Account & Record<string, unknown>;
      for (const name of write.remove) delete account[name];
      item = { account, rev: (rev ?? 0) + 1 };
      return true;
    },
    markAnnounced: async (_id, now) => void (item!.account.announcedAt = now.toISOString()),
  };
  return { repo: repo as AccountRepo, writes, current: () => item, interfereOnce: (f: NonNullable<typeof interfere>) => (interfere = f) };
}

describe('upsertAccount', () => {
  const deps = (accounts: AccountRepo, published: TendEvent[]) => ({
    clock: { now: () => NOW },
    accounts,
    revenue: fakeRevenue().repo,
    events: { publish: async (e: TendEvent[]) => void published.push(...e) },
    segments: SEGMENTS,
  });

  it('creates once and announces it; the same post again writes and announces nothing', async () => {
    const table = fakeAccounts();
    const published: TendEvent[] = [];
    expect((await upsertAccount(deps(table.repo, published), input())).outcome).toBe('created');
    expect((await upsertAccount(deps(table.repo, published), input())).outcome).toBe('unchanged');
    expect(table.writes).toEqual([-1]);
    expect(published.map((e) => e.type)).toEqual(['account.created']);
  });

  it('decides again when another create lands between its read and its write: one created, the other changed', async () => {
    const table = fakeAccounts();
    const published: TendEvent[] = [];
    // Another request creates the account (and announces it) while this one is between read and write.
    table.interfereOnce(() => ({ account: { ...stored({ seats: 3 }) }, rev: 1 }));
    const result = await upsertAccount(deps(table.repo, published), input({ seats: 7 }));
    expect(result.outcome).toBe('changed');
    expect(table.writes).toEqual([-1, 1]);
    expect(table.current()).toMatchObject({ rev: 2, account: { seats: 7, createdAt: EARLIER } });
    expect(published).toEqual([]);
  });

  it('publishes account.churned when the status moves to churned, and not on a re-sent churn', async () => {
    const table = fakeAccounts(stored());
    const published: TendEvent[] = [];
    expect((await upsertAccount(deps(table.repo, published), input({ status: 'churned' }))).outcome).toBe('churned');
    expect((await upsertAccount(deps(table.repo, published), input({ status: 'churned' }))).outcome).toBe('unchanged');
    expect((await upsertAccount(deps(table.repo, published), input({ status: 'active' }))).outcome).toBe('reactivated');
    expect(published.map((e) => e.type)).toEqual(['account.churned']);
  });

  it('gives up with a ConflictError when other writes keep landing', async () => {
    const table = fakeAccounts(stored());
    const busy: AccountRepo = { ...table.repo, write: async () => false };
    await expect(upsertAccount(deps(busy, []), input({ seats: 1 }))).rejects.toMatchObject({ code: 'ConflictError', status: 409 });
  });
});
