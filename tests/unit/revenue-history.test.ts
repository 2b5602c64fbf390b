import { describe, expect, it } from 'vitest';
import { upsertAccount } from '../../functions/core/accounts.ts';
import type { AccountRepo } from '../../functions/core/ports.ts';
import { checkRenewalOutcome, recordRenewalOutcome, renewalOutcomeSchema, accountRevenue } from '../../functions/core/renewals.ts';
import { originPoints, revenueHistory, revenuePointOf, type RevenuePoint } from '../../functions/core/revenue-history.ts';
import type { Account, AccountUpsert } from '../../functions/core/types.ts';
import { DEFAULT_CHURN_REASONS } from '../../functions/core/config.ts';
import { fakeRevenue } from './support/revenue-fake.ts';

const NOW = new Date('2026-03-02T08:00:00.000Z');
const START = '2025-06-01T00:00:00.000Z';
const account = (extra: Partial<Account> = {}): Account =>
  ({
    id: 'a',
    name: 'A',
    primaryContact: { email: 'x@a.example', name: 'X' },
    status: 'active',
    segment: 'tech-touch',
    startDate: START,
    createdAt: START,
    updatedAt: START,
    announcedAt: START,
    ...extra,
  }) as Account;
const ctx = { at: NOW.toISOString(), rev: 4, source: 'api' as const, recordedAt: NOW.toISOString() };
const paid = { everPaid: true } as RevenuePoint;
const never = { everPaid: false } as RevenuePoint;

describe('the point an account write records', () => {
  it.each<[string, Account | undefined, Account, RevenuePoint | undefined, string | null, number, number]>([
    ['created paying', undefined, account({ arr: 100 }), undefined, 'new', 0, 100],
    ['created as a trial', undefined, account({ arr: 100, status: 'trial' }), undefined, 'state', 0, 0],
    ['more ARR', account({ arr: 100 }), account({ arr: 150 }), paid, 'expansion', 100, 150],
    ['less ARR', account({ arr: 100 }), account({ arr: 60 }), paid, 'contraction', 100, 60],
    ['churned', account({ arr: 100 }), account({ arr: 100, status: 'churned' }), paid, 'churn', 100, 0],
    ['back after a churn', account({ arr: 100, status: 'churned' }), account({ arr: 120 }), paid, 'reactivation', 0, 120],
    ['trial converts', account({ arr: 100, status: 'trial' }), account({ arr: 100 }), never, 'new', 0, 100],
    ['new plan, same ARR', account({ arr: 100, plan: 'pro' }), account({ arr: 100, plan: 'business' }), paid, 'plan', 100, 100],
    ["a trial's expected ARR", account({ arr: 100, status: 'trial' }), account({ arr: 200, status: 'trial' }), never, 'state', 0, 0],
    ['a trial ends unpaid', account({ status: 'trial' }), account({ status: 'churned' }), never, 'state', 0, 0],
    ['seats only: nothing', account({ arr: 100, seats: 5 }), account({ arr: 100, seats: 9 }), paid, null, 0, 0],
    ['ARR absent then 0: nothing', account({}), account({ arr: 0 }), never, null, 0, 0],
  ])('%s', (_name, before, after, previous, kind, arrBefore, arrAfter) => {
    const point = revenuePointOf(before, after, previous, ctx);
    if (kind === null) return expect(point).toBeNull();
    expect(point).toMatchObject({ kind, arrBefore, arrAfter, day: '2026-03-02', rev: 4, source: 'api', arr: after.arr ?? 0, status: after.status });
    expect(point!.everPaid).toBe((previous?.everPaid ?? false) || arrAfter > 0);
  });

  it('keeps the plan and a churn reason', () => {
    const point = revenuePointOf(account({ arr: 100, plan: 'pro' }), account({ arr: 100, plan: 'pro', status: 'churned' }), paid, { ...ctx, reason: 'price' });
    expect(point).toMatchObject({ kind: 'churn', plan: 'pro', reason: 'price' });
  });
});

