import { metricsLogger } from './metrics-logger.ts';

/**
 * An account's metrics upkeep, after a write of one of their sources (the account, its revenue, its
 * feedback: data/metric-hooks.ts). Its code (the aggregates, the renewal index, the score states) is
 * imported by the first write that needs it, a chunk of its own: the functions that hold the
 * accounts repository mostly read it (a play step, the starter, the notifier) and never parse it.
 * A source write stands whatever its upkeep does: a failure is logged, and the account's next
 * change or `tend metrics rebuild` heals it.
 */
export const refreshMetrics = (accountId: string) =>
  import('./account-metrics-refresh.ts')
    .then(({ refreshAccount }) => refreshAccount(accountId))
    .catch((err: unknown) => metricsLogger().error('metrics upkeep failed (tend metrics rebuild heals it)', { accountId, error: err as Error }));
