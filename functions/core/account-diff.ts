import type { TendConfig } from './config.ts';
import type { Account, AccountUpsert, Segment } from './types.ts';

const DATES = new Set(['startDate', 'renewalDate']);

function canonical(value: unknown): string {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    return `{${Object.keys(value as object)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * True when an upsert would change nothing the account already holds: a re-run import (or a
 * retried request) then writes nothing, not even `updatedAt`.
 */
export function upsertChangesNothing(current: Account, input: AccountUpsert): boolean {
  return Object.entries(input).every(([k, v]) => {
    if (v === undefined) return true;
    // `segment` in a request pins (or with `auto` unpins) it: compare with the pin, not the segment in force.
    if (k === 'segment') return (current.segmentSet ?? 'auto') === v;
    const stored = (current as unknown as Record<string, unknown>)[k];
    if (DATES.has(k)) return typeof stored === 'string' && Date.parse(stored) === Date.parse(String(v));
    return canonical(stored) === canonical(v);
  });
}

export function segmentOf(arr: number | undefined, segments: TendConfig['segments']): Segment {
  if (arr === undefined || arr < segments.mediumTouchArr) return 'tech-touch';
  return arr > segments.highTouchArr ? 'high-touch' : 'medium-touch';
}

/** What an upsert did to the account, from the account as it was to the account as it is. */
export type AccountOutcome = 'created' | 'changed' | 'unchanged' | 'churned' | 'reactivated';

/** The attributes one account write sets and removes (the rest of the item is left as it is). */
export interface AccountWrite {
  set: Record<string, unknown>;
  remove: string[];
}

export interface AccountDecision {
  outcome: AccountOutcome;
  /** The account as the write leaves it (as it is, when there is nothing to write). */
  account: Account;
  /** Absent when nothing changes: nothing is written, not even `updatedAt`. */
  write?: AccountWrite;
  /** `account.created` is still to go out (a retry after a failure between write and publish sends it then). */
  announce: boolean;
  /** `account.churned` goes out: the status moved to churned with this write. */
  churned: boolean;
}

/**
 * Decides an upsert against the account as read (undefined: none yet). Pure: the caller writes
 * `write` only if the account is still as read, and decides again on what it finds otherwise.
 */
export function decideAccountWrite(current: Account | undefined, input: AccountUpsert, now: Date, segments: TendConfig['segments']): AccountDecision {
  if (current && upsertChangesNothing(current, input)) return { outcome: 'unchanged', account: current, announce: needsAnnouncing(current), churned: false };

  const at = now.toISOString();
  const { segment: segmentInput, ...fields } = input;
  const set: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) set[k] = v;
  set.updatedAt = at;
  if (!current) set.createdAt = at;
  if (input.startDate) set.startDate = new Date(input.startDate).toISOString();
  else if (!current?.startDate) set.startDate = at;
  if (input.renewalDate) set.renewalDate = new Date(input.renewalDate).toISOString();
  if (!input.status && !current?.status) set.status = 'active';

  const remove: string[] = [];
  if (segmentInput && segmentInput !== 'auto') set.segment = set.segmentSet = segmentInput;
  else if (segmentInput === 'auto') {
    // Unpinned: back to the segment ARR gives, the stored ARR's when this request has none.
    set.segment = segmentOf(input.arr ?? current?.arr, segments);
    if (current?.segmentSet) remove.push('segmentSet');
  } else if (input.arr !== undefined) set.segment = current?.segmentSet ?? segmentOf(input.arr, segments);
  // Without an ARR in this request the stored segment stands (a new account starts tech-touch).
  else if (!current?.segment) set.segment = segmentOf(undefined, segments);

  const wasChurned = current?.status === 'churned';
  const isChurned = (set.status ?? current?.status) === 'churned';
  // churnedAt is the first churn's date, the outcome the churn model learns from: kept through a reactivation.
  if (isChurned && !current?.churnedAt) set.churnedAt = at;

  const account = { ...current, ...set } as Account & Record<string, unknown>;
  for (const name of remove) delete account[name];
  const outcome: AccountOutcome = !current ? 'created' : !wasChurned && isChurned ? 'churned' : wasChurned && !isChurned ? 'reactivated' : 'changed';
  return { outcome, account, write: { set, remove }, announce: needsAnnouncing(account), churned: isChurned && !wasChurned };
}

const needsAnnouncing = (account: Account) => !account.announcedAt && account.status !== 'churned';
