import { dayOf } from './clock.ts';
import { movementOf, type ArrHistory, type ArrPoint, type MovementKind } from './metrics/revenue.ts';
import type { Account } from './types.ts';

/** Where a change of revenue came from; `backfill` is a point derived for an account older than its history. */
export type RevenueSource = 'api' | 'import' | 'segment' | 'renewal' | 'backfill';

/**
 * What a recorded change was: a revenue movement (`movementOf`), `plan` for a new plan at the same
 * paid ARR, `state` for an ARR or status change that moves no paid ARR (a trial's expected ARR, a
 * trial that ends, an account created as a trial).
 */
export type RevenuePointKind = MovementKind | 'plan' | 'state';

/** One recorded state of an account's revenue: an `ArrPoint` with what it changed and why. */
export interface RevenuePoint extends ArrPoint {
  accountId: string;
  /** The effective day (`at`'s UTC day) and the account revision the change wrote: the item's key. */
  day: string;
  rev: number;
  plan?: string;
  kind: RevenuePointKind;
  source: RevenueSource;
  /** Paid ARR before and after (0 when not paying). */
  arrBefore: number;
  arrAfter: number;
  /** Whether the account had paid by this point: the next change tells a reactivation from a new account by it. */
  everPaid: boolean;
  /** A churned renewal's reason. */
  reason?: string;
  recordedAt: string;
}

export interface PointContext {
  /** When the change takes effect (an import of a past change carries its date). */
  at: string;
  rev: number;
  source: RevenueSource;
  recordedAt: string;
  reason?: string;
}

const arrPointOf = (a: Account, at: string): ArrPoint => ({ at, arr: a.arr ?? 0, status: a.status });
const paidArr = (a: Account) => (a.status === 'active' ? (a.arr ?? 0) : 0);

/**
 * The point an account write records, or null when it changes none of ARR, plan and status.
 * `previous` is the last point recorded for the account (or its backfilled origin): whether it had
 * paid before decides between `new` and `reactivation`.
 */
export function revenuePointOf(before: Account | undefined, after: Account, previous: RevenuePoint | undefined, ctx: PointContext): RevenuePoint | null {
  if (before && (before.arr ?? 0) === (after.arr ?? 0) && before.plan === after.plan && before.status === after.status) return null;
  const everPaidBefore = previous?.everPaid ?? false;
  const movement = movementOf(after.id, before && arrPointOf(before, ctx.at), arrPointOf(after, ctx.at), everPaidBefore);
  const kind: RevenuePointKind = movement?.kind ?? (before && before.plan !== after.plan ? 'plan' : 'state');
  return {
    accountId: after.id,
    at: ctx.at,
    day: dayOf(new Date(ctx.at)),
    rev: ctx.rev,
    arr: after.arr ?? 0,
    status: after.status,
    ...(after.plan !== undefined ? { plan: after.plan } : {}),
    kind,
    source: ctx.source,
    arrBefore: before ? paidArr(before) : 0,
    arrAfter: paidArr(after),
    everPaid: everPaidBefore || paidArr(after) > 0,
    ...(ctx.reason ? { reason: ctx.reason } : {}),
    recordedAt: ctx.recordedAt,
  };
}

/**
 * The history of an account that existed before Tend recorded one, derived from the account
 * alone: a point at its start date (a `new` one when it pays), and for a churned account that had
 * ARR, a paying start and the churn at `churnedAt`. Revision 0: no upsert writes it, so the first
 * recorded change (which writes these too) and a read that derives them agree on every key.
 */
export function originPoints(account: Account): RevenuePoint[] {
  const base = { accountId: account.id, rev: 0, source: 'backfill' as const, recordedAt: account.createdAt, ...(account.plan ? { plan: account.plan } : {}) };
  const arr = account.arr ?? 0;
  const startDay = dayOf(new Date(account.startDate));
  if (account.status === 'churned' && arr > 0) {
    const churnedAt = account.churnedAt ?? account.updatedAt;
    const churn: RevenuePoint = {
      ...base,
      at: churnedAt,
      day: dayOf(new Date(churnedAt)),
      arr,
      status: 'churned',
      kind: 'churn',
      arrBefore: arr,
      arrAfter: 0,
      everPaid: true,
    };
    // Churned on its first day: it never paid for a day; one point, which also keeps the keys apart.
    if (churn.day <= startDay) return [{ ...churn, kind: 'state', arrBefore: 0, everPaid: false }];
    return [{ ...base, at: account.startDate, day: startDay, arr, status: 'active', kind: 'new', arrBefore: 0, arrAfter: arr, everPaid: true }, churn];
  }
  const paid = paidArr(account);
  return [
    {
      ...base,
      at: account.startDate,
      day: startDay,
      arr,
      status: account.status,
      kind: paid > 0 ? 'new' : 'state',
      arrBefore: 0,
      arrAfter: paid,
      everPaid: paid > 0,
    },
  ];
}

const order = (a: RevenuePoint, b: RevenuePoint) => (a.day === b.day ? a.rev - b.rev : a.day < b.day ? -1 : 1);

/**
 * An account's revenue history as recorded: the stored points, plus the last one the account item
 * carries (written with the account change itself, so a point whose own item was not written yet
 * is never missing), or, for an account with neither, its derived origin. Oldest first, by
 * effective day then revision: the order `movementsOf` and `retention` read.
 */
export function revenueHistory(account: Account, stored: RevenuePoint[], last: RevenuePoint | undefined): RevenuePoint[] {
  if (!last && stored.length === 0) return originPoints(account);
  const byKey = new Map(stored.map((p) => [`${p.day}#${p.rev}`, p]));
  if (last) byKey.set(`${last.day}#${last.rev}`, last);
  return [...byKey.values()].sort(order);
}

/** The history as the metrics read it. */
export const arrHistoryOf = (accountId: string, points: RevenuePoint[]): ArrHistory => ({
  accountId,
  points: points.map(({ at, arr, status }) => ({ at, arr, status })),
});
