import { dayOf } from './clock.ts';
import type { UsageEvent } from './types.ts';

/** The pure decisions of `ingestEvents`: which events go where, and what each one's answer is. */

export interface RejectedEvent {
  index: number;
  id: string;
  error: string;
}

export interface EventOutcome {
  index: number;
  id: string;
  status: 'accepted' | 'duplicate' | 'rejected';
  reason?: string;
}

export interface AccountDay {
  accountId: string;
  day: string;
  events: UsageEvent[];
}

/** One key per account and event id: ids are unique per account, not across accounts. */
export const eventKey = (accountId: string, id: string) => `${accountId}\u0000${id}`;

/**
 * Splits a request into the events of unknown accounts (rejected) and, per account and UTC day,
 * the events to record. An id repeated within the request is recorded once, as first sent
 * (whatever day or body the repeat carries): the repeat is a duplicate.
 */
export function planEvents(events: UsageEvent[], knownAccounts: ReadonlySet<string>): { rejected: RejectedEvent[]; groups: AccountDay[] } {
  const rejected: RejectedEvent[] = [];
  const groups = new Map<string, AccountDay>();
  const seen = new Set<string>();
  events.forEach((e, index) => {
    if (!knownAccounts.has(e.accountId)) {
      rejected.push({ index, id: e.id, error: `account "${e.accountId}" not found; create it with POST /v1/accounts first` });
      return;
    }
    const key = eventKey(e.accountId, e.id);
    if (seen.has(key)) return;
    seen.add(key);
    const day = dayOf(new Date(e.timestamp));
    const group = groups.get(`${e.accountId}\u0000${day}`) ?? { accountId: e.accountId, day, events: [] };
    group.events.push(e);
    groups.set(`${e.accountId}\u0000${day}`, group);
  });
  return { rejected, groups: [...groups.values()] };
}

/**
 * Each event's answer, in request order: `rejected` as planned, `accepted` for the first
 * occurrence of an id the store counted now (`firstSeen`, by eventKey), else `duplicate`.
 */
export function eventOutcomes(
  events: UsageEvent[],
  rejected: RejectedEvent[],
  firstSeen: ReadonlySet<string>,
): { accepted: number; duplicates: number; results: EventOutcome[] } {
  const rejectedAt = new Map(rejected.map((r) => [r.index, r.error]));
  const answered = new Set<string>();
  const results = events.map((e, index): EventOutcome => {
    const reason = rejectedAt.get(index);
    if (reason) return { index, id: e.id, status: 'rejected', reason };
    const key = eventKey(e.accountId, e.id);
    const first = firstSeen.has(key) && !answered.has(key);
    answered.add(key);
    return { index, id: e.id, status: first ? 'accepted' : 'duplicate' };
  });
  return { accepted: results.filter((r) => r.status === 'accepted').length, duplicates: results.filter((r) => r.status === 'duplicate').length, results };
}

/** The events of account-days that are full (DynamoDB's item limit), rejected with the reason; others untouched. */
export function rejectionsOfFullDays(
  events: UsageEvent[],
  rejected: RejectedEvent[],
  full: { accountId: string; day: string; message: string }[],
): RejectedEvent[] {
  if (full.length === 0) return [];
  const already = new Set(rejected.map((r) => r.index));
  const out: RejectedEvent[] = [];
  events.forEach((e, index) => {
    if (already.has(index)) return;
    const day = full.find((f) => f.accountId === e.accountId && f.day === dayOf(new Date(e.timestamp)));
    if (day) out.push({ index, id: e.id, error: day.message });
  });
  return out;
}
