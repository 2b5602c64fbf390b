import type { Clock } from './clock.ts';
import { planOf } from './plan.ts';
import type { TendConfig } from './config.ts';
import { ConflictError, NotFoundError, ValidationError } from './errors.ts';
import { dayOf } from './clock.ts';
import type { AccountRepo, EventPublisher, OwnerRepo, RevenueRepo, RunRepo, ScoreRepo, TaskRepo } from './ports.ts';
import { handOverTasks } from './task-handover.ts';
import { assignOwner, csmNamed, resolveOwner, type AssignmentRule, type Csm } from './owners.ts';
import { originPoints, revenuePointOf, type RevenueSource } from './revenue-history.ts';
import type { Account, AccountUpsert } from './types.ts';
import { FLAG_RULES } from './flags/rules.ts';
import { decideAccountWrite, type AccountOutcome } from './account-diff.ts';

export { segmentOf } from './account-diff.ts';

export interface AccountDeps {
  clock: Clock;
  accounts: AccountRepo;
  revenue: RevenueRepo;
  events: EventPublisher;
  segments: TendConfig['segments'];
  /** Owners (functions/core/owners.ts): without them an `owner` is refused and no account is assigned one. */
  owners?: OwnerRepo;
  csms?: readonly Csm[];
  assignment?: readonly AssignmentRule[];
  /** When given, an owner change hands the previous owner's open tasks on the account to the new owner (task-handover.ts). */
  tasks?: Pick<TaskRepo, 'forAccount' | 'reassign'>;
}

/** Where an upsert comes from, for its revenue history point (the API's body says `api` or `import`). */
export interface UpsertOrigin {
  source?: RevenueSource;
  /** A churned renewal's reason, kept on the churn point. */
  reason?: string;
  /** A renewal's date: its change takes effect then, even when recorded ahead of it. */
  effectiveAt?: string;
}

/** Writes that may land between this upsert's read and its write before it gives up with a 409. */
const MAX_ATTEMPTS = 8;

/**
 * Creates or updates an account (its primary contact lives on the same item, so the write is
 * all or nothing) and says what happened. One read, one decision (`decideAccountWrite`), one
 * write that holds only if the account is still as read; a write that landed in between makes
 * it decide again on what that write left. Then it announces what plays react to:
 * `account.created` once (recorded after it went out, so a retried upsert announces it then) and
 * `account.churned` when the status moves to churned.
 *
 * A change of ARR, plan or status records a revenue history point (revenue-history.ts) keyed by
 * its effective day and the revision this write gives the account. The point rides on the
 * account item in the same conditional write, so there is no account change without its point
 * and a write that lost a race records nothing; its own item is written next (and again with the
 * account's next point, should this process stop in between). A replay changes nothing, so it
 * records nothing. (One conditional UpdateItem rather than TransactWriteItems: half the write
 * units, and the local runtime's DynamoDB stand-in has no transactions.)
 */
export async function upsertAccount(
  deps: AccountDeps,
  request: AccountUpsert,
  origin: UpsertOrigin = {},
): Promise<{ outcome: AccountOutcome; account: Account }> {
  const { effectiveDate, source, ...input } = request;
  if (effectiveDate && dayOf(new Date(effectiveDate)) > dayOf(deps.clock.now()))
    throw new ValidationError(`effectiveDate: ${effectiveDate} is in the future; a change is recorded when it has happened`, [
      { field: 'effectiveDate', message: 'in the future' },
    ]);
  const effectiveAt = origin.effectiveAt ?? effectiveDate;
  const effective = effectiveAt ? new Date(effectiveAt) : undefined;
  // An unknown owner is refused before anything is read or written; a known one is kept as its id.
  const requested = input.owner === undefined ? input : withOwner(deps, input, resolveOwner(deps.csms ?? [], input.owner));
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const now = deps.clock.now();
    const stored = await deps.accounts.read(input.id);
    let decision = decideAccountWrite(stored?.account, requested, now, deps.segments);
    // A new account without an owner gets one from the assignment rules (the same one on a replay).
    let reserved = false;
    if (!stored && !decision.account.owner && deps.owners && deps.assignment?.length) {
      const assigned = await assignOwner(
        { owners: deps.owners, csms: deps.csms ?? [], assignment: deps.assignment },
        input.id,
        decision.account.segment,
        now.toISOString(),
      );
      if (assigned) {
        reserved = assigned.reserved;
        decision = decideAccountWrite(undefined, withOwner(deps, requested, assigned.owner), now, deps.segments);
      }
    }
    // The book moves only with the owner: an account whose owner stays costs nothing more here.
    const from = stored?.account.owner;
    const to = decision.write ? decision.account.owner : from;
    // The new book entry first, the old one gone after the write: a move cut short leaves an entry
    // the book listing leaves out (its account names another owner), never an account missing from its owner's book.
    if (to && to !== from) await deps.owners?.addToBook(to, input.id, now.toISOString(), reserved);
    if (decision.write) {
      const origins = stored && !stored.lastPoint ? originPoints(stored.account) : [];
      const point = revenuePointOf(stored?.account, decision.account, stored?.lastPoint ?? origins.at(-1), {
        // A new account's first point is its start date unless the request says otherwise.
        at: (effective ?? (stored ? now : new Date(decision.account.startDate))).toISOString(),
        rev: (stored?.rev ?? 0) + 1,
        source: origin.source ?? source ?? 'api',
        recordedAt: now.toISOString(),
        ...(origin.reason ? { reason: origin.reason } : {}),
      });
      // An account older than its history: its origin first (the same items whoever writes them).
      if (point && origins.length) await deps.revenue.record(origins);
      if (!(await deps.accounts.write(input.id, decision.write, stored?.rev, point ?? undefined))) continue;
      if (point) await deps.revenue.record(stored?.lastPoint ? [stored.lastPoint, point] : [point]);
      if (from && from !== to) await deps.owners?.removeFromBook(from, input.id);
      if (stored && from !== to && deps.tasks) await handOverTasks(deps.tasks, input.id, from, to);
    }
    const { account } = decision;
    if (decision.announce) {
      await deps.events.publish([
        { type: 'account.created', accountId: account.id, at: now.toISOString(), detail: { startDate: account.startDate, segment: account.segment } },
      ]);
      await deps.accounts.markAnnounced(account.id, now);
    }
    if (decision.churned) await deps.events.publish([{ type: 'account.churned', accountId: account.id, at: now.toISOString(), detail: {} }]);
    return { outcome: decision.outcome, account };
  }
  throw new ConflictError(`account "${input.id}" changed ${MAX_ATTEMPTS} times while this request was writing it; send it again`);
}

