import type { Clock } from './clock.ts';
import type { TendConfig } from './config.ts';
import { ConflictError, NotFoundError, ValidationError } from './errors.ts';
import type { AccountRepo, EventPublisher, RunRepo, ScoreRepo, TaskRepo } from './ports.ts';
import type { Account, AccountUpsert } from './types.ts';
import { FLAG_RULES } from './flags/rules.ts';
import { decideAccountWrite, type AccountOutcome } from './account-diff.ts';

export { segmentOf } from './account-diff.ts';

export interface AccountDeps {
  clock: Clock;
  accounts: AccountRepo;
  events: EventPublisher;
  segments: TendConfig['segments'];
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
 */
export async function upsertAccount(deps: AccountDeps, input: AccountUpsert): Promise<{ outcome: AccountOutcome; account: Account }> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const now = deps.clock.now();
    const stored = await deps.accounts.read(input.id);
    const decision = decideAccountWrite(stored?.account, input, now, deps.segments);
    if (decision.write && !(await deps.accounts.write(input.id, decision.write, stored?.rev))) continue;
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
    health: score
      ? {
          score: score.score,
          tier: score.tier,
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