describe('the origin of an account older than its history', () => {
  it.each<[string, Partial<Account>, [string, string, number, string][]]>([
    ['paying', { arr: 100 }, [['2025-06-01', 'new', 100, 'active']]],
    ['a trial', { arr: 100, status: 'trial' }, [['2025-06-01', 'state', 100, 'trial']]],
    [
      'churned with ARR',
      { arr: 100, status: 'churned', churnedAt: '2026-01-10T00:00:00.000Z' },
      [
        ['2025-06-01', 'new', 100, 'active'],
        ['2026-01-10', 'churn', 100, 'churned'],
      ],
    ],
    ['churned on its first day', { arr: 100, status: 'churned', churnedAt: START }, [['2025-06-01', 'state', 100, 'churned']]],
  ])('%s', (_name, extra, expected) => {
    const points = originPoints(account(extra));
    expect(points.map((p) => [p.day, p.kind, p.arr, p.status])).toEqual(expected);
    expect(points.every((p) => p.rev === 0 && p.source === 'backfill')).toBe(true);
  });

  it('is the history read while nothing is recorded, and gives way to what is', () => {
    const a = account({ arr: 100 });
    expect(revenueHistory(a, [], undefined)).toEqual(originPoints(a));
    const later = revenuePointOf(a, account({ arr: 150 }), originPoints(a)[0], ctx)!;
    // The account item carries a point whose own item is not written yet: it is in the history all the same.
    expect(revenueHistory(a, originPoints(a), later).map((p) => p.kind)).toEqual(['new', 'expansion']);
    expect(revenueHistory(a, [...originPoints(a), later], later)).toHaveLength(2);
  });
});

/** One account item with revisions and its last point, as the table keeps them; can refuse writes to simulate races. */
function table(initial?: Account) {
  let item: { account: Account; rev: number; lastPoint?: RevenuePoint } | undefined = initial ? { account: initial, rev: 3 } : undefined;
  let interfere: (() => void) | undefined;
  const repo = {
    read: async () => structuredClone(item),
    get: async () => structuredClone(item?.account),
    async write(_id, write, rev, point) {
      interfere?.();
      interfere = undefined;
      if (item?.rev !== rev) return false;
      item = {
        account: { ...item?.account, ...write.set } as Account,
        rev: (rev ?? 0) + 1,
        ...(point ? { lastPoint: point } : item?.lastPoint ? { lastPoint: item.lastPoint } : {}),
      };
      return true;
    },
    markAnnounced: async () => {},
    setLastRenewal: async (_id, lastRenewal) => void (item!.account.lastRenewal = lastRenewal),
  } as Partial<AccountRepo> as AccountRepo;
  return { repo, current: () => item, interfereOnce: (f: () => void) => (interfere = f) };
}

const upsert = (extra: Partial<AccountUpsert> = {}) => ({ id: 'a', name: 'A', primaryContact: { email: 'x@a.example', name: 'X' }, ...extra }) as AccountUpsert;