/** The request with its owner, and (unless it names one) the owner as the account's `csm`, who signs its high-touch emails. */
function withOwner(deps: Pick<AccountDeps, 'csms'>, input: Omit<AccountUpsert, 'effectiveDate' | 'source'>, owner: string) {
  const csm = csmNamed(deps.csms ?? [], owner);
  return { ...input, owner, ...(input.csm || !csm ? {} : { csm: { name: csm.name, email: csm.email } }) };
}

/**
 * Records a checklist milestone of an account once: the first date stands, so a re-sent
 * milestone changes nothing. Announced as `milestone.reached` the first time.
 */
export async function recordMilestone(deps: AccountDeps & { checklist: readonly string[] }, accountId: string, input: { milestone: string; at?: string }) {
  if (!deps.checklist.includes(input.milestone))
    throw new ValidationError(`milestone: "${input.milestone}" is not in the checklist (${deps.checklist.join(', ')})`, [
      { field: 'milestone', message: 'not in the checklist' },
    ]);
  const account = await deps.accounts.get(accountId);
  if (!account) throw new NotFoundError(`account "${accountId}" not found`);
  const at = input.at ? new Date(input.at) : deps.clock.now();
  const recorded = await deps.accounts.reachMilestone(accountId, input.milestone, at);
  if (recorded) {
    await deps.events.publish([
      {
        type: 'milestone.reached',
        accountId,
        at: deps.clock.now().toISOString(),
        detail: {
          milestone: input.milestone,
          reachedAt: at.toISOString(),
          daysFromStart: Math.floor((at.getTime() - new Date(account.startDate).getTime()) / 86_400_000),
        },
      },
    ]);
  }
  const after = await deps.accounts.get(accountId);
  return { recorded, milestones: after?.milestones ?? {} };
}

export async function accountView(
  deps: { accounts: AccountRepo; scores: ScoreRepo; runs: RunRepo; tasks: TaskRepo; checklist?: readonly string[] },
  accountId: string,
) {
  const [account, score, runs, tasks] = await Promise.all([
    deps.accounts.get(accountId),
    deps.scores.get(accountId),
    deps.runs.forAccount(accountId),
    deps.tasks.forAccount(accountId),
  ]);
  if (!account) throw new NotFoundError(`account "${accountId}" not found`);
  return {
    account,
    /** Starter, Pro or Enterprise, as the card shows it (`account.plan` is the name it was sent with). */
    plan: planOf(account),
    health: score
      ? {
          score: score.score,
          tier: score.tier,
          band: score.band ?? null,
          color: score.color,
          coverage: score.coverage,
          trend: score.trend ?? null,
          churnRisk: score.churnRisk ?? null,
          model: `${score.modelId}@${score.modelVersion}`,
          computedAt: score.computedAt,
          components: score.components.map(({ id, label, weight, score: s, coverage }) => ({ id, label, weight, score: s, coverage })),
          driversDown: score.driversDown.map((d) => d.text),
          driversUp: score.driversUp.map((d) => d.text),
          flags: Object.entries(score.flags ?? {}).map(([name, f]) => ({
            name,
            kind: f.kind,
            since: f.since,
            description: FLAG_RULES[name]?.describe ?? name,
          })),
        }
      : null,
    /** The onboarding checklist: each milestone with when it was reached, or null. */
    checklist: (deps.checklist ?? []).map((milestone) => ({ milestone, reachedAt: account.milestones?.[milestone] ?? null })),
    /** Runs of every play, newest first: current step, steps done with their outcome, next step and when. */
    plays: runs,
    tasks,
  };
}
