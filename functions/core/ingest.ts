import { eventKey, eventOutcomes, planEvents, rejectionsOfFullDays, type EventOutcome, type RejectedEvent } from './ingest-plan.ts';
import { UsageDayFullError } from './errors.ts';
import type { AccountRepo, ContactRepo, DirtyAccounts, FeedbackRepo, UsageRepo } from './ports.ts';
import type { Clock } from './clock.ts';
import type { ContactUpsert, Survey, Ticket, UsageEvent } from './types.ts';

export interface IngestResult {
  accepted: number;
  rejected: RejectedEvent[];
}

export interface EventOutcomes {
  accepted: number;
  duplicates: number;
  /** One entry per event of the request, in order. */
  results: EventOutcome[];
}

/**
 * Records a validated batch: per account and UTC day, the events whose ids that day has not
 * counted yet, each id claimed in the same write as its usage (functions/data/usage.ts). A
 * replay, or a duplicate id carrying another body, changes nothing and is answered `duplicate`.
 * Events for accounts Tend does not know are reported per event, not stored.
 */
export async function ingestEvents(
  deps: { clock: Clock; accounts: AccountRepo; usage: UsageRepo; dirty: DirtyAccounts },
  events: UsageEvent[],
): Promise<IngestResult & EventOutcomes> {
  const known = await deps.accounts.existing([...new Set(events.map((e) => e.accountId))]);
  const { rejected, groups } = planEvents(events, known);
  const firstSeen = new Set<string>();
  const full: UsageDayFullError[] = [];
  await Promise.all(
    groups.map(async (g) => {
      try {
        for (const id of await deps.usage.record(g.accountId, g.day, g.events)) firstSeen.add(eventKey(g.accountId, id));
      } catch (err) {
        // A day at DynamoDB's item limit refuses its events alone: the rest of the batch is stored.
        if (err instanceof UsageDayFullError) full.push(err);
        else throw err;
      }
    }),
  );
  rejected.push(...rejectionsOfFullDays(events, rejected, full));
  // After the usage is stored: the rescoring job then finds the data it was marked for. Replays
  // mark too: a retry after a crash right after the usage write must still get it rescored.
  await deps.dirty.mark([...new Set(groups.map((g) => g.accountId))], deps.clock.now());
  return { ...eventOutcomes(events, rejected, firstSeen), rejected };
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
export async function ingestContacts(
  deps: { clock: Clock; accounts: AccountRepo; contacts: ContactRepo; dirty: DirtyAccounts },
  contacts: ContactUpsert[],
): Promise<IngestResult> {
  const { accepted, rejected } = await knownOnly(
    deps.accounts,
    contacts.map((c) => ({ ...c, id: c.email })),
  );
  const now = deps.clock.now();
  await deps.contacts.upsert(
    accepted.map(({ id: _email, ...c }) => c),
    now,
  );
  await deps.dirty.mark([...new Set(accepted.map((c) => c.accountId))], now);
  return { accepted: accepted.length, rejected };
}