describe('upsertAccount and the revenue history', () => {
  const deps = (accounts: AccountRepo, revenue = fakeRevenue()) => ({
    clock: { now: () => NOW },
    accounts,
    revenue: revenue.repo,
    events: { publish: async () => {} },
    segments: { highTouchArr: 50_000, mediumTouchArr: 10_000 },
  });

  it('records a point per change, none for a replay, keyed by effective day and revision', async () => {
    const t = table();
    const revenue = fakeRevenue();
    await upsertAccount(deps(t.repo, revenue), upsert({ arr: 100, startDate: '2026-01-01' }));
    await upsertAccount(deps(t.repo, revenue), upsert({ arr: 100, startDate: '2026-01-01' }));
    await upsertAccount(deps(t.repo, revenue), upsert({ arr: 150, effectiveDate: '2026-02-15', source: 'import' }));
    expect([...revenue.points.keys()]).toEqual(['a#2026-01-01#1', 'a#2026-02-15#2']);
    expect([...revenue.points.values()].map((p) => [p.kind, p.source])).toEqual([
      ['new', 'api'],
      ['expansion', 'import'],
    ]);
  });

  it('refuses an effective date in the future, naming the field', async () => {
    await expect(upsertAccount(deps(table().repo), upsert({ arr: 1, effectiveDate: '2026-03-03' }))).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining('effectiveDate'),
    });
  });

  it('records nothing for a write that lost a race, then the point of the write that holds', async () => {
    const t = table(account({ arr: 100 }));
    const revenue = fakeRevenue();
    const point = (rev: number, arr: number, before: number) => revenuePointOf(account({ arr: before }), account({ arr }), paid, { ...ctx, rev })!;
    // Another upsert lands between this one's read and its write, with its own point on the account item.
    t.interfereOnce(() => Object.assign(t.current()!, { rev: 4, account: account({ arr: 120 }), lastPoint: point(4, 120, 100) }));
    await upsertAccount(deps(t.repo, revenue), upsert({ arr: 150 }));
    // The loser's first decision (100 -> 150) is nowhere; the other write's point is (re)written with the retry's.
    expect([...revenue.points.values()].map((p) => [p.rev, p.kind, p.arrBefore, p.arrAfter])).toEqual([
      [0, 'new', 0, 100],
      [4, 'expansion', 100, 120],
      [5, 'expansion', 120, 150],
    ]);
    expect(t.current()!.lastPoint).toMatchObject({ rev: 5, arr: 150 });
  });

  it("writes an older account's origin with its first recorded change; a point whose item was lost is still read", async () => {
    const t = table(account({ arr: 100 }));
    const revenue = fakeRevenue();
    const lossy = { ...revenue.repo, record: async (ps: RevenuePoint[]) => revenue.repo.record(ps.filter((p) => p.rev === 0)) };
    await upsertAccount({ ...deps(t.repo), revenue: lossy }, upsert({ arr: 80 }));
    const read = await accountRevenue({ accounts: t.repo, revenue: revenue.repo }, 'a');
    expect(read.history.map((p) => [p.day, p.kind])).toEqual([
      ['2025-06-01', 'new'],
      ['2026-03-02', 'contraction'],
    ]);
    expect(read.movements.map((m) => m.kind)).toEqual(['new', 'contraction']);
  });
});

