import { DAY_MS, dayOf, type Clock } from './clock.ts';
import { computeScore } from './score/compute.ts';
import { deriveSignals, WINDOW_DAYS } from './score/derive.ts';
import type { ScoreModel } from './score/model.ts';
import { recordDaily, trendOf } from './score/trend.ts';
import type { AccountRepo, ScoreRepo, UsageRepo } from './ports.ts';
import type { StoredScore } from './types.ts';

export interface ScoringDeps {
  clock: Clock;
  /** The model for an account's segment (one model for all, or per segment). */
  modelFor: (segment: string) => ScoreModel;
  features: string[];
  fallingFastPoints: number;
  accounts: AccountRepo;
  usage: UsageRepo;
  scores: ScoreRepo;
}

export async function scoreAccount(deps: ScoringDeps, accountId: string): Promise<StoredScore | undefined> {
  const now = deps.clock.now();
  const account = await deps.accounts.get(accountId);
  if (!account || account.status === 'churned') return undefined;
  const [days, previous] = await Promise.all([deps.usage.days(accountId, dayOf(now.getTime() - 2 * WINDOW_DAYS * DAY_MS), dayOf(now)), deps.scores.get(accountId)]);
  const signals = deriveSignals(account, days, deps.features, now);
  const result = computeScore(deps.modelFor(account.segment), signals);
  const today = { day: dayOf(now), score: result.score ?? 0 };
  const recent = result.score === null ? (previous?.recent ?? []) : recordDaily(previous?.recent, today);
  const stored: StoredScore = {
    ...result,
    accountId,
    computedAt: now.toISOString(),
    trend: result.score === null ? { change7d: null, change30d: null, fallingFast: false } : trendOf(recent, today, deps.fallingFastPoints),
    recent,
    signals: Object.fromEntries(Object.entries(signals).filter((e): e is [string, number | string] => e[1] !== undefined)),
  };
  await deps.scores.put(stored);
  return stored;
}

/** Scores every account of the given shards, a few at a time. Returns how many accounts were scored per tier. */
export async function scoreShards(deps: ScoringDeps, shards: number[], concurrency = 8): Promise<Record<string, number>> {
  const tiers: Record<string, number> = {};
  for (const shard of shards) {
    for await (const ids of deps.accounts.listIds(shard)) {
      for (let i = 0; i < ids.length; i += concurrency) {
        const scored = await Promise.all(ids.slice(i, i + concurrency).map((id) => scoreAccount(deps, id)));
        for (const s of scored) if (s) tiers[s.tier ?? 'unscored'] = (tiers[s.tier ?? 'unscored'] ?? 0) + 1;
      }
    }
  }
  return tiers;
}
