import type { Clock } from './clock.ts';
import type { TendConfig } from './config.ts';
import { NotFoundError, ValidationError } from './errors.ts';
import type { AccountRepo, EventPublisher, RunRepo, ScoreRepo, TaskRepo } from './ports.ts';
import type { Account, AccountUpsert } from './types.ts';
import { FLAG_RULES } from './flags/rules.ts';

export interface AccountDeps {
  clock: Clock;
  accounts: AccountRepo;
  events: EventPublisher;
}

export function segmentOf(arr: number | undefined, segments: TendConfig['segments']): Account['segment'] {
  if (arr === undefined || arr < segments.mediumTouchArr) return 'tech-touch';
  return arr > segments.highTouchArr ? 'high-touch' : 'medium-touch';
}

/**
 * Creates or updates an account (its primary contact lives on the same item, so the write is
 * all or nothing), then announces what plays react to: `account.created` once (recorded after
 * it went out, so a retried upsert announces it then) and `account.churned` when it churns.
 */
export async function upsertAccount(deps: AccountDeps, input: AccountUpsert) {
  const now = deps.clock.now();
  // Unpinning goes back to the segment ARR gives: the stored ARR's when this request has none.
  const storedArr = input.segment === 'auto' && input.arr === undefined ? (await deps.accounts.get(input.id))?.arr : undefined;
  const { before, after } = await deps.accounts.upsert(input, now, storedArr);
  if (!after.announcedAt && after.status !== 'churned') {
    await deps.events.publish([{ type: 'account.created', accountId: after.id, at: now.toISOString(), detail: { startDate: after.startDate, segment: after.segment } }]);
    await deps.accounts.markAnnounced(after.id, now);
  }
  // churnedAt is stamped by the write that first set the status to churned.
  if (after.status === 'churned' && after.churnedAt === now.toISOString()) {
    await deps.events.publish([{ type: 'account.churned', accountId: after.id, at: now.toISOString(), detail: {} }]);
  }
  return { created: before === undefined, account: after };
}

/**
 * Records a checklist milestone of an account once: the first date stands, so a re-sent
 * milestone changes nothing. Announced as `milestone.reached` the first time.
 */
export async function recordMilestone(deps: AccountDeps & { checklist: readonly string[] }, accountId: string, input: { milestone: string; at?: string }) {
  if (!deps.checklist.includes(input.milestone)) throw new ValidationError(`milestone: "${input.milestone}" is not in the checklist (${deps.checklist.join(', ')})`, [{ field: 'milestone', message: 'not in the checklist' }]);
  const account = await deps.accounts.get(accountId);
  if (!account) throw new NotFoundError(`account "${accountId}" not found`);
  const at = input.at ? new Date(input.at) : deps.clock.now();
  const recorded = await deps.accounts.reachMilestone(accountId, input.milestone, at);
  if (recorded) {
    await deps.events.publish([{ type: 'milestone.reached', accountId, at: deps.clock.now().toISOString(), detail: { milestone: input.milestone, reachedAt: at.toISOString(), daysFromStart: Math.floor((at.getTime() - new Date(account.startDate).getTime()) / 86_400_000) } }]);
  }
  const after = await deps.accounts.get(accountId);
  return { recorded, milestones: after?.milestones ?? {} };
}

export async function accountView(deps: { accounts: AccountRepo; scores: ScoreRepo; runs: RunRepo; tasks: TaskRepo; checklist?: readonly string[] }, accountId: string) {
  const [account, score, runs, tasks] = await Promise.all([deps.accounts.get(accountId), deps.scores.get(accountId), deps.runs.forAccount(accountId), deps.tasks.forAccount(accountId)]);
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
          flags: Object.entries(score.flags ?? {}).map(([name, f]) => ({ name, kind: f.kind, since: f.since, description: FLAG_RULES[name]?.describe ?? name })),
        }
      : null,
    /** The onboarding checklist: each milestone with when it was reached, or null. */
    checklist: (deps.checklist ?? []).map((milestone) => ({ milestone, reachedAt: account.milestones?.[milestone] ?? null })),
    /** Runs of every play, newest first: current step, steps done with their outcome, next step and when. */
    plays: runs,
    tasks,
  };
}