describe('renewal outcomes', () => {
  const parse = (body: unknown) => renewalOutcomeSchema.safeParse(body);
  it.each<[string, unknown, boolean]>([
    ['renewed', { outcome: 'renewed', renewalDate: '2026-03-01', newArr: 120, nextRenewalDate: '2027-03-01' }, true],
    ['renewed without a new ARR', { outcome: 'renewed', renewalDate: '2026-03-01', nextRenewalDate: '2027-03-01' }, true],
    ['renewed without a next date', { outcome: 'renewed', renewalDate: '2026-03-01' }, false],
    ['churned', { outcome: 'churned', renewalDate: '2026-03-01', reason: 'price', note: 'went cheaper' }, true],
    ['churned without a reason', { outcome: 'churned', renewalDate: '2026-03-01' }, false],
    ['an unknown outcome', { outcome: 'paused', renewalDate: '2026-03-01' }, false],
    ['a negative ARR', { outcome: 'renewed', renewalDate: '2026-03-01', newArr: -1, nextRenewalDate: '2027-03-01' }, false],
  ])('schema: %s', (_name, body, ok) => expect(parse(body).success).toBe(ok));

  it.each<[string, unknown, string | null]>([
    ['a configured reason', { outcome: 'churned', renewalDate: '2026-03-01', reason: 'budget' }, null],
    ['a reason not configured', { outcome: 'churned', renewalDate: '2026-03-01', reason: 'weather' }, 'reason'],
    ['a next renewal before the renewal', { outcome: 'renewed', renewalDate: '2026-03-01', nextRenewalDate: '2026-02-01' }, 'nextRenewalDate'],
  ])('checks: %s', (_name, body, field) => {
    const check = () => checkRenewalOutcome(renewalOutcomeSchema.parse(body), DEFAULT_CHURN_REASONS);
    if (field === null) expect(check).not.toThrow();
    else expect(check).toThrow(expect.objectContaining({ status: 400, message: expect.stringContaining(field) }));
  });

  const setup = () => {
    const t = table(account({ arr: 100, renewalDate: '2026-03-01T00:00:00.000Z' }));
    const revenue = fakeRevenue();
    const deps = {
      clock: { now: () => NOW },
      accounts: t.repo,
      revenue: revenue.repo,
      events: { publish: async () => {} },
      segments: { highTouchArr: 50_000, mediumTouchArr: 10_000 },
      churnReasons: DEFAULT_CHURN_REASONS,
    };
    return { t, revenue, deps };
  };
  const renewed = { outcome: 'renewed' as const, renewalDate: '2026-03-01', newArr: 130, nextRenewalDate: '2027-03-01' };

  it('applies a renewal once: the ARR and renewal date change with an expansion point; a replay answers the same', async () => {
    const { t, revenue, deps } = setup();
    const first = await recordRenewalOutcome(deps, 'a', renewed);
    const again = await recordRenewalOutcome(deps, 'a', { ...renewed, renewalDate: '2026-03-01T00:00:00Z' });
    expect(again.outcome).toEqual(first.outcome);
    expect([first.recorded, again.recorded]).toEqual([true, false]);
    expect(t.current()!.account).toMatchObject({
      arr: 130,
      renewalDate: '2027-03-01T00:00:00.000Z',
      lastRenewal: { outcome: 'renewed', renewalDate: '2026-03-01' },
    });
    expect([...revenue.points.values()].filter((p) => p.rev > 0).map((p) => [p.day, p.kind, p.source])).toEqual([['2026-03-01', 'expansion', 'renewal']]);
  });

  it('refuses a different outcome for the same renewal with RenewalOutcomeConflict', async () => {
    const { deps } = setup();
    await recordRenewalOutcome(deps, 'a', renewed);
    await expect(recordRenewalOutcome(deps, 'a', { outcome: 'churned', renewalDate: '2026-03-01', reason: 'price' })).rejects.toMatchObject({
      status: 409,
      code: 'RenewalOutcomeConflict',
    });
    await expect(recordRenewalOutcome(deps, 'a', { ...renewed, newArr: 140 })).rejects.toMatchObject({ code: 'RenewalOutcomeConflict' });
  });

  it('brings back an account marked churned that renews: a reactivation', async () => {
    const { t, revenue, deps } = setup();
    Object.assign(t.current()!.account, { status: 'churned' });
    t.current()!.lastPoint = { ...originPoints(account({ arr: 100 }))[0]!, status: 'churned', kind: 'churn', rev: 3, arrAfter: 0 };
    await recordRenewalOutcome(deps, 'a', renewed);
    expect(t.current()!.account.status).toBe('active');
    expect([...revenue.points.values()].at(-1)).toMatchObject({ kind: 'reactivation', arrAfter: 130, source: 'renewal' });
  });

  it('churns with the reason on the churn point', async () => {
    const { t, revenue, deps } = setup();
    await recordRenewalOutcome(deps, 'a', { outcome: 'churned', renewalDate: '2026-03-01', reason: 'competitor' });
    expect(t.current()!.account.status).toBe('churned');
    expect([...revenue.points.values()].at(-1)).toMatchObject({ kind: 'churn', reason: 'competitor', source: 'renewal', day: '2026-03-01' });
  });
});
