import type { Clock } from './clock.ts';
import type { TendConfig } from './config.ts';
import { NotFoundError } from './errors.ts';
import { executionName, ONBOARDING } from './journey/onboarding.ts';
import type { AccountRepo, JourneyStarter, RunRepo, ScoreRepo } from './ports.ts';
import type { Account, AccountUpsert } from './types.ts';
import { FLAG_RULES } from './flags/rules.ts';

export interface AccountDeps {
  clock: Clock;
  accounts: AccountRepo;
  onboarding: JourneyStarter;
}

export function segmentOf(arr: number | undefined, segments: TendConfig['segments']): Account['segment'] {
  if (arr === undefined || arr < segments.mediumTouchArr) return 'tech-touch';
  return arr > segments.highTouchArr ? 'high-touch' : 'medium-touch';
}

/**
 * Creates or updates an account (its primary contact lives on the same item, so the write is
 * all or nothing), then makes sure its onboarding journey is started. The start is idempotent
 * (fixed execution name) and recorded afterwards, so a retry after a failed start starts it then.
 */
export async function upsertAccount(deps: AccountDeps, input: AccountUpsert) {
  const now = deps.clock.now();
  const { before, after } = await deps.accounts.upsert(input, now);
  let onboarding: string | undefined = after.onboardingExecution;
  if (!onboarding && after.status !== 'churned') {
    onboarding = executionName(ONBOARDING, after.id);
    await deps.onboarding.start(onboarding, { accountId: after.id, startDate: after.startDate });
    await deps.accounts.markOnboardingStarted(after.id, onboarding, now);
  }
  return { created: before === undefined, account: { ...after, onboardingExecution: onboarding } };
}

export async function accountView(deps: { accounts: AccountRepo; scores: ScoreRepo; runs: RunRepo }, accountId: string) {
  const [account, score, onboarding] = await Promise.all([
    deps.accounts.get(accountId),
    deps.scores.get(accountId),
    deps.runs.get(accountId, ONBOARDING),
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
          flags: Object.entries(score.flags ?? {}).map(([name, f]) => ({ name, kind: f.kind, since: f.since, description: FLAG_RULES[name]?.describe ?? name })),
        }
      : null,
    journeys: { onboarding: onboarding ?? null },
  };
}
