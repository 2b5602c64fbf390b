import { dayOf } from './clock.ts';
import type { AccountRepo, ContactRepo, DirtyAccounts, EventClaims, FeedbackRepo, UsageRepo } from './ports.ts';
import type { Clock } from './clock.ts';
import type { ContactUpsert, Survey, Ticket, UsageEvent } from './types.ts';

export interface IngestResult {
  accepted: number;
  rejected: { index: number; id: string; error: string }[];
}

/**
 * Records a validated batch. Events are grouped per account and UTC day into one idempotent
 * update each; events for accounts Tend does not know are reported per event, not stored.
 */
export async function ingestEvents(deps: { clock: Clock; accounts: AccountRepo; usage: UsageRepo; dirty: DirtyAccounts; claims?: EventClaims; reportDuplicates?: boolean }, events: UsageEvent[]): Promise<IngestResult & EventOutcomes> {
  const known = await deps.accounts.existing([...new Set(events.map((e) => e.accountId))]);
  const rejected: IngestResult['rejected'] = [];
  const groups = new Map<string, { accountId: string; day: string; events: UsageEvent[] }>();
  events.forEach((e, index) => {
    if (!known.has(e.accountId)) {
      rejected.push({ index, id: e.id, error: `account "${e.accountId}" not found; create it with POST /v1/accounts first` });
      return;
    }
    const day = dayOf(new Date(e.timestamp));
    const key = `${e.accountId}\u0000${day}`;
    const group = groups.get(key) ?? { accountId: e.accountId, day, events: [] };
    group.events.push(e);
    groups.set(key, group);
  });
  await Promise.all([...groups.values()].map((g) => deps.usage.record(g.accountId, g.day, g.events)));
  // After the usage is stored: the rescoring job then finds the data it was marked for.
  await deps.dirty.mark([...new Set([...groups.values()].map((g) => g.accountId))], deps.clock.now());
  // Without claims (config api.reportDuplicates: false) every stored event is reported accepted.
  const claims = deps.reportDuplicates === false ? undefined : deps.claims;
  const { accepted, duplicates, results } = await classify(claims, deps.clock.now(), events, rejected);
  return { accepted, duplicates, rejected, results };
}

export interface EventOutcomes {
  accepted: number;
  duplicates: number;
  /** One entry per event of the request, in order. */
  results: { index: number; id: string; status: 'accepted' | 'duplicate' | 'rejected'; reason?: string }[];
}

/**
 * Tells first deliveries from replays, after the rollup was written: the rollup is a set union, so
 * recording a replay again is harmless, and a crash between the two leaves nothing to repair.
 * The same id twice in one request counts once too.
 */
async function classify(claims: EventClaims | undefined, now: Date, events: UsageEvent[], rejected: IngestResult['rejected']): Promise<EventOutcomes> {
  const rejectedAt = new Map(rejected.map((r) => [r.index, r.error]));
  const byAccount = new Map<string, string[]>();
  events.forEach((e, i) => {
    if (!rejectedAt.has(i)) byAccount.set(e.accountId, [...(byAccount.get(e.accountId) ?? []), e.id]);
  });
  const firsts = new Map<string, Map<string, boolean>>();
  if (claims) await Promise.all([...byAccount].map(async ([accountId, ids]) => firsts.set(accountId, await claims.claim(accountId, ids, now))));
  const seen = new Set<string>();
  const results = events.map((e, index): EventOutcomes['results'][number] => {
    const reason = rejectedAt.get(index);
    if (reason) return { index, id: e.id, status: 'rejected', reason };
    const key = `${e.accountId}\u0000${e.id}`;
    const first = (!claims || firsts.get(e.accountId)?.get(e.id) === true) && !seen.has(key);
    seen.add(key);
    return { index, id: e.id, status: first ? 'accepted' : 'duplicate' };
  });
  return { accepted: results.filter((r) => r.status === 'accepted').length, duplicates: results.filter((r) => r.status === 'duplicate').length, results };
}

/** Splits a batch into items of known accounts and per-item rejections for the rest. */
async function knownOnly<T extends { id: string; accountId: string }>(accounts: AccountRepo, items: T[]) {
  const known = await accounts.existing([...new Set(items.map((i) => i.accountId))]);
  const rejected: IngestResult['rejected'] = [];
  const accepted = items.filter((item, index) => {
    if (known.has(item.accountId)) return true;
    rejected.push({ index, id: item.id, error: `account "${item.accountId}" not found; create it with POST /v1/accounts first` });
    return false;
  });
  return { accepted, rejected };
}

type FeedbackDeps = { clock: Clock; accounts: AccountRepo; feedback: FeedbackRepo; dirty: DirtyAccounts };

/** Survey answers: stored per answer (a replay overwrites itself), and their accounts marked for rescoring. */
export async function ingestSurveys(deps: FeedbackDeps, surveys: Survey[]): Promise<IngestResult> {
  const { accepted, rejected } = await knownOnly(deps.accounts, surveys);
  await deps.feedback.putSurveys(accepted);
  await deps.dirty.mark([...new Set(accepted.map((s) => s.accountId))], deps.clock.now());
  return { accepted: accepted.length, rejected };
}

/** Tickets: the latest state of each, and their accounts marked for rescoring. */
export async function ingestTickets(deps: FeedbackDeps, tickets: Ticket[]): Promise<IngestResult> {
  const { accepted, rejected } = await knownOnly(deps.accounts, tickets);
  await deps.feedback.putTickets(accepted);
  await deps.dirty.mark([...new Set(accepted.map((t) => t.accountId))], deps.clock.now());
  return { accepted: accepted.length, rejected };
}

/** Contacts: upserted by email under their account (roles, who left), and the account marked for rescoring. */
export async function ingestContacts(deps: { clock: Clock; accounts: AccountRepo; contacts: ContactRepo; dirty: DirtyAccounts }, contacts: ContactUpsert[]): Promise<IngestResult> {
  const { accepted, rejected } = await knownOnly(deps.accounts, contacts.map((c) => ({ ...c, id: c.email })));
  const now = deps.clock.now();
  await deps.contacts.upsert(accepted.map(({ id: _email, ...c }) => c), now);
  await deps.dirty.mark([...new Set(accepted.map((c) => c.accountId))], now);
  return { accepted: accepted.length, rejected };
}
